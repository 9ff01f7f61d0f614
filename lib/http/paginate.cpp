// cord::http pagination (<cord/http/paginate.hpp>): one loop for every list route paged with
// `before` / `after`; each helper only says where the items and their cursor are.
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"

#include <cord/error.hpp>
#include <cord/http/paginate.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace cord::http {

namespace {

/// How one list route pages.
struct page_plan {
    const rest::route* route = nullptr;
    std::vector<std::string> args;   ///< path arguments
    bool before = true;              ///< the cursor is `before` (newest first) or `after`
    int max_limit = 100;             ///< the route's largest `limit`
    std::string list_key;            ///< "": the answer is the array; else answer[list_key]
    std::vector<std::string> cursor_path;   ///< the item's cursor: {"id"}, {"user", "id"}…
    bool timestamp = false;          ///< the cursor is an ISO 8601 time, not an id
};

/// Orders two cursors: ids as numbers (by length, then digits), timestamps as text.
bool earlier(const std::string& a, const std::string& b, bool timestamp)
{
    if (!timestamp && a.size() != b.size())
        return a.size() < b.size();
    return a < b;
}

std::string cursor_of(const json& item, const std::vector<std::string>& path)
{
    json at = item;
    for (const auto& key : path) {
        auto next = at.find(key);
        if (!next)
            return {};
        at = *next;
    }
    return at.is_string() ? std::string{at.as_string()} : at.is_number() ? std::to_string(at.as_uint()) : "";
}

// A coroutine: `plan` and `start` are its own copies.
awaitable<json> read_pages(rest_client& client, page_plan plan, std::string cursor, std::size_t max_items,
                           int page_size)
{
    std::vector<json_fragment> items;
    // Every page moves the cursor or ends the loop; the count bounds it all the same.
    for (std::size_t pages = 0; items.size() < max_items && pages <= max_items; ++pages) {
        int want = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(page_size), max_items - items.size()));
        detail::query_list q{{"limit", std::to_string(want)}};
        if (!cursor.empty())
            q.emplace_back(plan.before ? "before" : "after", cursor);
        // Named, not a temporary inside co_await: g++ 12 would destroy it twice (GCC bug 99576).
        detail::extras x{.query = std::move(q)};
        auto page = detail::call(client, *plan.route, plan.args, std::move(x));
        json answer = co_await std::move(page);
        json list = plan.list_key.empty() ? answer : answer.find(plan.list_key).value_or(json::parse("[]"));
        if (!list.is_array())
            throw error(errc::invalid_response, "cord::http " + std::string{plan.route->name} +
                                                    ": a page that is not a list");
        std::string next = cursor;
        std::size_t got = 0;
        for (json item : list.items()) {
            ++got;
            if (items.size() < max_items)
                items.emplace_back(item);
            std::string c = cursor_of(item, plan.cursor_path);
            if (c.empty())
                continue;
            if (next == cursor || (plan.before ? earlier(c, next, plan.timestamp) : earlier(next, c, plan.timestamp)))
                next = c;
        }
        auto more = plan.list_key.empty() ? std::nullopt : answer.find("has_more");
        if (got < static_cast<std::size_t>(want) || (more && more->is_bool() && !more->as_bool()) || next == cursor)
            break;
        cursor = std::move(next);
    }
    co_return json::array(items);
}

/// Checks the options and starts the loop. Not a coroutine: arguments are copied before it returns.
awaitable<json> paginate(rest_client& client, page_plan plan, const page_options& o)
{
    if (o.page_size < 0 || o.page_size > plan.max_limit)
        throw error(errc::invalid_argument, "cord::http " + std::string{plan.route->name} + ": page_size " +
                                                std::to_string(o.page_size) + " is outside 1-" +
                                                std::to_string(plan.max_limit));
    std::string start = o.start.empty() || plan.timestamp ? std::string{o.start} : detail::id(o.start);
    int size = o.page_size == 0 ? plan.max_limit : o.page_size;
    return read_pages(client, std::move(plan), std::move(start), o.max_items, size);
}

std::vector<std::string> args_of(std::initializer_list<std::string_view> list)
{
    return {list.begin(), list.end()};
}

} // namespace

awaitable<json> all_channel_messages(rest_client& client, id_arg channel_id, const page_options& options)
{
    return paginate(client, {&routes::get_channel_messages, args_of({channel_id.str()}), true, 100, "", {"id"}},
                    options);
}

awaitable<json> all_guild_members(rest_client& client, id_arg guild_id, const page_options& options)
{
    return paginate(client,
                    {&routes::list_guild_members, args_of({guild_id.str()}), false, 1000, "", {"user", "id"}},
                    options);
}

awaitable<json> all_guild_bans(rest_client& client, id_arg guild_id, const page_options& options)
{
    return paginate(client, {&routes::get_guild_bans, args_of({guild_id.str()}), false, 1000, "", {"user", "id"}},
                    options);
}

awaitable<json> all_audit_log_entries(rest_client& client, id_arg guild_id, const page_options& options)
{
    return paginate(client,
                    {&routes::get_guild_audit_log, args_of({guild_id.str()}), true, 100, "audit_log_entries", {"id"}},
                    options);
}

awaitable<json> all_public_archived_threads(rest_client& client, id_arg channel_id, const page_options& options)
{
    return paginate(client,
                    {&routes::list_public_archived_threads, args_of({channel_id.str()}), true, 100, "threads",
                     {"thread_metadata", "archive_timestamp"}, true},
                    options);
}

awaitable<json> all_private_archived_threads(rest_client& client, id_arg channel_id, const page_options& options)
{
    return paginate(client,
                    {&routes::list_private_archived_threads, args_of({channel_id.str()}), true, 100, "threads",
                     {"thread_metadata", "archive_timestamp"}, true},
                    options);
}

awaitable<json> all_joined_private_archived_threads(rest_client& client, id_arg channel_id,
                                                    const page_options& options)
{
    return paginate(client,
                    {&routes::list_joined_private_archived_threads, args_of({channel_id.str()}), true, 100, "threads",
                     {"id"}},
                    options);
}

awaitable<json> all_entitlements(rest_client& client, id_arg application_id, const page_options& options)
{
    return paginate(client, {&routes::list_entitlements, args_of({application_id.str()}), false, 100, "", {"id"}},
                    options);
}

awaitable<json> all_reactions(rest_client& client, id_arg channel_id, id_arg message_id, std::string_view emoji,
                              const page_options& options)
{
    return paginate(client,
                    {&routes::get_reactions, args_of({channel_id.str(), message_id.str(), emoji}), false, 100, "",
                     {"id"}},
                    options);
}

awaitable<json> all_answer_voters(rest_client& client, id_arg channel_id, id_arg message_id, id_arg answer_id,
                                  const page_options& options)
{
    return paginate(client,
                    {&routes::get_answer_voters, args_of({channel_id.str(), message_id.str(), answer_id.str()}), false,
                     100, "users", {"id"}},
                    options);
}

awaitable<json> all_scheduled_event_users(rest_client& client, id_arg guild_id, id_arg guild_scheduled_event_id,
                                          const page_options& options)
{
    return paginate(client,
                    {&routes::get_guild_scheduled_event_users,
                     args_of({guild_id.str(), guild_scheduled_event_id.str()}), false, 100, "", {"user", "id"}},
                    options);
}

} // namespace cord::http
