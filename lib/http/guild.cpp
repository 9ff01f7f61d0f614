// cord::http, guilds: the seed's functions that build their body or query from racket-cord's
// arguments (the others are generated into gen_seed.cpp), over the route table (lib/http/routes.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"

#include <cord/http/guild.hpp>

namespace cord::http {

using detail::call;

namespace {

constexpr int seconds_per_day = 86400;

json emoji_body(std::string_view name, const std::vector<id_arg>& roles)
{
    return json::object({{"name", name}, {"roles", detail::ids(roles)}});
}

detail::query_list members_query(const list_members_options& o)
{
    detail::query_list q{{"limit", std::to_string(o.limit)}};
    detail::put_id(q, "after", o.after);
    return q;
}

detail::query_list bans_query(const get_bans_options& o)
{
    detail::query_list q;
    detail::put_int(q, "limit", o.limit);
    detail::put_id(q, "before", o.before);
    detail::put_id(q, "after", o.after);
    return q;
}

detail::query_list prune_count_query(int days, const std::vector<id_arg>& include_roles)
{
    detail::query_list q{{"days", std::to_string(days)}};
    if (!include_roles.empty()) {
        std::string roles;
        for (const id_arg& role : include_roles)
            roles += (roles.empty() ? "" : ",") + detail::id(role);
        q.emplace_back("include_roles", roles);
    }
    return q;
}

json prune_body(int days, const prune_options& o)
{
    detail::members m{{"days", days}, {"compute_prune_count", o.compute_prune_count}};
    if (!o.include_roles.empty())
        m.emplace_back("include_roles", detail::ids(o.include_roles));
    return json::object(m);
}

} // namespace

awaitable<json> create_guild_emoji(rest_client& client, id_arg guild_id, std::string_view name,
                                   std::string_view image, std::string_view image_type,
                                   const std::vector<id_arg>& roles, std::string_view reason)
{
    return call(
        client, routes::create_guild_emoji, {guild_id.str()},
        {.body = json::object(
             {{"name", name}, {"image", detail::data_uri(image, image_type)}, {"roles", detail::ids(roles)}}),
         .reason = reason});
}

awaitable<json> modify_guild_emoji(rest_client& client, id_arg guild_id, id_arg emoji_id,
                                   std::string_view name, const std::vector<id_arg>& roles,
                                   std::string_view reason)
{
    return call(client, routes::modify_guild_emoji, {guild_id.str(), emoji_id.str()},
                {.body = emoji_body(name, roles), .reason = reason});
}

awaitable<json> get_guild(rest_client& client, id_arg guild_id, bool with_counts)
{
    detail::query_list q;
    if (with_counts)
        q.emplace_back("with_counts", "true");
    return call(client, routes::get_guild, {guild_id.str()}, {.query = std::move(q)});
}

awaitable<json> delete_guild(rest_client& client, id_arg guild_id)
{
    return call(client, routes::delete_guild, {guild_id.str()});
}

awaitable<json> list_guild_members(rest_client& client, id_arg guild_id, const list_members_options& options)
{
    return call(client, routes::list_guild_members, {guild_id.str()}, {.query = members_query(options)});
}

awaitable<json> modify_user_nick(rest_client& client, id_arg guild_id, std::string_view nick,
                                 std::string_view reason)
{
    return call(client, routes::modify_user_nick, {guild_id.str()},
                {.body = json::object({{"nick", nick}}), .reason = reason});
}

awaitable<json> get_guild_bans(rest_client& client, id_arg guild_id, const get_bans_options& options)
{
    return call(client, routes::get_guild_bans, {guild_id.str()}, {.query = bans_query(options)});
}

awaitable<json> create_guild_ban(rest_client& client, id_arg guild_id, id_arg user_id, int days,
                                 std::string_view reason)
{
    return call(
        client, routes::create_guild_ban, {guild_id.str(), user_id.str()},
        {.body = json::object({{"delete_message_seconds", days * seconds_per_day}}), .reason = reason});
}

awaitable<json> get_guild_prune_count(rest_client& client, id_arg guild_id, int days,
                                      const std::vector<id_arg>& include_roles)
{
    return call(client, routes::get_guild_prune_count, {guild_id.str()},
                {.query = prune_count_query(days, include_roles)});
}

awaitable<json> begin_guild_prune(rest_client& client, id_arg guild_id, int days,
                                  const prune_options& options)
{
    return call(client, routes::begin_guild_prune, {guild_id.str()},
                {.body = prune_body(days, options), .reason = options.reason});
}

// Removed by Discord: the route row's notice is thrown (errc::not_supported) before anything is
// built or sent.
awaitable<json> create_guild_integration(rest_client& client, id_arg guild_id, std::string_view, id_arg)
{
    return call(client, routes::create_guild_integration, {guild_id.str()});
}

awaitable<json> modify_guild_integration(rest_client& client, id_arg guild_id, id_arg integration_id, const json&)
{
    return call(client, routes::modify_guild_integration, {guild_id.str(), integration_id.str()});
}

awaitable<json> sync_guild_integrations(rest_client& client, id_arg guild_id, id_arg integration_id)
{
    return call(client, routes::sync_guild_integrations, {guild_id.str(), integration_id.str()});
}

} // namespace cord::http
