// cord::testing: threads and forum posts. A thread is a channel of the state (type 11 public, 12
// private; the thread's id is its starter message's when started from one) with its
// thread_metadata; its members live in discord_state::surface["thread_members"][thread id].
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <algorithm>

namespace cord::testing::detail {

namespace {

constexpr int public_thread = 11, private_thread = 12, announcement_thread = 10;
constexpr int forum = 15, media = 16;

channel_rec& thread_of(route_ctx& c)
{
    auto& ch = c.st.channel(c.id("channel_id"));
    if (!is_thread(ch.obj))
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    return ch;
}

bj::object& members_of(route_ctx& c, std::uint64_t thread)
{
    return slot(slot(c.st.surface, "thread_members"), std::to_string(thread));
}

bj::object thread_member(std::uint64_t thread, std::uint64_t user)
{
    return {{"id", id_str(thread)}, {"user_id", id_str(user)}, {"join_timestamp", discord_state::now_iso8601()},
            {"flags", 0}};
}

void set_member_count(channel_rec& th, const bj::object& members)
{
    th.obj["member_count"] = static_cast<std::int64_t>(std::min<std::size_t>(members.size(), 50));
}

/// Adds `user` to the thread; dispatches THREAD_MEMBERS_UPDATE (and THREAD_MEMBER_UPDATE to the bot).
void join(route_ctx& c, channel_rec& th, std::uint64_t thread, std::uint64_t user)
{
    auto& members = members_of(c, thread);
    auto key = std::to_string(user);
    if (members.contains(key))
        return;
    auto m = thread_member(thread, user);
    members[key] = m;
    set_member_count(th, members);
    if (user == c.st.bot_id) {
        bj::object d = m;
        d["guild_id"] = id_str(th.guild_id);
        emit(c, "THREAD_MEMBER_UPDATE", d, th.guild_id);
    }
    emit(c, "THREAD_MEMBERS_UPDATE",
         {{"id", id_str(thread)}, {"guild_id", id_str(th.guild_id)}, {"member_count", th.obj["member_count"]},
          {"added_members", bj::array{m}}},
         th.guild_id);
}

void leave(route_ctx& c, channel_rec& th, std::uint64_t thread, std::uint64_t user)
{
    auto& members = members_of(c, thread);
    if (!members.erase(std::to_string(user)))
        throw unknown(10007, "Unknown Member");
    set_member_count(th, members);
    emit(c, "THREAD_MEMBERS_UPDATE",
         {{"id", id_str(thread)}, {"guild_id", id_str(th.guild_id)}, {"member_count", th.obj["member_count"]},
          {"removed_member_ids", bj::array{id_str(user)}}},
         th.guild_id);
}

int auto_archive(const bj::object& b)
{
    auto* v = b.if_contains("auto_archive_duration");
    if (!v || v->is_null())
        return 4320;
    int d = v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
    if (d != 60 && d != 1440 && d != 4320 && d != 10080)
        throw invalid_form({{"auto_archive_duration", "BASE_TYPE_CHOICES",
                             "Value must be one of {60, 1440, 4320, 10080}."}});
    return d;
}

/// A new thread under `parent`, stored and announced with THREAD_CREATE; the bot is its first member.
channel_rec& make_thread(route_ctx& c, std::uint64_t id, channel_rec& parent, std::uint64_t parent_id, int type,
                         const bj::object& b)
{
    form_check f;
    f.required(b, "name");
    f.string(b, "name", 1, 100);
    f.integer(b, "rate_limit_per_user");
    f.done();
    int duration = auto_archive(b);
    channel_rec th;
    th.guild_id = parent.guild_id;
    auto& o = th.obj;
    o["id"] = id_str(id);
    o["type"] = type;
    o["guild_id"] = id_str(parent.guild_id);
    o["parent_id"] = id_str(parent_id);
    o["owner_id"] = id_str(c.st.bot_id);
    o["name"] = b.at("name");
    o["last_message_id"] = nullptr;
    o["rate_limit_per_user"] = b.contains("rate_limit_per_user") ? b.at("rate_limit_per_user") : bj::value(0);
    o["message_count"] = 0;
    o["member_count"] = 0;
    o["total_message_sent"] = 0;
    o["flags"] = 0;
    if (auto* tags = b.if_contains("applied_tags"))
        o["applied_tags"] = *tags;
    auto now = thread_now_iso8601(c.st);
    o["thread_metadata"] = bj::object{{"archived", false},
                                      {"auto_archive_duration", duration},
                                      {"archive_timestamp", now},
                                      {"locked", false},
                                      {"create_timestamp", now}};
    if (type == private_thread)
        o["thread_metadata"].as_object()["invitable"] = b.contains("invitable") ? b.at("invitable") : bj::value(true);
    auto& stored = c.st.channels[id] = std::move(th);
    note_thread_activity(c.st, id);
    join(c, stored, id, c.st.bot_id);
    bj::object d = stored.obj;
    d["newly_created"] = true;
    emit(c, "THREAD_CREATE", d, stored.guild_id);
    return stored;
}

rest_response start_from_message(route_ctx& c)
{
    auto parent_id = c.id("channel_id");
    auto& parent = c.st.channel(parent_id);
    c.st.check_permissions(parent_id);
    auto mid = c.id("message_id");
    auto& m = c.st.message(parent, mid);
    if (is_thread(parent.obj) || parent.guild_id == 0)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    if (c.st.channels.count(mid))
        throw rest_failure{400, 160004, "A thread has already been created for this message", {}};
    int type = parent.obj.at("type").to_number<int>() == 5 ? announcement_thread : public_thread;
    auto& th = make_thread(c, mid, parent, parent_id, type, body_object(c));
    m.obj["thread"] = th.obj;
    m.obj["flags"] = 32;   // HAS_THREAD
    return json_response(201, th.obj);
}

rest_response start_without_message(route_ctx& c)
{
    auto parent_id = c.id("channel_id");
    auto& parent = c.st.channel(parent_id);
    c.st.check_permissions(parent_id);
    if (is_thread(parent.obj) || parent.guild_id == 0)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    const auto& b = body_object(c);
    int parent_type = parent.obj.at("type").to_number<int>();
    if (parent_type == forum || parent_type == media) {
        // A forum post: a public thread whose first message is the post.
        auto* msg = b.if_contains("message");
        if (!msg || !msg->is_object())
            throw invalid_form({{"message", "BASE_TYPE_REQUIRED", "This field is required"}});
        auto id = c.st.next_id();
        auto& th = make_thread(c, id, parent, parent_id, public_thread, b);
        auto first = c.st.create_message(th, c.st.bot_id, msg->as_object());
        th.obj["last_message_id"] = first.at("id");
        th.obj["message_count"] = 1;
        bj::object out = th.obj;
        out["message"] = first;
        emit(c, "MESSAGE_CREATE", first, th.guild_id);
        return json_response(201, out);
    }
    int type = private_thread;
    if (auto* t = b.if_contains("type"); t && t->is_int64())
        type = static_cast<int>(t->get_int64());
    if (type != public_thread && type != private_thread && type != announcement_thread)
        throw invalid_form({{"type", "BASE_TYPE_CHOICES", "Value must be one of {10, 11, 12}."}});
    auto& th = make_thread(c, c.st.next_id(), parent, parent_id, type, b);
    return json_response(201, th.obj);
}

rest_response join_thread(route_ctx& c)
{
    auto& th = thread_of(c);
    if (th.obj.at("thread_metadata").at("archived").as_bool())
        throw rest_failure{400, 50083, "Thread is archived", {}};
    join(c, th, c.id("channel_id"), c.st.bot_id);
    return no_content();
}

rest_response leave_thread(route_ctx& c)
{
    auto& th = thread_of(c);
    leave(c, th, c.id("channel_id"), c.st.bot_id);
    return no_content();
}

rest_response add_member(route_ctx& c)
{
    auto& th = thread_of(c);
    auto user = c.id("user_id");
    c.st.member(c.st.guild(th.guild_id), user);   // 404 10007 for a non-member
    join(c, th, c.id("channel_id"), user);
    return no_content();
}

rest_response remove_member(route_ctx& c)
{
    auto& th = thread_of(c);
    leave(c, th, c.id("channel_id"), c.id("user_id"));
    return no_content();
}

bj::object rendered_member(route_ctx& c, const channel_rec& th, const bj::value& m)
{
    bj::object out = m.as_object();
    if (c.query("with_member") == "true") {
        auto user = parse_id(out.at("user_id").as_string());
        auto& g = c.st.guild(th.guild_id);
        if (auto it = g.members.find(user); it != g.members.end())
            out["member"] = c.st.render_member(th.guild_id, it->second, user);
    }
    return out;
}

rest_response get_member(route_ctx& c)
{
    auto& th = thread_of(c);
    auto& members = members_of(c, c.id("channel_id"));
    auto it = members.find(std::to_string(c.id("user_id")));
    if (it == members.end())
        throw unknown(10007, "Unknown Member");
    return json_response(200, rendered_member(c, th, it->value()));
}

rest_response list_members(route_ctx& c)
{
    auto& th = thread_of(c);
    int limit = query_int(c, "limit", 100, 1, 100);
    auto after = parse_id(c.query("after"));
    std::vector<std::pair<std::uint64_t, const bj::value*>> sorted;
    for (const auto& kv : members_of(c, c.id("channel_id")))
        sorted.emplace_back(parse_id(kv.key()), &kv.value());
    std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.first < b.first; });
    bj::array out;
    for (auto& [user, m] : sorted)
        if (user > after && static_cast<int>(out.size()) < limit)
            out.push_back(rendered_member(c, th, *m));
    return json_response(200, out);
}

/// The archived threads of a channel, newest archive first: {threads, members, has_more}.
rest_response archived(route_ctx& c, int type, bool joined_only)
{
    auto parent = c.id("channel_id");
    c.st.channel(parent);
    int limit = query_int(c, "limit", 50, 2, 100);
    std::string before = c.query("before");
    std::vector<const channel_rec*> found;
    for (const auto& [id, ch] : c.st.channels) {
        const auto& o = ch.obj;
        if (!is_thread(o) || id_of(o.if_contains("parent_id")) != parent)
            continue;
        const auto& md = o.at("thread_metadata").as_object();
        if (!md.at("archived").as_bool() || (type != 0 && o.at("type").to_number<int>() != type))
            continue;
        if (joined_only && !members_of(c, id).contains(std::to_string(c.st.bot_id)))
            continue;
        std::string_view stamp = md.at("archive_timestamp").as_string();
        if (!before.empty() && !joined_only && !(stamp < std::string_view{before}))
            continue;
        if (!before.empty() && joined_only && !(id < parse_id(before)))
            continue;
        found.push_back(&ch);
    }
    std::sort(found.begin(), found.end(), [&](const channel_rec* a, const channel_rec* b) {
        if (joined_only)
            return parse_id(a->obj.at("id").as_string()) > parse_id(b->obj.at("id").as_string());
        return a->obj.at("thread_metadata").at("archive_timestamp").as_string() >
               b->obj.at("thread_metadata").at("archive_timestamp").as_string();
    });
    bj::array threads, members;
    for (std::size_t i = 0; i < found.size() && static_cast<int>(i) < limit; ++i) {
        threads.push_back(found[i]->obj);
        auto id = parse_id(found[i]->obj.at("id").as_string());
        auto& tm = members_of(c, id);
        if (auto it = tm.find(std::to_string(c.st.bot_id)); it != tm.end())
            members.push_back(it->value());
    }
    bool more = found.size() > static_cast<std::size_t>(limit);
    return json_response(200, bj::object{{"threads", threads}, {"members", members}, {"has_more", more}});
}

rest_response archived_public(route_ctx& c) { return archived(c, public_thread, false); }
rest_response archived_private(route_ctx& c) { return archived(c, private_thread, false); }
rest_response archived_joined(route_ctx& c) { return archived(c, private_thread, true); }

rest_response active_threads(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    bj::array threads, members;
    for (const auto& [id, ch] : c.st.channels) {
        if (ch.guild_id != gid || !is_thread(ch.obj) || ch.obj.at("thread_metadata").at("archived").as_bool())
            continue;
        threads.push_back(ch.obj);
        auto& tm = members_of(c, id);
        if (auto it = tm.find(std::to_string(c.st.bot_id)); it != tm.end())
            members.push_back(it->value());
    }
    // Every active thread fits in one answer here: Discord's has_more is then false.
    return json_response(200, bj::object{{"threads", threads}, {"members", members}, {"has_more", false}});
}

} // namespace

void update_thread(route_ctx& c, channel_rec& ch, const bj::object& b)
{
    if (!is_thread(ch.obj))
        return;
    auto& md = ch.obj["thread_metadata"].as_object();
    if (b.contains("auto_archive_duration"))
        md["auto_archive_duration"] = auto_archive(b);
    for (const char* key : {"locked", "invitable"})
        if (auto* v = b.if_contains(key); v && v->is_bool())
            md[key] = *v;
    if (auto* v = b.if_contains("archived"); v && v->is_bool() && v->get_bool() != md.at("archived").as_bool()) {
        md["archived"] = *v;
        md["archive_timestamp"] = thread_now_iso8601(c.st);
        if (!v->get_bool())
            note_thread_activity(c.st, parse_id(ch.obj.at("id").as_string()));
    }
    if (auto* tags = b.if_contains("applied_tags"))
        ch.obj["applied_tags"] = *tags;
    emit(c, "THREAD_UPDATE", ch.obj, ch.guild_id);
}

void add_thread_routes(std::vector<route>& out)
{
    out.push_back({"POST", "/channels/{channel_id}/messages/{message_id}/threads", start_from_message});
    out.push_back({"POST", "/channels/{channel_id}/threads", start_without_message});
    out.push_back({"PUT", "/channels/{channel_id}/thread-members/@me", join_thread});
    out.push_back({"DELETE", "/channels/{channel_id}/thread-members/@me", leave_thread});
    out.push_back({"PUT", "/channels/{channel_id}/thread-members/{user_id}", add_member});
    out.push_back({"DELETE", "/channels/{channel_id}/thread-members/{user_id}", remove_member});
    out.push_back({"GET", "/channels/{channel_id}/thread-members/{user_id}", get_member});
    out.push_back({"GET", "/channels/{channel_id}/thread-members", list_members});
    out.push_back({"GET", "/channels/{channel_id}/threads/archived/public", archived_public});
    out.push_back({"GET", "/channels/{channel_id}/threads/archived/private", archived_private});
    out.push_back({"GET", "/channels/{channel_id}/users/@me/threads/archived/private", archived_joined});
    out.push_back({"GET", "/guilds/{guild_id}/threads/active", active_threads});
}

} // namespace cord::testing::detail
