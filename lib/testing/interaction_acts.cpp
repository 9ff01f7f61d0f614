// cord::testing: what a user does that makes an interaction (a slash command, a context menu,
// a button, a select, a modal, an autocomplete field): the INTERACTION_CREATE payload Discord
// builds, the interaction's record, and its delivery to the shard of its guild. Shared by
// fake_discord's methods and POST /_fake/interactions.
// SPDX-License-Identifier: BSL-1.0
#include "core.hpp"

#include <fmt/format.h>

#include <random>

namespace cord::testing::detail {

namespace {

// What the Discord client would not let a user do; fake_discord's methods add "fake_discord: ".
rest_failure bad_act(std::string message) { return {400, 50035, std::move(message), {}}; }

const bj::object* object_at(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

std::string string_at(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string{v->get_string()} : std::string{};
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

// An interaction token: opaque, long, URL-safe, never guessable.
std::string fresh_token(std::uint64_t id)
{
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Discord's shape: "aW50ZXJhY3Rpb246" (base64 of "interaction:"), then letters and digits.
    std::string token = "aW50ZXJhY3Rpb246" + std::to_string(id);
    for (int i = 0; i < 120; ++i)
        token += alphabet[rng() % 64];
    return token;
}

// Where and as whom an act happens.
struct place {
    std::uint64_t user = 0;
    std::uint64_t guild = 0;
    std::uint64_t channel = 0;
    std::string locale = "en-US";
};

std::string everyone_permissions(discord_state& st, std::uint64_t guild)
{
    auto& g = st.guild(guild);
    auto it = g.roles.find(guild);
    return it == g.roles.end() ? std::string{"0"} : std::string{it->second.at("permissions").as_string()};
}

// A member as Discord puts it in `resolved.members`: without user, deaf and mute.
bj::object resolved_member(discord_state& st, std::uint64_t guild, std::uint64_t user)
{
    bj::object m = st.guilds.at(guild).members.at(user);
    m.erase("deaf");
    m.erase("mute");
    m["permissions"] = everyone_permissions(st, guild);
    return m;
}

bj::object partial_channel(discord_state& st, std::uint64_t channel, std::uint64_t guild)
{
    const auto& o = st.channel(channel).obj;
    bj::object c;
    for (const char* k : {"id", "name", "type", "parent_id", "flags", "guild_id"})
        if (auto* v = o.if_contains(k))
            c[k] = *v;
    if (guild)
        c["permissions"] = everyone_permissions(st, guild);
    return c;
}

// Finds a message the bot or a user posted: in a channel, or an ephemeral one.
struct found_message {
    std::uint64_t channel = 0;
    bj::object obj;
};

std::optional<found_message> find_message(server_core& core, std::uint64_t id, std::uint64_t channel_hint)
{
    auto& st = core.state;
    if (auto e = core.interactions.ephemeral.find(id); e != core.interactions.ephemeral.end())
        return found_message{e->second.channel_id, e->second.obj};
    if (channel_hint)
        if (auto ch = st.channels.find(channel_hint); ch != st.channels.end())
            if (auto m = ch->second.messages.find(id); m != ch->second.messages.end())
                return found_message{channel_hint, st.render_message(ch->second, m->second)};
    for (auto& [cid, ch] : st.channels)
        if (auto m = ch.messages.find(id); m != ch.messages.end())
            return found_message{cid, st.render_message(ch, m->second)};
    return std::nullopt;
}

// Every component of a message or modal, nested ones included (rows, sections, containers, labels).
void each_component(const bj::value& v, const std::function<void(const bj::object&)>& f)
{
    if (v.is_array()) {
        for (const auto& e : v.get_array())
            each_component(e, f);
        return;
    }
    if (!v.is_object())
        return;
    const auto& o = v.get_object();
    f(o);
    for (const char* k : {"components", "accessory", "component"})
        if (auto* c = o.if_contains(k))
            each_component(*c, f);
}

class act_builder {
public:
    act_builder(server_core& core, const bj::object& act) : core_(core), st_(core.state), act_(act) {}

    interaction_rec& build()
    {
        auto kind = string_at(act_, "type");
        rec_.id = st_.next_id();
        rec_.token = fresh_token(rec_.id);
        if (kind == "command" || kind == "autocomplete")
            slash(kind == "autocomplete");
        else if (kind == "user_command" || kind == "message_command")
            context_menu(kind == "user_command");
        else if (kind == "button" || kind == "select")
            component(kind == "select");
        else if (kind == "modal")
            modal();
        else
            throw bad_act("an act's \"type\" is one of command, user_command, message_command, button, select, "
                          "modal, autocomplete");
        finish();
        auto& book = core_.interactions;
        book.by_token[rec_.token] = rec_.id;
        return book.by_id[rec_.id] = std::move(rec_);
    }

private:
    server_core& core_;
    discord_state& st_;
    const bj::object& act_;
    interaction_rec rec_;
    place at_;
    bj::object data_;
    bj::object resolved_;

    // --- who and where -----------------------------------------------------------------------
    std::uint64_t actor()
    {
        if (auto id = id_of(act_.if_contains("user_id"))) {
            st_.user(id);
            return id;
        }
        auto name = string_at(act_, "username");
        return core_.user_named(name.empty() ? "user" : name);
    }

    void locate(std::uint64_t channel_of_message = 0)
    {
        at_.user = actor();
        if (auto l = string_at(act_, "locale"); !l.empty())
            at_.locale = l;
        if (channel_of_message) {
            at_.channel = channel_of_message;
            at_.guild = st_.channel(channel_of_message).guild_id;
        } else if (bool_at(act_, "dm")) {
            at_.channel = st_.dm_channel(at_.user);
        } else if (auto cid = id_of(act_.if_contains("channel_id"))) {
            at_.channel = cid;
            at_.guild = st_.channel(cid).guild_id;
        } else if (auto gid = id_of(act_.if_contains("guild_id"))) {
            st_.guild(gid);
            at_.guild = gid;
            at_.channel = st_.general_channel(gid);
        } else {
            if (st_.guilds.empty())
                throw bad_act("no guild to act in: give a channel_id or dm");
            at_.guild = st_.guilds.begin()->first;
            at_.channel = st_.general_channel(at_.guild);
        }
        if (at_.guild && !st_.guild(at_.guild).members.count(at_.user))
            core_.join_guild(at_.guild, at_.user);
    }

    // --- resolved objects ----------------------------------------------------------------------
    bj::object& resolved(std::string_view kind)
    {
        auto& v = resolved_[kind];
        if (!v.is_object())
            v = bj::object{};
        return v.get_object();
    }

    void resolve_user(std::uint64_t id)
    {
        resolved("users")[std::to_string(id)] = st_.user(id);
        if (at_.guild && st_.guilds.at(at_.guild).members.count(id))
            resolved("members")[std::to_string(id)] = resolved_member(st_, at_.guild, id);
    }

    bool resolve_role(std::uint64_t id)
    {
        if (!at_.guild)
            return false;
        auto& g = st_.guild(at_.guild);
        auto it = g.roles.find(id);
        if (it == g.roles.end())
            return false;
        resolved("roles")[std::to_string(id)] = it->second;
        return true;
    }

    void resolve_channel(std::uint64_t id)
    {
        auto& ch = st_.channel(id);
        if (at_.guild && ch.guild_id != at_.guild)
            throw bad_act(fmt::format("channel {} is not in the guild", id));
        resolved("channels")[std::to_string(id)] = partial_channel(st_, id, ch.guild_id);
    }

    // --- slash commands and autocomplete -------------------------------------------------------
    // A value as Discord sends it for an option of `type`, resolving what it names.
    bj::value option_value(const bj::object& def, const bj::value& given, bool partial)
    {
        int type = int_at(def, "type", 3);
        auto name = string_at(def, "name");
        auto wrong = [&](std::string_view what) {
            return bad_act(fmt::format("option \"{}\" takes {}", name, what));
        };
        auto id_value = [&]() {
            auto id = id_of(&given);
            if (!id)
                throw wrong("an id (a string of digits)");
            return id;
        };
        switch (type) {
        case 3:
            if (!given.is_string())
                throw wrong("a string");
            if (auto* choices = def.if_contains("choices"); !partial && choices && choices->is_array()
                && !choices->get_array().empty()) {
                bool found = false;
                for (const auto& c : choices->get_array())
                    found = found || (c.is_object() && c.get_object().if_contains("value")
                                      && *c.get_object().if_contains("value") == given);
                if (!found)
                    throw wrong("one of its choices");
            }
            return given;
        case 4:
            if (!given.is_int64() && !given.is_uint64())
                throw wrong("an integer");
            return given;
        case 10:
            if (!given.is_number())
                throw wrong("a number");
            return given;
        case 5:
            if (!given.is_bool())
                throw wrong("true or false");
            return given;
        case 6: {
            auto id = id_value();
            resolve_user(id);
            return id_str(id);
        }
        case 7: {
            auto id = id_value();
            resolve_channel(id);
            return id_str(id);
        }
        case 8: {
            auto id = id_value();
            if (!resolve_role(id))
                throw wrong("a role of the guild");
            return id_str(id);
        }
        case 9: {
            auto id = id_value();
            if (!resolve_role(id))
                resolve_user(id);
            return id_str(id);
        }
        case 11: {
            if (!given.is_string() || given.get_string().empty())
                throw wrong("a file name");
            auto id = st_.next_id();
            std::string file{given.get_string()};
            resolved("attachments")[std::to_string(id)] = bj::object{
                {"id", id_str(id)}, {"filename", file}, {"size", 0},
                {"url", "https://cdn.invalid/attachments/" + file}, {"proxy_url", "https://cdn.invalid/attachments/" + file},
                {"ephemeral", true}};
            return id_str(id);
        }
        default: throw wrong("a value of a known option type");
        }
    }

    // The leaf's options: `given` by name, checked against the definitions.
    bj::array leaf_options(const bj::array& defs, const bj::object& given, bool partial, std::string_view focused,
                           const std::string& focused_value)
    {
        bj::array out;
        for (const auto& [key, value] : given) {
            const bj::object* def = nullptr;
            for (const auto& d : defs)
                if (d.is_object() && string_at(d.get_object(), "name") == key)
                    def = &d.get_object();
            if (!def)
                throw bad_act(fmt::format("the command has no option \"{}\"", std::string_view{key}));
            out.push_back(bj::object{{"name", key}, {"type", int_at(*def, "type", 3)},
                                     {"value", option_value(*def, value, partial)}});
        }
        if (!focused.empty()) {
            const bj::object* def = nullptr;
            for (const auto& d : defs)
                if (d.is_object() && string_at(d.get_object(), "name") == focused)
                    def = &d.get_object();
            if (!def)
                throw bad_act(fmt::format("the command has no option \"{}\"", focused));
            if (!bool_at(*def, "autocomplete"))
                throw bad_act(fmt::format("option \"{}\" has no autocomplete", focused));
            // What the user has typed so far: a string, whatever the option's type.
            out.push_back(bj::object{{"name", focused}, {"type", int_at(*def, "type", 3)}, {"value", focused_value},
                                     {"focused", true}});
        }
        if (!partial)
            for (const auto& d : defs)
                if (d.is_object() && bool_at(d.get_object(), "required")
                    && !given.contains(string_at(d.get_object(), "name")))
                    throw bad_act(fmt::format("the required option \"{}\" is missing", string_at(d.get_object(), "name")));
        return out;
    }

    void slash(bool is_autocomplete)
    {
        locate();
        rec_.type = is_autocomplete ? autocomplete : application_command;
        auto words = split_words(string_at(act_, "command"));
        if (words.empty())
            throw bad_act("a command act needs \"command\": \"name [group] [subcommand]\"");
        const auto* cmd = core_.commands.find(at_.guild, words[0], chat_input);
        if (!cmd)
            throw bad_act(fmt::format("no CHAT_INPUT command \"{}\" is registered{}", words[0],
                                      at_.guild ? " in this guild or globally" : " globally"));
        static const bj::object none;
        const auto* given = object_at(act_, "options");
        if (!given)
            given = &none;
        std::string focused, focused_value;
        if (is_autocomplete) {
            focused = string_at(act_, "option");
            focused_value = string_at(act_, "value");
            if (focused.empty())
                throw bad_act("an autocomplete act needs \"option\" (and \"value\": what was typed)");
        }
        static const bj::array no_defs;
        const bj::array* defs = cmd->contains("options") ? &cmd->at("options").get_array() : &no_defs;
        // Walk the subcommand path: each word names a group or a subcommand.
        std::vector<std::pair<std::string, int>> path;
        for (std::size_t i = 1; i < words.size(); ++i) {
            const bj::object* sub = nullptr;
            for (const auto& d : *defs)
                if (d.is_object() && string_at(d.get_object(), "name") == words[i]
                    && (int_at(d.get_object(), "type", 0) == 1 || int_at(d.get_object(), "type", 0) == 2))
                    sub = &d.get_object();
            if (!sub)
                throw bad_act(fmt::format("\"{}\" has no subcommand \"{}\"", words[0], words[i]));
            path.emplace_back(words[i], int_at(*sub, "type", 1));
            defs = sub->contains("options") ? &sub->at("options").get_array() : &no_defs;
        }
        for (const auto& d : *defs)
            if (d.is_object() && (int_at(d.get_object(), "type", 0) == 1 || int_at(d.get_object(), "type", 0) == 2))
                throw bad_act(fmt::format("\"{}\" needs a subcommand (\"{} <subcommand>\")", string_at(act_, "command"),
                                          string_at(act_, "command")));
        bj::array options = leaf_options(*defs, *given, is_autocomplete, focused, focused_value);
        for (auto it = path.rbegin(); it != path.rend(); ++it)
            options = bj::array{bj::object{{"name", it->first}, {"type", it->second}, {"options", std::move(options)}}};
        data_ = {{"id", cmd->at("id")}, {"name", cmd->at("name")}, {"type", chat_input}, {"options", std::move(options)}};
        if (cmd->contains("guild_id"))
            data_["guild_id"] = cmd->at("guild_id");
        rec_.command_name = words[0];
        rec_.command_type = chat_input;
    }

    static std::vector<std::string> split_words(std::string_view s)
    {
        std::vector<std::string> out;
        while (!s.empty()) {
            auto start = s.find_first_not_of(' ');
            if (start == std::string_view::npos)
                break;
            s.remove_prefix(start);
            auto end = s.find(' ');
            out.emplace_back(s.substr(0, end));
            s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
        }
        return out;
    }

    // --- context menus ---------------------------------------------------------------------------
    void context_menu(bool on_user)
    {
        auto target = id_of(act_.if_contains(on_user ? "target_id" : "message_id"));
        if (!target)
            target = id_of(act_.if_contains("target_id"));
        if (!target)
            throw bad_act(on_user ? "a user_command act needs \"target_id\"" : "a message_command act needs \"message_id\"");
        std::optional<found_message> msg;
        if (on_user) {
            locate();
            st_.user(target);
            resolve_user(target);
        } else {
            msg = find_message(core_, target, id_of(act_.if_contains("channel_id")));
            if (!msg)
                throw unknown(10008, "Unknown Message");
            locate(msg->channel);
            resolved("messages")[std::to_string(target)] = msg->obj;
        }
        rec_.type = application_command;
        auto name = string_at(act_, "command");
        int type = on_user ? user_command : message_command;
        const auto* cmd = core_.commands.find(at_.guild, name, type);
        if (!cmd)
            throw bad_act(fmt::format("no {} command \"{}\" is registered", on_user ? "USER" : "MESSAGE", name));
        data_ = {{"id", cmd->at("id")}, {"name", cmd->at("name")}, {"type", type}, {"target_id", id_str(target)}};
        if (cmd->contains("guild_id"))
            data_["guild_id"] = cmd->at("guild_id");
        rec_.command_name = name;
        rec_.command_type = type;
    }

    // --- components ---------------------------------------------------------------------------------
    void component(bool is_select)
    {
        auto mid = id_of(act_.if_contains("message_id"));
        auto custom_id = string_at(act_, "custom_id");
        if (!mid || custom_id.empty())
            throw bad_act("a button or select act needs \"message_id\" and \"custom_id\"");
        auto msg = find_message(core_, mid, id_of(act_.if_contains("channel_id")));
        if (!msg)
            throw unknown(10008, "Unknown Message");
        locate(msg->channel);
        const bj::object* comp = nullptr;
        if (auto* comps = msg->obj.if_contains("components"))
            each_component(*comps, [&](const bj::object& o) {
                if (string_at(o, "custom_id") == custom_id && int_at(o, "type", 0) != 4)
                    comp = &o;
            });
        if (!comp)
            throw bad_act(fmt::format("message {} has no component \"{}\"", mid, custom_id));
        int type = int_at(*comp, "type", 0);
        if (bool_at(*comp, "disabled"))
            throw bad_act(fmt::format("component \"{}\" is disabled", custom_id));
        rec_.type = message_component;
        rec_.component_message = mid;
        data_ = {{"custom_id", custom_id}, {"component_type", type}};
        if (auto* id = comp->if_contains("id"))
            data_["id"] = *id;
        if (!is_select) {
            if (type != 2)
                throw bad_act(fmt::format("\"{}\" is not a button", custom_id));
            int style = int_at(*comp, "style", 1);
            if (style == 5 || style == 6)
                throw bad_act("link and premium buttons send no interaction");
            return;
        }
        if (type != 3 && (type < 5 || type > 8))
            throw bad_act(fmt::format("\"{}\" is not a select menu", custom_id));
        bj::array values;
        if (auto* v = act_.if_contains("values"); v && v->is_array())
            for (const auto& e : v->get_array()) {
                if (!e.is_string())
                    throw bad_act("a select's values are strings");
                values.push_back(e);
            }
        int min_v = int_at(*comp, "min_values", 1), max_v = int_at(*comp, "max_values", 1);
        if (static_cast<int>(values.size()) < min_v || static_cast<int>(values.size()) > max_v)
            throw bad_act(fmt::format("select \"{}\" takes {} to {} values", custom_id, min_v, max_v));
        for (const auto& v : values) {
            std::string value{v.get_string()};
            if (type == 3) {
                bool found = false;
                if (auto* opts = comp->if_contains("options"); opts && opts->is_array())
                    for (const auto& o : opts->get_array())
                        found = found || (o.is_object() && string_at(o.get_object(), "value") == value);
                if (!found)
                    throw bad_act(fmt::format("select \"{}\" has no option \"{}\"", custom_id, value));
                continue;
            }
            auto id = parse_id(value);
            if (!id)
                throw bad_act("a user, role, mentionable or channel select takes ids");
            if (type == 5)
                resolve_user(id);
            else if (type == 6 && !resolve_role(id))
                throw bad_act(fmt::format("{} is not a role of the guild", value));
            else if (type == 7 && !resolve_role(id))
                resolve_user(id);
            else if (type == 8)
                resolve_channel(id);
        }
        data_["values"] = std::move(values);
    }

    // --- modal submit --------------------------------------------------------------------------------
    void modal()
    {
        auto opener_id = id_of(act_.if_contains("interaction_id"));
        auto it = core_.interactions.by_id.find(opener_id);
        if (it == core_.interactions.by_id.end() || it->second.modal.empty())
            throw bad_act("a modal act needs \"interaction_id\": an interaction the bot answered with a modal");
        auto& opener = it->second;
        at_.user = opener.user_id;
        at_.guild = opener.guild_id;
        at_.channel = opener.channel_id;
        if (auto* l = opener.payload.if_contains("locale"); l && l->is_string())
            at_.locale = std::string{l->get_string()};
        rec_.type = modal_submit;
        rec_.component_message = opener.component_message;
        static const bj::object none;
        const auto* fields = object_at(act_, "fields");
        if (!fields)
            fields = &none;
        std::set<std::string> used;
        // A submitted input: {type, id?, custom_id, value} for a text input, values for the rest.
        auto submitted = [&](const bj::object& input) -> bj::object {
            auto cid = string_at(input, "custom_id");
            int type = int_at(input, "type", 4);
            bj::object out{{"type", type}, {"custom_id", cid}};
            if (auto* id = input.if_contains("id"))
                out["id"] = *id;
            auto* given = fields->if_contains(cid);
            if (given)
                used.insert(cid);
            if (type == 4) {
                std::string value = given && given->is_string() ? std::string{given->get_string()} : std::string{};
                if (given && !given->is_string())
                    throw bad_act(fmt::format("text input \"{}\" takes a string", cid));
                bool required = input.contains("required") ? bool_at(input, "required") : true;
                if (required && value.empty())
                    throw bad_act(fmt::format("the required text input \"{}\" is empty", cid));
                int min_len = int_at(input, "min_length", 0), max_len = int_at(input, "max_length", 4000);
                if (!value.empty() && (static_cast<int>(value.size()) < min_len || static_cast<int>(value.size()) > max_len))
                    throw bad_act(fmt::format("text input \"{}\" takes {} to {} characters", cid, min_len, max_len));
                out["value"] = value;
            } else {
                bj::array values;
                if (given && given->is_string())
                    values.push_back(*given);
                else if (given && given->is_array())
                    values = given->get_array();
                out["values"] = std::move(values);
            }
            return out;
        };
        bj::array components;
        if (auto* top = opener.modal.if_contains("components"); top && top->is_array())
            for (const auto& c : top->get_array()) {
                if (!c.is_object())
                    continue;
                const auto& o = c.get_object();
                int type = int_at(o, "type", 0);
                if (type == 1) {   // an action row of text inputs (deprecated, still sent)
                    bj::array inner;
                    if (auto* in = o.if_contains("components"); in && in->is_array())
                        for (const auto& i : in->get_array())
                            if (i.is_object())
                                inner.push_back(submitted(i.get_object()));
                    components.push_back(bj::object{{"type", 1}, {"components", std::move(inner)}});
                } else if (type == 18) {   // a label around one input
                    if (auto* in = object_at(o, "component"))
                        components.push_back(bj::object{{"type", 18}, {"id", o.contains("id") ? o.at("id") : bj::value(0)},
                                                        {"component", submitted(*in)}});
                } else if (type == 10) {   // a text display: sent back as it was
                    components.push_back(bj::object{{"type", 10}, {"id", o.contains("id") ? o.at("id") : bj::value(0)}});
                }
            }
        for (const auto& [key, value] : *fields)
            if (!used.count(std::string{key}))
                throw bad_act(fmt::format("the modal has no input \"{}\"", std::string_view{key}));
        data_ = {{"custom_id", opener.modal.at("custom_id")}, {"components", std::move(components)}};
        opener.modal.clear();   // submitted once: the modal is closed
        if (rec_.component_message)
            if (auto msg = find_message(core_, rec_.component_message, at_.channel))
                rec_.payload["message"] = msg->obj;
    }

    // --- the payload Discord sends -----------------------------------------------------------------
    void finish()
    {
        if (!resolved_.empty())
            data_["resolved"] = resolved_;
        rec_.guild_id = at_.guild;
        rec_.channel_id = at_.channel;
        rec_.user_id = at_.user;
        rec_.created = core_.interactions.now();
        auto& p = rec_.payload;
        p["id"] = id_str(rec_.id);
        p["application_id"] = id_str(st_.bot_id);
        p["type"] = rec_.type;
        p["data"] = data_;
        p["token"] = rec_.token;
        p["version"] = 1;
        p["locale"] = at_.locale;
        p["entitlements"] = bj::array{};
        p["attachment_size_limit"] = 10485760;
        p["channel_id"] = id_str(at_.channel);
        p["channel"] = partial_channel(st_, at_.channel, at_.guild);
        if (at_.guild) {
            auto perms = everyone_permissions(st_, at_.guild);
            p["guild_id"] = id_str(at_.guild);
            p["guild_locale"] = st_.guilds.at(at_.guild).obj.at("preferred_locale");
            p["guild"] = bj::object{{"id", id_str(at_.guild)}, {"locale", p["guild_locale"]},
                                    {"features", st_.guilds.at(at_.guild).obj.at("features")}};
            bj::object member = st_.render_member(at_.guild, st_.guilds.at(at_.guild).members.at(at_.user), at_.user);
            member["permissions"] = perms;
            p["member"] = std::move(member);
            p["app_permissions"] = perms;
            p["authorizing_integration_owners"] = bj::object{{"0", id_str(at_.guild)}};
            p["context"] = 0;
        } else {
            p["user"] = st_.user(at_.user);
            // In the bot's DM the bot has the DM permissions of a user.
            p["app_permissions"] = "1126317711420481";
            p["authorizing_integration_owners"] = bj::object{{"0", "0"}};
            p["context"] = 1;
        }
        if (rec_.type == message_component)
            if (auto msg = find_message(core_, rec_.component_message, at_.channel))
                p["message"] = msg->obj;
    }
};

} // namespace

interaction_rec& server_core::create_interaction(const bj::object& act) { return act_builder{*this, act}.build(); }

void server_core::deliver_interaction(std::uint64_t id)
{
    auto it = interactions.by_id.find(id);
    if (it == interactions.by_id.end())
        throw unknown(10062, "Unknown interaction");
    emit({"INTERACTION_CREATE", it->second.payload, it->second.guild_id});
}

void server_core::record_answer(interaction_rec& rec, interaction_answer answer)
{
    answer.at = interactions.now();
    rec.answers.push_back(std::move(answer));
    answered.notify_all();
}

} // namespace cord::testing::detail
