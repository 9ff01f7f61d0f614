// cord::testing: /guilds/... routes (guild, channels, members, roles, bans, emoji, prune,
// invites, integrations, widget).
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cord::testing::detail {

namespace {

guild_rec& guild_of(route_ctx& c) { return c.st.guild(c.id("guild_id")); }

guild_rec& guild_to_change(route_ctx& c)
{
    auto& g = guild_of(c);
    c.st.check_permissions(c.id("guild_id"));
    return g;
}

rest_response get_guild(route_ctx& c)
{
    auto& g = guild_of(c);
    auto o = c.st.render_guild(g);
    if (c.query("with_counts") == "true") {
        o["approximate_member_count"] = static_cast<std::int64_t>(g.members.size());
        o["approximate_presence_count"] = 0;
    }
    return json_response(200, o);
}

rest_response modify_guild(route_ctx& c)
{
    auto& g = guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "name", 2, 100);
    f.integer(b, "verification_level");
    f.integer(b, "afk_timeout");
    f.done();
    merge_fields(g.obj, b, {"name", "verification_level", "default_message_notifications", "explicit_content_filter",
                            "afk_channel_id", "afk_timeout", "icon", "splash", "banner", "system_channel_id",
                            "system_channel_flags", "rules_channel_id", "public_updates_channel_id",
                            "preferred_locale", "features", "description", "premium_progress_bar_enabled",
                            "safety_alerts_channel_id"});
    auto o = c.st.render_guild(g);
    emit(c, "GUILD_UPDATE", o, c.id("guild_id"));
    return json_response(200, o);
}

rest_response delete_guild(route_ctx& c)
{
    guild_of(c);
    // Bots own no guild since 2025-07; the seeded guilds belong to another user.
    throw rest_failure{403, 50001, "Missing Access", {}};
}

rest_response get_guild_channels(route_ctx& c)
{
    auto& g = guild_of(c);
    bj::array out;
    for (auto id : g.channels)
        out.push_back(c.st.channels.at(id).obj);
    return json_response(200, out);
}

rest_response create_guild_channel(route_ctx& c)
{
    auto gid = c.id("guild_id");
    guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "name");
    f.string(b, "name", 1, 100);
    f.integer(b, "type");
    f.done();
    int type = b.contains("type") && b.at("type").is_number() ? b.at("type").to_number<int>() : 0;
    auto id = c.st.add_channel(gid, b.at("name").get_string(), type);
    auto& ch = c.st.channels.at(id);
    merge_fields(ch.obj, b, {"topic", "nsfw", "rate_limit_per_user", "position", "permission_overwrites",
                             "parent_id", "bitrate", "user_limit"});
    emit(c, "CHANNEL_CREATE", ch.obj, gid);
    return json_response(201, ch.obj);
}

rest_response modify_channel_positions(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    if (!c.body.is_array())
        throw invalid_form({{"", "BASE_TYPE_LIST", "Must be a list."}});
    for (const auto& v : c.body.get_array()) {
        if (!v.is_object())
            continue;
        auto cid = id_of(v.get_object().if_contains("id"));
        if (std::find(g.channels.begin(), g.channels.end(), cid) == g.channels.end())
            throw unknown(10003, "Unknown Channel");
        auto& ch = c.st.channels.at(cid);
        merge_fields(ch.obj, v.get_object(), {"position", "parent_id"});
        emit(c, "CHANNEL_UPDATE", ch.obj, gid);
    }
    return no_content();
}

// --- members ------------------------------------------------------------------------------------

bj::object member_event(route_ctx& c, std::uint64_t gid, std::uint64_t uid)
{
    auto& g = c.st.guild(gid);
    bj::object d = c.st.render_member(gid, g.members.at(uid), uid);
    d["guild_id"] = id_str(gid);
    return d;
}

rest_response get_member(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto uid = c.id("user_id");
    return json_response(200, c.st.render_member(gid, c.st.member(guild_of(c), uid), uid));
}

rest_response list_members(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_of(c);
    int limit = query_int(c, "limit", 1, 1, 1000);
    auto after = parse_id(c.query("after"));
    bj::array out;
    for (auto it = g.members.upper_bound(after); it != g.members.end() && static_cast<int>(out.size()) < limit; ++it)
        out.push_back(c.st.render_member(gid, it->second, it->first));
    return json_response(200, out);
}

rest_response search_members(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_of(c);
    auto q = c.query("query");
    int limit = query_int(c, "limit", 1, 1, 1000);
    bj::array out;
    for (auto& [uid, m] : g.members) {
        std::string_view name = c.st.user(uid).at("username").as_string();
        if (name.starts_with(q) && static_cast<int>(out.size()) < limit)
            out.push_back(c.st.render_member(gid, m, uid));
    }
    return json_response(200, out);
}

rest_response add_member(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto uid = c.id("user_id");
    auto& g = guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "access_token");
    f.done();
    if (g.members.count(uid))
        return no_content();
    auto& m = c.st.add_member(gid, uid);
    merge_fields(m, b, {"nick", "roles", "mute", "deaf"});
    auto d = member_event(c, gid, uid);
    emit(c, "GUILD_MEMBER_ADD", d, gid);
    d.erase("guild_id");
    return json_response(201, d);
}

rest_response modify_member_common(route_ctx& c, std::uint64_t uid, std::initializer_list<std::string_view> keys)
{
    auto gid = c.id("guild_id");
    auto& g = guild_of(c);
    auto& m = c.st.member(g, uid);
    if (uid != c.st.bot_id)
        c.st.check_permissions(gid);
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "nick", 0, 32);
    f.boolean(b, "mute");
    f.boolean(b, "deaf");
    f.done();
    if (auto* roles = b.if_contains("roles"); roles && roles->is_array())
        for (const auto& r : roles->get_array())
            c.st.role(g, id_of(&r));
    merge_fields(m, b, keys);
    auto d = member_event(c, gid, uid);
    emit(c, "GUILD_MEMBER_UPDATE", d, gid);
    d.erase("guild_id");
    return json_response(200, d);
}

rest_response modify_member(route_ctx& c)
{
    return modify_member_common(c, c.id("user_id"),
                                {"nick", "roles", "mute", "deaf", "channel_id", "communication_disabled_until", "flags"});
}

rest_response modify_current_member(route_ctx& c)
{
    return modify_member_common(c, c.st.bot_id, {"nick", "avatar", "banner", "bio"});
}

rest_response modify_current_nick(route_ctx& c)   // deprecated .../members/@me/nick: returns {nick}
{
    modify_member_common(c, c.st.bot_id, {"nick"});
    const auto& b = body_object(c);
    return json_response(200, bj::object{{"nick", b.contains("nick") ? b.at("nick") : bj::value(nullptr)}});
}

rest_response member_role(route_ctx& c, bool add)
{
    auto gid = c.id("guild_id");
    auto uid = c.id("user_id");
    auto& g = guild_to_change(c);
    auto& m = c.st.member(g, uid);
    auto rid = c.id("role_id");
    c.st.role(g, rid);
    auto& roles = m["roles"].as_array();
    auto it = std::find_if(roles.begin(), roles.end(), [&](auto& v) { return id_of(&v) == rid; });
    if (add && it == roles.end())
        roles.push_back(id_str(rid));
    else if (!add && it != roles.end())
        roles.erase(it);
    else
        return no_content();
    emit(c, "GUILD_MEMBER_UPDATE", member_event(c, gid, uid), gid);
    return no_content();
}

rest_response add_member_role(route_ctx& c) { return member_role(c, true); }
rest_response remove_member_role(route_ctx& c) { return member_role(c, false); }

rest_response remove_member(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto uid = c.id("user_id");
    auto& g = guild_to_change(c);
    c.st.member(g, uid);
    g.members.erase(uid);
    emit(c, "GUILD_MEMBER_REMOVE", {{"guild_id", id_str(gid)}, {"user", c.st.user(uid)}}, gid);
    return no_content();
}

// --- bans ---------------------------------------------------------------------------------------

rest_response get_bans(route_ctx& c)
{
    auto& g = guild_of(c);
    c.st.check_permissions(c.id("guild_id"));
    int limit = query_int(c, "limit", 1000, 1, 1000);
    auto after = parse_id(c.query("after"));
    bj::array out;
    for (auto it = g.bans.upper_bound(after); it != g.bans.end() && static_cast<int>(out.size()) < limit; ++it)
        out.push_back(it->second);
    return json_response(200, out);
}

rest_response get_ban(route_ctx& c)
{
    auto& g = guild_of(c);
    auto it = g.bans.find(c.id("user_id"));
    if (it == g.bans.end())
        throw unknown(10026, "Unknown Ban");
    return json_response(200, it->second);
}

rest_response create_ban(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto uid = c.id("user_id");
    auto& g = guild_to_change(c);
    const auto& user = c.st.user(uid);
    const auto& b = body_object(c);
    form_check f;
    f.integer(b, "delete_message_seconds");
    f.integer(b, "delete_message_days");
    f.done();
    if (auto* s = b.if_contains("delete_message_seconds"); s && s->is_number()
        && (s->to_number<std::int64_t>() < 0 || s->to_number<std::int64_t>() > 604800))
        throw invalid_form({{"delete_message_seconds", "NUMBER_TYPE_MAX", "int value should be <= 604800."}});
    auto reason = c.req.headers.count("x-audit-log-reason") ? bj::value(c.req.headers.at("x-audit-log-reason"))
                                                             : bj::value(nullptr);
    g.bans[uid] = bj::object{{"reason", reason}, {"user", user}};
    if (g.members.erase(uid))
        emit(c, "GUILD_MEMBER_REMOVE", {{"guild_id", id_str(gid)}, {"user", user}}, gid);
    emit(c, "GUILD_BAN_ADD", {{"guild_id", id_str(gid)}, {"user", user}}, gid);
    return no_content();
}

rest_response remove_ban(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    auto uid = c.id("user_id");
    auto it = g.bans.find(uid);
    if (it == g.bans.end())
        throw unknown(10026, "Unknown Ban");
    g.bans.erase(it);
    emit(c, "GUILD_BAN_REMOVE", {{"guild_id", id_str(gid)}, {"user", c.st.user(uid)}}, gid);
    return no_content();
}

// --- roles --------------------------------------------------------------------------------------

rest_response get_roles(route_ctx& c)
{
    bj::array out;
    for (auto& [id, r] : guild_of(c).roles)
        out.push_back(r);
    return json_response(200, out);
}

rest_response get_role(route_ctx& c) { return json_response(200, c.st.role(guild_of(c), c.id("role_id"))); }

void check_role_body(const bj::object& b)
{
    form_check f;
    f.string(b, "name", 0, 100);
    f.boolean(b, "hoist");
    f.boolean(b, "mentionable");
    f.integer(b, "color");
    if (auto* p = b.if_contains("permissions"); p && !p->is_null() && !p->is_string() && !p->is_number())
        f.fails.push_back({"permissions", "NUMBER_TYPE_COERCE", "Value is not int."});
    f.done();
}

rest_response create_role(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    const auto& b = body_object(c);
    check_role_body(b);
    if (g.roles.size() >= 250)
        throw rest_failure{400, 30005, "Maximum number of server roles reached (250)", {}};
    auto id = c.st.next_id();
    bj::object r = g.roles.at(gid);   // start from @everyone's shape
    r["id"] = id_str(id);
    r["name"] = "new role";
    r["permissions"] = "0";
    r["position"] = 1;
    merge_fields(r, b, {"name", "permissions", "color", "colors", "hoist", "icon", "unicode_emoji", "mentionable"});
    if (auto* p = r.if_contains("permissions"); p && p->is_number())
        *p = std::to_string(p->to_number<std::uint64_t>());
    g.roles[id] = r;
    emit(c, "GUILD_ROLE_CREATE", {{"guild_id", id_str(gid)}, {"role", r}}, gid);
    return json_response(200, r);
}

rest_response modify_role(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    auto& r = c.st.role(g, c.id("role_id"));
    const auto& b = body_object(c);
    check_role_body(b);
    merge_fields(r, b, {"name", "permissions", "color", "colors", "hoist", "icon", "unicode_emoji", "mentionable"});
    emit(c, "GUILD_ROLE_UPDATE", {{"guild_id", id_str(gid)}, {"role", r}}, gid);
    return json_response(200, r);
}

rest_response modify_role_positions(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    if (!c.body.is_array())
        throw invalid_form({{"", "BASE_TYPE_LIST", "Must be a list."}});
    for (const auto& v : c.body.get_array()) {
        if (!v.is_object())
            continue;
        auto& r = c.st.role(g, id_of(v.get_object().if_contains("id")));
        merge_fields(r, v.get_object(), {"position"});
        emit(c, "GUILD_ROLE_UPDATE", {{"guild_id", id_str(gid)}, {"role", r}}, gid);
    }
    return get_roles(c);
}

rest_response delete_role(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    auto rid = c.id("role_id");
    c.st.role(g, rid);
    if (rid == gid)
        throw invalid_form({{"role_id", "BASE_TYPE_CHOICES", "Cannot delete @everyone."}});
    g.roles.erase(rid);
    for (auto& [uid, m] : g.members)
        erase_where(m["roles"].as_array(), [&](auto& v) { return id_of(&v) == rid; });
    emit(c, "GUILD_ROLE_DELETE", {{"guild_id", id_str(gid)}, {"role_id", id_str(rid)}}, gid);
    return no_content();
}

// --- prune, invites, integrations, widget -------------------------------------------------------

rest_response get_prune_count(route_ctx& c)
{
    guild_to_change(c);
    query_int(c, "days", 7, 1, 30);
    return json_response(200, bj::object{{"pruned", 0}});
}

rest_response begin_prune(route_ctx& c)
{
    guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.integer(b, "days");
    f.boolean(b, "compute_prune_count");
    f.done();
    if (auto* d = b.if_contains("days"); d && d->is_number() && (d->to_number<int>() < 1 || d->to_number<int>() > 30))
        throw invalid_form({{"days", "NUMBER_TYPE_MAX", "int value should be between 1 and 30."}});
    bool compute = !b.contains("compute_prune_count") || !b.at("compute_prune_count").is_bool()
        || b.at("compute_prune_count").get_bool();
    return json_response(200, bj::object{{"pruned", compute ? bj::value(0) : bj::value(nullptr)}});
}

rest_response get_guild_invites(route_ctx& c)
{
    auto gid = c.id("guild_id");
    guild_of(c);
    bj::array out;
    for (auto& [code, inv] : c.st.invites)
        if (id_of(inv.at("guild").as_object().if_contains("id")) == gid)
            out.push_back(inv);
    return json_response(200, out);
}

rest_response get_integrations(route_ctx& c)
{
    bj::array out;
    for (auto& [id, i] : guild_of(c).integrations)
        out.push_back(i);
    return json_response(200, out);
}

rest_response delete_integration(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    if (!g.integrations.erase(c.id("integration_id")))
        throw unknown(10005, "Unknown Integration");
    emit(c, "GUILD_INTEGRATIONS_UPDATE", {{"guild_id", id_str(gid)}}, gid);
    return no_content();
}

bj::object widget_settings(const guild_rec& g)
{
    return {{"enabled", g.widget_enabled},
            {"channel_id", g.widget_channel ? bj::value(id_str(g.widget_channel)) : bj::value(nullptr)}};
}

rest_response get_widget(route_ctx& c) { return json_response(200, widget_settings(guild_to_change(c))); }

rest_response modify_widget(route_ctx& c)
{
    auto& g = guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.boolean(b, "enabled");
    f.done();
    if (auto* e = b.if_contains("enabled"); e && e->is_bool())
        g.widget_enabled = e->get_bool();
    if (auto* ch = b.if_contains("channel_id"))
        g.widget_channel = ch->is_null() ? 0 : id_of(ch);
    return json_response(200, widget_settings(g));
}

// --- emoji --------------------------------------------------------------------------------------

rest_response list_emojis(route_ctx& c)
{
    bj::array out;
    for (auto& [id, e] : guild_of(c).emojis)
        out.push_back(e);
    return json_response(200, out);
}

bj::object& emoji_of(route_ctx& c, guild_rec& g)
{
    auto it = g.emojis.find(c.id("emoji_id"));
    if (it == g.emojis.end())
        throw unknown(10014, "Unknown Emoji");
    return it->second;
}

rest_response get_emoji(route_ctx& c) { return json_response(200, emoji_of(c, guild_of(c))); }

void emojis_update(route_ctx& c, std::uint64_t gid, const guild_rec& g)
{
    bj::array list;
    for (auto& [id, e] : g.emojis)
        list.push_back(e);
    emit(c, "GUILD_EMOJIS_UPDATE", {{"guild_id", id_str(gid)}, {"emojis", list}}, gid);
}

rest_response create_emoji(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "name");
    f.required(b, "image");
    f.string(b, "name", 2, 32);
    f.done();
    if (!b.at("image").is_string() || !b.at("image").get_string().starts_with("data:image/"))
        throw invalid_form({{"image", "IMAGE_INVALID", "Invalid image data"}});
    auto id = c.st.next_id();
    bj::object e{{"id", id_str(id)}, {"name", b.at("name")}, {"roles", b.contains("roles") ? b.at("roles") : bj::array{}},
                 {"user", c.st.user(c.st.bot_id)}, {"require_colons", true}, {"managed", false},
                 {"animated", b.at("image").get_string().starts_with("data:image/gif")}, {"available", true}};
    g.emojis[id] = e;
    emojis_update(c, gid, g);
    return json_response(201, e);
}

rest_response modify_emoji(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    auto& e = emoji_of(c, g);
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "name", 2, 32);
    f.done();
    merge_fields(e, b, {"name", "roles"});
    emojis_update(c, gid, g);
    return json_response(200, e);
}

rest_response delete_emoji(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = guild_to_change(c);
    emoji_of(c, g);
    g.emojis.erase(c.id("emoji_id"));
    emojis_update(c, gid, g);
    return no_content();
}

rest_response get_guild_webhooks(route_ctx& c)
{
    auto gid = c.id("guild_id");
    guild_of(c);
    bj::array out;
    for (auto& [id, w] : c.st.webhooks)
        if (id_of(w.if_contains("guild_id")) == gid)
            out.push_back(w);
    return json_response(200, out);
}

} // namespace

void add_guild_routes(std::vector<route>& r)
{
    r.insert(r.end(), {
        {"GET", "/guilds/{guild_id}", get_guild},
        {"PATCH", "/guilds/{guild_id}", modify_guild},
        {"DELETE", "/guilds/{guild_id}", delete_guild},
        {"GET", "/guilds/{guild_id}/channels", get_guild_channels},
        {"POST", "/guilds/{guild_id}/channels", create_guild_channel},
        {"PATCH", "/guilds/{guild_id}/channels", modify_channel_positions},
        {"GET", "/guilds/{guild_id}/members/{user_id}", get_member},
        {"GET", "/guilds/{guild_id}/members", list_members},
        {"GET", "/guilds/{guild_id}/members/search", search_members},
        {"PUT", "/guilds/{guild_id}/members/{user_id}", add_member},
        {"PATCH", "/guilds/{guild_id}/members/{user_id}", modify_member},
        {"PATCH", "/guilds/{guild_id}/members/@me", modify_current_member},
        {"PATCH", "/guilds/{guild_id}/members/@me/nick", modify_current_nick},
        {"PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", add_member_role},
        {"DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", remove_member_role},
        {"DELETE", "/guilds/{guild_id}/members/{user_id}", remove_member},
        {"GET", "/guilds/{guild_id}/bans", get_bans},
        {"GET", "/guilds/{guild_id}/bans/{user_id}", get_ban},
        {"PUT", "/guilds/{guild_id}/bans/{user_id}", create_ban},
        {"DELETE", "/guilds/{guild_id}/bans/{user_id}", remove_ban},
        {"GET", "/guilds/{guild_id}/roles", get_roles},
        {"GET", "/guilds/{guild_id}/roles/{role_id}", get_role},
        {"POST", "/guilds/{guild_id}/roles", create_role},
        {"PATCH", "/guilds/{guild_id}/roles", modify_role_positions},
        {"PATCH", "/guilds/{guild_id}/roles/{role_id}", modify_role},
        {"DELETE", "/guilds/{guild_id}/roles/{role_id}", delete_role},
        {"GET", "/guilds/{guild_id}/prune", get_prune_count},
        {"POST", "/guilds/{guild_id}/prune", begin_prune},
        {"GET", "/guilds/{guild_id}/invites", get_guild_invites},
        {"GET", "/guilds/{guild_id}/integrations", get_integrations},
        {"DELETE", "/guilds/{guild_id}/integrations/{integration_id}", delete_integration},
        {"GET", "/guilds/{guild_id}/widget", get_widget},
        {"PATCH", "/guilds/{guild_id}/widget", modify_widget},
        {"GET", "/guilds/{guild_id}/emojis", list_emojis},
        {"GET", "/guilds/{guild_id}/emojis/{emoji_id}", get_emoji},
        {"POST", "/guilds/{guild_id}/emojis", create_emoji},
        {"PATCH", "/guilds/{guild_id}/emojis/{emoji_id}", modify_emoji},
        {"DELETE", "/guilds/{guild_id}/emojis/{emoji_id}", delete_emoji},
        {"GET", "/guilds/{guild_id}/webhooks", get_guild_webhooks},
    });
}

} // namespace cord::testing::detail
