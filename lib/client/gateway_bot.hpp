// cord: private. GET /gateway/bot's answer, every number in a sane range before the client
// sizes anything by it (a server that says 100,000 shards must not get 100,000 shards).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cord::detail {

/// The largest shard count cord accepts from the server (Discord's largest bots run a few
/// thousand), and the largest max_concurrency (Discord grants 16, 32, 64…).
inline constexpr std::int64_t max_recommended_shards = 65536;
inline constexpr std::int64_t max_identify_concurrency = 1024;

struct gateway_bot {
    std::optional<std::string> url;   ///< the gateway URL, when given
    std::optional<int> shards;        ///< the recommended shard count, when given
    int max_concurrency = 1;
    std::int64_t total = 1000;        ///< identifies per day
    std::int64_t remaining = 1000;
    std::chrono::milliseconds reset_after{0};
};

/// Reads the answer: a shard count outside [1, max_recommended_shards] or a URL cord would
/// not connect to (unparsable, or ws:// when `allow_plaintext` is false) is an error
/// (errc::invalid_response) that quotes the server's value escaped; the session_start_limit
/// numbers are clamped into range, each clamp reported through `warn`.
gateway_bot read_gateway_bot(const json& answer, bool allow_plaintext,
                             const std::function<void(std::string_view)>& warn);

} // namespace cord::detail
