// cord::testing: guild scheduled events (discord_state::surface["scheduled_events"][guild id]
// [event id]) and their interested users (surface["event_users"][event id][user id]), with
// Discord's status rules: SCHEDULED → ACTIVE or CANCELED, ACTIVE → COMPLETED, nothing after.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <algorithm>

namespace cord::testing::detail {

namespace {

constexpr int scheduled = 1, active = 2, completed = 3, canceled = 4;
constexpr int stage = 1, voice = 2, external = 3;

bj::object& events_of(discord_state& st, std::uint64_t guild)
{
    return slot(slot(st.surface, "scheduled_events"), std::to_string(guild));
}

bj::object& users_of(discord_state& st, std::uint64_t event)
{
    return slot(slot(st.surface, "event_users"), std::to_string(event));
}

bj::object& event_of(route_ctx& c) { return scheduled_event(c.st, c.id("guild_id"), c.id("guild_scheduled_event_id")); }

/// The entity rules of Discord's docs: a channel for stage and voice events, a location and an
/// end time for external ones.
void check_entity(const bj::object& e)
{
    int type = e.contains("entity_type") && e.at("entity_type").is_int64() ? static_cast<int>(e.at("entity_type").get_int64()) : 0;
    if (type != stage && type != voice && type != external)
        throw invalid_form({{"entity_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}."}});
    std::vector<field_failure> fails;
    auto present = [&](std::string_view k) { return e.contains(k) && !e.at(k).is_null(); };
    if (type == external) {
        const bj::value* md = e.if_contains("entity_metadata");
        if (!md || !md->is_object() || !md->as_object().contains("location"))
            fails.push_back({"entity_metadata.location", "BASE_TYPE_REQUIRED", "This field is required"});
        if (!present("scheduled_end_time"))
            fails.push_back({"scheduled_end_time", "BASE_TYPE_REQUIRED", "This field is required"});
    } else if (!present("channel_id")) {
        fails.push_back({"channel_id", "BASE_TYPE_REQUIRED", "This field is required"});
    }
    if (present("scheduled_end_time") && present("scheduled_start_time") &&
        !(e.at("scheduled_start_time").as_string() < e.at("scheduled_end_time").as_string()))
        fails.push_back({"scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                         "The end time must be after the start time."});
    if (!fails.empty())
        throw invalid_form(std::move(fails));
}

void add_user_count(route_ctx& c, bj::object& out)
{
    if (c.query("with_user_count") == "true")
        out["user_count"] = static_cast<std::int64_t>(users_of(c.st, parse_id(out.at("id").as_string())).size());
}

rest_response list_events(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    bj::array out;
    for (const auto& kv : events_of(c.st, gid)) {
        bj::object e = kv.value().as_object();
        add_user_count(c, e);
        out.push_back(std::move(e));
    }
    return json_response(200, out);
}

rest_response get_event(route_ctx& c)
{
    bj::object e = event_of(c);
    add_user_count(c, e);
    return json_response(200, e);
}

rest_response create_event(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "name");
    f.string(b, "name", 1, 100);
    f.required(b, "privacy_level");
    f.required(b, "scheduled_start_time");
    f.required(b, "entity_type");
    f.string(b, "description", 0, 1000);
    f.done();
    if (b.at("privacy_level") != bj::value(2))
        throw invalid_form({{"privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}."}});
    check_entity(b);
    if (auto* ch = b.if_contains("channel_id"); ch && !ch->is_null())
        c.st.channel(id_of(ch));   // 404 10003 for an unknown channel
    auto id = c.st.next_id();
    bj::object e{{"id", id_str(id)},
                 {"guild_id", id_str(gid)},
                 {"channel_id", nullptr},
                 {"creator_id", id_str(c.st.bot_id)},
                 {"description", nullptr},
                 {"scheduled_end_time", nullptr},
                 {"status", scheduled},
                 {"entity_id", nullptr},
                 {"entity_metadata", nullptr},
                 {"creator", c.st.user(c.st.bot_id)},
                 {"user_count", 0},
                 {"image", nullptr},
                 {"recurrence_rule", nullptr},
                 {"guild_scheduled_event_exceptions", bj::array{}}};
    merge_fields(e, b, {"name", "privacy_level", "scheduled_start_time", "scheduled_end_time", "description",
                        "entity_type", "channel_id", "entity_metadata", "image", "recurrence_rule"});
    e.erase("user_count");
    events_of(c.st, gid)[std::to_string(id)] = e;
    emit(c, "GUILD_SCHEDULED_EVENT_CREATE", e, gid);
    return json_response(200, e);
}

rest_response modify_event(route_ctx& c)
{
    auto& e = event_of(c);
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "name", 1, 100);
    f.integer(b, "status");
    f.done();
    int now = static_cast<int>(e.at("status").as_int64());
    if (now == completed || now == canceled)
        throw rest_failure{400, 180000, "Cannot update a finished event", {}};
    if (auto* s = b.if_contains("status"); s && s->is_int64()) {
        int next = static_cast<int>(s->get_int64());
        bool allowed = next == now || (now == scheduled && (next == active || next == canceled)) ||
                       (now == active && next == completed);
        if (!allowed)
            throw invalid_form({{"status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                                 "Invalid scheduled event status transition."}});
    }
    bj::object merged = e;
    merge_fields(merged, b, {"name", "privacy_level", "scheduled_start_time", "scheduled_end_time", "description",
                             "entity_type", "channel_id", "entity_metadata", "status", "image", "recurrence_rule"});
    check_entity(merged);
    e = std::move(merged);
    emit(c, "GUILD_SCHEDULED_EVENT_UPDATE", e, c.id("guild_id"));
    return json_response(200, e);
}

rest_response delete_event(route_ctx& c)
{
    bj::object e = event_of(c);
    auto gid = c.id("guild_id");
    auto key = std::to_string(c.id("guild_scheduled_event_id"));
    events_of(c.st, gid).erase(key);
    slot(c.st.surface, "event_users").erase(key);
    emit(c, "GUILD_SCHEDULED_EVENT_DELETE", e, gid);
    return no_content();
}

rest_response list_users(route_ctx& c)
{
    event_of(c);
    auto gid = c.id("guild_id");
    auto eid = c.id("guild_scheduled_event_id");
    int limit = query_int(c, "limit", 100, 1, 100);
    auto before = parse_id(c.query("before"));
    auto after = parse_id(c.query("after"));
    std::vector<std::uint64_t> ids;
    for (const auto& kv : users_of(c.st, eid))
        ids.push_back(parse_id(kv.key()));
    std::sort(ids.begin(), ids.end());
    if (before)
        std::reverse(ids.begin(), ids.end());
    bj::array out;
    auto& g = c.st.guild(gid);
    for (auto uid : ids) {
        if ((before && uid >= before) || (!before && uid <= after) || static_cast<int>(out.size()) >= limit)
            continue;
        bj::object item{{"guild_scheduled_event_id", id_str(eid)}, {"user", c.st.user(uid)}};
        if (c.query("with_member") == "true")
            if (auto m = g.members.find(uid); m != g.members.end())
                item["member"] = c.st.render_member(gid, m->second, uid);
        out.push_back(std::move(item));
    }
    if (before)
        std::reverse(out.begin(), out.end());
    return json_response(200, out);
}

} // namespace

bj::object& scheduled_event(discord_state& st, std::uint64_t guild, std::uint64_t event)
{
    st.guild(guild);
    return item_or_404(events_of(st, guild), event, 10070, "Unknown Guild Scheduled Event");
}

void mark_interested(server_core& core, std::uint64_t guild, std::uint64_t event, std::uint64_t user,
                     bool interested)
{
    auto& st = core.state;
    scheduled_event(st, guild, event);
    st.member(st.guild(guild), user);   // only members can be interested: 10007 otherwise
    auto& users = users_of(st, event);
    auto key = std::to_string(user);
    if (users.contains(key) == interested)
        return;
    if (interested)
        users[key] = bj::object{};
    else
        users.erase(key);
    core.emit({interested ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
               {{"guild_scheduled_event_id", id_str(event)}, {"user_id", id_str(user)}, {"guild_id", id_str(guild)}},
               guild});
}

void add_scheduled_event_routes(std::vector<route>& out)
{
    out.push_back({"GET", "/guilds/{guild_id}/scheduled-events", list_events});
    out.push_back({"POST", "/guilds/{guild_id}/scheduled-events", create_event});
    out.push_back({"GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", get_event});
    out.push_back({"PATCH", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", modify_event});
    out.push_back({"DELETE", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", delete_event});
    out.push_back({"GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users", list_users});
}

} // namespace cord::testing::detail
