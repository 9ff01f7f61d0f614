// cord: cord::responder, a thin face on responder_core.
// SPDX-License-Identifier: BSL-1.0
#include <cord/interactions/responder.hpp>

#include "interactions/responder_core.hpp"

namespace cord {

using detail::interactions::action;

namespace {

constexpr int ephemeral_flag = 1 << 6;

json message_of(std::string_view content, visibility v)
{
    if (v == visibility::ephemeral)
        return json::object({{"content", content}, {"flags", ephemeral_flag}});
    return json::object({{"content", content}});
}

} // namespace

responder::responder(std::shared_ptr<detail::interactions::responder_core> core) : core_(std::move(core)) {}
responder::~responder() = default;

const cord::interaction& responder::source() const noexcept { return core_->in; }

// Every member below builds its JSON before it returns, so no view into a caller's temporary
// is read after the co_await began; the coroutines own what they use.
namespace {

using core_ptr = std::shared_ptr<detail::interactions::responder_core>;

awaitable<void> perform_void(core_ptr core, action a, json data)
{
    co_await core->perform(a, std::move(data));
}

awaitable<json> perform_json(core_ptr core, action a, json data)
{
    co_return co_await core->perform(a, std::move(data));
}

json content_of(std::string_view content) { return json::object({{"content", content}}); }

} // namespace

awaitable<void> responder::reply(std::string_view content, visibility v)
{
    return perform_void(core_, action::reply, message_of(content, v));
}

awaitable<void> responder::reply(const json& message) { return perform_void(core_, action::reply, message); }

awaitable<void> responder::defer(visibility v)
{
    return perform_void(core_, action::defer,
                        v == visibility::ephemeral ? json::object({{"flags", ephemeral_flag}}) : json{});
}

awaitable<void> responder::update(const json& message) { return perform_void(core_, action::update, message); }

awaitable<void> responder::update(std::string_view content)
{
    return perform_void(core_, action::update, content_of(content));
}

awaitable<void> responder::defer_update() { return perform_void(core_, action::defer_update, json{}); }

awaitable<void> responder::modal(const json& modal) { return perform_void(core_, action::modal, modal); }

awaitable<void> responder::autocomplete(const json& choices)
{
    return perform_void(core_, action::autocomplete, json::object({{"choices", choices}}));
}

awaitable<json> responder::edit_original(const json& message)
{
    return perform_json(core_, action::edit_original, message);
}

awaitable<json> responder::edit_original(std::string_view content)
{
    return perform_json(core_, action::edit_original, content_of(content));
}

awaitable<void> responder::delete_original() { return perform_void(core_, action::delete_original, json{}); }

awaitable<json> responder::get_original() { return perform_json(core_, action::get_original, json{}); }

awaitable<json> responder::followup(const json& message) { return perform_json(core_, action::followup, message); }

awaitable<json> responder::followup(std::string_view content, visibility v)
{
    return perform_json(core_, action::followup, message_of(content, v));
}

bool responder::responded() const { return core_->responded(); }
bool responder::auto_deferred() const { return core_->auto_deferred(); }
rest_client& responder::rest() const noexcept { return core_->rest; }

} // namespace cord
