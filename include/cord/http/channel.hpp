// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http, channels: channels, messages, reactions, permission overwrites, invites, pins
// and group DMs. Every function is racket-cord's http: function of the same name ('-' -> '_'),
// returns Discord's JSON (null for a 204), and throws cord::http::discord_error for a non-2xx
// answer, cord::error for a bad argument or a transport failure. A `reason` is sent as
// X-Audit-Log-Reason (not sent when empty). Routes are relative to the API base (v10).
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace cord::http {

// --- channels ----------------------------------------------------------------------------

/// get-channel: a channel (for a thread, with the bot's thread member).
/// Route: GET /channels/{channel_id}
awaitable<json> get_channel(rest_client& client, id_arg channel_id);

/// modify-channel: changes a channel's settings; `data` is Discord's Modify Channel object.
/// Route: PATCH /channels/{channel_id}
awaitable<json> modify_channel(rest_client& client, id_arg channel_id, const json& data,
                               std::string_view reason = {});

/// delete-channel: deletes a guild channel or closes a DM; returns the channel.
/// Route: DELETE /channels/{channel_id}
awaitable<json> delete_channel(rest_client& client, id_arg channel_id, std::string_view reason = {});

// --- messages ----------------------------------------------------------------------------

/// get-channel-messages: up to `limit` messages, newest first. racket-cord's `params` pairs
/// are the fields of get_messages_options.
/// Route: GET /channels/{channel_id}/messages?around|before|after=&limit=
awaitable<json> get_channel_messages(rest_client& client, id_arg channel_id,
                                     const get_messages_options& params);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> get_channel_messages(rest_client& client, id_arg channel_id)
{
    const get_messages_options defaults;
    return get_channel_messages(client, std::move(channel_id), defaults);
}

/// get-channel-message: one message.
/// Route: GET /channels/{channel_id}/messages/{message_id}
awaitable<json> get_channel_message(rest_client& client, id_arg channel_id, id_arg message_id);

/// create-message: posts a message; returns it. With files it is sent as multipart/form-data
/// (payload_json + files[n]). Note: API v10 takes `embeds` (an array); the seed's single
/// `#:embed` goes into options.embeds. racket-cord's reference omits channel-id by mistake.
/// Route: POST /channels/{channel_id}/messages
awaitable<json> create_message(rest_client& client, id_arg channel_id, std::string_view content,
                               const create_message_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> create_message(rest_client&, id_arg, std::string_view, create_message_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> create_message(rest_client& client, id_arg channel_id, std::string_view content = {})
{
    const create_message_options defaults;
    return create_message(client, std::move(channel_id), content, defaults);
}

/// edit-message: changes a message's content, embeds, attachments or components; returns it.
/// Sent as a JSON body (multipart when files are added).
/// Route: PATCH /channels/{channel_id}/messages/{message_id}
awaitable<json> edit_message(rest_client& client, id_arg channel_id, id_arg message_id,
                             const edit_message_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
/// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
template <class Refused = void>
awaitable<json> edit_message(rest_client&, id_arg, id_arg, edit_message_options&&)
{
    static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
    return {};
}
#endif
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> edit_message(rest_client& client, id_arg channel_id, id_arg message_id)
{
    const edit_message_options defaults;
    return edit_message(client, std::move(channel_id), std::move(message_id), defaults);
}

/// delete-message: deletes a message (another user's needs MANAGE_MESSAGES).
/// Route: DELETE /channels/{channel_id}/messages/{message_id}
awaitable<json> delete_message(rest_client& client, id_arg channel_id, id_arg message_id,
                               std::string_view reason = {});

/// bulk-delete-messages: deletes 2-100 messages at once, none older than two weeks.
/// Route: POST /channels/{channel_id}/messages/bulk-delete  {messages: [...]}
awaitable<json> bulk_delete_messages(rest_client& client, id_arg channel_id, const std::vector<id_arg>& ids,
                                     std::string_view reason = {});

// --- reactions ---------------------------------------------------------------------------
// `emoji` is a unicode emoji ("👍") or a custom emoji as name:id ("blob:123"); cord
// percent-encodes it.

/// create-reaction: reacts to a message as the bot.
/// Route: PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me
awaitable<json> create_reaction(rest_client& client, id_arg channel_id, id_arg message_id,
                                std::string_view emoji);

/// delete-own-reaction: removes the bot's reaction.
/// Route: DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me
awaitable<json> delete_own_reaction(rest_client& client, id_arg channel_id, id_arg message_id,
                                    std::string_view emoji);

/// delete-user-reaction: removes another user's reaction (needs MANAGE_MESSAGES).
/// Route: DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}
awaitable<json> delete_user_reaction(rest_client& client, id_arg channel_id, id_arg message_id,
                                     std::string_view emoji, id_arg user_id);

/// get-reactions: the users who reacted with `emoji`. racket-cord's `params` pairs are the
/// fields of get_reactions_options.
/// Route: GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji}?type=&after=&limit=
awaitable<json> get_reactions(rest_client& client, id_arg channel_id, id_arg message_id,
                              std::string_view emoji, const get_reactions_options& params);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> get_reactions(rest_client& client, id_arg channel_id, id_arg message_id,
                                     std::string_view emoji)
{
    const get_reactions_options defaults;
    return get_reactions(client, std::move(channel_id), std::move(message_id), emoji, defaults);
}

/// delete-all-reactions: removes every reaction of a message (needs MANAGE_MESSAGES).
/// Route: DELETE /channels/{channel_id}/messages/{message_id}/reactions
awaitable<json> delete_all_reactions(rest_client& client, id_arg channel_id, id_arg message_id);

// --- permissions and invites -----------------------------------------------------------

/// edit-channel-permissions: sets a role's or member's overwrite. `allow` and `deny` are
/// permission bits (sent as decimal strings); `type` is "role"/"member" (racket-cord) or 0/1.
/// Route: PUT /channels/{channel_id}/permissions/{overwrite_id}  {allow, deny, type}
awaitable<json> edit_channel_permissions(rest_client& client, id_arg channel_id, id_arg overwrite_id,
                                         std::uint64_t allow, std::uint64_t deny, overwrite_type type,
                                         std::string_view reason = {});

/// delete-channel-permission: removes a role's or member's overwrite.
/// Route: DELETE /channels/{channel_id}/permissions/{overwrite_id}
awaitable<json> delete_channel_permission(rest_client& client, id_arg channel_id, id_arg overwrite_id,
                                          std::string_view reason = {});

/// get-channel-invites: a guild channel's invites, with their metadata.
/// Route: GET /channels/{channel_id}/invites
awaitable<json> get_channel_invites(rest_client& client, id_arg channel_id);

/// create-channel-invite: makes an invite; racket-cord's age/uses/temporary/unique with its
/// defaults (86400 s, unlimited, no, no).
/// Route: POST /channels/{channel_id}/invites  {max_age, max_uses, temporary, unique}
awaitable<json> create_channel_invite(rest_client& client, id_arg channel_id,
                                      const create_invite_options& options);
/// The same with default options. (A separate overload rather than a default argument: g++ 12
/// miscompiles aggregate temporaries created inside a co_await expression.)
inline awaitable<json> create_channel_invite(rest_client& client, id_arg channel_id)
{
    const create_invite_options defaults;
    return create_channel_invite(client, std::move(channel_id), defaults);
}

/// trigger-typing-indicator: shows "typing…" for about 10 seconds.
/// Route: POST /channels/{channel_id}/typing
awaitable<json> trigger_typing_indicator(rest_client& client, id_arg channel_id);

// --- pins ----------------------------------------------------------------------------------

/// get-pinned-messages: every pinned message, newest pin first, as an array of messages
/// (racket-cord's result). Note: Discord deprecated GET /channels/{channel_id}/pins; cord
/// calls its paginated replacement and joins the pages (at most 10 pages of 50).
/// Route: GET /channels/{channel_id}/messages/pins?limit=50&before=
awaitable<json> get_pinned_messages(rest_client& client, id_arg channel_id);

/// add-pinned-channel-message: pins a message. Note: replaces the deprecated
/// PUT /channels/{channel_id}/pins/{message_id} (Discord's Pin Message).
/// Route: PUT /channels/{channel_id}/messages/pins/{message_id}
awaitable<json> add_pinned_channel_message(rest_client& client, id_arg channel_id, id_arg message_id,
                                           std::string_view reason = {});

/// delete-pinned-channel-message: unpins a message. Note: replaces the deprecated
/// DELETE /channels/{channel_id}/pins/{message_id} (Discord's Unpin Message).
/// Route: DELETE /channels/{channel_id}/messages/pins/{message_id}
awaitable<json> delete_pinned_channel_message(rest_client& client, id_arg channel_id, id_arg message_id,
                                              std::string_view reason = {});

// --- group DMs -----------------------------------------------------------------------------

/// group-dm-add-recipient: adds a user to a group DM. Needs the user's OAuth2 access token
/// with the gdm.join scope: not usable with a bot token alone.
/// Route: PUT /channels/{channel_id}/recipients/{user_id}  {access_token, nick}
awaitable<json> group_dm_add_recipient(rest_client& client, id_arg channel_id, id_arg user_id,
                                       std::string_view access_token, std::string_view nick);

/// group-dm-remove-recipient: removes a user from a group DM (an OAuth2 feature).
/// Route: DELETE /channels/{channel_id}/recipients/{user_id}
awaitable<json> group_dm_remove_recipient(rest_client& client, id_arg channel_id, id_arg user_id);

} // namespace cord::http
