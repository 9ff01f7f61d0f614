// cord: declared application commands, and their sync with Discord (see
// <cord/interactions/commands.hpp>).
// SPDX-License-Identifier: BSL-1.0
#include <cord/interactions/commands.hpp>

#include "log/component_log.hpp"

#include <cord/error.hpp>
#include <cord/http/application.hpp>
#include <cord/http/application_command.hpp>
#include <cord/rest_client.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace cord {

namespace {

constexpr detail::component_log log{"interactions"};

using members = std::vector<std::pair<std::string, json_fragment>>;

void put(members& m, std::string_view key, json_fragment value)
{
    for (auto& [k, v] : m)
        if (k == key) {
            v = std::move(value);
            return;
        }
    m.emplace_back(std::string{key}, std::move(value));
}

json_fragment ints(const std::vector<int>& list)
{
    std::vector<json_fragment> items(list.begin(), list.end());
    return json_fragment{items};
}

} // namespace

// --- command_option ----------------------------------------------------------------------------

command_option::command_option(option_type type, std::string_view name, std::string_view description)
{
    set("type", static_cast<int>(type));
    set("name", name);
    set("description", description);
}

void command_option::set(std::string_view key, json_fragment value) { put(fields_, key, std::move(value)); }

command_option& command_option::required(bool yes)
{
    set("required", yes);
    return *this;
}

command_option& command_option::add_choice(std::string_view name, json_fragment value)
{
    choices_.emplace_back(json::object({{"name", name}, {"value", std::move(value)}}));
    return *this;
}

command_option& command_option::choice(std::string_view name, std::string_view value)
{
    return add_choice(name, value);
}

command_option& command_option::choice(std::string_view name, std::int64_t value) { return add_choice(name, value); }
command_option& command_option::choice(std::string_view name, double value) { return add_choice(name, value); }

command_option& command_option::min_value(double v)
{
    set("min_value", v);
    return *this;
}

command_option& command_option::max_value(double v)
{
    set("max_value", v);
    return *this;
}

command_option& command_option::min_length(int n)
{
    set("min_length", n);
    return *this;
}

command_option& command_option::max_length(int n)
{
    set("max_length", n);
    return *this;
}

command_option& command_option::channel_types(const std::vector<int>& types)
{
    set("channel_types", ints(types));
    return *this;
}

command_option& command_option::autocomplete(bool yes)
{
    set("autocomplete", yes);
    return *this;
}

command_option& command_option::name_localization(std::string_view locale, std::string_view name)
{
    put(name_localizations_, locale, name);
    return *this;
}

command_option& command_option::description_localization(std::string_view locale, std::string_view description)
{
    put(description_localizations_, locale, description);
    return *this;
}

command_option& command_option::option(command_option member)
{
    options_.push_back(std::move(member));
    return *this;
}

json command_option::to_json() const
{
    members m = fields_;
    if (!choices_.empty())
        m.emplace_back("choices", json_fragment{choices_});
    if (!options_.empty()) {
        std::vector<json_fragment> items;
        for (auto& o : options_)
            items.emplace_back(o.to_json());
        m.emplace_back("options", json_fragment{items});
    }
    if (!name_localizations_.empty())
        m.emplace_back("name_localizations", json_fragment{json::object(name_localizations_)});
    if (!description_localizations_.empty())
        m.emplace_back("description_localizations", json_fragment{json::object(description_localizations_)});
    return json::object(m);
}

// --- command_spec ------------------------------------------------------------------------------

command_spec::command_spec(command_type type, std::string_view name, std::string_view description)
    : type_(type), name_(name), body_(option_type::string, name, description)
{
}

command_spec command_spec::slash(std::string_view name, std::string_view description)
{
    return command_spec{command_type::chat_input, name, description};
}

command_spec command_spec::user(std::string_view name) { return command_spec{command_type::user, name, ""}; }
command_spec command_spec::message(std::string_view name) { return command_spec{command_type::message, name, ""}; }

command_spec& command_spec::option(command_option o)
{
    body_.option(std::move(o));
    return *this;
}

command_spec& command_spec::default_member_permissions(std::uint64_t bits)
{
    put(extra_, "default_member_permissions", std::to_string(bits));   // Discord wants a string
    return *this;
}

command_spec& command_spec::contexts(const std::vector<int>& where)
{
    put(extra_, "contexts", ints(where));
    return *this;
}

command_spec& command_spec::integration_types(const std::vector<int>& how)
{
    put(extra_, "integration_types", ints(how));
    return *this;
}

command_spec& command_spec::nsfw(bool yes)
{
    put(extra_, "nsfw", yes);
    return *this;
}

command_spec& command_spec::name_localization(std::string_view locale, std::string_view name)
{
    body_.name_localization(locale, name);
    return *this;
}

command_spec& command_spec::description_localization(std::string_view locale, std::string_view description)
{
    body_.description_localization(locale, description);
    return *this;
}

json command_spec::to_json() const
{
    members m;
    m.emplace_back("type", static_cast<int>(type_));
    auto body = body_.to_json();
    for (auto [key, value] : body.members())
        if (key != "type" && !(key == "description" && type_ != command_type::chat_input))
            m.emplace_back(std::string{key}, json_fragment{value});
    for (auto& e : extra_)
        m.push_back(e);
    return json::object(m);
}

// --- comparing ---------------------------------------------------------------------------------

namespace {

enum class level { command, option, choice };

// The members of `level` that describe a command; everything else is Discord's bookkeeping.
bool kept(level l, std::string_view key)
{
    static const std::set<std::string_view> command_keys{
        "type", "name", "description", "options", "default_member_permissions", "nsfw", "contexts",
        "integration_types", "name_localizations", "description_localizations", "handler"};
    static const std::set<std::string_view> option_keys{
        "type", "name", "description", "required", "choices", "options", "channel_types", "min_value", "max_value",
        "min_length", "max_length", "autocomplete", "name_localizations", "description_localizations"};
    static const std::set<std::string_view> choice_keys{"name", "value", "name_localizations"};
    switch (l) {
    case level::command: return command_keys.contains(key);
    case level::option: return option_keys.contains(key);
    case level::choice: return choice_keys.contains(key);
    }
    return false;
}

// A member equal to what Discord assumes when it is absent.
bool is_default(level l, std::string_view key, const json& v)
{
    if (v.is_null())
        return true;
    if ((v.is_array() || v.is_object()) && v.empty())
        return true;   // options, choices, channel_types, localizations
    if (v.is_bool() && !v.as_bool())
        return key == "required" || key == "autocomplete" || key == "nsfw";
    if (l == level::command && key == "type" && v.is_int() && v.as_int() == 1)
        return true;
    if (l == level::command && key == "description" && v.is_string() && v.as_string().empty())
        return true;   // context-menu commands read back with ""
    if (l == level::command && key == "integration_types" && v.is_array() && v.size() == 1 && v[0].is_int() &&
        v[0].as_int() == 0)
        return true;   // GUILD_INSTALL only, Discord's default
    return false;
}

void canonical_value(std::string& out, const json& v, std::string_view key);

void canonical_object(std::string& out, const json& o, level l)
{
    std::map<std::string_view, json> sorted;
    for (auto [key, value] : o.members())
        if (kept(l, key) && !is_default(l, key, value))
            sorted.emplace(key, value);
    out += '{';
    bool first = true;
    for (auto& [key, value] : sorted) {
        if (!first)
            out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        canonical_value(out, value, key);
    }
    out += '}';
}

void canonical_value(std::string& out, const json& v, std::string_view key)
{
    if (key == "options" && v.is_array()) {
        out += '[';
        bool first = true;
        for (auto item : v.items()) {
            if (!first)
                out += ',';
            first = false;
            canonical_object(out, item, level::option);
        }
        out += ']';
    } else if (key == "choices" && v.is_array()) {
        out += '[';
        bool first = true;
        for (auto item : v.items()) {
            if (!first)
                out += ',';
            first = false;
            canonical_object(out, item, level::choice);
        }
        out += ']';
    } else if (key.ends_with("_localizations") && v.is_object()) {
        std::map<std::string_view, std::string_view> sorted;
        for (auto [locale, text] : v.members())
            if (text.is_string())
                sorted.emplace(locale, text.as_string());
        out += '{';
        bool first = true;
        for (auto& [locale, text] : sorted) {
            if (!first)
                out += ',';
            first = false;
            append_json_string(out, locale);
            out += ':';
            append_json_string(out, text);
        }
        out += '}';
    } else if (v.is_number() && !v.is_bool()) {
        out += fmt::format("{}", v.as_double());   // 5 and 5.0 are the same limit
    } else if (key == "default_member_permissions" && v.is_int()) {
        out += fmt::format("\"{}\"", v.as_int());   // a string to Discord; a number is the same bits
    } else {
        out += v.dump();
    }
}

std::string key_of(const json& command)
{
    auto type = command.contains("type") && command["type"].is_int() ? command["type"].as_int() : 1;
    return fmt::format("{}:{}", type, command["name"].as_string());
}

} // namespace

std::string canonical_command(const json& command)
{
    std::string out;
    canonical_object(out, command, level::command);
    return out;
}

// --- syncing -----------------------------------------------------------------------------------

awaitable<sync_report> sync_commands(rest_client& rest, const std::vector<command_spec>& commands,
                                     const sync_options& options)
{
    std::vector<json> declared;
    declared.reserve(commands.size());
    for (auto& c : commands)
        declared.push_back(c.to_json());
    auto app = options.application_id;
    auto guild = options.guild_id;
    bool dry_run = options.dry_run;
    if (!app) {
        auto me = co_await http::get_current_application(rest);
        app = me["id"].as_snowflake();
    }
    json remote;
    if (guild) {
        http::get_guild_application_commands_options with_localizations;
        with_localizations.with_localizations = true;
        remote = co_await http::get_guild_application_commands(rest, *app, *guild, with_localizations);
    } else {
        http::get_global_application_commands_options with_localizations;
        with_localizations.with_localizations = true;
        remote = co_await http::get_global_application_commands(rest, *app, with_localizations);
    }

    std::map<std::string, std::string> have, want;
    std::map<std::string, std::string> names;
    for (auto c : remote.items()) {
        have.emplace(key_of(c), canonical_command(c));
        names.emplace(key_of(c), std::string{c["name"].as_string()});
    }
    for (auto& c : declared) {
        auto key = key_of(c);
        if (!want.emplace(key, canonical_command(c)).second)
            throw error(errc::invalid_argument,
                        fmt::format("sync_commands: the command \"{}\" is declared twice", c["name"].as_string()));
        names.emplace(key, std::string{c["name"].as_string()});
    }
    sync_report report;
    for (auto& [key, form] : want) {
        auto it = have.find(key);
        if (it == have.end())
            report.added.push_back(names[key]);
        else if (it->second != form)
            report.changed.push_back(names[key]);
    }
    for (auto& [key, form] : have)
        if (!want.contains(key))
            report.removed.push_back(names[key]);
    const char* scope = guild ? "guild" : "global";
    if (report.in_sync()) {
        log(log_level::info, "commands ({}): {} in sync, nothing written", scope, declared.size());
        co_return report;
    }
    log(log_level::info, "commands ({}): {} added, {} changed, {} removed{}", scope, report.added.size(),
        report.changed.size(), report.removed.size(), dry_run ? " (dry run: nothing written)" : "");
    if (dry_run)
        co_return report;
    std::vector<json_fragment> items(declared.begin(), declared.end());
    auto body = json::array(items);
    if (guild)
        co_await http::bulk_overwrite_guild_application_commands(rest, *app, *guild, body);
    else
        co_await http::bulk_overwrite_global_application_commands(rest, *app, body);
    report.written = true;
    co_return report;
}

awaitable<sync_report> sync_commands(rest_client& rest, const std::vector<command_spec>& commands)
{
    const sync_options defaults;
    co_return co_await sync_commands(rest, commands, defaults);
}

} // namespace cord
