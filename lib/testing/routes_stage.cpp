// cord::testing: stage instances, one per stage channel (type 13) of a guild, kept in
// discord_state::surface["stage_instances"][channel id]. A second one on the same channel is
// Discord's 150006; a channel of another type is refused with 50024 as Discord refuses
// stage-only actions elsewhere. Deleting the channel ends its instance.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

namespace cord::testing::detail {

namespace {

constexpr int stage_channel = 13;
constexpr int guild_only = 2;  // PUBLIC (1) is deprecated: Discord takes GUILD_ONLY alone
constexpr int stage_event = 1; // a scheduled event's entity_type STAGE_INSTANCE

bj::object& instances(route_ctx& c)
{
    return slot(c.st.surface, "stage_instances");
}

bj::object& instance_of(route_ctx& c)
{
    return item_or_404(instances(c), c.id("channel_id"), 10067, "Unknown Stage Instance");
}

void check_fields(const bj::object& b, bool creating)
{
    form_check f;
    if (creating) {
        f.required(b, "channel_id");
        f.required(b, "topic");
    }
    f.string(b, "topic", 1, 120);
    f.integer(b, "privacy_level");
    f.boolean(b, "send_start_notification");
    f.done();
    if (auto* p = b.if_contains("privacy_level"); p && p->is_int64() && p->get_int64() != guild_only)
        throw invalid_form({{"privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}."}});
}

rest_response create_instance(route_ctx& c)
{
    const auto& b = body_object(c);
    check_fields(b, true);
    auto channel_id = id_of(b.if_contains("channel_id"));
    if (channel_id == 0)
        throw invalid_form({{"channel_id", "NUMBER_TYPE_COERCE", "Value is not snowflake."}});
    auto& ch = c.st.channel(channel_id);
    if (ch.guild_id == 0 || ch.obj.at("type").to_number<int>() != stage_channel)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    c.st.check_permissions(channel_id);
    auto key = std::to_string(channel_id);
    if (instances(c).contains(key))
        throw rest_failure{400, 150006, "The Stage is already open", {}};
    bj::value event_id = nullptr;
    if (auto* e = b.if_contains("guild_scheduled_event_id"); e && !e->is_null()) {
        const auto& event = scheduled_event(c.st, ch.guild_id, id_of(e));
        if (event.at("entity_type") != bj::value(stage_event))
            throw rest_failure{
                400,
                50091,
                "The entity type of the event is different from the entity you are trying to start "
                "the event for",
                {}};
        event_id = event.at("id");
    }
    bj::object inst{{"id", id_str(c.st.next_id())},        {"guild_id", id_str(ch.guild_id)},
                    {"channel_id", id_str(channel_id)},    {"topic", b.at("topic")},
                    {"privacy_level", guild_only},         {"discoverable_disabled", false},
                    {"guild_scheduled_event_id", event_id}};
    instances(c)[key] = inst;
    emit(c, "STAGE_INSTANCE_CREATE", inst, ch.guild_id);
    return json_response(200, inst);
}

rest_response get_instance(route_ctx& c)
{
    return json_response(200, instance_of(c));
}

rest_response modify_instance(route_ctx& c)
{
    auto& inst = instance_of(c);
    c.st.check_permissions(c.id("channel_id"));
    const auto& b = body_object(c);
    check_fields(b, false);
    merge_fields(inst, b, {"topic", "privacy_level"});
    emit(c, "STAGE_INSTANCE_UPDATE", inst, id_of(inst.if_contains("guild_id")));
    return json_response(200, inst);
}

rest_response delete_instance(route_ctx& c)
{
    instance_of(c);   // 10067 when there is none
    c.st.check_permissions(c.id("channel_id"));
    end_stage_of(c, c.id("channel_id"));
    return no_content();
}

} // namespace

void end_stage_of(route_ctx& c, std::uint64_t channel)
{
    auto it = instances(c).find(std::to_string(channel));
    if (it == instances(c).end())
        return;
    bj::object inst = it->value().as_object();
    instances(c).erase(it);
    emit(c, "STAGE_INSTANCE_DELETE", inst, id_of(inst.if_contains("guild_id")));
}

void add_stage_routes(std::vector<route>& out)
{
    out.push_back({"POST", "/stage-instances", create_instance});
    out.push_back({"GET", "/stage-instances/{channel_id}", get_instance});
    out.push_back({"PATCH", "/stage-instances/{channel_id}", modify_instance});
    out.push_back({"DELETE", "/stage-instances/{channel_id}", delete_instance});
}

} // namespace cord::testing::detail
