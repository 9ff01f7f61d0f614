// cord: private. The I/O glue around responder_state: one per interaction, shared by the
// public cord::responder, the router and the auto-defer timer. It asks the state machine what
// an action means and carries that out: the initial response through an `initial_sink` (a
// REST callback for gateway interactions, the HTTP answer for an interactions endpoint), the
// rest through the interaction-token routes. Actions of one interaction run one at a time,
// in call order (an async lock), so that the auto-defer and a handler racing it never both
// send an initial response.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/responder_state.hpp"

#include <cord/awaitable.hpp>
#include <cord/interactions/interaction.hpp>
#include <cord/json.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <memory>
#include <string>

namespace cord {
class rest_client;
}

namespace cord::detail::interactions {

struct responder_core : std::enable_shared_from_this<responder_core> {
    /// Sends the initial response: `body` is Discord's `{type, data?}`.
    using initial_sink = std::function<awaitable<void>(const json& body)>;
    /// The time now: the steady clock, or a test's.
    using clock_source = std::function<clock::time_point()>;

    /// `received`: when the interaction arrived (Discord's deadlines count from it).
    /// `sink` empty: the REST callback route. `now` empty: the steady clock.
    responder_core(rest_client& rest, cord::interaction in, boost::asio::any_io_executor executor,
                   clock::time_point received, responder_settings settings, initial_sink sink = {},
                   clock_source now = {});

    /// Carries out `a` with `data` (the message, modal or choices; null for none). Returns the
    /// message for edits, followups and get_original, null otherwise.
    awaitable<json> perform(action a, json data);

    /// Starts the auto-defer timer (call once, after construction).
    void arm_auto_defer();
    /// The handler has finished: no auto-defer any more (a deferral that nobody completes
    /// would leave "thinking…" for 15 minutes). Returns whether an initial response was sent.
    bool handler_done();

    bool responded() const;
    bool auto_deferred() const;

    rest_client& rest;
    const cord::interaction in;
    /// The name handlers and logs know it by: "/admin ban", "component demo:ok"…
    const std::string label;

private:
    struct unlock_at_exit;
    awaitable<void> lock();
    void unlock();
    awaitable<void> auto_defer_when_due();
    awaitable<json> carry_out(const decision& d, json data);
    awaitable<void> send_initial(const json& body);

    boost::asio::strand<boost::asio::any_io_executor> strand_;   // the timer's
    boost::asio::steady_timer timer_;
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> lock_;
    initial_sink sink_;
    clock_source now_;
    std::chrono::milliseconds margin_;
    mutable std::mutex state_mutex_;   // state_ is read by responded() from any thread
    responder_state state_;
    bool handler_done_ = false;   // under state_mutex_
};

/// An autocomplete answer with no choices.
json no_choices();

/// The label of an interaction for logs: "/name sub", "component <custom_id>"…
std::string label_of(const cord::interaction& in);

} // namespace cord::detail::interactions
