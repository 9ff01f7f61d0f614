// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http, webhooks. The *_with_token functions and execute_webhook authenticate with the
// webhook's token in the path and send no Authorization header. Conventions as in
// <cord/http/channel.hpp>.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

#include <string_view>

namespace cord::http {

/// create-webhook: makes a webhook in a channel. `avatar` is the image's bytes (empty: no
/// avatar), sent as a data URI of `avatar_type` ("image/png" or "png"; empty: from the bytes).
/// Route: POST /channels/{channel_id}/webhooks  {name, avatar?}
awaitable<json> create_webhook(rest_client& client, id_arg channel_id, std::string_view name,
                               std::string_view avatar, std::string_view avatar_type,
                               std::string_view reason = {});

/// get-channel-webhooks: a channel's webhooks.
/// Route: GET /channels/{channel_id}/webhooks
awaitable<json> get_channel_webhooks(rest_client& client, id_arg channel_id);

/// get-guild-webhooks: every webhook of a guild.
/// Route: GET /guilds/{guild_id}/webhooks
awaitable<json> get_guild_webhooks(rest_client& client, id_arg guild_id);

/// get-webhook: a webhook by id.
/// Route: GET /webhooks/{webhook_id}
awaitable<json> get_webhook(rest_client& client, id_arg webhook_id);

/// get-webhook-with-token: a webhook by id and token (no user in the result).
/// Route: GET /webhooks/{webhook_id}/{webhook_token}
awaitable<json> get_webhook_with_token(rest_client& client, id_arg webhook_id,
                                       std::string_view webhook_token);

/// modify-webhook: renames, re-avatars or moves a webhook.
/// Route: PATCH /webhooks/{webhook_id}  {name?, avatar?, channel_id?}
awaitable<json> modify_webhook(rest_client& client, id_arg webhook_id, const modify_webhook_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> modify_webhook(rest_client&, id_arg, modify_webhook_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> modify_webhook(rest_client& client, id_arg webhook_id)
{
    const modify_webhook_options defaults;
    return modify_webhook(client, std::move(webhook_id), defaults);
}

/// modify-webhook-with-token: as modify_webhook, authenticated by the token; Discord takes
/// no channel_id and no audit-log reason here (cord throws cord::error if either is given).
/// Route: PATCH /webhooks/{webhook_id}/{webhook_token}  {name?, avatar?}
awaitable<json> modify_webhook_with_token(rest_client& client, id_arg webhook_id,
                                          std::string_view webhook_token,
                                          const modify_webhook_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> modify_webhook_with_token(rest_client&, id_arg, std::string_view, modify_webhook_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> modify_webhook_with_token(rest_client& client, id_arg webhook_id,
                                                 std::string_view webhook_token)
{
    const modify_webhook_options defaults;
    return modify_webhook_with_token(client, std::move(webhook_id), webhook_token, defaults);
}

/// delete-webhook: deletes a webhook.
/// Route: DELETE /webhooks/{webhook_id}
awaitable<json> delete_webhook(rest_client& client, id_arg webhook_id, std::string_view reason = {});

/// delete-webhook-with-token: deletes a webhook, authenticated by its token.
/// Route: DELETE /webhooks/{webhook_id}/{webhook_token}
awaitable<json> delete_webhook_with_token(rest_client& client, id_arg webhook_id,
                                          std::string_view webhook_token);

/// execute-webhook: posts a message through a webhook; `data` is Discord's Execute Webhook
/// object (content, embeds, username, avatar_url…). With options.wait the message comes back,
/// else null (204). With files it is sent as multipart/form-data. Stop using a webhook that
/// answered 404.
/// Route: POST /webhooks/{webhook_id}/{webhook_token}?wait=&thread_id=
awaitable<json> execute_webhook(rest_client& client, id_arg webhook_id, std::string_view webhook_token,
                                const json& data, const execute_webhook_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> execute_webhook(rest_client&, id_arg, std::string_view, const json&, execute_webhook_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> execute_webhook(rest_client& client, id_arg webhook_id, std::string_view webhook_token,
                                       const json& data)
{
    const execute_webhook_options defaults;
    return execute_webhook(client, std::move(webhook_id), webhook_token, data, defaults);
}

} // namespace cord::http
