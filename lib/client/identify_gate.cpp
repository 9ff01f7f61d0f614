// cord: identify pacing arithmetic.
// SPDX-License-Identifier: BSL-1.0
#include "client/identify_gate.hpp"

#include <algorithm>

namespace cord::detail {

identify_schedule::identify_schedule(int max_concurrency, std::chrono::milliseconds gap)
    : gap_(gap), next_(static_cast<std::size_t>(std::max(1, max_concurrency)), clock::time_point::min())
{
}

identify_schedule::clock::time_point identify_schedule::reserve(int shard_id, clock::time_point now)
{
    std::lock_guard lock{mutex_};
    auto key = static_cast<std::size_t>(shard_id) % next_.size();
    auto slot = std::max(now, next_[key]);
    next_[key] = slot + gap_;
    return slot;
}

} // namespace cord::detail
