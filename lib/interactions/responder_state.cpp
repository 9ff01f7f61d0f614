// cord: the responder's state machine (see responder_state.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/responder_state.hpp"

#include <fmt/format.h>

namespace cord::detail::interactions {

namespace {

bool takes_messages(interaction_kind k) noexcept
{
    return k == interaction_kind::command || k == interaction_kind::component || k == interaction_kind::modal_submit;
}

const char* kind_name(interaction_kind k) noexcept
{
    switch (k) {
    case interaction_kind::ping: return "a PING";
    case interaction_kind::command: return "a command";
    case interaction_kind::component: return "a component interaction";
    case interaction_kind::autocomplete: return "an autocomplete";
    case interaction_kind::modal_submit: return "a modal submit";
    }
    return "an interaction";
}

bool is_initial(action a) noexcept
{
    switch (a) {
    case action::reply:
    case action::defer:
    case action::update:
    case action::defer_update:
    case action::modal:
    case action::autocomplete:
    case action::auto_defer:
        return true;
    default:
        return false;
    }
}

} // namespace

const char* to_string(action a) noexcept
{
    switch (a) {
    case action::reply: return "reply";
    case action::defer: return "defer";
    case action::update: return "update";
    case action::defer_update: return "defer_update";
    case action::modal: return "modal";
    case action::autocomplete: return "autocomplete";
    case action::edit_original: return "edit_original";
    case action::delete_original: return "delete_original";
    case action::get_original: return "get_original";
    case action::followup: return "followup";
    case action::auto_defer: return "auto-defer";
    }
    return "?";
}

responder_state::responder_state(interaction_kind kind, clock::time_point received, responder_settings settings)
    : kind_(kind), received_(received), settings_(settings)
{
}

decision responder_state::refuse(std::string why)
{
    return {.what = decision::verb::refuse, .why = std::move(why)};
}

decision responder_state::send(callback_type t, bool by_auto_defer)
{
    stage_ = stage::in_flight;
    response_ = t;
    pending_auto_defer_ = by_auto_defer;
    return {.what = decision::verb::callback, .callback = t};
}

bool responder_state::has_message() const noexcept
{
    return response_ == callback_type::channel_message || response_ == callback_type::deferred_channel_message ||
           response_ == callback_type::deferred_update_message || response_ == callback_type::update_message;
}

std::optional<callback_type> responder_state::initial_response() const
{
    if (stage_ != stage::responded)
        return std::nullopt;
    return response_;
}

std::optional<clock::time_point> responder_state::auto_defer_at() const
{
    if (stage_ != stage::fresh || kind_ == interaction_kind::ping)
        return std::nullopt;
    return received_ + settings_.auto_defer_margin;
}

decision responder_state::begin(action a, clock::time_point now)
{
    if (stage_ == stage::gone)
        return refuse(fmt::format("{}: Discord no longer knows this interaction (10062: its first response came "
                                  "too late, or its token expired); nothing more can be sent for it",
                                  to_string(a)));
    if (now - received_ >= token_lifetime)
        return refuse(fmt::format("{}: the interaction's token has expired: Discord accepts responses, edits and "
                                  "followups for 15 minutes after an interaction arrives",
                                  to_string(a)));
    if (a == action::auto_defer) {
        if (stage_ != stage::fresh)
            return {};   // answered, or an answer is on its way
        switch (kind_) {
        case interaction_kind::ping: return send(callback_type::pong, true);
        case interaction_kind::component: return send(callback_type::deferred_update_message, true);
        case interaction_kind::autocomplete: return send(callback_type::autocomplete_result, true);   // no choices
        case interaction_kind::command:
        case interaction_kind::modal_submit: return send(callback_type::deferred_channel_message, true);
        }
    }
    switch (stage_) {
    case stage::in_flight: return {.what = decision::verb::wait};
    case stage::fresh: return initial(a, now);
    case stage::responded: return after_response(a);
    case stage::gone: break;
    }
    return refuse("unreachable");
}

decision responder_state::initial(action a, clock::time_point now)
{
    if (is_initial(a) && now - received_ >= first_response_deadline)
        return refuse(fmt::format("{}: too late for the first response: Discord allows 3 s after an interaction "
                                  "arrives and would answer 10062 (the auto-defer acknowledges at {} ms unless "
                                  "it was turned off)",
                                  to_string(a), settings_.auto_defer_margin.count()));
    switch (a) {
    case action::reply:
    case action::defer:
        if (kind_ == interaction_kind::autocomplete)
            return refuse(fmt::format("{}: an autocomplete is answered with autocomplete(choices) only; Discord has "
                                      "no message or deferred answer for it",
                                      to_string(a)));
        if (!takes_messages(kind_))
            return refuse(fmt::format("{}: {} is not answered with a message", to_string(a), kind_name(kind_)));
        return send(a == action::reply ? callback_type::channel_message : callback_type::deferred_channel_message,
                    false);
    case action::update:
    case action::defer_update:
        if (kind_ != interaction_kind::component)
            return refuse(fmt::format("{}: update() and defer_update() answer component interactions (a button, a "
                                      "select); this is {}",
                                      to_string(a), kind_name(kind_)));
        return send(a == action::update ? callback_type::update_message : callback_type::deferred_update_message,
                    false);
    case action::modal:
        if (kind_ == interaction_kind::command || kind_ == interaction_kind::component)
            return send(callback_type::modal, false);
        return refuse(fmt::format("modal: {} cannot be answered with a modal", kind_name(kind_)));
    case action::autocomplete:
        if (kind_ != interaction_kind::autocomplete)
            return refuse(fmt::format("autocomplete: {} is not an autocomplete", kind_name(kind_)));
        return send(callback_type::autocomplete_result, false);
    case action::edit_original:
    case action::delete_original:
    case action::get_original:
    case action::followup:
        return refuse(fmt::format("{}: nothing has been sent for this interaction yet; reply() or defer() first",
                                  to_string(a)));
    case action::auto_defer:
        break;
    }
    return refuse("unreachable");
}

decision responder_state::after_response(action a)
{
    using verb = decision::verb;
    if (!has_message())
        return refuse(fmt::format("{}: the interaction was answered with {}, which has no message to edit or "
                                  "follow up",
                                  to_string(a),
                                  response_ == callback_type::modal ? "a modal" : "autocomplete choices"));
    const bool thinking = response_ == callback_type::deferred_channel_message && !original_edited_;
    const bool on_component_message =
        response_ == callback_type::update_message || response_ == callback_type::deferred_update_message;
    const char* by = auto_deferred_ ? " (cord's auto-defer answered, as the handler had not)" : "";
    switch (a) {
    case action::reply:
        if (thinking) {
            original_edited_ = true;   // the reply fills the "thinking…" message
            return {.what = verb::edit_original};
        }
        if (response_ == callback_type::deferred_update_message)
            break;   // a silent acknowledgement: the reply is a new message, a followup
        return refuse("reply: already answered; Discord takes one initial response (40060): use edit_original() "
                      "or followup()");
    case action::defer:
        if (response_ == callback_type::deferred_channel_message || response_ == callback_type::deferred_update_message)
            return {};
        return refuse("defer: already answered; defer() must come before any response");
    case action::update:
        if (on_component_message)
            return {.what = verb::edit_original};
        return refuse("update: the interaction was answered with a message of its own, not by editing the "
                      "component's message; edit_original() edits that message");
    case action::defer_update:
        if (on_component_message)
            return {};
        return refuse("defer_update: already answered with a message");
    case action::modal:
        return refuse(fmt::format("modal: a modal can only be the first response, and this interaction was answered "
                                  "already{}; open the modal sooner than {} ms after the interaction arrives",
                                  by, settings_.auto_defer_margin.count()));
    case action::autocomplete:
        return refuse("autocomplete: already answered");
    case action::edit_original:
        original_edited_ = true;
        return {.what = verb::edit_original};
    case action::delete_original:
        return {.what = verb::delete_original};
    case action::get_original:
        return {.what = verb::get_original};
    case action::followup:
        if (thinking) {   // cord edits @original after a defer instead of relying on Discord's quirk
            original_edited_ = true;
            return {.what = verb::edit_original};
        }
        break;
    case action::auto_defer:
        return {};
    }
    // A followup (asked for, or a reply after a silent acknowledgement).
    if (settings_.user_install_only && followups_ >= user_install_followup_limit)
        return refuse(fmt::format("{}: Discord allows {} followups for an app installed to the user only (40094)",
                                  to_string(a), user_install_followup_limit));
    ++followups_;   // reserved now: followups in flight at once count too
    return {.what = verb::followup};
}

void responder_state::finish(const decision& d, bool ok, bool interaction_gone)
{
    if (interaction_gone) {
        stage_ = stage::gone;
        return;
    }
    switch (d.what) {
    case decision::verb::callback:
        if (stage_ == stage::in_flight) {
            stage_ = ok ? stage::responded : stage::fresh;
            auto_deferred_ = ok && pending_auto_defer_;
            pending_auto_defer_ = false;
        }
        break;
    case decision::verb::followup:
        if (!ok && followups_ > 0)
            --followups_;
        break;
    case decision::verb::edit_original:
        // A failed first edit after a defer leaves the "thinking…" message as it was.
        if (!ok && response_ == callback_type::deferred_channel_message)
            original_edited_ = false;
        break;
    default:
        break;
    }
}

} // namespace cord::detail::interactions
