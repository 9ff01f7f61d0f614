// cord: private. The seam between the endpoint's HTTP transport and whatever answers
// interactions (today the handler of cord::interactions::endpoint; later the router and its
// responder). An HTTP interaction is answered in the HTTP response, so its first response is
// not a REST call: `first_response` is that one pending HTTP exchange. Whoever answers first
// wins, from any thread: the handler through answer(), or the transport's auto-defer at its
// margin; the loser learns it from answer() returning false (the responder then uses the REST
// routes, e.g. edits @original after the deferral).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/responder_state.hpp"

#include <cord/json.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace cord::detail::interactions {

class first_response : public std::enable_shared_from_this<first_response> {
public:
    /// Always made by std::make_shared (answer() keeps it alive until the wake-up has run).
    /// `executor`: the HTTP session's (the one that waits).
    explicit first_response(boost::asio::any_io_executor executor);

    /// Completes the exchange with a callback (its JSON text, already checked), from any
    /// thread. False when the exchange was completed already (auto-deferred, failed, closed).
    bool answer(std::string callback_json);
    /// Completes it with a failure (the handler threw or answered something invalid): the
    /// HTTP response is a 500, which Discord shows as "This interaction failed".
    bool fail();

    /// What the HTTP response becomes.
    struct outcome {
        int status = 200;
        std::string body{};
        bool auto_deferred = false;
    };
    /// The transport's side: waits for answer()/fail() until `deadline`, then completes the
    /// exchange with `auto_defer_json` itself (unless an answer won the race).
    boost::asio::awaitable<outcome> wait(clock::time_point deadline, std::string auto_defer_json);

private:
    bool complete(outcome o);

    std::mutex mu_;
    bool done_ = false;
    outcome result_{};
    boost::asio::steady_timer wake_;
};

/// What the endpoint hands verified deliveries to. Implementations must not block: start
/// the work (co_spawn) and return.
class interaction_sink {
public:
    virtual ~interaction_sink() = default;
    /// A verified interaction other than a PING, parsed once; answer through `exchange`.
    virtual void on_interaction(json interaction, interaction_kind kind, std::shared_ptr<first_response> exchange) = 0;
    /// A verified webhook event (already answered 204): `name` as a gateway dispatch's
    /// ("raw-application-authorized"), `event` the envelope's `event` object.
    virtual void on_webhook_event(std::string name, json event) = 0;
};

} // namespace cord::detail::interactions
