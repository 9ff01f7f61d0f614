// cord: private. Discord's gateway send limit (120 payloads per 60 s per connection) as a
// sliding window, with slots kept free for heartbeats: a shard that sends as fast as it may
// still never misses a beat. Time is injected.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <chrono>
#include <deque>

namespace cord::gateway {

class send_limiter {
public:
    using clock = std::chrono::steady_clock;

    send_limiter(int limit, std::chrono::milliseconds window, int reserved_for_heartbeats);

    /// Slots kept for heartbeats in any window: one per heartbeat interval, plus one for a
    /// beat the server asks for (op 1).
    static int heartbeat_reserve(std::chrono::milliseconds heartbeat_interval, std::chrono::milliseconds window);
    void set_reserved(int reserved) noexcept { reserved_ = reserved; }

    /// A normal payload: true (and counted) when it may go now.
    bool try_acquire(clock::time_point now);
    /// When try_acquire() will next succeed (`now` if it would now).
    clock::time_point next_available(clock::time_point now);
    /// A heartbeat: always goes, always counted.
    void acquire_heartbeat(clock::time_point now);

    /// After a 4008 close: halve what normal payloads may use (never below one per window).
    void slow_down() noexcept;

    int sent_in_window(clock::time_point now);
    int budget() const noexcept;   ///< normal payloads per window

private:
    void expire(clock::time_point now);

    int limit_;
    std::chrono::milliseconds window_;
    int reserved_;
    int penalty_ = 0;   // subtracted from the budget after 4008
    std::deque<clock::time_point> sent_;
};

} // namespace cord::gateway
