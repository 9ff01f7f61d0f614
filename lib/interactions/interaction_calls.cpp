// cord: the interaction-token routes (see interaction_calls.hpp), through the generated
// cord::http functions, whose routes carry the interaction-token flag.
// SPDX-License-Identifier: BSL-1.0
#include "interactions/interaction_calls.hpp"

#include <cord/http/interaction.hpp>

namespace cord::detail::interactions {

awaitable<json> post_callback(rest_client& rest, snowflake id, std::string_view token, const json& body)
{
    return http::create_interaction_response(rest, id, token, body);
}

awaitable<json> get_original(rest_client& rest, snowflake app, std::string_view token)
{
    return http::get_original_interaction_response(rest, app, token);
}

awaitable<json> edit_original(rest_client& rest, snowflake app, std::string_view token, const json& message)
{
    return http::edit_original_interaction_response(rest, app, token, message);
}

awaitable<json> delete_original(rest_client& rest, snowflake app, std::string_view token)
{
    return http::delete_original_interaction_response(rest, app, token);
}

awaitable<json> post_followup(rest_client& rest, snowflake app, std::string_view token, const json& message)
{
    return http::create_followup_message(rest, app, token, message);
}

} // namespace cord::detail::interactions
