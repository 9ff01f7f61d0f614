// cord::testing: guild templates, at most one per guild (Discord's 30031), kept by code in
// discord_state::surface["templates"]. A template holds a snapshot of its guild taken when it
// was made or last synced; it is dirty while the guild differs from that snapshot. Creating a
// guild from a template is gone from Discord (2025) and has no route here. Templates have no
// gateway events.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <algorithm>
#include <map>

namespace cord::testing::detail {

namespace {

bj::object& templates(route_ctx& c)
{
    return slot(c.st.surface, "templates");
}

bj::value field(const bj::object& o, std::string_view key, bj::value fallback)
{
    auto* v = o.if_contains(key);
    return v ? *v : fallback;
}

/// The guild as a template keeps it: roles and channels with placeholder ids (integers from 0,
/// @everyone first, as Discord gives them); overwrites, parents and the guild's channel fields
/// point at those placeholders, and overwrites of single members are left out.
bj::object snapshot(const discord_state& st, const guild_rec& g)
{
    auto guild_id = parse_id(g.obj.at("id").as_string());
    std::map<std::uint64_t, std::int64_t> placeholder;
    std::int64_t next = 0;
    auto placed = [&](const bj::value* v) -> bj::value {
        auto it = placeholder.find(id_of(v));
        return it == placeholder.end() ? bj::value(nullptr) : bj::value(it->second);
    };

    using role_ref = std::pair<std::uint64_t, const bj::object*>;
    std::vector<role_ref> roles;
    for (const auto& [id, r] : g.roles)
        roles.emplace_back(id, &r);
    auto rank = [&](const role_ref& r) {
        return std::pair<bool, std::int64_t>{r.first != guild_id,
                                             field(*r.second, "position", 0).to_number<std::int64_t>()};
    };
    std::stable_sort(roles.begin(), roles.end(),
                     [&](const role_ref& a, const role_ref& b) { return rank(a) < rank(b); });
    bj::array role_list;
    for (const auto& [id, r] : roles) {
        placeholder[id] = next;
        role_list.push_back(bj::object{{"id", next++},
                                       {"name", field(*r, "name", "")},
                                       {"permissions", field(*r, "permissions", "0")},
                                       {"color", field(*r, "color", 0)},
                                       {"colors", field(*r, "colors", nullptr)},
                                       {"hoist", field(*r, "hoist", false)},
                                       {"mentionable", field(*r, "mentionable", false)},
                                       {"icon", field(*r, "icon", nullptr)},
                                       {"unicode_emoji", field(*r, "unicode_emoji", nullptr)}});
    }
    for (auto id : g.channels)
        placeholder[id] = next++;

    bj::array channel_list;
    for (auto id : g.channels) {
        const auto& ch = st.channels.at(id).obj;
        bj::array overwrites;
        if (auto* list = ch.if_contains("permission_overwrites"); list && list->is_array())
            for (const auto& ow : list->get_array()) {
                if (!ow.is_object() || field(ow.get_object(), "type", 0) != bj::value(0))
                    continue;
                bj::object kept = ow.get_object();
                kept["id"] = placed(ow.get_object().if_contains("id"));
                overwrites.push_back(std::move(kept));
            }
        bj::object out{
            {"id", placeholder.at(id)},
            {"type", ch.at("type")},
            {"name", field(ch, "name", nullptr)},
            {"position", field(ch, "position", nullptr)},
            {"topic", field(ch, "topic", nullptr)},
            {"bitrate", field(ch, "bitrate", 64000)},
            {"user_limit", field(ch, "user_limit", 0)},
            {"nsfw", field(ch, "nsfw", false)},
            {"rate_limit_per_user", field(ch, "rate_limit_per_user", 0)},
            {"parent_id", placed(ch.if_contains("parent_id"))},
            {"default_auto_archive_duration", field(ch, "default_auto_archive_duration", nullptr)},
            {"permission_overwrites", std::move(overwrites)},
            {"available_tags", field(ch, "available_tags", nullptr)},
            {"template", ""},
            {"default_reaction_emoji", field(ch, "default_reaction_emoji", nullptr)},
            {"default_thread_rate_limit_per_user", field(ch, "default_thread_rate_limit_per_user", nullptr)},
            {"default_sort_order", field(ch, "default_sort_order", nullptr)},
            {"default_forum_layout", field(ch, "default_forum_layout", nullptr)},
            {"default_tag_setting", field(ch, "default_tag_setting", nullptr)},
            {"theme_color", field(ch, "theme_color", nullptr)}};
        channel_list.push_back(std::move(out));
    }

    const auto& o = g.obj;
    return {{"name", o.at("name")},
            {"description", field(o, "description", nullptr)},
            {"region", nullptr},
            {"verification_level", field(o, "verification_level", 0)},
            {"default_message_notifications", field(o, "default_message_notifications", 0)},
            {"explicit_content_filter", field(o, "explicit_content_filter", 0)},
            {"preferred_locale", field(o, "preferred_locale", "en-US")},
            {"afk_channel_id", placed(o.if_contains("afk_channel_id"))},
            {"afk_timeout", field(o, "afk_timeout", 300)},
            {"system_channel_id", placed(o.if_contains("system_channel_id"))},
            {"system_channel_flags", field(o, "system_channel_flags", 0)},
            {"icon_hash", field(o, "icon_hash", nullptr)},
            {"roles", std::move(role_list)},
            {"channels", std::move(channel_list)}};
}

/// The template as Discord returns it: is_dirty (null when in sync) against the guild now.
bj::object rendered(route_ctx& c, const bj::object& t)
{
    bj::object out = t;
    out["is_dirty"] = nullptr;
    auto g = c.st.guilds.find(id_of(t.if_contains("source_guild_id")));
    if (g != c.st.guilds.end() && snapshot(c.st, g->second) != t.at("serialized_source_guild"))
        out["is_dirty"] = true;
    return out;
}

/// The template `code` of the path's guild; 10057 when there is none.
bj::object& guild_template(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    auto it = templates(c).find(c.params.at("code"));
    if (it == templates(c).end() || id_of(it->value().as_object().if_contains("source_guild_id")) != gid)
        throw unknown(10057, "Unknown Guild Template");
    return it->value().as_object();
}

void check_fields(const bj::object& b, bool creating)
{
    form_check f;
    if (creating)
        f.required(b, "name");
    f.string(b, "name", 1, 100);
    f.string(b, "description", 0, 120);
    f.done();
}

rest_response get_template(route_ctx& c)
{
    auto it = templates(c).find(c.params.at("code"));
    if (it == templates(c).end())
        throw unknown(10057, "Unknown Guild Template");
    return json_response(200, rendered(c, it->value().as_object()));
}

rest_response list_templates(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    bj::array out;
    for (const auto& kv : templates(c))
        if (id_of(kv.value().as_object().if_contains("source_guild_id")) == gid)
            out.push_back(rendered(c, kv.value().as_object()));
    return json_response(200, out);
}

rest_response create_template(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = c.st.guild(gid);
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    check_fields(b, true);
    for (const auto& kv : templates(c))
        if (id_of(kv.value().as_object().if_contains("source_guild_id")) == gid)
            throw rest_failure{400, 30031, "Guild already has a template", {}};
    std::string code;
    do
        code = random_code(12);
    while (templates(c).contains(code));
    auto now = discord_state::now_iso8601();
    bj::object t{{"code", code},
                 {"name", b.at("name")},
                 {"description", field(b, "description", nullptr)},
                 {"usage_count", 0},
                 {"creator_id", id_str(c.st.bot_id)},
                 {"creator", c.st.user(c.st.bot_id)},
                 {"created_at", now},
                 {"updated_at", now},
                 {"source_guild_id", id_str(gid)},
                 {"serialized_source_guild", snapshot(c.st, g)}};
    templates(c)[code] = t;
    return json_response(200, rendered(c, t));
}

rest_response sync_template(route_ctx& c)
{
    auto& t = guild_template(c);
    c.st.check_permissions(c.id("guild_id"));
    t["serialized_source_guild"] = snapshot(c.st, c.st.guild(c.id("guild_id")));
    t["updated_at"] = discord_state::now_iso8601();
    return json_response(200, rendered(c, t));
}

rest_response modify_template(route_ctx& c)
{
    auto& t = guild_template(c);
    c.st.check_permissions(c.id("guild_id"));
    const auto& b = body_object(c);
    check_fields(b, false);
    merge_fields(t, b, {"name", "description"});
    return json_response(200, rendered(c, t));
}

rest_response delete_template(route_ctx& c)
{
    bj::object t = guild_template(c);
    c.st.check_permissions(c.id("guild_id"));
    templates(c).erase(c.params.at("code"));
    return json_response(200, rendered(c, t));
}

} // namespace

void add_template_routes(std::vector<route>& out)
{
    out.push_back({"GET", "/guilds/templates/{code}", get_template});
    out.push_back({"GET", "/guilds/{guild_id}/templates", list_templates});
    out.push_back({"POST", "/guilds/{guild_id}/templates", create_template});
    out.push_back({"PUT", "/guilds/{guild_id}/templates/{code}", sync_template});
    out.push_back({"PATCH", "/guilds/{guild_id}/templates/{code}", modify_template});
    out.push_back({"DELETE", "/guilds/{guild_id}/templates/{code}", delete_template});
}

} // namespace cord::testing::detail
