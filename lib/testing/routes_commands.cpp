// cord::testing: /applications/{application_id}/commands and its guild twin, with command
// permissions: create as an upsert by name and type, bulk overwrite keeping ids, Discord's
// validation and limits, and a count of every write for the tests.
// SPDX-License-Identifier: BSL-1.0
#include "commands.hpp"
#include "route_helpers.hpp"

#include <map>
#include <set>

namespace cord::testing::detail {

namespace {

// The application of the token: the bot's own (Discord: the application id is the bot's id).
void check_application(route_ctx& c)
{
    if (c.id("application_id") != c.st.bot_id)
        throw rest_failure{403, 50001, "Missing Access", {}};
}

// 0 for global routes; a guild the bot is in for guild routes.
std::uint64_t scope_of(route_ctx& c)
{
    check_application(c);
    if (!c.params.count("guild_id"))
        return 0;
    auto gid = c.id("guild_id");
    auto& g = c.st.guild(gid);
    if (!g.members.count(c.st.bot_id))
        throw unknown(10004, "Unknown Guild");
    return gid;
}

std::map<std::uint64_t, bj::object>& commands_of(route_ctx& c, std::uint64_t scope)
{
    return c.core.commands.scopes[scope];
}

bj::object& command_of(route_ctx& c, std::uint64_t scope)
{
    auto& cmds = commands_of(c, scope);
    auto it = cmds.find(c.id("command_id"));
    if (it == cmds.end())
        throw unknown(10063, "Unknown application command");
    return it->second;
}

std::string locale_of(route_ctx& c)
{
    for (const char* h : {"x-discord-locale", "accept-language"})
        if (auto it = c.req.headers.find(h); it != c.req.headers.end() && !it->second.empty())
            return it->second.substr(0, it->second.find_first_of(",;"));
    return {};
}

rest_failure too_many_commands(int type)
{
    return {400, 30032, "Maximum number of application commands reached (" + std::to_string(command_limit(type)) + ")",
            {}};
}

void check_body(const bj::object& body, bool global, std::string_view prefix = {})
{
    std::vector<field_failure> fails;
    validate_command(body, global, prefix, fails);
    if (!fails.empty())
        throw invalid_form(std::move(fails));
}

// Renaming or deleting a command drops its permissions (reference/interactions.md §4).
void drop_permissions(route_ctx& c, std::uint64_t command)
{
    for (auto& [guild, cmds] : c.core.commands.permissions)
        cmds.erase(command);
}

// The application of the token (GET /applications/@me, /oauth2/applications/@me): its id is the
// bot user's, as on Discord.
rest_response current_application(route_ctx& c)
{
    bj::object bot = c.st.user(c.st.bot_id);
    bj::object app;
    app["id"] = std::to_string(c.st.bot_id);
    app["name"] = bot["username"];
    app["description"] = "";
    app["bot_public"] = true;
    app["bot_require_code_grant"] = false;
    app["verify_key"] = std::string(64, '0');
    app["flags"] = 0;
    app["flags_new"] = "0";
    app["bot"] = bot;
    // The rest of what Discord always answers: an application of a single owner, no team.
    app["icon"] = nullptr;
    app["type"] = nullptr;
    app["redirect_uris"] = bj::array{};
    app["interactions_endpoint_url"] = nullptr;
    app["role_connections_verification_url"] = nullptr;
    app["owner"] = bot;
    app["team"] = nullptr;
    app["approximate_guild_count"] = static_cast<std::int64_t>(c.st.guilds.size());
    app["approximate_user_install_count"] = 0;
    app["approximate_user_authorization_count"] = 0;
    app["explicit_content_filter"] = 0;
    app["eligible_oauth2_scopes"] = bj::array{"bot", "applications.commands"};
    return json_response(200, app);
}

rest_response list_commands(route_ctx& c)
{
    auto scope = scope_of(c);
    bool with = c.query("with_localizations") == "true";
    auto locale = locale_of(c);
    bj::array out;
    for (const auto& [id, cmd] : commands_of(c, scope))
        out.push_back(render_command(cmd, with, locale));
    return json_response(200, out);
}

rest_response get_command(route_ctx& c)
{
    auto scope = scope_of(c);
    return json_response(200, command_of(c, scope));
}

rest_response create_command(route_ctx& c)
{
    ++c.core.commands.writes.creates;
    auto scope = scope_of(c);
    const auto& body = body_object(c);
    check_body(body, scope == 0);
    int type = command_type_of(body);
    auto& cmds = commands_of(c, scope);
    const auto& name = body.at("name").get_string();
    int same_type = 0;
    for (auto& [id, cmd] : cmds) {
        if (command_type_of(cmd) != type)
            continue;
        ++same_type;
        if (cmd.at("name").get_string() == name) {
            // An upsert: the command keeps its id; a new version when anything changed.
            auto updated = make_command(body, id, c.st.bot_id, scope, parse_id(cmd.at("version").get_string()));
            if (!same_definition(updated, cmd))
                updated["version"] = id_str(c.st.next_id());
            cmd = std::move(updated);
            return json_response(200, cmd);
        }
    }
    if (same_type >= command_limit(type))
        throw too_many_commands(type);
    auto id = c.st.next_id();
    auto& stored = cmds[id] = make_command(body, id, c.st.bot_id, scope, id);
    return json_response(201, stored);
}

rest_response edit_command(route_ctx& c)
{
    ++c.core.commands.writes.edits;
    auto scope = scope_of(c);
    auto& cmd = command_of(c, scope);
    const auto& patch = body_object(c);
    // The edited command is checked whole, as the result Discord would store.
    bj::object merged = cmd;
    for (const auto& [k, v] : patch)
        if (k != "type" && k != "id")
            merged[k] = v;
    if (merged.at("default_member_permissions").is_null())
        merged.erase("default_member_permissions");
    check_body(merged, scope == 0);
    auto id = parse_id(cmd.at("id").get_string());
    int type = command_type_of(cmd);
    for (auto& [other, o] : commands_of(c, scope))
        if (other != id && command_type_of(o) == type && o.at("name") == merged.at("name"))
            throw rest_failure{400, 40041, "An application command with that name already exists", {}};
    bool renamed = merged.at("name") != cmd.at("name");
    auto updated = make_command(merged, id, c.st.bot_id, scope, parse_id(cmd.at("version").get_string()));
    if (!same_definition(updated, cmd))
        updated["version"] = id_str(c.st.next_id());
    cmd = std::move(updated);
    if (renamed)
        drop_permissions(c, id);
    return json_response(200, cmd);
}

rest_response delete_command(route_ctx& c)
{
    ++c.core.commands.writes.deletes;
    auto scope = scope_of(c);
    command_of(c, scope);
    auto id = c.id("command_id");
    commands_of(c, scope).erase(id);
    drop_permissions(c, id);
    return no_content();
}

rest_response overwrite_commands(route_ctx& c)
{
    ++c.core.commands.writes.overwrites;
    auto scope = scope_of(c);
    static const bj::array none;
    const bj::array* list = &none;
    if (c.body.is_array())
        list = &c.body.get_array();
    else if (!c.body.is_null())
        throw invalid_form({{"", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"}});
    std::vector<field_failure> fails;
    std::set<std::pair<int, std::string>> seen;
    std::map<int, int> per_type;
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string prefix = std::to_string(i) + ".";
        if (!(*list)[i].is_object()) {
            fails.push_back({std::to_string(i), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"});
            continue;
        }
        const auto& body = (*list)[i].get_object();
        validate_command(body, scope == 0, prefix, fails);
        int type = command_type_of(body);
        ++per_type[type];
        if (auto* n = body.if_contains("name"); n && n->is_string())
            if (!seen.insert({type, std::string{n->get_string()}}).second)
                fails.push_back({prefix + "name", "APPLICATION_COMMANDS_DUPLICATE_NAME",
                                 "Application command names must be unique"});
    }
    if (!fails.empty())
        throw invalid_form(std::move(fails));
    for (auto [type, n] : per_type)
        if (n > command_limit(type))
            throw too_many_commands(type);

    auto& old = commands_of(c, scope);
    std::map<std::uint64_t, bj::object> next;
    for (const auto& v : *list) {
        const auto& body = v.get_object();
        int type = command_type_of(body);
        // A command keeps its id when the element names it by id, or by the same name and type.
        std::uint64_t id = 0;
        if (auto given = id_of(body.if_contains("id")); given && old.count(given) && command_type_of(old.at(given)) == type)
            id = given;
        for (auto it = old.begin(); !id && it != old.end(); ++it)
            if (command_type_of(it->second) == type && it->second.at("name") == body.at("name"))
                id = it->first;
        if (id && old.count(id)) {
            const auto& prev = old.at(id);
            auto updated = make_command(body, id, c.st.bot_id, scope, parse_id(prev.at("version").get_string()));
            if (!same_definition(updated, prev))
                updated["version"] = id_str(c.st.next_id());
            if (updated.at("name") != prev.at("name"))
                drop_permissions(c, id);
            next[id] = std::move(updated);
        } else {
            id = c.st.next_id();
            next[id] = make_command(body, id, c.st.bot_id, scope, id);
        }
    }
    for (const auto& [id, cmd] : old)
        if (!next.count(id))
            drop_permissions(c, id);
    old = std::move(next);
    bj::array out;
    for (const auto& [id, cmd] : old)
        out.push_back(cmd);
    return json_response(200, out);
}

// --- permissions --------------------------------------------------------------------------------

bj::object permissions_object(route_ctx& c, std::uint64_t guild, std::uint64_t command, const bj::array& perms)
{
    return {{"id", id_str(command)}, {"application_id", id_str(c.st.bot_id)}, {"guild_id", id_str(guild)},
            {"permissions", perms}};
}

rest_response list_permissions(route_ctx& c)
{
    auto guild = scope_of(c);
    bj::array out;
    for (const auto& [cmd, perms] : c.core.commands.permissions[guild])
        out.push_back(permissions_object(c, guild, cmd, perms));
    return json_response(200, out);
}

rest_response get_permissions(route_ctx& c)
{
    auto guild = scope_of(c);
    auto cmd = c.id("command_id");
    auto& perms = c.core.commands.permissions[guild];
    auto it = perms.find(cmd);
    if (it == perms.end())
        throw unknown(10066, "Unknown application command permissions");
    return json_response(200, permissions_object(c, guild, cmd, it->second));
}

rest_response set_permissions(route_ctx& c)
{
    ++c.core.commands.writes.permission_sets;
    // Discord takes these only from a user's Bearer token with
    // applications.commands.permissions.update; a bot token is refused.
    auto auth = c.req.headers.find("authorization");
    if (auth == c.req.headers.end() || !auth->second.starts_with("Bearer ") || auth->second.size() <= 7)
        throw rest_failure{403, 50001, "Missing Access", {}};
    auto guild = scope_of(c);
    auto cmd = c.id("command_id");
    // The command is the guild's, or a global one (permissions are per guild either way).
    if (!commands_of(c, guild).count(cmd) && !commands_of(c, 0).count(cmd) && cmd != c.st.bot_id)
        throw unknown(10063, "Unknown application command");
    const auto& body = body_object(c);
    auto* list = body.if_contains("permissions");
    if (!list || !list->is_array())
        throw invalid_form({{"permissions", "BASE_TYPE_REQUIRED", "This field is required"}});
    std::vector<field_failure> fails;
    if (list->get_array().size() > 100)
        fails.push_back({"permissions", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."});
    bj::array perms;
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        const auto& e = list->get_array()[i];
        std::string p = "permissions." + std::to_string(i) + ".";
        const bj::object* o = e.if_object();
        auto id = o ? id_of(o->if_contains("id")) : 0;
        auto* type = o ? o->if_contains("type") : nullptr;
        auto* allowed = o ? o->if_contains("permission") : nullptr;
        if (!id)
            fails.push_back({p + "id", "NUMBER_TYPE_COERCE", "Value is not snowflake."});
        if (!type || !type->is_int64() || type->get_int64() < 1 || type->get_int64() > 3)
            fails.push_back({p + "type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}."});
        if (!allowed || !allowed->is_bool())
            fails.push_back({p + "permission", "BOOLEAN_TYPE_CONVERT", "Must be either true or false."});
        if (id && type && type->is_int64() && allowed && allowed->is_bool())
            perms.push_back(bj::object{{"id", id_str(id)}, {"type", type->get_int64()}, {"permission", allowed->get_bool()}});
    }
    if (!fails.empty())
        throw invalid_form(std::move(fails));
    c.core.commands.permissions[guild][cmd] = perms;
    auto result = permissions_object(c, guild, cmd, perms);
    emit(c, "APPLICATION_COMMAND_PERMISSIONS_UPDATE", result, guild);
    return json_response(200, result);
}

} // namespace

void add_command_routes(std::vector<route>& r)
{
    r.insert(r.end(), {
        {"GET", "/applications/@me", current_application},
        {"GET", "/oauth2/applications/@me", current_application},
        {"GET", "/applications/{application_id}/commands", list_commands},
        {"POST", "/applications/{application_id}/commands", create_command},
        {"PUT", "/applications/{application_id}/commands", overwrite_commands},
        {"GET", "/applications/{application_id}/commands/{command_id}", get_command},
        {"PATCH", "/applications/{application_id}/commands/{command_id}", edit_command},
        {"DELETE", "/applications/{application_id}/commands/{command_id}", delete_command},
        {"GET", "/applications/{application_id}/guilds/{guild_id}/commands", list_commands},
        {"POST", "/applications/{application_id}/guilds/{guild_id}/commands", create_command},
        {"PUT", "/applications/{application_id}/guilds/{guild_id}/commands", overwrite_commands},
        {"GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", get_command},
        {"PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", edit_command},
        {"DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", delete_command},
    });
    r.insert(r.end(), {
        {"GET", "/applications/{application_id}/guilds/{guild_id}/commands/permissions", list_permissions},
        {"GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions",
         get_permissions},
        // A Bearer token, not the bot's: checked by the handler.
        {"PUT", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions",
         set_permissions, false},
    });
}

} // namespace cord::testing::detail
