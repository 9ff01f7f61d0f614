// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http, users: the bot's own user, other users, the bot's guilds and DMs.
// Conventions as in <cord/http/channel.hpp>.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

namespace cord::http {

/// get-current-user: the bot's own user.
/// Route: GET /users/@me
awaitable<json> get_current_user(rest_client& client);

/// get-user: any user.
/// Route: GET /users/{user_id}
awaitable<json> get_user(rest_client& client, id_arg user_id);

/// modify-current-user: changes the bot's username or avatar; returns the user.
/// Route: PATCH /users/@me  {username?, avatar? (data URI)}
awaitable<json> modify_current_user(rest_client& client, const modify_current_user_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> modify_current_user(rest_client&, modify_current_user_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> modify_current_user(rest_client& client)
{
    const modify_current_user_options defaults;
    return modify_current_user(client, defaults);
}

/// get-current-user-guilds: the guilds the bot is in (partial guild objects).
/// Route: GET /users/@me/guilds?before=&after=&limit=&with_counts=
awaitable<json> get_current_user_guilds(rest_client& client, const get_current_user_guilds_options& options);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> get_current_user_guilds(rest_client& client)
{
    const get_current_user_guilds_options defaults;
    return get_current_user_guilds(client, defaults);
}

/// leave-guild: the bot leaves a guild.
/// Route: DELETE /users/@me/guilds/{guild_id}
awaitable<json> leave_guild(rest_client& client, id_arg guild_id);

/// get-user-dms: removed by Discord for bots (April 2021; it answered an empty array), with
/// no replacement: keep the DM channel ids from create_dm or MESSAGE_CREATE. Throws cord::error
/// (errc::not_supported) saying so, and sends nothing.
/// Route: GET /users/@me/channels (removed by Discord)
awaitable<json> get_user_dms(rest_client& client);

/// create-dm: opens (or finds) the DM channel with a user; returns the channel.
/// Route: POST /users/@me/channels  {recipient_id}
awaitable<json> create_dm(rest_client& client, id_arg recipient_id);

/// create-group-dm: opens a group DM; `data` is {access_tokens: [...], nicks: {user_id: nick}}
/// (OAuth2 tokens with the gdm.join scope).
/// Route: POST /users/@me/channels
awaitable<json> create_group_dm(rest_client& client, const json& data);

} // namespace cord::http
