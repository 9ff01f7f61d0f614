// cord::http, webhooks: the seed's functions that build their body or query from racket-cord's
// arguments (the others, the gateway routes among them, are generated into gen_seed.cpp), over
// the route table (lib/http/routes.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"

#include <cord/error.hpp>
#include <cord/http/webhook.hpp>

namespace cord::http {

using detail::call;

namespace {

json create_webhook_body(std::string_view name, std::string_view avatar, std::string_view avatar_type)
{
    detail::members m{{"name", name}};
    if (!avatar.empty())
        m.emplace_back("avatar", detail::data_uri(avatar, avatar_type));
    return json::object(m);
}

json modify_webhook_body(const modify_webhook_options& o)
{
    detail::members m;
    if (o.name)
        m.emplace_back("name", *o.name);
    if (o.avatar)
        m.emplace_back("avatar", detail::data_uri(*o.avatar, o.avatar_type));
    if (o.channel_id)
        m.emplace_back("channel_id", detail::id(*o.channel_id));
    return json::object(m);
}

const modify_webhook_options& without_channel_or_reason(const modify_webhook_options& o)
{
    if (o.channel_id || !o.reason.empty())
        throw error(errc::invalid_argument,
                    "cord::http modify-webhook-with-token: Discord takes no channel_id and no reason here");
    return o;
}

detail::query_list execute_query(const execute_webhook_options& o)
{
    detail::query_list q{{"wait", std::string{detail::boolean(o.wait)}}};
    detail::put_id(q, "thread_id", o.thread_id);
    return q;
}

} // namespace

awaitable<json> create_webhook(rest_client& client, id_arg channel_id, std::string_view name,
                               std::string_view avatar, std::string_view avatar_type, std::string_view reason)
{
    return call(client, routes::create_webhook, {channel_id.str()},
                {.body = create_webhook_body(name, avatar, avatar_type), .reason = reason});
}

awaitable<json> modify_webhook(rest_client& client, id_arg webhook_id, const modify_webhook_options& options)
{
    return call(client, routes::modify_webhook, {webhook_id.str()},
                {.body = modify_webhook_body(options), .reason = options.reason});
}

awaitable<json> modify_webhook_with_token(rest_client& client, id_arg webhook_id,
                                          std::string_view webhook_token,
                                          const modify_webhook_options& options)
{
    return call(client, routes::modify_webhook_with_token, {webhook_id.str(), webhook_token},
                {.body = modify_webhook_body(without_channel_or_reason(options))});
}

awaitable<json> execute_webhook(rest_client& client, id_arg webhook_id, std::string_view webhook_token,
                                const json& data, const execute_webhook_options& options)
{
    return call(client, routes::execute_webhook, {webhook_id.str(), webhook_token},
                {.query = execute_query(options), .body = data, .files = options.files});
}

} // namespace cord::http
