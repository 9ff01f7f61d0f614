// cord::http, users: one line per function over the route table (lib/http/routes.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"

#include <cord/http/user.hpp>

namespace cord::http {

using detail::call;

namespace {

json current_user_body(const modify_current_user_options& o)
{
    detail::members m;
    if (o.username)
        m.emplace_back("username", *o.username);
    if (o.avatar)
        m.emplace_back("avatar", detail::data_uri(*o.avatar, o.avatar_type));
    return json::object(m);
}

detail::query_list guilds_query(const get_current_user_guilds_options& o)
{
    detail::query_list q;
    detail::put_id(q, "before", o.before);
    detail::put_id(q, "after", o.after);
    detail::put_int(q, "limit", o.limit);
    if (o.with_counts)
        q.emplace_back("with_counts", "true");
    return q;
}

} // namespace

awaitable<json> get_current_user(rest_client& client)
{
    return call(client, routes::get_current_user, {});
}

awaitable<json> get_user(rest_client& client, id_arg user_id)
{
    return call(client, routes::get_user, {user_id.str()});
}

awaitable<json> modify_current_user(rest_client& client, const modify_current_user_options& options)
{
    return call(client, routes::modify_current_user, {}, {.body = current_user_body(options)});
}

awaitable<json> get_current_user_guilds(rest_client& client, const get_current_user_guilds_options& options)
{
    return call(client, routes::get_current_user_guilds, {}, {.query = guilds_query(options)});
}

awaitable<json> leave_guild(rest_client& client, id_arg guild_id)
{
    return call(client, routes::leave_guild, {guild_id.str()});
}

awaitable<json> get_user_dms(rest_client& client)
{
    return call(client, routes::get_user_dms, {});
}

awaitable<json> create_dm(rest_client& client, id_arg recipient_id)
{
    return call(client, routes::create_dm, {},
                {.body = json::object({{"recipient_id", detail::id(recipient_id)}})});
}

awaitable<json> create_group_dm(rest_client& client, const json& data)
{
    return call(client, routes::create_group_dm, {}, {.body = data});
}

} // namespace cord::http
