// cord::testing: the gateway protocol as Discord plays it (reference/gateway.md): HELLO,
// IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay, op 9, close codes,
// identify pacing, the send limit, op 3/4/8; and the routing of dispatches to sessions.
// No I/O here: connections hand in text and receive frames through gateway_link.
// SPDX-License-Identifier: BSL-1.0
#include "core.hpp"

#include <cord/logging.hpp>

#include <fmt/format.h>

#include <random>
#include <set>

namespace cord::testing::detail {

namespace {

constexpr std::uint32_t bit(int n) { return 1u << n; }
constexpr std::uint32_t defined_intents = 0x0331'FFFFu;
constexpr std::uint32_t guild_members = bit(1);
constexpr std::uint32_t message_content = bit(15);

frame make_frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

frame op_frame(int op, std::string_view d) { return make_frame(fmt::format(R"({{"op":{},"d":{},"s":null,"t":null}})", op, d)); }

std::string new_session_id()
{
    static std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("{:016x}{:016x}", rng(), rng());
}

int shard_of(std::uint64_t guild_id, int shard_count)
{
    return shard_count <= 0 ? 0 : static_cast<int>((guild_id >> 22) % static_cast<std::uint64_t>(shard_count));
}

const bj::object* object_at(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

} // namespace

std::uint32_t intent_for(std::string_view e, bool in_guild)
{
    auto starts = [&](std::string_view p) { return e.starts_with(p); };
    if (e == "GUILD_CREATE" || e == "GUILD_UPDATE" || e == "GUILD_DELETE" || starts("GUILD_ROLE_")
        || e == "CHANNEL_CREATE" || e == "CHANNEL_UPDATE" || e == "CHANNEL_DELETE" || starts("THREAD_CREATE")
        || e == "THREAD_UPDATE" || e == "THREAD_DELETE" || e == "THREAD_LIST_SYNC" || e == "THREAD_MEMBER_UPDATE"
        || starts("STAGE_INSTANCE_") || e == "VOICE_CHANNEL_STATUS_UPDATE" || e == "VOICE_CHANNEL_START_TIME_UPDATE")
        return bit(0);
    if (e == "CHANNEL_PINS_UPDATE")
        return in_guild ? bit(0) : bit(12);
    if (starts("GUILD_MEMBER_ADD") || e == "GUILD_MEMBER_UPDATE" || e == "GUILD_MEMBER_REMOVE"
        || e == "THREAD_MEMBERS_UPDATE")
        return bit(1);
    if (starts("GUILD_BAN_") || e == "GUILD_AUDIT_LOG_ENTRY_CREATE")
        return bit(2);
    if (e == "GUILD_EMOJIS_UPDATE" || e == "GUILD_STICKERS_UPDATE" || starts("GUILD_SOUNDBOARD_SOUND"))
        return bit(3);
    if (e == "GUILD_INTEGRATIONS_UPDATE" || starts("INTEGRATION_"))
        return bit(4);
    if (e == "WEBHOOKS_UPDATE")
        return bit(5);
    if (starts("INVITE_"))
        return bit(6);
    if (e == "VOICE_STATE_UPDATE" || e == "VOICE_CHANNEL_EFFECT_SEND")
        return bit(7);
    if (e == "PRESENCE_UPDATE")
        return bit(8);
    if (e == "MESSAGE_CREATE" || e == "MESSAGE_UPDATE" || e == "MESSAGE_DELETE" || e == "MESSAGE_DELETE_BULK")
        return in_guild ? bit(9) : bit(12);
    if (starts("MESSAGE_REACTION_"))
        return in_guild ? bit(10) : bit(13);
    if (e == "TYPING_START")
        return in_guild ? bit(11) : bit(14);
    if (starts("GUILD_SCHEDULED_EVENT_"))
        return bit(16);
    if (starts("AUTO_MODERATION_RULE_"))
        return bit(20);
    if (e == "AUTO_MODERATION_ACTION_EXECUTION")
        return bit(21);
    if (starts("MESSAGE_POLL_VOTE_"))
        return in_guild ? bit(24) : bit(25);
    return 0;
}

std::vector<std::shared_ptr<gateway_link>> server_core::open_links(std::optional<int> shard)
{
    std::vector<std::shared_ptr<gateway_link>> out;
    for (auto& [id, weak] : links) {
        auto l = weak.lock();
        if (!l)
            continue;
        if (shard && (!l->session || l->session->shard_id != *shard))
            continue;
        out.push_back(std::move(l));
    }
    return out;
}

namespace {

// Sends a dispatch whose `d` is already JSON text; records it for RESUME.
void send_dispatch_text(server_core& core, gateway_session& s, std::string_view name, std::string_view d)
{
    auto seq = ++s.seq;
    auto f = make_frame(fmt::format(R"({{"op":0,"s":{},"t":"{}","d":{}}})", seq, name, d));
    s.history.emplace_back(seq, f);
    while (s.history.size() > core.options.resume_history)
        s.history.pop_front();
    if (s.connection)
        if (auto it = core.links.find(s.connection); it != core.links.end())
            if (auto l = it->second.lock())
                l->send(std::move(f));
}

// Without MESSAGE_CONTENT a bot sees empty content in guild messages that do not mention it
// and that it did not write.
bool hide_content(const pending_event& ev, std::uint64_t bot_id)
{
    if (ev.guild_id == 0 || (ev.name != "MESSAGE_CREATE" && ev.name != "MESSAGE_UPDATE"))
        return false;
    if (auto* a = object_at(ev.d, "author"); a && id_of(a->if_contains("id")) == bot_id)
        return false;
    if (auto* m = ev.d.if_contains("mentions"); m && m->is_array())
        for (const auto& u : m->get_array())
            if (u.is_object() && id_of(u.get_object().if_contains("id")) == bot_id)
                return false;
    return true;
}

} // namespace

void server_core::send_dispatch(gateway_session& s, std::string_view name, const bj::value& d)
{
    send_dispatch_text(*this, s, name, bj::serialize(d));
}

void server_core::emit(const pending_event& ev)
{
    // Every session gets it, connected or not: a disconnected session replays it on RESUME.
    std::string full = bj::serialize(ev.d);
    std::string stripped;
    auto needed = intent_for(ev.name, ev.guild_id != 0);
    bool strip = hide_content(ev, state.bot_id);
    if (strip) {
        bj::object d = ev.d;
        d["content"] = "";
        d["embeds"] = bj::array{};
        d["attachments"] = bj::array{};
        d["components"] = bj::array{};
        d.erase("poll");
        stripped = bj::serialize(d);
    }
    for (auto& [id, s] : sessions) {
        if (shard_of(ev.guild_id, s->shard_count) != s->shard_id)
            continue;
        if (needed && (s->intents & needed) == 0)
            continue;
        bool hide = strip && (s->intents & message_content) == 0;
        send_dispatch_text(*this, *s, ev.name, hide ? stripped : full);
    }
}

void server_core::emit_to_shard(int shard, std::string_view name, const bj::object& d)
{
    emit_text_to_shard(shard, name, bj::serialize(d), intent_for(name, d.contains("guild_id")));
}

void server_core::emit_text_to_shard(int shard, std::string_view name, std::string_view d, std::uint32_t needed)
{
    for (auto& [id, s] : sessions)
        if (s->shard_id == shard && (!needed || (s->intents & needed)))
            send_dispatch_text(*this, *s, name, d);
}

void server_core::gateway_open(const std::shared_ptr<gateway_link>& link)
{
    std::lock_guard lock{mu};
    link->id = next_link_id++;
    links[link->id] = link;
    ++counters.gateway_connections;
    link->send(op_frame(10, fmt::format(R"({{"heartbeat_interval":{}}})", options.heartbeat_interval.count())));
}

void server_core::gateway_closed(gateway_link& link, int client_close_code)
{
    std::lock_guard lock{mu};
    links.erase(link.id);
    if (auto s = link.session) {
        if (s->connection == link.id)
            s->connection = 0;
        // A client closing with 1000/1001 ends its session (the bot goes offline).
        if (client_close_code == 1000 || client_close_code == 1001)
            sessions.erase(s->id);
    }
}

namespace {

void close_with(gateway_link& link, int code, std::string_view why)
{
    discord_logger().log(log_level::debug, "fake-discord", fmt::format("gateway: closing with {}: {}", code, why));
    link.closing = true;
    link.close(code);
}

void identify(server_core& core, gateway_link& link, const bj::object& d)
{
    auto& o = core.options;
    if (link.session)
        return close_with(link, 4005, "already authenticated");
    auto* token = d.if_contains("token");
    if (!token || !token->is_string())
        return close_with(link, 4002, "IDENTIFY without a token");
    std::string_view t = token->get_string();
    if (t.starts_with("Bot "))
        t.remove_prefix(4);
    if (t != o.token)
        return close_with(link, 4004, "authentication failed");
    auto* intents_v = d.if_contains("intents");
    if (!intents_v || !(intents_v->is_int64() || intents_v->is_uint64()) || intents_v->to_number<std::int64_t>() < 0)
        return close_with(link, 4002, "IDENTIFY without intents");
    auto intents = static_cast<std::uint64_t>(intents_v->to_number<std::int64_t>());
    if (intents & ~static_cast<std::uint64_t>(defined_intents))
        return close_with(link, 4013, "invalid intents");
    constexpr std::uint32_t privileged = guild_members | bit(8) | message_content;   // bit 8: presences
    if (intents & privileged & ~o.privileged_intents)
        return close_with(link, 4014, "disallowed intents");
    int shard_id = 0, shard_count = 1;
    if (auto* sh = d.if_contains("shard"); sh && !sh->is_null()) {
        auto* arr = sh->if_array();
        if (!arr || arr->size() != 2 || !(*arr)[0].is_number() || !(*arr)[1].is_number())
            return close_with(link, 4010, "invalid shard");
        shard_id = (*arr)[0].to_number<int>();
        shard_count = (*arr)[1].to_number<int>();
        if (shard_count < 1 || shard_id < 0 || shard_id >= shard_count)
            return close_with(link, 4010, "invalid shard");
    }
    std::size_t bot_guilds = 0;
    for (auto& [gid, g] : core.state.guilds)
        bot_guilds += g.members.count(core.state.bot_id);
    if (bot_guilds > 2500u * static_cast<unsigned>(shard_count))
        return close_with(link, 4011, "sharding required");

    // Identify pacing: each rate_limit_key may start one session per window.
    auto now = clock::now();
    int key = shard_id % std::max(1, o.max_concurrency);
    if (auto it = core.identify_keys.find(key); it != core.identify_keys.end() && now - it->second < o.identify_window) {
        link.send(op_frame(9, "false"));
        return;
    }
    core.identify_keys[key] = now;
    ++core.counters.identifies;
    core.session_starts_remaining = std::max(0, core.session_starts_remaining - 1);
    core.identifies.push_back({shard_id, shard_count, static_cast<std::uint32_t>(intents), to_cord(d),
                               std::chrono::steady_clock::now()});

    auto s = std::make_shared<gateway_session>();
    s->id = new_session_id();
    s->shard_id = shard_id;
    s->shard_count = shard_count;
    s->intents = static_cast<std::uint32_t>(intents);
    s->connection = link.id;
    core.sessions[s->id] = s;
    link.session = s;

    bj::array guilds;
    std::vector<std::uint64_t> mine;
    for (auto& [gid, g] : core.state.guilds)
        if (g.members.count(core.state.bot_id) && shard_of(gid, shard_count) == shard_id) {
            guilds.push_back(bj::object{{"id", id_str(gid)}, {"unavailable", true}});
            mine.push_back(gid);
        }
    bj::object ready{{"v", 10},
                     {"user", core.state.user(core.state.bot_id)},
                     {"guilds", std::move(guilds)},
                     {"session_id", s->id},
                     {"resume_gateway_url", core.public_url_ws},
                     {"shard", bj::array{shard_id, shard_count}},
                     {"application", bj::object{{"id", id_str(core.state.bot_id)}, {"flags", 0}}},
                     {"private_channels", bj::array{}},
                     {"presences", bj::array{}},
                     {"relationships", bj::array{}},
                     {"guild_join_requests", bj::array{}},
                     {"user_settings", bj::object{}},
                     {"session_type", "normal"},
                     {"auth", bj::object{}},
                     {"_trace", bj::array{"[\"cord-fake-discord\",{\"micros\":0}]"}}};
    core.send_dispatch(*s, "READY", ready);
    for (auto gid : mine)
        core.send_dispatch(*s, "GUILD_CREATE", core.state.guild_create(gid));
}

void resume(server_core& core, gateway_link& link, const bj::object& d)
{
    if (link.session)
        return close_with(link, 4005, "already authenticated");
    auto* token = d.if_contains("token");
    auto* sid = d.if_contains("session_id");
    auto* seq = d.if_contains("seq");
    if (!token || !token->is_string() || !sid || !sid->is_string() || !seq || !(seq->is_number() || seq->is_null()))
        return close_with(link, 4002, "RESUME needs token, session_id and seq");
    std::string_view t = token->get_string();
    if (t.starts_with("Bot "))
        t.remove_prefix(4);
    if (t != core.options.token)
        return close_with(link, 4004, "authentication failed");
    auto it = core.sessions.find(std::string_view{sid->get_string()});
    if (it == core.sessions.end()) {
        link.send(op_frame(9, "false"));
        return;
    }
    auto s = it->second;
    std::int64_t from = seq->is_null() ? 0 : seq->to_number<std::int64_t>();
    if (from > s->seq)
        return close_with(link, 4007, "invalid seq");
    if (!s->history.empty() && from + 1 < s->history.front().first) {
        link.send(op_frame(9, "false"));   // the events after `seq` are no longer kept
        return;
    }
    // A session lives on one connection: an old one still open is dropped.
    if (s->connection && s->connection != link.id)
        if (auto old = core.links.find(s->connection); old != core.links.end())
            if (auto l = old->second.lock()) {
                l->session.reset();
                l->drop();
            }
    s->connection = link.id;
    link.session = s;
    ++core.counters.resumes;
    std::vector<frame> replay;
    for (auto& [n, f] : s->history)
        if (n > from)
            replay.push_back(f);
    if (!replay.empty())
        link.send_many(std::move(replay));
    core.send_dispatch(*s, "RESUMED", bj::object{});
}

void presence_update(server_core& core, gateway_link& link, const bj::object& d)
{
    auto* status = d.if_contains("status");
    static const std::set<std::string_view> statuses{"online", "dnd", "idle", "invisible", "offline"};
    if (!status || !status->is_string() || !statuses.count(status->get_string())
        || (d.contains("activities") && !d.at("activities").is_array()))
        return close_with(link, 4002, "invalid presence");
    core.presences.push_back(to_cord(d));
    core.state.bot_presence = d;
    auto shown = status->get_string() == "invisible" ? bj::string("offline") : status->get_string();
    for (auto& [gid, g] : core.state.guilds) {
        if (!g.members.count(core.state.bot_id) || shard_of(gid, link.session->shard_count) != link.session->shard_id)
            continue;
        core.emit({"PRESENCE_UPDATE",
                   bj::object{{"user", bj::object{{"id", id_str(core.state.bot_id)}}},
                              {"guild_id", id_str(gid)},
                              {"status", shown},
                              {"activities", d.contains("activities") ? d.at("activities") : bj::array{}},
                              {"client_status", bj::object{{"web", shown}}}},
                   gid});
    }
}

void request_members(server_core& core, gateway_link& link, const bj::object& d)
{
    auto gid = id_of(d.if_contains("guild_id"));
    auto git = core.state.guilds.find(gid);
    if (git == core.state.guilds.end() || shard_of(gid, link.session->shard_count) != link.session->shard_id)
        return close_with(link, 4001, "guild not on this shard");
    std::string query = d.contains("query") && d.at("query").is_string() ? std::string{d.at("query").get_string()} : "";
    int limit = d.contains("limit") && d.at("limit").is_number() ? d.at("limit").to_number<int>() : 0;
    std::set<std::uint64_t> wanted;
    bool by_id = false;
    if (auto* ids = d.if_contains("user_ids")) {
        by_id = true;
        if (ids->is_array())
            for (auto& v : ids->get_array())
                wanted.insert(id_of(&v));
        else
            wanted.insert(id_of(ids));
    }
    // Every member needs GUILD_MEMBERS; without it Discord answers nothing at all.
    if (!by_id && query.empty() && !(link.session->intents & guild_members))
        return;
    bj::array members, not_found;
    for (auto& [uid, m] : git->second.members) {
        if (by_id ? !wanted.count(uid)
                  : !std::string_view{core.state.users.at(uid).at("username").as_string()}.starts_with(query))
            continue;
        if (!by_id && limit > 0 && static_cast<int>(members.size()) >= limit)
            break;
        members.push_back(core.state.render_member(gid, m, uid));
    }
    for (auto uid : wanted)
        if (!git->second.members.count(uid))
            not_found.push_back(id_str(uid));
    // At most 1000 members per chunk, as Discord does.
    std::size_t chunks = std::max<std::size_t>(1, (members.size() + 999) / 1000);
    for (std::size_t i = 0; i < chunks; ++i) {
        bj::array part;
        for (std::size_t j = i * 1000; j < std::min(members.size(), (i + 1) * 1000); ++j)
            part.push_back(members[j]);
        bj::object chunk{{"guild_id", id_str(gid)}, {"members", std::move(part)},
                         {"chunk_index", static_cast<std::int64_t>(i)}, {"chunk_count", static_cast<std::int64_t>(chunks)}};
        if (by_id)
            chunk["not_found"] = not_found;
        if (auto* nonce = d.if_contains("nonce"))
            chunk["nonce"] = *nonce;
        if (d.contains("presences") && d.at("presences").is_bool() && d.at("presences").get_bool())
            chunk["presences"] = bj::array{};
        core.send_dispatch(*link.session, "GUILD_MEMBERS_CHUNK", chunk);
    }
}

void voice_state(server_core& core, gateway_link& link, const bj::object& d)
{
    auto gid = id_of(d.if_contains("guild_id"));
    if (!core.state.guilds.count(gid))
        return close_with(link, 4001, "unknown guild in voice state update");
    bj::value channel = d.contains("channel_id") ? d.at("channel_id") : bj::value(nullptr);
    bj::object vs{{"guild_id", id_str(gid)}, {"channel_id", channel}, {"user_id", id_str(core.state.bot_id)},
                  {"session_id", link.session->id}, {"deaf", false}, {"mute", false},
                  {"self_deaf", d.contains("self_deaf") ? d.at("self_deaf") : bj::value(false)},
                  {"self_mute", d.contains("self_mute") ? d.at("self_mute") : bj::value(false)},
                  {"self_video", false}, {"suppress", false}, {"request_to_speak_timestamp", nullptr}};
    core.send_dispatch(*link.session, "VOICE_STATE_UPDATE", vs);
    if (!channel.is_null())
        core.send_dispatch(*link.session, "VOICE_SERVER_UPDATE",
                           bj::object{{"token", "fake-voice-token"}, {"guild_id", id_str(gid)},
                                      {"endpoint", "127.0.0.1:0"}});
}

} // namespace

void server_core::gateway_message(gateway_link& link, std::string_view text)
{
    std::lock_guard lock{mu};
    if (link.closing)
        return;
    auto now = clock::now();
    link.received.push_back(now);
    while (!link.received.empty() && now - link.received.front() >= options.gateway_send_window)
        link.received.pop_front();
    if (static_cast<int>(link.received.size()) > options.gateway_send_limit)
        return close_with(link, 4008, "rate limited");
    if (text.size() > 4096)
        return close_with(link, 4002, "payload over 4096 bytes");
    boost::system::error_code ec;
    auto v = bj::parse(text, ec);
    if (ec || !v.is_object() || !v.get_object().contains("op") || !v.get_object().at("op").is_number())
        return close_with(link, 4002, "decode error");
    auto& o = v.get_object();
    int op = o.at("op").to_number<int>();
    static const bj::object empty;
    const bj::object* d = o.contains("d") ? o.at("d").if_object() : nullptr;
    if (op != 1 && op != 2 && op != 6 && !link.session) {
        if (op == 3 || op == 4 || op == 8 || op == 31 || op == 43)
            return close_with(link, 4003, "not authenticated");
    }
    switch (op) {
    case 1:
        ++counters.heartbeats;
        if (!withhold_acks)
            link.send(op_frame(11, "null"));
        return;
    case 2:
        if (!d)
            return close_with(link, 4002, "IDENTIFY without d");
        return identify(*this, link, *d);
    case 6:
        if (!d)
            return close_with(link, 4002, "RESUME without d");
        return resume(*this, link, *d);
    case 3:
        return presence_update(*this, link, d ? *d : empty);
    case 4:
        return voice_state(*this, link, d ? *d : empty);
    case 8:
        return request_members(*this, link, d ? *d : empty);
    case 31:
    case 43:
        return;   // soundboard / channel info requests: accepted, not modelled
    default:
        return close_with(link, 4001, fmt::format("unknown opcode {}", op));
    }
}

} // namespace cord::testing::detail
