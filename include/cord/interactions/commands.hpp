// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Declaring a bot's application commands in code, and syncing them with Discord: at start,
// sync_commands() reads what Discord has and writes (one bulk overwrite) only when the
// declared set differs, so a bot that restarts a hundred times a day writes nothing and never
// meets Discord's 200-creates-a-day limit.
//
//     std::vector<cord::command_spec> commands{
//         cord::command_spec::slash("ping", "Replies with pong"),
//         cord::command_spec::slash("echo", "Says it back")
//             .option(cord::command_option{cord::option_type::string, "text", "What to say"}.required()),
//         cord::command_spec::user("Show avatar"),
//     };
//     cord::sync_report r = co_await cord::sync_commands(bot, commands, sync);
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/interactions/interaction.hpp>
#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cord {

class rest_client;

/// An option of a slash command (or a subcommand, or a group of subcommands), built by
/// chained calls. Discord's limits are checked by Discord (cord::sync_commands reports its
/// 50035 field errors).
class command_option {
public:
    /// An option of `type` called `name` (lower case, 1–32 characters), with its description.
    command_option(option_type type, std::string_view name, std::string_view description);
    command_option& required(bool yes = true);   ///< the user must give it
    /// A fixed choice (string options).
    command_option& choice(std::string_view name, std::string_view value);
    /// A fixed choice (integer options).
    command_option& choice(std::string_view name, std::int64_t value);
    /// A fixed choice (integer options), from any integer type.
    template <std::integral T>
        requires(!std::same_as<T, bool> && !std::same_as<T, std::int64_t>)
    command_option& choice(std::string_view name, T value)
    {
        return choice(name, static_cast<std::int64_t>(value));
    }
    /// A fixed choice (number options).
    command_option& choice(std::string_view name, double value);
    command_option& min_value(double v);      ///< integer and number options
    command_option& max_value(double v);      ///< integer and number options
    command_option& min_length(int n);        ///< string options (0–6000)
    command_option& max_length(int n);        ///< string options (1–6000)
    /// Channel options: the channel types offered.
    command_option& channel_types(const std::vector<int>& types);
    command_option& autocomplete(bool yes = true);   ///< suggestions come from an autocomplete handler
    /// The name in another language ("de", "fr", "es-ES"…).
    command_option& name_localization(std::string_view locale, std::string_view name);
    /// The description in another language.
    command_option& description_localization(std::string_view locale, std::string_view description);
    /// A member of a subcommand or a group.
    command_option& option(command_option member);

    /// Discord's option object.
    json to_json() const;

private:
    friend class command_spec;
    void set(std::string_view key, json_fragment value);
    command_option& add_choice(std::string_view name, json_fragment value);
    std::vector<std::pair<std::string, json_fragment>> fields_;
    std::vector<std::pair<std::string, json_fragment>> name_localizations_, description_localizations_;
    std::vector<json_fragment> choices_;
    std::vector<command_option> options_;
};

/// One application command as the bot declares it.
class command_spec {
public:
    /// A slash command.
    static command_spec slash(std::string_view name, std::string_view description);
    /// A context-menu command on users (any case, spaces allowed).
    static command_spec user(std::string_view name);
    /// A context-menu command on messages.
    static command_spec message(std::string_view name);

    command_spec& option(command_option o);   ///< an option, a subcommand or a group
    /// Who may use it by default: a permission bit set (0: administrators only).
    command_spec& default_member_permissions(std::uint64_t bits);
    /// Where it can be used: 0 GUILD, 1 BOT_DM, 2 PRIVATE_CHANNEL (global commands only).
    command_spec& contexts(const std::vector<int>& where);
    /// How it is installed: 0 GUILD_INSTALL, 1 USER_INSTALL (global commands only).
    command_spec& integration_types(const std::vector<int>& how);
    command_spec& nsfw(bool yes = true);   ///< age-restricted
    /// The name in another language.
    command_spec& name_localization(std::string_view locale, std::string_view name);
    /// The description in another language.
    command_spec& description_localization(std::string_view locale, std::string_view description);

    std::string_view name() const noexcept { return name_; }   ///< its name
    command_type type() const noexcept { return type_; }       ///< slash, user or message
    /// Discord's command object (for create, edit and bulk overwrite).
    json to_json() const;

private:
    command_spec(command_type type, std::string_view name, std::string_view description);
    command_type type_;
    std::string name_;
    command_option body_;   // description, options, localizations: an option's fields
    std::vector<std::pair<std::string, json_fragment>> extra_;
};

/// Where sync_commands writes, and whether it may.
struct sync_options {
    /// The application (default: read from Discord, GET /applications/\@me).
    std::optional<snowflake> application_id{};
    /// A guild's commands (they update at once; good for testing) instead of the global ones.
    std::optional<snowflake> guild_id{};
    /// Report the difference only; write nothing.
    bool dry_run = false;
};
static_assert(std::is_trivially_destructible_v<sync_options>, "safe as a temporary inside co_await on g++ 12");

/// What sync_commands found, by command name.
struct sync_report {
    std::vector<std::string> added;     ///< declared, not on Discord
    std::vector<std::string> removed;   ///< on Discord, not declared (the overwrite deletes them)
    std::vector<std::string> changed;   ///< on both, different
    bool written = false;               ///< a bulk overwrite was sent
    /// Nothing to write: Discord has exactly the declared commands.
    bool in_sync() const noexcept { return added.empty() && removed.empty() && changed.empty(); }
};

/// Compares `commands` with what Discord has (one GET) and, when they differ and not
/// `dry_run`, replaces Discord's set with them (one bulk overwrite). Fields Discord fills in
/// (ids, versions, defaults such as `required: false`) do not count as differences.
/// Route: GET, then PUT /applications/{application_id}[/guilds/{guild_id}]/commands
awaitable<sync_report> sync_commands(rest_client& rest, const std::vector<command_spec>& commands,
                                     const sync_options& options);
/// The same with default options (global commands of the token's application).
awaitable<sync_report> sync_commands(rest_client& rest, const std::vector<command_spec>& commands);

/// The form two command objects are compared in: Discord's defaults and the fields Discord
/// fills in removed, members sorted. Equal forms need no write.
std::string canonical_command(const json& command);

} // namespace cord
