// cord: private. Identify pacing: one IDENTIFY per 5 s per rate_limit_key.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

namespace cord::detail {

/// Discord lets each rate_limit_key (shard_id % max_concurrency) IDENTIFY once per 5 s.
/// reserve() hands out slots in call order: the returned time is when the caller may
/// identify. Pure arithmetic with the time passed in, so it is unit-tested without clocks.
class identify_schedule {
public:
    using clock = std::chrono::steady_clock;
    /// Discord's 5 s, plus a margin so that send-time jitter never lands two identifies of
    /// one key inside Discord's window.
    static constexpr std::chrono::milliseconds spacing{5100};

    explicit identify_schedule(int max_concurrency, std::chrono::milliseconds gap = spacing);

    clock::time_point reserve(int shard_id, clock::time_point now);
    int max_concurrency() const noexcept { return static_cast<int>(next_.size()); }

private:
    std::mutex mutex_;
    std::chrono::milliseconds gap_;
    std::vector<clock::time_point> next_;   // per key: earliest time of the next identify
};

} // namespace cord::detail
