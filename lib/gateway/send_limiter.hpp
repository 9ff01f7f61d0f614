// cord: private. Discord's gateway send limit (120 payloads per 60 s per connection) as a
// sliding window, with slots kept free for heartbeats: normal payloads may use the limit minus
// the reserve, heartbeats always go, so a shard that sends as fast as it may still never
// misses a beat nor exceeds the limit. Time is injected.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <chrono>
#include <deque>

namespace cord::gateway {

class send_limiter {
public:
    using clock = std::chrono::steady_clock;

    /// `margin` lengthens the window: a payload's arrival, not its sending, counts at the server,
    /// and network delays vary.
    send_limiter(int limit, std::chrono::milliseconds window, int reserved_for_heartbeats,
                 std::chrono::milliseconds margin = std::chrono::milliseconds{0});

    /// Slots kept for heartbeats in any window: one per heartbeat interval, plus one for a
    /// beat the server asks for (op 1) and one for IDENTIFY / RESUME.
    static int heartbeat_reserve(std::chrono::milliseconds heartbeat_interval, std::chrono::milliseconds window);
    /// At most half the limit is kept back, whatever the interval.
    void set_reserved(int reserved) noexcept;

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
    std::deque<clock::time_point> normal_;   // normal payloads in the window
    std::deque<clock::time_point> beats_;    // heartbeats (and IDENTIFY / RESUME) in the window
};

} // namespace cord::gateway
