// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// What cord::testing::fake_discord offers for interactions: how a test plays a user (a slash
// command, a context menu, a button, a select, a modal, an autocomplete field) and what it reads
// back (every answer the bot gave, in order).
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cord::testing {

/// Who acts, and where, when a test plays a user; the defaults are a user called "user" in the
/// first guild's `#general`. Trivially destructible, so a temporary is safe anywhere, inside a
/// `co_await` on g++ 12 included (README's g++ 12 note).
struct interaction_actor {
    snowflake user{};      ///< 0: the user called "user" (made on first use); joins the guild if not in it
    snowflake guild{};     ///< 0: the channel's guild, else the first guild (ignored with `dm`)
    snowflake channel{};   ///< 0: the guild's `#general` (with `dm`: the user's DM channel with the bot)
    bool dm = false;       ///< in the bot's DM with the user: no guild, delivered on shard 0
    std::string_view locale = "en-US";   ///< the user's client language (`locale`), copied at the call
};

static_assert(std::is_trivially_destructible_v<interaction_actor>);

/// An interaction a user act created: what INTERACTION_CREATE carried.
struct fake_interaction {
    snowflake id{};       ///< the interaction's id
    std::string token{};  ///< its token (fresh and random), valid 15 minutes
    json payload{};       ///< the whole INTERACTION_CREATE `d`
};

/// What a bot did with an interaction, as the emulator saw it.
enum class answer_kind {
    callback,          ///< POST /interactions/{id}/{token}/callback
    edit_original,     ///< PATCH /webhooks/{app}/{token}/messages/\@original
    delete_original,   ///< DELETE /webhooks/{app}/{token}/messages/\@original
    followup,          ///< POST /webhooks/{app}/{token}
    edit_followup,     ///< PATCH /webhooks/{app}/{token}/messages/{message_id}
    delete_followup,   ///< DELETE /webhooks/{app}/{token}/messages/{message_id}
};

/// One answer of the bot to an interaction, accepted or refused.
struct interaction_answer {
    answer_kind kind = answer_kind::callback;   ///< which route
    int callback_type = 0;   ///< for a callback: `type` of the body (4 reply, 5 defer, 6, 7, 8, 9); else 0
    json body{};             ///< the request body as JSON (the payload_json part of a multipart body); null if none
    int status = 0;          ///< the HTTP status the emulator answered
    int error_code = 0;      ///< Discord's error code when refused (10062, 40060, 10015, 50027, 50035…); else 0
    snowflake message_id{};  ///< the message created, edited or deleted, when there is one
    bool ephemeral = false;  ///< the message it made or edited is ephemeral (flag 64)
    /// When it arrived, on the interaction clock (see fake_discord::advance_interaction_clock).
    std::chrono::steady_clock::time_point at{};
};

/// Writes on application commands the emulator received (every request that reached the
/// route, accepted or refused): a test asserts "the second start wrote nothing".
struct command_writes {
    std::uint64_t creates = 0;       ///< POST …/commands
    std::uint64_t overwrites = 0;    ///< PUT …/commands (bulk overwrite)
    std::uint64_t edits = 0;         ///< PATCH …/commands/{id}
    std::uint64_t deletes = 0;       ///< DELETE …/commands/{id}
    std::uint64_t permission_sets = 0;   ///< PUT …/commands/{id}/permissions
    /// Every write above.
    std::uint64_t total() const { return creates + overwrites + edits + deletes + permission_sets; }
};

} // namespace cord::testing
