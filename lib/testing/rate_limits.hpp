// cord::testing: private. Discord's REST rate limits as the emulator enforces them:
// per-route buckets keyed by hash + major parameter, and one global per-second limit.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/testing/fake_discord.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord::testing::detail {

using clock = std::chrono::steady_clock;

struct rate_decision {
    int status = 0;   ///< 0 = admitted, 429 = limited
    bool global = false;
    std::string body;   ///< the 429 body
    std::vector<std::pair<std::string, std::string>> headers;   ///< to add to whatever is answered
};

/// Discord's 429 for a limit that resets in `retry_after` seconds: the JSON body, Retry-After and
/// X-RateLimit-Scope ("global" with X-RateLimit-Global, else "user").
rate_decision too_many_requests(double retry_after, bool global);

class rate_limiter {
public:
    rate_limiter(bool route_limits, int global_per_second);

    void set_route(std::string_view method, std::string_view route_template, bucket_config bucket);
    void set_global(int per_second) { global_per_second_ = per_second; }

    /// Admits or refuses one request. `counts_global`: false for routes exempt from the
    /// global limit (interactions) and for requests without a token.
    rate_decision admit(std::string_view method, std::string_view route_template, std::string_view major,
                        bool counts_global, clock::time_point now);

    /// The bucket a route uses when no test configured one (Discord-like defaults).
    static bucket_config default_bucket(std::string_view method, std::string_view route_template);

private:
    struct window {
        int used = 0;
        clock::time_point reset_at{};
    };

    bucket_config route_bucket(std::string_view method, std::string_view route_template);

    bool route_limits_;
    int global_per_second_;
    std::map<std::string, bucket_config, std::less<>> routes_;   ///< "METHOD /template"
    std::map<std::string, window, std::less<>> buckets_;         ///< "hash:major"
    window global_;
};

} // namespace cord::testing::detail
