// cord: what a verified POST to the interactions endpoint is (see delivery.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/delivery.hpp"

#include <cord/event_name.hpp>

#include <fmt/format.h>

namespace cord::detail::interactions {

namespace {

std::optional<std::int64_t> int_member(const json& object, std::string_view key)
{
    auto v = object.find(key);
    if (!v || v->type() != json_type::integer)
        return std::nullopt;
    return v->as_int();
}

delivery refused(std::string why)
{
    return {.kind = delivery::what::refused, .why = std::move(why)};
}

std::optional<action> action_for(std::int64_t callback) noexcept
{
    switch (callback) {
    case 4: return action::reply;
    case 5: return action::defer;
    case 6: return action::defer_update;
    case 7: return action::update;
    case 8: return action::autocomplete;
    case 9: return action::modal;
    default: return std::nullopt;
    }
}

} // namespace

delivery classify(const json& body)
{
    if (!body.is_object())
        return refused(fmt::format("the body is a JSON {}, not an object", to_string(body.type())));
    auto type = int_member(body, "type");
    if (!type)
        return refused("no integer `type`");
    if (auto event = body.find("event")) {
        // A webhook event envelope: {version, application_id, type: 1, event: {type, timestamp, data}}.
        if (*type != 1)
            return refused(fmt::format("a webhook event envelope of type {} (1 is an event)", *type));
        if (!event->is_object() || !event->contains("type") || event->find("type")->type() != json_type::string)
            return refused("a webhook event without a string `event.type`");
        auto name = event->find("type")->as_string();
        if (name.empty())
            return refused("a webhook event with an empty `event.type`");
        return {.kind = delivery::what::webhook_event, .event_name = racket_event_name(name)};
    }
    switch (*type) {
    case 0: return {.kind = delivery::what::webhook_ping};
    case 1: return {.kind = delivery::what::interaction_ping};
    case 2: return {.kind = delivery::what::interaction, .interaction = interaction_kind::command};
    case 3: return {.kind = delivery::what::interaction, .interaction = interaction_kind::component};
    case 4: return {.kind = delivery::what::interaction, .interaction = interaction_kind::autocomplete};
    case 5: return {.kind = delivery::what::interaction, .interaction = interaction_kind::modal_submit};
    default: return refused(fmt::format("an interaction of type {}, which cord does not know", *type));
    }
}

std::string auto_defer_body(interaction_kind kind)
{
    auto now = clock::now();
    responder_state state{kind, now};
    auto d = state.begin(action::auto_defer, now);
    auto type = static_cast<int>(d.callback);
    if (d.callback == callback_type::autocomplete_result)
        return fmt::format(R"({{"type":{},"data":{{"choices":[]}}}})", type);
    return fmt::format(R"({{"type":{}}})", type);
}

std::optional<std::string> check_first_response(interaction_kind kind, const json& answer)
{
    if (!answer.is_object())
        return fmt::format("the first response must be a JSON object with a callback `type`; got a JSON {}",
                           to_string(answer.type()));
    auto type = int_member(answer, "type");
    if (!type)
        return std::string{"the first response has no integer callback `type` (4 reply, 5 defer, 6 defer "
                           "update, 7 update, 8 autocomplete, 9 modal)"};
    auto a = action_for(*type);
    if (!a)
        return fmt::format("callback type {} cannot be the first response to an interaction (4 reply, 5 defer, "
                           "6 defer update, 7 update, 8 autocomplete, 9 modal)",
                           *type);
    auto now = clock::now();
    responder_state state{kind, now};
    auto d = state.begin(*a, now);
    if (d.what == decision::verb::refuse)
        return std::move(d.why);
    return std::nullopt;
}

} // namespace cord::detail::interactions
