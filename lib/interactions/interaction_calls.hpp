// cord: private. The interaction-token routes the responder sends on: no Authorization (the
// token in the path is the credential), never held by the global rate limit.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/awaitable.hpp>
#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <string_view>

namespace cord {
class rest_client;
}

namespace cord::detail::interactions {

/// POST /interactions/{interaction_id}/{interaction_token}/callback with `{type, data?}`.
awaitable<json> post_callback(rest_client& rest, snowflake id, std::string_view token, const json& body);
/// GET /webhooks/{application_id}/{interaction_token}/messages/@original
awaitable<json> get_original(rest_client& rest, snowflake app, std::string_view token);
/// PATCH /webhooks/{application_id}/{interaction_token}/messages/@original
awaitable<json> edit_original(rest_client& rest, snowflake app, std::string_view token, const json& message);
/// DELETE /webhooks/{application_id}/{interaction_token}/messages/@original
awaitable<json> delete_original(rest_client& rest, snowflake app, std::string_view token);
/// POST /webhooks/{application_id}/{interaction_token}
awaitable<json> post_followup(rest_client& rest, snowflake app, std::string_view token, const json& message);

} // namespace cord::detail::interactions
