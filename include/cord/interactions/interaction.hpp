// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::interaction: an incoming interaction (a slash command, a context menu, a button or
// select, a modal submit, an autocomplete) read in place: every accessor is a view into the
// one parsed document, nothing is re-parsed or copied.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cord {

/// Discord's interaction types. Enums are open: an unknown value passes through.
enum class interaction_type : std::uint8_t {
    ping = 1,                 ///< only sent to an HTTP interactions endpoint
    application_command = 2,  ///< a slash command or a context-menu command
    message_component = 3,    ///< a button or a select menu
    autocomplete = 4,         ///< the user is typing in an option with autocomplete
    modal_submit = 5,         ///< a modal was submitted
};

/// Discord's application command types.
enum class command_type : std::uint8_t {
    chat_input = 1,           ///< a slash command
    user = 2,                 ///< a context-menu command on a user
    message = 3,              ///< a context-menu command on a message
    primary_entry_point = 4,  ///< launches an Activity
};

/// Discord's application command option types.
enum class option_type : std::uint8_t {
    sub_command = 1,        ///< a subcommand
    sub_command_group = 2,  ///< a group of subcommands
    string = 3,             ///< text
    integer = 4,            ///< an integer in ±2^53
    boolean = 5,            ///< true or false
    user = 6,               ///< a user (and member, in a guild): see interaction::resolved_user
    channel = 7,            ///< a channel: see interaction::resolved_channel
    role = 8,               ///< a role: see interaction::resolved_role
    mentionable = 9,        ///< a user or a role
    number = 10,            ///< a double
    attachment = 11,        ///< an uploaded file: see interaction::resolved_attachment
};

/// One option the user gave a command (at the level of the subcommand that runs).
class interaction_option {
public:
    /// The option object `{name, type, value, focused?}` of the interaction.
    explicit interaction_option(json raw) : raw_(std::move(raw)) {}
    std::string_view name() const;   ///< its name
    option_type type() const;        ///< its type (an unknown value passes through)
    json value() const;              ///< its value as sent (string, number or boolean)
    std::string_view as_string() const;   ///< a string option's value
    std::int64_t as_int() const;          ///< an integer option's value
    double as_double() const;             ///< a number (or integer) option's value
    bool as_bool() const;                 ///< a boolean option's value
    /// The id a user, channel, role, mentionable or attachment option carries.
    snowflake as_id() const;
    /// Autocomplete: the option the user is typing in.
    bool focused() const;
    const json& raw() const noexcept { return raw_; }   ///< the option object

private:
    json raw_;
};

/// An incoming interaction: the `d` of an INTERACTION_CREATE dispatch, or the body of a
/// request to an HTTP interactions endpoint. Cheap to copy (the document is shared).
/// Accessors throw cord::error (json_access) when a field they need is absent; the optional
/// ones return nullopt or an empty value instead.
class interaction {
public:
    /// Reads `raw` (throws cord::error when it has no `id`, `type` or `token`).
    explicit interaction(json raw);

    interaction_type type() const noexcept { return type_; }   ///< its type
    snowflake id() const;                  ///< the interaction's id
    snowflake application_id() const;      ///< the application it is for
    std::string_view token() const;        ///< the interaction token (a credential: never log it)
    std::optional<snowflake> guild_id() const;   ///< its guild; nullopt in a DM
    std::optional<snowflake> channel_id() const; ///< where it happened
    /// The invoking user: `member.user` in a guild, `user` in a DM.
    json user() const;
    /// The invoking member in a guild (with roles and permissions); nullopt in a DM.
    std::optional<json> member() const;
    std::string_view locale() const;         ///< the user's language ("" for a PING)
    std::string_view guild_locale() const;   ///< the guild's language ("" outside guilds)
    /// The permissions the app has in the channel (Discord's bit set; 0 when absent).
    std::uint64_t app_permissions() const;
    /// 0 GUILD, 1 BOT_DM, 2 PRIVATE_CHANNEL; nullopt when absent.
    std::optional<int> context() const;
    /// The app is installed to the user only (Discord then allows 5 followups).
    bool user_install_only() const;

    // --- commands and autocomplete -----------------------------------------------------------
    std::string_view command_name() const;     ///< the command's name ("" otherwise)
    command_type command_kind() const;         ///< chat input, user or message
    /// The command's name and subcommand path joined with spaces: "admin ban", "ping".
    std::string command_path() const;
    /// The options of the subcommand that runs (of the command when it has none).
    std::vector<interaction_option> options() const;
    /// The option called `name` at that level; nullopt when the user left it out.
    std::optional<interaction_option> option(std::string_view name) const;
    /// Autocomplete: the option the user is typing in.
    std::optional<interaction_option> focused_option() const;
    /// A context-menu command's target (the user or message); nullopt otherwise.
    std::optional<snowflake> target_id() const;

    // --- resolved data (for options of those types, and context-menu targets) -----------------
    std::optional<json> resolved_user(snowflake id) const;        ///< `resolved.users[id]`
    std::optional<json> resolved_member(snowflake id) const;      ///< `resolved.members[id]` (no user)
    std::optional<json> resolved_role(snowflake id) const;        ///< `resolved.roles[id]`
    std::optional<json> resolved_channel(snowflake id) const;     ///< `resolved.channels[id]`
    std::optional<json> resolved_message(snowflake id) const;     ///< `resolved.messages[id]`
    std::optional<json> resolved_attachment(snowflake id) const;  ///< `resolved.attachments[id]`

    // --- components and modals -----------------------------------------------------------------
    std::string_view custom_id() const;   ///< a component's or a modal's custom_id ("" otherwise)
    int component_type() const;           ///< the component's type (2 button, 3 string select...); 0 otherwise
    /// A select's chosen values (empty otherwise).
    std::vector<std::string_view> values() const;
    /// The message a component sits on; nullopt otherwise.
    std::optional<json> message() const;
    /// A modal submit: the value of the text input (or the first value of the select) whose
    /// custom_id is `custom_id`, at any depth (action rows or labels); nullopt when absent.
    std::optional<std::string_view> field(std::string_view custom_id) const;

    const json& raw() const noexcept { return raw_; }   ///< the whole interaction object

private:
    json leaf_options() const;   // the options array of the subcommand that runs
    std::optional<json> resolved(std::string_view kind, snowflake id) const;

    json raw_;
    interaction_type type_;
};

/// "application_command", "message_component"... for messages.
std::string_view to_string(interaction_type t) noexcept;

} // namespace cord
