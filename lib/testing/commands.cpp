// cord::testing: application commands, Discord's validation rules and the stored shape
// (reference/interactions.md §4, schemas.json ApplicationCommand*).
// SPDX-License-Identifier: BSL-1.0
#include "commands.hpp"

#include <set>

namespace cord::testing::detail {

namespace {

// Option types (ApplicationCommandOptionType).
constexpr int opt_subcommand = 1, opt_group = 2, opt_string = 3, opt_integer = 4, opt_number = 10,
              opt_attachment = 11;

// Decodes UTF-8 into code points; false when the bytes are not UTF-8.
bool code_points(std::string_view s, std::vector<char32_t>& out)
{
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
        if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size() + (extra == 0 ? 1 : 0))
            return false;
        char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
        for (int k = 1; k <= extra; ++k) {
            auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

std::size_t length_of(std::string_view s)
{
    std::vector<char32_t> cps;
    return code_points(s, cps) ? cps.size() : s.size();
}

bool is_upper(char32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9)
        || (c >= 0x400 && c <= 0x42F);
}

// Not a letter or a digit: ASCII other than [-_'a-z0-9], Latin-1 symbols, spaces and punctuation.
bool is_excluded(char32_t c)
{
    if (c < 0x80)
        return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '\''
                 || (c >= 'A' && c <= 'Z'));
    return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF)
        || (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF;
}

const bj::string* string_at(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v && v->is_string() ? &v->get_string() : nullptr;
}

std::string at(std::string_view prefix, std::string_view key) { return std::string{prefix} + std::string{key}; }

void length_error(std::vector<field_failure>& out, std::string path, std::size_t min, std::size_t max)
{
    out.push_back({std::move(path), "BASE_TYPE_BAD_LENGTH",
                   "Must be between " + std::to_string(min) + " and " + std::to_string(max) + " in length."});
}

void check_name(const bj::object& o, std::string_view prefix, bool chat_input, std::vector<field_failure>& out)
{
    auto* v = o.if_contains("name");
    if (!v || v->is_null()) {
        out.push_back({at(prefix, "name"), "BASE_TYPE_REQUIRED", "This field is required"});
        return;
    }
    if (!v->is_string()) {
        out.push_back({at(prefix, "name"), "STRING_TYPE_CONVERT", "Could not interpret the value as string."});
        return;
    }
    auto n = length_of(v->get_string());
    if (n < 1 || n > 32)
        length_error(out, at(prefix, "name"), 1, 32);
    else if (chat_input && !valid_chat_input_name(v->get_string()))
        out.push_back({at(prefix, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"});
}

void check_description(const bj::object& o, std::string_view prefix, bool required, std::vector<field_failure>& out)
{
    auto* v = o.if_contains("description");
    if (!required) {
        // USER and MESSAGE commands: no description (it reads back as "").
        if (v && v->is_string() && !v->get_string().empty())
            out.push_back({at(prefix, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID",
                           "Context menu commands cannot have description"});
        return;
    }
    if (!v || v->is_null()) {
        out.push_back({at(prefix, "description"), "BASE_TYPE_REQUIRED", "This field is required"});
        return;
    }
    if (!v->is_string()) {
        out.push_back({at(prefix, "description"), "STRING_TYPE_CONVERT", "Could not interpret the value as string."});
        return;
    }
    auto n = length_of(v->get_string());
    if (n < 1 || n > 100)
        length_error(out, at(prefix, "description"), 1, 100);
}

int int_at(const bj::object& o, std::string_view key, int fallback)
{
    auto* v = o.if_contains(key);
    if (v && v->is_int64())
        return static_cast<int>(v->get_int64());
    if (v && v->is_uint64())
        return static_cast<int>(v->get_uint64());
    return fallback;
}

bool bool_at(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v && v->is_bool() && v->get_bool();
}

// Adds a choice's strings to the 8000-character sum.
void check_choices(const bj::object& opt, int type, std::string_view prefix, std::size_t& total,
                   std::vector<field_failure>& out)
{
    auto* v = opt.if_contains("choices");
    if (!v || v->is_null())
        return;
    if (!v->is_array()) {
        out.push_back({at(prefix, "choices"), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"});
        return;
    }
    const auto& choices = v->get_array();
    if (type != opt_string && type != opt_integer && type != opt_number) {
        out.push_back({at(prefix, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED",
                       "Choices are only allowed for string, integer and number options"});
        return;
    }
    if (choices.size() > 25)
        out.push_back({at(prefix, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."});
    if (bool_at(opt, "autocomplete") && !choices.empty())
        out.push_back({at(prefix, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES_CONFLICT",
                       "Autocomplete cannot be set when choices are present"});
    for (std::size_t i = 0; i < choices.size(); ++i) {
        std::string p = at(prefix, "choices.") + std::to_string(i) + ".";
        if (!choices[i].is_object()) {
            out.push_back({p.substr(0, p.size() - 1), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"});
            continue;
        }
        const auto& c = choices[i].get_object();
        auto* name = string_at(c, "name");
        if (!name)
            out.push_back({p + "name", "BASE_TYPE_REQUIRED", "This field is required"});
        else if (auto n = length_of(*name); n < 1 || n > 100)
            length_error(out, p + "name", 1, 100);
        else
            total += n;
        auto* value = c.if_contains("value");
        if (!value || value->is_null())
            out.push_back({p + "value", "BASE_TYPE_REQUIRED", "This field is required"});
        else if (type == opt_string && !value->is_string())
            out.push_back({p + "value", "STRING_TYPE_CONVERT", "Could not interpret the value as string."});
        else if (type == opt_string && length_of(value->get_string()) > 100)
            length_error(out, p + "value", 1, 100);
        else if (type == opt_integer && !value->is_int64() && !value->is_uint64())
            out.push_back({p + "value", "NUMBER_TYPE_COERCE", "Value is not int."});
        else if (type == opt_number && !value->is_number())
            out.push_back({p + "value", "NUMBER_TYPE_COERCE", "Value is not a valid number."});
        else if (value->is_string())
            total += length_of(value->get_string());
    }
}

// `level`: 0 = the command's own options, 1 = inside a group, 2 = inside a subcommand.
void check_options(const bj::object& owner, std::string_view prefix, int level, std::size_t& total,
                   std::vector<field_failure>& out)
{
    auto* v = owner.if_contains("options");
    if (!v || v->is_null())
        return;
    if (!v->is_array()) {
        out.push_back({at(prefix, "options"), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"});
        return;
    }
    const auto& options = v->get_array();
    if (options.size() > 25)
        out.push_back({at(prefix, "options"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."});
    std::set<std::string> names;
    bool optional_seen = false, has_sub = false, has_value = false;
    for (std::size_t i = 0; i < options.size(); ++i) {
        std::string p = at(prefix, "options.") + std::to_string(i) + ".";
        if (!options[i].is_object()) {
            out.push_back({p.substr(0, p.size() - 1), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"});
            continue;
        }
        const auto& o = options[i].get_object();
        int type = int_at(o, "type", 0);
        if (type < opt_subcommand || type > opt_attachment) {
            out.push_back({p + "type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}."});
            continue;
        }
        check_name(o, p, true, out);
        check_description(o, p, true, out);
        if (auto* n = string_at(o, "name")) {
            total += length_of(*n);
            if (!names.insert(std::string{*n}).second)
                out.push_back({p + "name", "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                               "Option names must be unique"});
        }
        if (auto* d = string_at(o, "description"))
            total += length_of(*d);
        bool is_sub = type == opt_subcommand || type == opt_group;
        (is_sub ? has_sub : has_value) = true;
        // Nesting: command → groups / subcommands → subcommands → values; nothing deeper.
        if (type == opt_group && level != 0)
            out.push_back({p + "type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                           "Subcommand groups can only be at the top level"});
        else if (type == opt_subcommand && level == 2)
            out.push_back({p + "type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                           "Subcommands cannot be nested in subcommands"});
        else if (!is_sub && level == 1)
            out.push_back({p + "type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                           "Subcommand groups can only contain subcommands"});
        if (is_sub) {
            check_options(o, p, type == opt_group ? 1 : 2, total, out);
            continue;
        }
        bool required = bool_at(o, "required");
        if (required && optional_seen)
            out.push_back({p + "required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                           "Required options must be placed before non-required options"});
        optional_seen = optional_seen || !required;
        check_choices(o, type, p, total, out);
        if (bool_at(o, "autocomplete") && type != opt_string && type != opt_integer && type != opt_number)
            out.push_back({p + "autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                           "Autocomplete is only allowed for string, integer and number options"});
        if (type == opt_string) {
            int min_len = int_at(o, "min_length", 0), max_len = int_at(o, "max_length", 6000);
            if (min_len < 0 || min_len > 6000)
                out.push_back({p + "min_length", "NUMBER_TYPE_MAX", "int value should be between 0 and 6000."});
            if (max_len < 1 || max_len > 6000)
                out.push_back({p + "max_length", "NUMBER_TYPE_MAX", "int value should be between 1 and 6000."});
        }
    }
    if (has_sub && has_value)
        out.push_back({at(prefix, "options"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "Subcommands and subcommand groups cannot be mixed with other option types"});
}

} // namespace

int command_limit(int type)
{
    switch (type) {
    case chat_input: return 100;
    case user_command:
    case message_command: return 15;
    default: return 1;
    }
}

int command_type_of(const bj::object& cmd) { return int_at(cmd, "type", chat_input); }

bool valid_chat_input_name(std::string_view name)
{
    std::vector<char32_t> cps;
    if (!code_points(name, cps) || cps.empty() || cps.size() > 32)
        return false;
    for (auto c : cps)
        if (is_excluded(c) || is_upper(c))
            return false;
    return true;
}

void validate_command(const bj::object& cmd, bool global, std::string_view prefix, std::vector<field_failure>& out)
{
    auto* type_v = cmd.if_contains("type");
    int type = command_type_of(cmd);
    if (type_v && !type_v->is_null() && (type < chat_input || type > primary_entry_point)) {
        out.push_back({at(prefix, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."});
        return;
    }
    if (type == primary_entry_point && !global) {
        out.push_back({at(prefix, "type"), "APPLICATION_COMMAND_TYPE_INVALID",
                       "Entry point commands can only be global"});
        return;
    }
    bool chat = type == chat_input;
    check_name(cmd, prefix, chat, out);
    check_description(cmd, prefix, chat, out);
    if (!chat) {
        if (auto* o = cmd.if_contains("options"); o && o->is_array() && !o->get_array().empty())
            out.push_back({at(prefix, "options"), "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                           "Context menu commands cannot have options"});
        return;
    }
    std::size_t total = 0;
    if (auto* n = string_at(cmd, "name"))
        total += length_of(*n);
    if (auto* d = string_at(cmd, "description"))
        total += length_of(*d);
    check_options(cmd, prefix, 0, total, out);
    if (total > 8000)
        out.push_back({prefix.empty() ? std::string{"_"} : std::string{prefix.substr(0, prefix.size() - 1)},
                       "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)"});
    if (auto* dmp = cmd.if_contains("default_member_permissions"); dmp && !dmp->is_null()) {
        bool ok = dmp->is_int64() ? dmp->get_int64() >= 0 : dmp->is_uint64();
        if (dmp->is_string()) {
            ok = !dmp->get_string().empty();
            for (char c : dmp->get_string())
                ok = ok && c >= '0' && c <= '9';
        }
        if (!ok)
            out.push_back({at(prefix, "default_member_permissions"), "NUMBER_TYPE_COERCE", "Value is not int."});
    }
}

bj::object make_command(const bj::object& body, std::uint64_t id, std::uint64_t application_id, std::uint64_t guild_id,
                        std::uint64_t version)
{
    int type = command_type_of(body);
    bj::object c;
    c["id"] = id_str(id);
    c["application_id"] = id_str(application_id);
    c["version"] = id_str(version);
    c["default_member_permissions"] = nullptr;
    if (auto* p = body.if_contains("default_member_permissions"); p && !p->is_null())
        c["default_member_permissions"] = p->is_string() ? bj::value(p->get_string())
            : p->is_int64()                               ? bj::value(bj::string(std::to_string(p->get_int64())))
                                                          : bj::value(bj::string(std::to_string(p->get_uint64())));
    c["type"] = type;
    c["name"] = body.at("name");
    c["name_localizations"] = body.contains("name_localizations") ? body.at("name_localizations") : bj::value(nullptr);
    auto* d = string_at(body, "description");
    c["description"] = d && type == chat_input ? bj::value(*d) : bj::value("");
    c["description_localizations"] =
        body.contains("description_localizations") ? body.at("description_localizations") : bj::value(nullptr);
    if (guild_id) {
        c["guild_id"] = id_str(guild_id);
    } else {
        c["dm_permission"] = body.contains("dm_permission") && body.at("dm_permission").is_bool()
            ? body.at("dm_permission").get_bool()
            : true;
        c["contexts"] = body.contains("contexts") ? body.at("contexts") : bj::value(nullptr);
        c["integration_types"] = body.contains("integration_types") && body.at("integration_types").is_array()
            ? body.at("integration_types")
            : bj::value(bj::array{0});
    }
    if (auto* o = body.if_contains("options"); o && o->is_array() && !o->get_array().empty())
        c["options"] = *o;
    c["nsfw"] = body.contains("nsfw") && body.at("nsfw").is_bool() && body.at("nsfw").get_bool();
    if (type == primary_entry_point)
        c["handler"] = body.contains("handler") ? body.at("handler") : bj::value(1);
    return c;
}

bool same_definition(const bj::object& a, const bj::object& b)
{
    bj::object x = a, y = b;
    for (auto* o : {&x, &y}) {
        o->erase("id");
        o->erase("version");
    }
    return x == y;
}

namespace {

void localise(bj::object& o, bool keep, std::string_view locale)
{
    for (std::string_view field : {"name", "description"}) {
        std::string key = std::string{field} + "_localizations";
        if (auto* l = o.if_contains(key); l && l->is_object() && !locale.empty())
            if (auto* s = l->get_object().if_contains(locale); s && s->is_string())
                o[std::string{field} + "_localized"] = *s;
        if (!keep)
            o.erase(key);
    }
    for (std::string_view list : {"options", "choices"})
        if (auto* l = o.if_contains(list); l && l->is_array())
            for (auto& e : l->get_array())
                if (e.is_object())
                    localise(e.get_object(), keep, locale);
}

} // namespace

bj::object render_command(const bj::object& cmd, bool with_localizations, std::string_view locale)
{
    bj::object o = cmd;
    localise(o, with_localizations, locale);
    return o;
}

const bj::object* command_book::find(std::uint64_t guild, std::string_view name, int type) const
{
    for (std::uint64_t scope : {guild, std::uint64_t{0}}) {
        auto s = scopes.find(scope);
        if (s != scopes.end())
            for (const auto& [id, c] : s->second)
                if (c.at("name").is_string() && c.at("name").get_string() == name && command_type_of(c) == type)
                    return &c;
        if (scope == 0)
            break;
    }
    return nullptr;
}

} // namespace cord::testing::detail
