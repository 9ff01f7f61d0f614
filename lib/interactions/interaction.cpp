// cord: reading an interaction in place (see <cord/interactions/interaction.hpp>).
// SPDX-License-Identifier: BSL-1.0
#include <cord/interactions/interaction.hpp>

#include <cord/error.hpp>

#include <charconv>

namespace cord {

namespace {

// A field that may be absent or null.
std::optional<json> present(const json& j, std::string_view key)
{
    auto v = j.find(key);
    if (!v || v->is_null())
        return std::nullopt;
    return v;
}

std::string_view string_of(const std::optional<json>& v)
{
    return v && v->is_string() ? v->as_string() : std::string_view{};
}

std::optional<std::int64_t> int_of(const std::optional<json>& v)
{
    return v && v->is_int() ? std::optional{v->as_int()} : std::nullopt;
}

std::string_view string_or_empty(const json& j, std::string_view key) { return string_of(present(j, key)); }

// A member of the interaction's `data`; nullopt when either is absent or null.
std::optional<json> data_member(const json& raw, std::string_view key)
{
    auto d = present(raw, "data");
    return d ? present(*d, key) : std::nullopt;
}

bool is_group_or_sub(const json& option)
{
    auto t = present(option, "type");
    if (!t || !t->is_int())
        return false;
    auto v = t->as_int();
    return v == static_cast<int>(option_type::sub_command) || v == static_cast<int>(option_type::sub_command_group);
}

// The first group or subcommand in an options array; nullopt when there is none.
std::optional<json> nested(const json& options)
{
    if (!options.is_array())
        return std::nullopt;
    for (auto o : options.items())
        if (is_group_or_sub(o))
            return o;
    return std::nullopt;
}

// A modal's submitted component whose custom_id is `id`: `c` itself, its `component` (a
// label's) or one of its `components` (an action row's), at any depth.
std::optional<json> find_component(const json& c, std::string_view id, int depth)
{
    if (!c.is_object() || depth > 8)
        return std::nullopt;
    if (string_or_empty(c, "custom_id") == id)
        return c;
    if (auto inner = present(c, "component"))
        if (auto hit = find_component(*inner, id, depth + 1))
            return hit;
    if (auto kids = present(c, "components"); kids && kids->is_array())
        for (auto k : kids->items())
            if (auto hit = find_component(k, id, depth + 1))
                return hit;
    return std::nullopt;
}

} // namespace

// --- interaction_option ----------------------------------------------------------------------

std::string_view interaction_option::name() const { return raw_["name"].as_string(); }
option_type interaction_option::type() const { return static_cast<option_type>(raw_["type"].as_int()); }
json interaction_option::value() const { return raw_["value"]; }
std::string_view interaction_option::as_string() const { return raw_["value"].as_string(); }
std::int64_t interaction_option::as_int() const { return raw_["value"].as_int(); }
double interaction_option::as_double() const { return raw_["value"].as_double(); }
bool interaction_option::as_bool() const { return raw_["value"].as_bool(); }
snowflake interaction_option::as_id() const { return raw_["value"].as_snowflake(); }
bool interaction_option::focused() const
{
    auto f = present(raw_, "focused");
    return f && f->is_bool() && f->as_bool();
}

// --- interaction -----------------------------------------------------------------------------

interaction::interaction(json raw) : raw_(std::move(raw)), type_(interaction_type::ping)
{
    if (!raw_.is_object())
        throw error(errc::invalid_response, "interaction: not a JSON object");
    auto t = raw_["type"].as_int();
    if (t < 1 || t > 255)
        throw error(errc::invalid_response, "interaction: type out of range");
    type_ = static_cast<interaction_type>(t);
    (void)raw_["id"].as_snowflake();
    if (type_ != interaction_type::ping)
        (void)raw_["token"].as_string();
}

snowflake interaction::id() const { return raw_["id"].as_snowflake(); }
snowflake interaction::application_id() const { return raw_["application_id"].as_snowflake(); }
std::string_view interaction::token() const { return raw_["token"].as_string(); }

std::optional<snowflake> interaction::guild_id() const
{
    auto g = present(raw_, "guild_id");
    return g ? std::optional{g->as_snowflake()} : std::nullopt;
}

std::optional<snowflake> interaction::channel_id() const
{
    if (auto c = present(raw_, "channel_id"))
        return c->as_snowflake();
    if (auto ch = present(raw_, "channel"))
        if (auto id = present(*ch, "id"))
            return id->as_snowflake();
    return std::nullopt;
}

json interaction::user() const
{
    if (auto m = present(raw_, "member"))
        return (*m)["user"];
    return raw_["user"];
}

std::optional<json> interaction::member() const { return present(raw_, "member"); }
std::string_view interaction::locale() const { return string_or_empty(raw_, "locale"); }
std::string_view interaction::guild_locale() const { return string_or_empty(raw_, "guild_locale"); }

std::uint64_t interaction::app_permissions() const
{
    auto text = string_or_empty(raw_, "app_permissions");
    std::uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

std::optional<int> interaction::context() const
{
    auto c = int_of(present(raw_, "context"));
    return c ? std::optional{static_cast<int>(*c)} : std::nullopt;
}

bool interaction::user_install_only() const
{
    auto owners = present(raw_, "authorizing_integration_owners");
    return owners && owners->is_object() && owners->contains("1") && !owners->contains("0");
}

std::string_view interaction::command_name() const { return string_of(data_member(raw_, "name")); }

command_type interaction::command_kind() const
{
    auto t = int_of(data_member(raw_, "type"));
    return t ? static_cast<command_type>(*t) : command_type::chat_input;
}

std::string interaction::command_path() const
{
    std::string path{command_name()};
    auto level = data_member(raw_, "options");
    for (int depth = 0; level && depth < 2; ++depth) {
        auto sub = nested(*level);
        if (!sub)
            break;
        path += ' ';
        path += (*sub)["name"].as_string();
        level = present(*sub, "options");
    }
    return path;
}

json interaction::leaf_options() const
{
    auto level = data_member(raw_, "options");
    for (int depth = 0; level && depth < 2; ++depth) {
        auto sub = nested(*level);
        if (!sub)
            break;
        level = present(*sub, "options");
    }
    return level && level->is_array() ? *level : json::array({});
}

std::vector<interaction_option> interaction::options() const
{
    std::vector<interaction_option> out;
    for (auto o : leaf_options().items())
        if (!is_group_or_sub(o))
            out.emplace_back(o);
    return out;
}

std::optional<interaction_option> interaction::option(std::string_view name) const
{
    for (auto o : leaf_options().items())
        if (string_or_empty(o, "name") == name && !is_group_or_sub(o))
            return interaction_option{o};
    return std::nullopt;
}

std::optional<interaction_option> interaction::focused_option() const
{
    for (auto o : leaf_options().items())
        if (interaction_option opt{o}; opt.focused())
            return opt;
    return std::nullopt;
}

std::optional<snowflake> interaction::target_id() const
{
    auto t = data_member(raw_, "target_id");
    return t ? std::optional{t->as_snowflake()} : std::nullopt;
}

std::optional<json> interaction::resolved(std::string_view kind, snowflake id) const
{
    auto r = data_member(raw_, "resolved");
    auto table = r ? present(*r, kind) : std::nullopt;
    if (!table || !table->is_object())
        return std::nullopt;
    return present(*table, id.str());
}

std::optional<json> interaction::resolved_user(snowflake id) const { return resolved("users", id); }
std::optional<json> interaction::resolved_member(snowflake id) const { return resolved("members", id); }
std::optional<json> interaction::resolved_role(snowflake id) const { return resolved("roles", id); }
std::optional<json> interaction::resolved_channel(snowflake id) const { return resolved("channels", id); }
std::optional<json> interaction::resolved_message(snowflake id) const { return resolved("messages", id); }
std::optional<json> interaction::resolved_attachment(snowflake id) const { return resolved("attachments", id); }

std::string_view interaction::custom_id() const { return string_of(data_member(raw_, "custom_id")); }

int interaction::component_type() const
{
    return static_cast<int>(int_of(data_member(raw_, "component_type")).value_or(0));
}

std::vector<std::string_view> interaction::values() const
{
    std::vector<std::string_view> out;
    auto v = data_member(raw_, "values");
    if (v && v->is_array())
        for (auto item : v->items())
            if (item.is_string())
                out.push_back(item.as_string());
    return out;
}

std::optional<json> interaction::message() const { return present(raw_, "message"); }

std::optional<std::string_view> interaction::field(std::string_view id) const
{
    auto d = present(raw_, "data");
    if (!d)
        return std::nullopt;
    auto c = find_component(*d, id, 0);
    if (!c || c->contains("components"))   // the data object itself, or a row
        return std::nullopt;
    if (auto v = present(*c, "value"); v && v->is_string())
        return v->as_string();
    if (auto vs = present(*c, "values"); vs && vs->is_array() && !vs->empty() && (*vs)[0].is_string())
        return (*vs)[0].as_string();
    return std::nullopt;
}

std::string_view to_string(interaction_type t) noexcept
{
    switch (t) {
    case interaction_type::ping: return "ping";
    case interaction_type::application_command: return "application_command";
    case interaction_type::message_component: return "message_component";
    case interaction_type::autocomplete: return "autocomplete";
    case interaction_type::modal_submit: return "modal_submit";
    }
    return "unknown";
}

} // namespace cord
