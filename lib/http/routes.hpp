// cord: private. The route table: every REST endpoint cord::http calls, as data.
// SPDX-License-Identifier: BSL-1.0
//
// One row per racket-cord http: function (named as in the seed, typo included:
// "add-guild-member-rols") plus get-gateway and get-gateway-bot, with the route to call today
// (API v10) as listed in endpoints.tsv. test/http/routes_test.cpp checks every row against
// test/data/endpoints.tsv, so a drift fails the tests. The functions in lib/http/ refer to
// rows by name (routes::get_channel), looked up at compile time.
#pragma once

#include "rest/route.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace cord::http::routes {

/// The table's vocabulary, short so that a row reads like a line of endpoints.tsv.
namespace terms {
inline constexpr auto get = rest::http_method::get;
inline constexpr auto post = rest::http_method::post;
inline constexpr auto put = rest::http_method::put;
inline constexpr auto patch = rest::http_method::patch;
inline constexpr auto del = rest::http_method::del;
inline constexpr auto no_major = rest::major_param::none;
inline constexpr auto channel = rest::major_param::channel_id;
inline constexpr auto guild = rest::major_param::guild_id;
inline constexpr auto webhook = rest::major_param::webhook_id;
inline constexpr auto webhook_token = rest::major_param::webhook_id_token;
inline constexpr std::uint8_t no_body = rest::body_none;
inline constexpr std::uint8_t json_body = rest::body_json;
inline constexpr std::uint8_t query = rest::body_query;
inline constexpr std::uint8_t multipart = rest::body_multipart;
inline constexpr bool reason = true; ///< accepts X-Audit-Log-Reason
inline constexpr bool no_reason = false;
inline constexpr bool no_auth = false; ///< sent without Authorization
} // namespace terms

using namespace terms;

// clang-format off
/// name, method, path (holes as in endpoints.tsv), major parameter, body kind, audit-log
/// reason, [authorized].
inline constexpr rest::route table[] = {
    {"get-channel", get, "/channels/{channel_id}", channel, no_body, no_reason},
    {"modify-channel", patch, "/channels/{channel_id}", channel, json_body, reason},
    {"delete-channel", del, "/channels/{channel_id}", channel, no_body, reason},
    {"get-channel-messages", get, "/channels/{channel_id}/messages", channel, query, no_reason},
    {"get-channel-message", get, "/channels/{channel_id}/messages/{message_id}", channel, no_body, no_reason},
    {"create-message", post, "/channels/{channel_id}/messages", channel, multipart, no_reason},
    {"edit-message", patch, "/channels/{channel_id}/messages/{message_id}", channel, multipart, no_reason},
    {"delete-message", del, "/channels/{channel_id}/messages/{message_id}", channel, no_body, reason},
    {"create-reaction", put, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
     channel, no_body, no_reason},
    {"delete-own-reaction", del, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
     channel, no_body, no_reason},
    {"delete-user-reaction", del, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}",
     channel, no_body, no_reason},
    {"get-reactions", get, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}",
     channel, query, no_reason},
    {"delete-all-reactions", del, "/channels/{channel_id}/messages/{message_id}/reactions",
     channel, no_body, no_reason},
    {"bulk-delete-messages", post, "/channels/{channel_id}/messages/bulk-delete", channel, json_body, reason},
    {"edit-channel-permissions", put, "/channels/{channel_id}/permissions/{overwrite_id}",
     channel, json_body, reason},
    {"get-channel-invites", get, "/channels/{channel_id}/invites", channel, no_body, no_reason},
    {"create-channel-invite", post, "/channels/{channel_id}/invites", channel, json_body, reason},
    {"delete-channel-permission", del, "/channels/{channel_id}/permissions/{overwrite_id}",
     channel, no_body, reason},
    {"trigger-typing-indicator", post, "/channels/{channel_id}/typing", channel, no_body, no_reason},
    {"get-pinned-messages", get, "/channels/{channel_id}/messages/pins", channel, query, no_reason},
    {"add-pinned-channel-message", put, "/channels/{channel_id}/messages/pins/{message_id}",
     channel, no_body, reason},
    {"delete-pinned-channel-message", del, "/channels/{channel_id}/messages/pins/{message_id}",
     channel, no_body, reason},
    {"group-dm-add-recipient", put, "/channels/{channel_id}/recipients/{user_id}",
     channel, json_body, no_reason},
    {"group-dm-remove-recipient", del, "/channels/{channel_id}/recipients/{user_id}",
     channel, no_body, no_reason},
    {"list-guild-emoji", get, "/guilds/{guild_id}/emojis", guild, no_body, no_reason},
    {"get-guild-emoji", get, "/guilds/{guild_id}/emojis/{emoji_id}", guild, no_body, no_reason},
    {"create-guild-emoji", post, "/guilds/{guild_id}/emojis", guild, json_body, reason},
    {"modify-guild-emoji", patch, "/guilds/{guild_id}/emojis/{emoji_id}", guild, json_body, reason},
    {"delete-guild-emoji", del, "/guilds/{guild_id}/emojis/{emoji_id}", guild, no_body, reason},
    {"get-guild", get, "/guilds/{guild_id}", guild, query, no_reason},
    {"modify-guild", patch, "/guilds/{guild_id}", guild, json_body, reason},
    {"delete-guild", del, "/guilds/{guild_id}", guild, no_body, no_reason},
    {"get-guild-channels", get, "/guilds/{guild_id}/channels", guild, no_body, no_reason},
    {"create-guild-channel", post, "/guilds/{guild_id}/channels", guild, json_body, reason},
    {"modify-guild-channel-permissions", patch, "/guilds/{guild_id}/channels", guild, json_body, no_reason},
    {"get-guild-member", get, "/guilds/{guild_id}/members/{user_id}", guild, no_body, no_reason},
    {"list-guild-members", get, "/guilds/{guild_id}/members", guild, query, no_reason},
    {"add-guild-member", put, "/guilds/{guild_id}/members/{user_id}", guild, json_body, no_reason},
    {"modify-guild-member", patch, "/guilds/{guild_id}/members/{user_id}", guild, json_body, reason},
    {"modify-user-nick", patch, "/guilds/{guild_id}/members/@me", guild, json_body, reason},
    {"add-guild-member-rols", put, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
     guild, no_body, reason},
    {"remove-guild-member-role", del, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
     guild, no_body, reason},
    {"remove-guild-member", del, "/guilds/{guild_id}/members/{user_id}", guild, no_body, reason},
    {"get-guild-bans", get, "/guilds/{guild_id}/bans", guild, query, no_reason},
    {"create-guild-ban", put, "/guilds/{guild_id}/bans/{user_id}", guild, json_body, reason},
    {"remove-guild-ban", del, "/guilds/{guild_id}/bans/{user_id}", guild, no_body, reason},
    {"get-guild-roles", get, "/guilds/{guild_id}/roles", guild, no_body, no_reason},
    {"create-guild-role", post, "/guilds/{guild_id}/roles", guild, json_body, reason},
    {"modify-guild-role-positions", patch, "/guilds/{guild_id}/roles", guild, json_body, reason},
    {"modify-guild-role", patch, "/guilds/{guild_id}/roles/{role_id}", guild, json_body, reason},
    {"delete-guild-role", del, "/guilds/{guild_id}/roles/{role_id}", guild, no_body, reason},
    {"get-guild-prune-count", get, "/guilds/{guild_id}/prune", guild, query, no_reason},
    {"begin-guild-prune", post, "/guilds/{guild_id}/prune", guild, json_body, reason},
    {"get-guild-invites", get, "/guilds/{guild_id}/invites", guild, no_body, no_reason},
    {"get-guild-integrations", get, "/guilds/{guild_id}/integrations", guild, no_body, no_reason},
    {"create-guild-integration", post, "/guilds/{guild_id}/integrations", guild, json_body, no_reason},
    {"modify-guild-integration", patch, "/guilds/{guild_id}/integrations/{integration_id}",
     guild, json_body, no_reason},
    {"delete-guild-integration", del, "/guilds/{guild_id}/integrations/{integration_id}",
     guild, no_body, reason},
    {"sync-guild-integrations", post, "/guilds/{guild_id}/integrations/{integration_id}/sync",
     guild, no_body, no_reason},
    {"get-guild-embed", get, "/guilds/{guild_id}/widget", guild, no_body, no_reason},
    {"modify-guild-embed", patch, "/guilds/{guild_id}/widget", guild, json_body, reason},
    {"get-current-user", get, "/users/@me", no_major, no_body, no_reason},
    {"get-user", get, "/users/{user_id}", no_major, no_body, no_reason},
    {"modify-current-user", patch, "/users/@me", no_major, json_body, no_reason},
    {"get-current-user-guilds", get, "/users/@me/guilds", no_major, query, no_reason},
    {"leave-guild", del, "/users/@me/guilds/{guild_id}", no_major, no_body, no_reason},
    {"get-user-dms", get, "/users/@me/channels", no_major, no_body, no_reason},
    {"create-dm", post, "/users/@me/channels", no_major, json_body, no_reason},
    {"create-group-dm", post, "/users/@me/channels", no_major, json_body, no_reason},
    {"create-webhook", post, "/channels/{channel_id}/webhooks", channel, json_body, reason},
    {"get-channel-webhooks", get, "/channels/{channel_id}/webhooks", channel, no_body, no_reason},
    {"get-guild-webhooks", get, "/guilds/{guild_id}/webhooks", guild, no_body, no_reason},
    {"get-webhook", get, "/webhooks/{webhook_id}", webhook, no_body, no_reason},
    {"get-webhook-with-token", get, "/webhooks/{webhook_id}/{webhook_token}",
     webhook_token, no_body, no_reason, no_auth},
    {"modify-webhook", patch, "/webhooks/{webhook_id}", webhook, json_body, reason},
    {"modify-webhook-with-token", patch, "/webhooks/{webhook_id}/{webhook_token}",
     webhook_token, json_body, no_reason, no_auth},
    {"delete-webhook", del, "/webhooks/{webhook_id}", webhook, no_body, reason},
    {"delete-webhook-with-token", del, "/webhooks/{webhook_id}/{webhook_token}",
     webhook_token, no_body, no_reason, no_auth},
    {"execute-webhook", post, "/webhooks/{webhook_id}/{webhook_token}",
     webhook_token, multipart | query, no_reason, no_auth},
    {"get-gateway", get, "/gateway", no_major, no_body, no_reason, no_auth},
    {"get-gateway-bot", get, "/gateway/bot", no_major, no_body, no_reason},
};
// clang-format on

/// Every row, for tests and tools.
inline constexpr std::span<const rest::route> all{table};

/// The row named `name` (the seed's name), or nullptr.
constexpr const rest::route* find(std::string_view name) noexcept
{
    for (const rest::route& r : table)
        if (r.name == name)
            return &r;
    return nullptr;
}

/// The row named `name`; a misspelt name does not compile.
consteval const rest::route& by_name(std::string_view name)
{
    const rest::route* r = find(name);
    if (r == nullptr)
        throw "cord::http::routes: no route of that name";
    return *r;
}

inline constexpr const auto& get_channel = by_name("get-channel");
inline constexpr const auto& modify_channel = by_name("modify-channel");
inline constexpr const auto& delete_channel = by_name("delete-channel");
inline constexpr const auto& get_channel_messages = by_name("get-channel-messages");
inline constexpr const auto& get_channel_message = by_name("get-channel-message");
inline constexpr const auto& create_message = by_name("create-message");
inline constexpr const auto& edit_message = by_name("edit-message");
inline constexpr const auto& delete_message = by_name("delete-message");
inline constexpr const auto& create_reaction = by_name("create-reaction");
inline constexpr const auto& delete_own_reaction = by_name("delete-own-reaction");
inline constexpr const auto& delete_user_reaction = by_name("delete-user-reaction");
inline constexpr const auto& get_reactions = by_name("get-reactions");
inline constexpr const auto& delete_all_reactions = by_name("delete-all-reactions");
inline constexpr const auto& bulk_delete_messages = by_name("bulk-delete-messages");
inline constexpr const auto& edit_channel_permissions = by_name("edit-channel-permissions");
inline constexpr const auto& get_channel_invites = by_name("get-channel-invites");
inline constexpr const auto& create_channel_invite = by_name("create-channel-invite");
inline constexpr const auto& delete_channel_permission = by_name("delete-channel-permission");
inline constexpr const auto& trigger_typing_indicator = by_name("trigger-typing-indicator");
inline constexpr const auto& get_pinned_messages = by_name("get-pinned-messages");
inline constexpr const auto& add_pinned_channel_message = by_name("add-pinned-channel-message");
inline constexpr const auto& delete_pinned_channel_message = by_name("delete-pinned-channel-message");
inline constexpr const auto& group_dm_add_recipient = by_name("group-dm-add-recipient");
inline constexpr const auto& group_dm_remove_recipient = by_name("group-dm-remove-recipient");
inline constexpr const auto& list_guild_emoji = by_name("list-guild-emoji");
inline constexpr const auto& get_guild_emoji = by_name("get-guild-emoji");
inline constexpr const auto& create_guild_emoji = by_name("create-guild-emoji");
inline constexpr const auto& modify_guild_emoji = by_name("modify-guild-emoji");
inline constexpr const auto& delete_guild_emoji = by_name("delete-guild-emoji");
inline constexpr const auto& get_guild = by_name("get-guild");
inline constexpr const auto& modify_guild = by_name("modify-guild");
inline constexpr const auto& delete_guild = by_name("delete-guild");
inline constexpr const auto& get_guild_channels = by_name("get-guild-channels");
inline constexpr const auto& create_guild_channel = by_name("create-guild-channel");
inline constexpr const auto& modify_guild_channel_permissions = by_name("modify-guild-channel-permissions");
inline constexpr const auto& get_guild_member = by_name("get-guild-member");
inline constexpr const auto& list_guild_members = by_name("list-guild-members");
inline constexpr const auto& add_guild_member = by_name("add-guild-member");
inline constexpr const auto& modify_guild_member = by_name("modify-guild-member");
inline constexpr const auto& modify_user_nick = by_name("modify-user-nick");
inline constexpr const auto& add_guild_member_role = by_name("add-guild-member-rols");
inline constexpr const auto& remove_guild_member_role = by_name("remove-guild-member-role");
inline constexpr const auto& remove_guild_member = by_name("remove-guild-member");
inline constexpr const auto& get_guild_bans = by_name("get-guild-bans");
inline constexpr const auto& create_guild_ban = by_name("create-guild-ban");
inline constexpr const auto& remove_guild_ban = by_name("remove-guild-ban");
inline constexpr const auto& get_guild_roles = by_name("get-guild-roles");
inline constexpr const auto& create_guild_role = by_name("create-guild-role");
inline constexpr const auto& modify_guild_role_positions = by_name("modify-guild-role-positions");
inline constexpr const auto& modify_guild_role = by_name("modify-guild-role");
inline constexpr const auto& delete_guild_role = by_name("delete-guild-role");
inline constexpr const auto& get_guild_prune_count = by_name("get-guild-prune-count");
inline constexpr const auto& begin_guild_prune = by_name("begin-guild-prune");
inline constexpr const auto& get_guild_invites = by_name("get-guild-invites");
inline constexpr const auto& get_guild_integrations = by_name("get-guild-integrations");
inline constexpr const auto& create_guild_integration = by_name("create-guild-integration");
inline constexpr const auto& modify_guild_integration = by_name("modify-guild-integration");
inline constexpr const auto& delete_guild_integration = by_name("delete-guild-integration");
inline constexpr const auto& sync_guild_integrations = by_name("sync-guild-integrations");
inline constexpr const auto& get_guild_embed = by_name("get-guild-embed");
inline constexpr const auto& modify_guild_embed = by_name("modify-guild-embed");
inline constexpr const auto& get_current_user = by_name("get-current-user");
inline constexpr const auto& get_user = by_name("get-user");
inline constexpr const auto& modify_current_user = by_name("modify-current-user");
inline constexpr const auto& get_current_user_guilds = by_name("get-current-user-guilds");
inline constexpr const auto& leave_guild = by_name("leave-guild");
inline constexpr const auto& get_user_dms = by_name("get-user-dms");
inline constexpr const auto& create_dm = by_name("create-dm");
inline constexpr const auto& create_group_dm = by_name("create-group-dm");
inline constexpr const auto& create_webhook = by_name("create-webhook");
inline constexpr const auto& get_channel_webhooks = by_name("get-channel-webhooks");
inline constexpr const auto& get_guild_webhooks = by_name("get-guild-webhooks");
inline constexpr const auto& get_webhook = by_name("get-webhook");
inline constexpr const auto& get_webhook_with_token = by_name("get-webhook-with-token");
inline constexpr const auto& modify_webhook = by_name("modify-webhook");
inline constexpr const auto& modify_webhook_with_token = by_name("modify-webhook-with-token");
inline constexpr const auto& delete_webhook = by_name("delete-webhook");
inline constexpr const auto& delete_webhook_with_token = by_name("delete-webhook-with-token");
inline constexpr const auto& execute_webhook = by_name("execute-webhook");
inline constexpr const auto& get_gateway = by_name("get-gateway");
inline constexpr const auto& get_gateway_bot = by_name("get-gateway-bot");

} // namespace cord::http::routes
