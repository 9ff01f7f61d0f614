// cord: gateway payload texts.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/payloads.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <fmt/format.h>

namespace cord::gateway {

namespace {

std::string_view operating_system()
{
#if defined(__linux__)
    return "linux";
#elif defined(__APPLE__)
    return "macos";
#elif defined(_WIN32)
    return "windows";
#else
    return "unknown";
#endif
}

void append_snowflake(std::string& out, snowflake id)
{
    out += '"';
    out += std::to_string(id.value);
    out += '"';
}

} // namespace

void check_payload_size(std::string_view text, int op)
{
    if (text.size() > max_payload_size)
        throw error(errc::payload_too_large,
                    fmt::format("gateway payload (op {}) is {} bytes; Discord accepts at most {} and would close "
                                "the connection with 4002",
                                op, text.size(), max_payload_size));
}

std::string presence_json(const presence& p)
{
    std::string out = "{\"since\":";
    out += p.since ? std::to_string(*p.since) : "null";
    out += ",\"activities\":";
    out += p.activities.is_null() ? "[]" : p.activities.dump();
    out += ",\"status\":";
    append_json_string(out, p.status);
    out += ",\"afk\":";
    out += p.afk ? "true" : "false";
    out += '}';
    return out;
}

std::string identify_payload(const identify_params& p)
{
    std::string out = "{\"op\":2,\"d\":{\"token\":";
    append_json_string(out, p.token);
    out += fmt::format(",\"intents\":{},\"properties\":{{\"os\":", to_bits(p.intents));
    append_json_string(out, operating_system());
    out += ",\"browser\":";
    append_json_string(out, p.library_name);
    out += ",\"device\":";
    append_json_string(out, p.library_name);
    out += fmt::format("}},\"shard\":[{},{}],\"large_threshold\":{}", p.shard_id, p.shard_count, p.large_threshold);
    if (p.initial_presence) {
        out += ",\"presence\":";
        out += presence_json(*p.initial_presence);
    }
    out += "}}";
    return out;
}

std::string resume_payload(std::string_view token, std::string_view session_id, std::uint64_t seq)
{
    std::string out = "{\"op\":6,\"d\":{\"token\":";
    append_json_string(out, token);
    out += ",\"session_id\":";
    append_json_string(out, session_id);
    out += fmt::format(",\"seq\":{}}}}}", seq);
    return out;
}

std::string heartbeat_payload(std::uint64_t seq)
{
    return seq == 0 ? std::string{"{\"op\":1,\"d\":null}"} : fmt::format("{{\"op\":1,\"d\":{}}}", seq);
}

std::string presence_payload(const presence& p) { return generic_payload(3, presence_json(p)); }

void check_member_request(intents granted, std::string_view query, int limit, std::size_t user_ids,
                          bool presences)
{
    auto refuse = [](std::string_view why) {
        throw error(errc::invalid_argument, fmt::format("request_guild_members: {}", why));
    };
    if (user_ids > 100)
        refuse(fmt::format("{} user_ids; Discord takes at most 100 per request", user_ids));
    if (limit < 0)
        refuse("limit must not be negative");
    if (user_ids == 0 && query.empty() && !has_intents(granted, intents::guild_members))
        refuse("asking for every member (an empty query) needs the GUILD_MEMBERS intent; without it Discord "
               "sends no GUILD_MEMBERS_CHUNK at all");
    if (presences && !has_intents(granted, intents::guild_presences))
        refuse("presences need the GUILD_PRESENCES intent");
}

std::string request_guild_members_payload(snowflake guild_id, std::string_view query, int limit,
                                          const std::vector<snowflake>& user_ids, bool presences,
                                          std::string_view nonce)
{
    std::string out = "{\"op\":8,\"d\":{\"guild_id\":";
    append_snowflake(out, guild_id);
    if (!user_ids.empty()) {
        out += ",\"user_ids\":[";
        for (std::size_t i = 0; i < user_ids.size(); ++i) {
            if (i)
                out += ',';
            append_snowflake(out, user_ids[i]);
        }
        out += ']';
    } else {
        out += ",\"query\":";
        append_json_string(out, query);
    }
    out += fmt::format(",\"limit\":{},\"presences\":{},\"nonce\":", limit, presences);
    append_json_string(out, nonce);
    out += "}}";
    return out;
}

std::string voice_state_payload(snowflake guild_id, std::optional<snowflake> channel_id, bool self_mute,
                                bool self_deaf)
{
    std::string out = "{\"op\":4,\"d\":{\"guild_id\":";
    append_snowflake(out, guild_id);
    out += ",\"channel_id\":";
    if (channel_id)
        append_snowflake(out, *channel_id);
    else
        out += "null";
    out += fmt::format(",\"self_mute\":{},\"self_deaf\":{}}}}}", self_mute, self_deaf);
    return out;
}

std::string generic_payload(int op, std::string_view d_json)
{
    std::string out = fmt::format("{{\"op\":{},\"d\":", op);
    out += d_json;
    out += '}';
    return out;
}

} // namespace cord::gateway
