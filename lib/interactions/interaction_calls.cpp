// cord: the interaction-token routes (see interaction_calls.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/interaction_calls.hpp"

#include "http/call.hpp"

namespace cord::detail::interactions {

namespace {

using namespace cord::http::routes::terms;

// clang-format off
constexpr rest::route callback{"create-interaction-response", post,
    "/interactions/{interaction_id}/{interaction_token}/callback", no_major, json_body, no_reason, no_auth};
constexpr rest::route original_get{"get-original-interaction-response", get,
    "/webhooks/{application_id}/{interaction_token}/messages/@original", webhook_token, no_body, no_reason, no_auth};
constexpr rest::route original_edit{"edit-original-interaction-response", patch,
    "/webhooks/{application_id}/{interaction_token}/messages/@original", webhook_token, json_body, no_reason, no_auth};
constexpr rest::route original_delete{"delete-original-interaction-response", del,
    "/webhooks/{application_id}/{interaction_token}/messages/@original", webhook_token, no_body, no_reason, no_auth};
constexpr rest::route followup{"create-followup-message", post,
    "/webhooks/{application_id}/{interaction_token}", webhook_token, json_body, no_reason, no_auth};
// clang-format on

} // namespace

awaitable<json> post_callback(rest_client& rest, snowflake id, std::string_view token, const json& body)
{
    return http::detail::call(rest, callback, {id.str(), token}, {.body = body});
}

awaitable<json> get_original(rest_client& rest, snowflake app, std::string_view token)
{
    return http::detail::call(rest, original_get, {app.str(), token});
}

awaitable<json> edit_original(rest_client& rest, snowflake app, std::string_view token, const json& message)
{
    return http::detail::call(rest, original_edit, {app.str(), token}, {.body = message});
}

awaitable<json> delete_original(rest_client& rest, snowflake app, std::string_view token)
{
    return http::detail::call(rest, original_delete, {app.str(), token});
}

awaitable<json> post_followup(rest_client& rest, snowflake app, std::string_view token, const json& message)
{
    return http::detail::call(rest, followup, {app.str(), token}, {.body = message});
}

} // namespace cord::detail::interactions
