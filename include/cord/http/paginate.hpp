// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http pagination: the list routes Discord pages with `before` / `after`, read page after
// page into one array. Each helper asks for full pages (the route's largest `limit`), moves its
// cursor past the last page, and stops at an empty or short page, when Discord says there is
// no more (`has_more`), when the cursor stops moving, or at `max_items`.
//
//     json all = co_await cord::http::all_channel_messages(bot, channel, {.max_items = 500});
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace cord::http {

/// How far a pagination helper reads.
struct page_options {
    /// The first page's cursor: an id (an ISO 8601 timestamp for all_public_archived_threads and
    /// all_private_archived_threads). Empty: from the newest item (routes paged with `before`) or
    /// the oldest (routes paged with `after`).
    std::string_view start{};
    std::size_t max_items = 1000; ///< at most this many items in all (the last page is cut to fit)
    int page_size = 0;            ///< items per request; 0: the route's largest `limit`
};
static_assert(std::is_trivially_destructible_v<page_options>);

/// A channel's messages, newest first, paged with `before` (get-channel-messages).
awaitable<json> all_channel_messages(rest_client& client, id_arg channel_id, const page_options& options = {});
/// A guild's members by user id, paged with `after` (list-guild-members; GUILD_MEMBERS intent).
awaitable<json> all_guild_members(rest_client& client, id_arg guild_id, const page_options& options = {});
/// A guild's bans by user id, paged with `after` (get-guild-bans).
awaitable<json> all_guild_bans(rest_client& client, id_arg guild_id, const page_options& options = {});
/// A guild's audit-log entries, newest first, paged with `before`: the `audit_log_entries` of
/// each page (Get Guild Audit Log).
awaitable<json> all_audit_log_entries(rest_client& client, id_arg guild_id, const page_options& options = {});
/// A channel's public archived threads, paged with `before` (an archive timestamp): the
/// `threads` of each page (List Public Archived Threads).
awaitable<json> all_public_archived_threads(rest_client& client, id_arg channel_id,
                                            const page_options& options = {});
/// A channel's private archived threads, as all_public_archived_threads.
awaitable<json> all_private_archived_threads(rest_client& client, id_arg channel_id,
                                             const page_options& options = {});
/// The private archived threads the bot has joined, paged with `before` (a thread id).
awaitable<json> all_joined_private_archived_threads(rest_client& client, id_arg channel_id,
                                                    const page_options& options = {});
/// An application's entitlements, paged with `after` (List Entitlements).
awaitable<json> all_entitlements(rest_client& client, id_arg application_id, const page_options& options = {});
/// The users who reacted with `emoji`, paged with `after` (get-reactions).
awaitable<json> all_reactions(rest_client& client, id_arg channel_id, id_arg message_id, std::string_view emoji,
                              const page_options& options = {});
/// The users who voted for a poll answer, paged with `after`: the `users` of each page (Get
/// Answer Voters).
awaitable<json> all_answer_voters(rest_client& client, id_arg channel_id, id_arg message_id, id_arg answer_id,
                                  const page_options& options = {});
/// The users interested in a scheduled event, paged with `after` (Get Guild Scheduled Event
/// Users).
awaitable<json> all_scheduled_event_users(rest_client& client, id_arg guild_id, id_arg guild_scheduled_event_id,
                                          const page_options& options = {});

} // namespace cord::http
