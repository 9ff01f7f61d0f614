// cord::testing: private. Every REST operation cord::http calls as data, with an answer shaped
// from its response schema (schema_answers.cpp, written by tools/gen/fake_answers.py): what the
// emulator answers where no hand-written route knows better (routes_fallback.cpp).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cord::testing::detail {

/// What an operation's body must be.
enum class body_shape : std::uint8_t {
    none,   ///< no body
    object, ///< a JSON object (or none at all), holding `required`
    array,  ///< a JSON array
};

/// One operation of Discord's API description.
struct schema_answer {
    std::string_view method;
    std::string_view path;   ///< template as in operations.tsv: /guilds/{guild_id}/roles
    int status;              ///< the success status; 204 answers no body
    std::string_view answer; ///< JSON text, every required field set ("" for 204)
    body_shape body;
    std::string_view required; ///< the body's required fields, space-separated
    std::string_view own_id;   ///< the path parameter that is the answer's "id" ("" if none)
    bool auth;                 ///< needs Authorization (false: a token in the path)
};

/// Every operation, in the order of operations.tsv.
std::span<const schema_answer> schema_answers();

struct route;
/// The route answering `method` `path` (after the API base) from its operation's schema
/// (routes_fallback.cpp), or nullptr when no operation's template matches it with more literal
/// segments than `literals`: those of the hand-written route that matched (-1 for none), which
/// wins over any template no more literal than its own.
const route* schema_route(std::string_view method, std::string_view path, int literals);

} // namespace cord::testing::detail
