// cord::http, users: the seed's functions that build their body or query from racket-cord's
// arguments (the others are generated into gen_seed.cpp), over the route table (lib/http/routes.hpp).
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

awaitable<json> modify_current_user(rest_client& client, const modify_current_user_options& options)
{
    return call(client, routes::modify_current_user, {}, {.body = current_user_body(options)});
}

awaitable<json> get_current_user_guilds(rest_client& client, const get_current_user_guilds_options& options)
{
    return call(client, routes::get_current_user_guilds, {}, {.query = guilds_query(options)});
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

} // namespace cord::http
