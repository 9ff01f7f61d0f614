// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http, guilds: guilds, emoji, channels of a guild, members, bans, roles, prune,
// invites, integrations and the widget (racket-cord's "guild embed"). Conventions as in
// <cord/http/channel.hpp>.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

#include <string_view>
#include <vector>

namespace cord::http {

// --- emoji ---------------------------------------------------------------------------------

/// list-guild-emoji: every custom emoji of a guild.
/// Route: GET /guilds/{guild_id}/emojis
awaitable<json> list_guild_emoji(rest_client& client, id_arg guild_id);

/// get-guild-emoji: one custom emoji.
/// Route: GET /guilds/{guild_id}/emojis/{emoji_id}
awaitable<json> get_guild_emoji(rest_client& client, id_arg guild_id, id_arg emoji_id);

/// create-guild-emoji: uploads an emoji. `image` is the file's bytes (at most 256 KiB), sent
/// as a data URI of `image_type` ("image/png" or "png"; empty: found from the bytes); `roles`
/// limits who may use it (empty: everyone).
/// Route: POST /guilds/{guild_id}/emojis  {name, image, roles}
awaitable<json> create_guild_emoji(rest_client& client, id_arg guild_id, std::string_view name,
                                   std::string_view image, std::string_view image_type,
                                   const std::vector<id_arg>& roles, std::string_view reason = {});

/// modify-guild-emoji: renames an emoji and sets the roles allowed to use it.
/// Route: PATCH /guilds/{guild_id}/emojis/{emoji_id}  {name, roles}
awaitable<json> modify_guild_emoji(rest_client& client, id_arg guild_id, id_arg emoji_id,
                                   std::string_view name, const std::vector<id_arg>& roles,
                                   std::string_view reason = {});

/// delete-guild-emoji: deletes an emoji.
/// Route: DELETE /guilds/{guild_id}/emojis/{emoji_id}
awaitable<json> delete_guild_emoji(rest_client& client, id_arg guild_id, id_arg emoji_id,
                                   std::string_view reason = {});

// --- guilds --------------------------------------------------------------------------------

/// get-guild: a guild; `with_counts` adds approximate member and presence counts.
/// Route: GET /guilds/{guild_id}?with_counts=
awaitable<json> get_guild(rest_client& client, id_arg guild_id, bool with_counts = false);

/// modify-guild: changes a guild's settings; `data` is Discord's Modify Guild object.
/// Route: PATCH /guilds/{guild_id}
awaitable<json> modify_guild(rest_client& client, id_arg guild_id, const json& data,
                             std::string_view reason = {});

/// delete-guild: removed by Discord (July 2025, when apps lost the right to create and own
/// guilds), with no replacement. Throws cord::error (errc::not_supported) saying so, and sends
/// nothing; to leave a guild, call leave_guild.
/// Route: DELETE /guilds/{guild_id} (removed by Discord)
awaitable<json> delete_guild(rest_client& client, id_arg guild_id);

/// get-guild-channels: a guild's channels (threads excluded).
/// Route: GET /guilds/{guild_id}/channels
awaitable<json> get_guild_channels(rest_client& client, id_arg guild_id);

/// create-guild-channel: makes a channel; `data` is Discord's Create Guild Channel object
/// (only `name` is required).
/// Route: POST /guilds/{guild_id}/channels
awaitable<json> create_guild_channel(rest_client& client, id_arg guild_id, const json& data,
                                     std::string_view reason = {});

/// modify-guild-channel-permissions: despite its racket-cord name, this is Discord's Modify
/// Guild Channel Positions: `data` is an array of {id, position?, lock_permissions?, parent_id?}.
/// Route: PATCH /guilds/{guild_id}/channels
awaitable<json> modify_guild_channel_permissions(rest_client& client, id_arg guild_id, const json& data);

// --- members -------------------------------------------------------------------------------

/// get-guild-member: a member of a guild.
/// Route: GET /guilds/{guild_id}/members/{user_id}
awaitable<json> get_guild_member(rest_client& client, id_arg guild_id, id_arg user_id);

/// list-guild-members: a page of members ordered by user id; racket-cord's defaults (limit 1).
/// Needs the GUILD_MEMBERS privileged intent.
/// Route: GET /guilds/{guild_id}/members?limit=&after=
awaitable<json> list_guild_members(rest_client& client, id_arg guild_id, const list_members_options& options);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> list_guild_members(rest_client& client, id_arg guild_id)
{
    const list_members_options defaults;
    return list_guild_members(client, std::move(guild_id), defaults);
}

/// add-guild-member: adds a user with their OAuth2 token (guilds.join scope); `data` holds
/// access_token and optionally nick, roles, mute, deaf. Returns the member, or null (204)
/// when the user already was one.
/// Route: PUT /guilds/{guild_id}/members/{user_id}
awaitable<json> add_guild_member(rest_client& client, id_arg guild_id, id_arg user_id, const json& data);

/// modify-guild-member: changes nick, roles, mute, deaf, voice channel or timeout; `data` is
/// Discord's Modify Guild Member object.
/// Route: PATCH /guilds/{guild_id}/members/{user_id}
awaitable<json> modify_guild_member(rest_client& client, id_arg guild_id, id_arg user_id, const json& data,
                                    std::string_view reason = {});

/// modify-user-nick: sets the bot's own nickname in a guild. Note: Discord deprecated
/// `PATCH /guilds/{guild_id}/members/@me/nick`; cord calls Modify Current Member, which
/// returns the member (its `nick` is the new nickname) instead of the bare nick.
/// Route: PATCH /guilds/{guild_id}/members/@me  {nick}
awaitable<json> modify_user_nick(rest_client& client, id_arg guild_id, std::string_view nick,
                                 std::string_view reason = {});

/// add-guild-member-role (racket-cord: add-guild-member-rols, a typo): gives a member a role.
/// Route: PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}
awaitable<json> add_guild_member_role(rest_client& client, id_arg guild_id, id_arg user_id, id_arg role_id,
                                      std::string_view reason = {});

/// remove-guild-member-role: takes a role from a member.
/// Route: DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}
awaitable<json> remove_guild_member_role(rest_client& client, id_arg guild_id, id_arg user_id, id_arg role_id,
                                         std::string_view reason = {});

/// remove-guild-member: kicks a member (needs KICK_MEMBERS).
/// Route: DELETE /guilds/{guild_id}/members/{user_id}
awaitable<json> remove_guild_member(rest_client& client, id_arg guild_id, id_arg user_id,
                                    std::string_view reason = {});

// --- bans ----------------------------------------------------------------------------------

/// get-guild-bans: the guild's bans (needs BAN_MEMBERS).
/// Route: GET /guilds/{guild_id}/bans?limit=&before=&after=
awaitable<json> get_guild_bans(rest_client& client, id_arg guild_id, const get_bans_options& options);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> get_guild_bans(rest_client& client, id_arg guild_id)
{
    const get_bans_options defaults;
    return get_guild_bans(client, std::move(guild_id), defaults);
}

/// create-guild-ban: bans a user and deletes their messages of the last `days` days (0-7;
/// racket-cord's default 1). Note: sent as {delete_message_seconds: days * 86400}; the old
/// delete-message-days query parameter is gone from the API.
/// Route: PUT /guilds/{guild_id}/bans/{user_id}
awaitable<json> create_guild_ban(rest_client& client, id_arg guild_id, id_arg user_id, int days = 1,
                                 std::string_view reason = {});

/// remove-guild-ban: unbans a user.
/// Route: DELETE /guilds/{guild_id}/bans/{user_id}
awaitable<json> remove_guild_ban(rest_client& client, id_arg guild_id, id_arg user_id,
                                 std::string_view reason = {});

// --- roles ---------------------------------------------------------------------------------

/// get-guild-roles: every role of a guild.
/// Route: GET /guilds/{guild_id}/roles
awaitable<json> get_guild_roles(rest_client& client, id_arg guild_id);

/// create-guild-role: makes a role; `data` is Discord's Create Guild Role object (all optional).
/// Route: POST /guilds/{guild_id}/roles
awaitable<json> create_guild_role(rest_client& client, id_arg guild_id, const json& data,
                                  std::string_view reason = {});

/// modify-guild-role-positions: reorders roles; `data` is an array of {id, position}.
/// Returns every role.
/// Route: PATCH /guilds/{guild_id}/roles
awaitable<json> modify_guild_role_positions(rest_client& client, id_arg guild_id, const json& data,
                                            std::string_view reason = {});

/// modify-guild-role: changes a role; `data` is Discord's Modify Guild Role object.
/// Route: PATCH /guilds/{guild_id}/roles/{role_id}
awaitable<json> modify_guild_role(rest_client& client, id_arg guild_id, id_arg role_id, const json& data,
                                  std::string_view reason = {});

/// delete-guild-role: deletes a role.
/// Route: DELETE /guilds/{guild_id}/roles/{role_id}
awaitable<json> delete_guild_role(rest_client& client, id_arg guild_id, id_arg role_id,
                                  std::string_view reason = {});

// --- prune ---------------------------------------------------------------------------------

/// get-guild-prune-count: how many members a prune of `days` (1-30) days would remove:
/// {pruned}. `include_roles`: also count members with these roles.
/// Route: GET /guilds/{guild_id}/prune?days=&include_roles=
awaitable<json> get_guild_prune_count(rest_client& client, id_arg guild_id, int days,
                                      const std::vector<id_arg>& include_roles = {});

/// begin-guild-prune: kicks members inactive for `days` (1-30) days; returns {pruned}.
/// Note: sent as a JSON body (racket-cord sent a query parameter).
/// Route: POST /guilds/{guild_id}/prune  {days, compute_prune_count, include_roles}
awaitable<json> begin_guild_prune(rest_client& client, id_arg guild_id, int days,
                                  const prune_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> begin_guild_prune(rest_client&, id_arg, int, prune_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> begin_guild_prune(rest_client& client, id_arg guild_id, int days)
{
    const prune_options defaults;
    return begin_guild_prune(client, std::move(guild_id), days, defaults);
}

// --- invites and integrations --------------------------------------------------------------

/// get-guild-invites: every invite of a guild, with metadata.
/// Route: GET /guilds/{guild_id}/invites
awaitable<json> get_guild_invites(rest_client& client, id_arg guild_id);

/// get-guild-integrations: a guild's integrations (at most 50).
/// Route: GET /guilds/{guild_id}/integrations
awaitable<json> get_guild_integrations(rest_client& client, id_arg guild_id);

/// create-guild-integration: removed by Discord (April 2021; bots were refused before), with
/// no replacement. Throws cord::error (errc::not_supported) saying so, and sends nothing.
/// Route: POST /guilds/{guild_id}/integrations  {type, id} (removed by Discord)
awaitable<json> create_guild_integration(rest_client& client, id_arg guild_id, std::string_view type,
                                         id_arg id);

/// modify-guild-integration: removed by Discord (April 2021), with no replacement. Throws
/// cord::error (errc::not_supported) saying so, and sends nothing.
/// Route: PATCH /guilds/{guild_id}/integrations/{integration_id} (removed by Discord)
awaitable<json> modify_guild_integration(rest_client& client, id_arg guild_id, id_arg integration_id,
                                         const json& data);

/// delete-guild-integration: removes an integration, its webhooks and its bot.
/// Route: DELETE /guilds/{guild_id}/integrations/{integration_id}
awaitable<json> delete_guild_integration(rest_client& client, id_arg guild_id, id_arg integration_id,
                                         std::string_view reason = {});

/// sync-guild-integrations: removed by Discord (April 2021), with no replacement. Throws
/// cord::error (errc::not_supported) saying so, and sends nothing.
/// Route: POST /guilds/{guild_id}/integrations/{integration_id}/sync (removed by Discord)
awaitable<json> sync_guild_integrations(rest_client& client, id_arg guild_id, id_arg integration_id);

// --- widget (racket-cord: guild embed) ------------------------------------------------------

/// get-guild-embed: the guild's widget settings, {enabled, channel_id}. Note: the guild
/// embed (GET /guilds/{guild_id}/embed) was removed in API v8; cord calls its replacement,
/// Get Guild Widget Settings.
/// Route: GET /guilds/{guild_id}/widget
awaitable<json> get_guild_embed(rest_client& client, id_arg guild_id);

/// modify-guild-embed: changes the widget settings; `data` is {enabled?, channel_id?}.
/// Note: replaces PATCH /guilds/{guild_id}/embed (removed in API v8): Modify Guild Widget.
/// Route: PATCH /guilds/{guild_id}/widget
awaitable<json> modify_guild_embed(rest_client& client, id_arg guild_id, const json& data,
                                   std::string_view reason = {});

} // namespace cord::http
