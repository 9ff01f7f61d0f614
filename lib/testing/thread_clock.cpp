// cord::testing: Discord's auto-archive of threads. A thread is archived once it has had no
// activity (creation, a message, being unarchived) for its auto_archive_duration minutes. Tests
// cannot wait hours, so threads live on a clock of their own that advance_thread_clock() moves:
// real time plus discord_state::surface["thread_clock"]["offset_minutes"]; the last activity of
// each thread is kept under ["activity"][thread id] in milliseconds of that clock.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

namespace cord::testing::detail {

namespace {

bj::object& clock_state(discord_state& st)
{
    return slot(st.surface, "thread_clock");
}

std::chrono::minutes offset(const discord_state& st)
{
    const auto* clock = st.surface.if_contains("thread_clock");
    const auto* minutes =
        clock && clock->is_object() ? clock->get_object().if_contains("offset_minutes") : nullptr;
    return std::chrono::minutes{minutes && minutes->is_int64() ? minutes->get_int64() : 0};
}

std::chrono::system_clock::time_point thread_now(const discord_state& st)
{
    return std::chrono::system_clock::now() + offset(st);
}

std::int64_t millis(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

} // namespace

bool is_thread(const bj::object& ch)
{
    auto t = ch.at("type").to_number<int>();
    return t == 10 || t == 11 || t == 12;
}

std::string thread_now_iso8601(const discord_state& st)
{
    return discord_state::iso8601(thread_now(st));
}

void note_thread_activity(discord_state& st, std::uint64_t thread)
{
    slot(clock_state(st), "activity")[std::to_string(thread)] = millis(thread_now(st));
}

void wake_thread(discord_state& st, channel_rec& ch, std::vector<pending_event>& events)
{
    if (!is_thread(ch.obj))
        return;
    auto& md = ch.obj["thread_metadata"].as_object();
    if (md.at("archived").as_bool()) {
        if (md.at("locked").as_bool())
            throw rest_failure{400, 50083, "Thread is archived", {}};
        md["archived"] = false;
        md["archive_timestamp"] = thread_now_iso8601(st);
        events.push_back({"THREAD_UPDATE", ch.obj, ch.guild_id});
    }
    note_thread_activity(st, parse_id(ch.obj.at("id").as_string()));
}

void advance_thread_clock(server_core& core, std::chrono::minutes by)
{
    auto& st = core.state;
    clock_state(st)["offset_minutes"] = (offset(st) + by).count();
    auto now = millis(thread_now(st));
    auto& activity = slot(clock_state(st), "activity");
    for (auto& [id, ch] : st.channels) {
        if (!is_thread(ch.obj))
            continue;
        auto& md = ch.obj["thread_metadata"].as_object();
        if (md.at("archived").as_bool())
            continue;
        auto& last = activity[std::to_string(id)];
        if (!last.is_int64())
            last = now; // no activity on record: the countdown starts now
        auto idle_minutes = (now - last.get_int64()) / 60000;
        if (idle_minutes < md.at("auto_archive_duration").to_number<std::int64_t>())
            continue;
        md["archived"] = true;
        md["archive_timestamp"] = thread_now_iso8601(st);
        core.emit({"THREAD_UPDATE", ch.obj, ch.guild_id});
    }
}

} // namespace cord::testing::detail
