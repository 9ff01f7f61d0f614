// cord: private. The text of every payload a shard sends, and Discord's 4096-byte cap.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/gateway_options.hpp>
#include <cord/intents.hpp>
#include <cord/snowflake.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cord::gateway {

/// Discord closes with 4002 on a payload above this.
inline constexpr std::size_t max_payload_size = 4096;

/// Throws cord::error (payload_too_large) when `text` exceeds max_payload_size.
void check_payload_size(std::string_view text, int op);

struct identify_params {
    std::string_view token;
    cord::intents intents = cord::intents::none;
    int shard_id = 0;
    int shard_count = 1;
    int large_threshold = 50;
    const presence* initial_presence = nullptr;
    std::string_view library_name = "cord";
};

std::string identify_payload(const identify_params& p);
std::string resume_payload(std::string_view token, std::string_view session_id, std::uint64_t seq);
/// `d` is the last sequence number, or null before the first dispatch (seq 0).
std::string heartbeat_payload(std::uint64_t seq);
std::string presence_payload(const presence& p);
/// Refuses (errc::invalid_argument) an op 8 that Discord would leave unanswered or close on:
/// every member (query "" without user_ids) without GUILD_MEMBERS, presences without
/// GUILD_PRESENCES, more than 100 user_ids, a negative limit.
void check_member_request(intents granted, std::string_view query, int limit, std::size_t user_ids,
                          bool presences);
std::string request_guild_members_payload(snowflake guild_id, std::string_view query, int limit,
                                          const std::vector<snowflake>& user_ids, bool presences,
                                          std::string_view nonce);
std::string voice_state_payload(snowflake guild_id, std::optional<snowflake> channel_id, bool self_mute,
                                bool self_deaf);
/// `{"op":op,"d":d_json}` with `d_json` already JSON text.
std::string generic_payload(int op, std::string_view d_json);

/// Presence as IDENTIFY's `presence` / op 3's `d`.
std::string presence_json(const presence& p);

} // namespace cord::gateway
