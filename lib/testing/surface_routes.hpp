// cord::testing: private. The emulator's routes beyond the seed's (threads, moderation,
// scheduled events…), each area in a routes_*.cpp of its own, and the hooks the seed's routes
// call into them. Their state lives in discord_state::surface, one object per resource.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "core.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cord::testing::detail {

void add_thread_routes(std::vector<route>& out);
void add_moderation_routes(std::vector<route>& out);
void add_scheduled_event_routes(std::vector<route>& out);

// --- polls, stickers, application emojis (routes_polls.cpp, routes_stickers.cpp,
// routes_app_emojis.cpp) ---
void add_poll_routes(std::vector<route>& out);
void add_sticker_routes(std::vector<route>& out);
void add_app_emoji_routes(std::vector<route>& out);
/// The `poll` of a Create Message body, checked as Discord does (50035 on "poll.…" paths), as
/// the message's poll object: answer ids from 1, expiry from `duration`, empty results.
bj::object new_poll(const bj::value& request);
/// `user` votes for (`add`) or takes back `answers` of the poll of `message`: one
/// MESSAGE_POLL_VOTE_ADD / _REMOVE per answer that changes, results updated. Throws
/// rest_failure (unknown ids, an ended poll, two answers of a single-answer poll). Caller holds mu.
void cast_poll_votes(server_core& core, std::uint64_t channel, std::uint64_t message, std::uint64_t user,
                     const std::vector<int>& answers, bool add);

/// PATCH /channels/{id} on a thread: archived, locked, invitable, auto_archive_duration,
/// applied_tags; dispatches THREAD_UPDATE. Does nothing for other channels.
void update_thread(route_ctx& c, channel_rec& ch, const bj::object& body);

/// A message about to be posted in `ch` by `author`: throws Discord's 200000 when an enabled
/// keyword rule of the guild's auto moderation blocks it, after dispatching
/// AUTO_MODERATION_ACTION_EXECUTION (at once: a refused request's events are dropped).
void check_automod(route_ctx& c, const channel_rec& ch, std::uint64_t author, std::string_view content);

// --- stage instances, templates, scheduled-event interest, the thread clock -------------------
void add_stage_routes(std::vector<route>& out);
void add_template_routes(std::vector<route>& out);
/// The stage channel `channel` is deleted: its stage instance ends (STAGE_INSTANCE_DELETE).
void end_stage_of(route_ctx& c, std::uint64_t channel);

/// check_automod for a message of the test API (no request): the same rules, the same events.
void check_automod(server_core& core, const channel_rec& ch, std::uint64_t author, std::string_view content);

/// The scheduled event `event` of `guild`; Discord's 404 (10004, 10070) when unknown.
bj::object& scheduled_event(discord_state& st, std::uint64_t guild, std::uint64_t event);
/// A member of `guild` marks (or withdraws) interest in one of its scheduled events; dispatches
/// GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE when that changes anything.
void mark_interested(server_core& core, std::uint64_t guild, std::uint64_t event, std::uint64_t user,
                     bool interested);

/// A thread channel (types 10, 11, 12).
bool is_thread(const bj::object& channel);
/// Now on the thread clock (real time moved by advance_thread_clock), as Discord writes it.
std::string thread_now_iso8601(const discord_state& st);
/// Activity in a thread (created, unarchived, a message): restarts its auto-archive countdown.
void note_thread_activity(discord_state& st, std::uint64_t thread);
/// A message about to be posted in `ch`: in a thread it is activity, and it unarchives an
/// archived thread that is not locked (THREAD_UPDATE into `events`); a locked one refuses (50083).
void wake_thread(discord_state& st, channel_rec& ch, std::vector<pending_event>& events);
/// Moves the thread clock forward and archives every thread idle for its auto_archive_duration
/// (THREAD_UPDATE each). Caller holds the core's mutex.
void advance_thread_clock(server_core& core, std::chrono::minutes by);

/// The object under `key` of `parent` (created empty when missing).
inline bj::object& slot(bj::object& parent, std::string_view key)
{
    auto& v = parent[key];
    if (!v.is_object())
        v = bj::object{};
    return v.as_object();
}

/// The item `id` of a collection (an object keyed by id); Discord's 404 `code` when unknown.
inline bj::object& item_or_404(bj::object& collection, std::uint64_t id, int code, std::string message)
{
    auto it = collection.find(std::to_string(id));
    if (it == collection.end())
        throw unknown(code, std::move(message));
    return it->value().as_object();
}

} // namespace cord::testing::detail
