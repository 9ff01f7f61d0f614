// cord::http, channels: the seed's functions that build their body or query from racket-cord's
// arguments (the others are generated into gen_seed.cpp), over the route table (lib/http/routes.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"

#include <cord/error.hpp>
#include <cord/http/channel.hpp>

namespace cord::http {

using detail::call;

namespace {

/// Pages of the paginated pin list joined, at most this many (Discord keeps at most 250 pins).
constexpr int max_pin_pages = 10;

detail::query_list messages_query(const get_messages_options& o)
{
    detail::query_list q;
    detail::put_id(q, "around", o.around);
    detail::put_id(q, "before", o.before);
    detail::put_id(q, "after", o.after);
    detail::put_int(q, "limit", o.limit);
    return q;
}

json create_message_body(std::string_view content, const create_message_options& o)
{
    detail::members m;
    if (!content.empty())
        m.emplace_back("content", content);
    if (!o.embeds.empty())
        m.emplace_back("embeds", o.embeds);
    if (o.tts)
        m.emplace_back("tts", true);
    if (o.reply_to)
        m.emplace_back("message_reference", json::object({{"message_id", detail::id(*o.reply_to)}}));
    if (o.allowed_mentions)
        m.emplace_back("allowed_mentions", *o.allowed_mentions);
    if (o.components)
        m.emplace_back("components", *o.components);
    if (!o.sticker_ids.empty())
        m.emplace_back("sticker_ids", detail::ids(o.sticker_ids));
    if (o.poll)
        m.emplace_back("poll", *o.poll);
    // With files, the REST core lists them in `attachments` (files[n], with descriptions).
    return json::object(m);
}

json edit_message_body(const edit_message_options& o)
{
    detail::members m;
    if (o.content)
        m.emplace_back("content", *o.content);
    if (o.embeds)
        m.emplace_back("embeds", *o.embeds);
    if (o.attachments || !o.files.empty()) {
        // The attachments to keep, then the new files as {id: n} for files[n].
        std::vector<json_fragment> listed;
        if (o.attachments)
            for (json a : o.attachments->items())
                listed.emplace_back(a);
        json added = json::parse(detail::attachment_list(o.files).text());
        for (json a : added.items())
            listed.emplace_back(a);
        m.emplace_back("attachments", listed);
    }
    if (o.allowed_mentions)
        m.emplace_back("allowed_mentions", *o.allowed_mentions);
    if (o.components)
        m.emplace_back("components", *o.components);
    return json::object(m);
}

detail::query_list reactions_query(const get_reactions_options& o)
{
    detail::query_list q;
    detail::put_int(q, "type", o.type);
    detail::put_id(q, "after", o.after);
    detail::put_int(q, "limit", o.limit);
    return q;
}

json permission_body(std::uint64_t allow, std::uint64_t deny, overwrite_type type)
{
    if (type.value() != overwrite_type::role && type.value() != overwrite_type::member)
        throw error(errc::invalid_argument,
                    "cord::http edit-channel-permissions: type must be \"role\" (0) or "
                    "\"member\" (1)");
    return json::object(
        {{"allow", std::to_string(allow)}, {"deny", std::to_string(deny)}, {"type", type.value()}});
}

json invite_body(const create_invite_options& o)
{
    return json::object(
        {{"max_age", o.max_age}, {"max_uses", o.max_uses}, {"temporary", o.temporary}, {"unique", o.unique}});
}

/// The paginated pin list (items[].message, has_more) joined into racket-cord's array.
awaitable<json> pinned_messages(rest_client& client, std::string channel_id)
{
    std::vector<json_fragment> messages;
    std::string before;
    for (int page = 0; page < max_pin_pages; ++page) {
        detail::query_list q{{"limit", "50"}};
        if (!before.empty())
            q.emplace_back("before", before);
        // Built before the co_await: g++ 12 cannot keep an initializer list across a suspension.
        auto page_call = call(client, routes::get_pinned_messages, {channel_id}, {.query = std::move(q)});
        json result = co_await std::move(page_call);
        json items = result["items"];
        for (json item : items.items())
            messages.emplace_back(item["message"]);
        if (items.empty() || !result.value_or("has_more", false))
            break;
        before = std::string{items[items.size() - 1]["pinned_at"].as_string()};
    }
    co_return json::array(messages);
}

} // namespace

awaitable<json> get_channel_messages(rest_client& client, id_arg channel_id,
                                     const get_messages_options& params)
{
    return call(client, routes::get_channel_messages, {channel_id.str()}, {.query = messages_query(params)});
}

awaitable<json> create_message(rest_client& client, id_arg channel_id, std::string_view content,
                               const create_message_options& options)
{
    return call(client, routes::create_message, {channel_id.str()},
                {.body = create_message_body(content, options), .files = options.files});
}

awaitable<json> edit_message(rest_client& client, id_arg channel_id, id_arg message_id,
                             const edit_message_options& options)
{
    return call(client, routes::edit_message, {channel_id.str(), message_id.str()},
                {.body = edit_message_body(options), .files = options.files});
}

awaitable<json> bulk_delete_messages(rest_client& client, id_arg channel_id, const std::vector<id_arg>& ids,
                                     std::string_view reason)
{
    return call(client, routes::bulk_delete_messages, {channel_id.str()},
                {.body = json::object({{"messages", detail::ids(ids)}}), .reason = reason});
}

awaitable<json> get_reactions(rest_client& client, id_arg channel_id, id_arg message_id,
                              std::string_view emoji, const get_reactions_options& params)
{
    return call(client, routes::get_reactions, {channel_id.str(), message_id.str(), emoji},
                {.query = reactions_query(params)});
}

awaitable<json> edit_channel_permissions(rest_client& client, id_arg channel_id, id_arg overwrite_id,
                                         std::uint64_t allow, std::uint64_t deny, overwrite_type type,
                                         std::string_view reason)
{
    return call(client, routes::edit_channel_permissions, {channel_id.str(), overwrite_id.str()},
                {.body = permission_body(allow, deny, type), .reason = reason});
}

awaitable<json> create_channel_invite(rest_client& client, id_arg channel_id,
                                      const create_invite_options& options)
{
    return call(client, routes::create_channel_invite, {channel_id.str()},
                {.body = invite_body(options), .reason = options.reason});
}

awaitable<json> get_pinned_messages(rest_client& client, id_arg channel_id)
{
    return pinned_messages(client, std::string{channel_id.str()});
}

awaitable<json> group_dm_add_recipient(rest_client& client, id_arg channel_id, id_arg user_id,
                                       std::string_view access_token, std::string_view nick)
{
    return call(client, routes::group_dm_add_recipient, {channel_id.str(), user_id.str()},
                {.body = json::object({{"access_token", access_token}, {"nick", nick}})});
}

} // namespace cord::http
