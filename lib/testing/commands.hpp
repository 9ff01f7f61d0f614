// cord::testing: private. Application commands as Discord stores and validates them: the rules
// (names, descriptions, options, choices, nesting, limits) as pure functions, and the store the
// routes in routes_commands.cpp write to.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "bjson.hpp"
#include "rest_types.hpp"

#include <cord/testing/fake_interactions.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cord::testing::detail {

/// ApplicationCommandType.
enum command_type : int { chat_input = 1, user_command = 2, message_command = 3, primary_entry_point = 4 };

/// Per-scope limits (reference/interactions.md §4; USER and MESSAGE were raised from 5 to 15).
int command_limit(int type);

/// Discord's checks of one command body (create, bulk element, or an edited command whole):
/// field failures under `prefix` ("" or "3." for an element of a bulk overwrite).
void validate_command(const bj::object& cmd, bool global, std::string_view prefix, std::vector<field_failure>& out);

/// The command's type as sent (1 when absent or not a number).
int command_type_of(const bj::object& cmd);

/// Whether a name is valid for CHAT_INPUT commands and options: Discord's
/// ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lowercase where a lowercase form exists.
/// Outside ASCII, Latin-1, Greek and Cyrillic every letter is taken as caseless.
bool valid_chat_input_name(std::string_view name);

/// The stored command Discord returns for a request body.
bj::object make_command(const bj::object& body, std::uint64_t id, std::uint64_t application_id, std::uint64_t guild_id,
                        std::uint64_t version);

/// True when two stored commands differ in anything but id and version.
bool same_definition(const bj::object& a, const bj::object& b);

/// A command as a list GET returns it: without `*_localizations` unless asked for, with
/// `name_localized` / `description_localized` for `locale` when it has one.
bj::object render_command(const bj::object& cmd, bool with_localizations, std::string_view locale);

/// Every application command of the app, by scope (0: global, else a guild id).
struct command_book {
    std::map<std::uint64_t, std::map<std::uint64_t, bj::object>> scopes;
    /// guild → command id → permissions array (CommandPermissionResponse objects).
    std::map<std::uint64_t, std::map<std::uint64_t, bj::array>> permissions;
    command_writes writes;

    /// The command a user means by `name` and `type` in `guild` (a guild command first, then a
    /// global one); nullptr when none.
    const bj::object* find(std::uint64_t guild, std::string_view name, int type) const;
};

} // namespace cord::testing::detail
