// cord: private. What an interaction's responder may do next, as a pure state machine: no I/O,
// no clock of its own (every call takes `now`). The responder's I/O glue asks `begin(action)`,
// performs what the decision says (a callback of a given type, an edit of @original, a
// followup, nothing, or waiting for an initial response in flight), and reports the outcome
// with `finish`. Discord's rules it encodes (../shared/reference/interactions.md §2–3):
//   - one initial response per interaction (a second is 40060), within 3 s of receipt (else
//     10062), then the token works for 15 min;
//   - which callback types each interaction type takes (an autocomplete only type 8; a modal
//     never answers a modal submit; 6 and 7 only for components);
//   - a modal can only be the first response; an autocomplete cannot be deferred;
//   - after a deferred message, cord edits @original rather than relying on the first
//     followup turning into that edit;
//   - at most 5 followups when the app is installed to the user only (40094).
// The auto-defer: unless the handler answered first, at `auto_defer_margin` after receipt the
// glue asks `begin(action::auto_defer)` and sends what it says.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cord::detail::interactions {

using clock = std::chrono::steady_clock;

/// Discord's interaction types (the `type` of an interaction).
enum class interaction_kind : std::uint8_t {
    ping = 1,
    command = 2,
    component = 3,
    autocomplete = 4,
    modal_submit = 5,
};

/// Discord's interaction callback types.
enum class callback_type : std::uint8_t {
    pong = 1,
    channel_message = 4,
    deferred_channel_message = 5,
    deferred_update_message = 6,
    update_message = 7,
    autocomplete_result = 8,
    modal = 9,
};

/// What the bot (or the auto-defer timer) asks for.
enum class action : std::uint8_t {
    reply,           ///< a message in answer
    defer,           ///< "thinking…", a message later
    update,          ///< edit the message a component sits on
    defer_update,    ///< acknowledge a component silently, edit its message later
    modal,           ///< open a modal
    autocomplete,    ///< answer an autocomplete with choices
    edit_original,   ///< edit the initial response
    delete_original, ///< delete the initial response
    get_original,    ///< read the initial response
    followup,        ///< a further message
    auto_defer,      ///< the margin before Discord's deadline has come: acknowledge now
};

/// What to do for an action.
struct decision {
    enum class verb : std::uint8_t {
        callback,        ///< POST …/callback with `callback`
        edit_original,   ///< PATCH …/messages/@original
        delete_original, ///< DELETE …/messages/@original
        get_original,    ///< GET …/messages/@original
        followup,        ///< POST /webhooks/{app}/{token}
        nothing,         ///< already done: succeed without a request
        wait,            ///< an initial response is in flight: ask again once it finished
        refuse,          ///< an error, `why` says what and what to do instead
    };
    verb what = verb::nothing;
    callback_type callback = callback_type::pong;   ///< for verb::callback
    std::string why{};                              ///< for verb::refuse
};

struct responder_settings {
    /// When the library answers by itself if the handler has not: before Discord's 3 s.
    std::chrono::milliseconds auto_defer_margin{2500};
    /// The app is installed to the user only: Discord allows 5 followups.
    bool user_install_only = false;
};

class responder_state {
public:
    /// Discord's limits, from receipt of the interaction.
    static constexpr std::chrono::milliseconds first_response_deadline{3000};
    static constexpr std::chrono::minutes token_lifetime{15};
    static constexpr int user_install_followup_limit = 5;

    responder_state(interaction_kind kind, clock::time_point received, responder_settings settings = {});

    /// What to do for `a` at `now`. A callback or a wait leaves the state waiting for finish();
    /// every other verb is final for that action.
    decision begin(action a, clock::time_point now);
    /// The outcome of the request a decision asked for. `interaction_gone`: Discord answered
    /// 10062 (the interaction or its token is no longer valid): every later action is refused.
    void finish(const decision& d, bool ok, bool interaction_gone = false);

    /// When the auto-defer should fire, while the interaction still waits for an initial
    /// response that the library may send by itself; nullopt otherwise.
    std::optional<clock::time_point> auto_defer_at() const;
    /// Whether an initial response was sent (and accepted).
    bool responded() const noexcept { return stage_ == stage::responded; }
    /// The initial response's callback type, once responded.
    std::optional<callback_type> initial_response() const;
    /// Whether the library's auto-defer made the initial response.
    bool auto_deferred() const noexcept { return auto_deferred_; }
    interaction_kind kind() const noexcept { return kind_; }

private:
    enum class stage : std::uint8_t { fresh, in_flight, responded, gone };
    decision initial(action a, clock::time_point now);
    decision after_response(action a);
    decision send(callback_type t, bool by_auto_defer);
    static decision refuse(std::string why);
    bool has_message() const noexcept;

    interaction_kind kind_;
    clock::time_point received_;
    responder_settings settings_;
    stage stage_ = stage::fresh;
    callback_type response_ = callback_type::pong;   // sent (or in flight)
    bool pending_auto_defer_ = false;   // the callback in flight is the auto-defer's
    bool auto_deferred_ = false;
    bool original_edited_ = false;      // after a deferred message: @original has its content
    int followups_ = 0;
};

/// "reply", "defer"… for messages.
const char* to_string(action a) noexcept;

} // namespace cord::detail::interactions
