// cord: private. The arithmetic of one rate-limit bucket, with the clock passed in.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/response.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace cord::rest {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;

struct waiter;   // the async side's queue entry; this file only stores pointers

/// One bucket (a route's own provisional bucket, or "hash:major"). It counts what was sent
/// in the current window and never lets more than the server's limit out, whatever order
/// the responses come back in:
/// - limit unknown (nothing learned yet): one request at a time, until a response tells;
/// - `used` counts this window's requests; at the window's end a new window begins with
///   the requests still in flight counted (they may land in it);
/// - every response in the current window tightens `used` (never below the server's count)
///   and `reset_at` (now + Reset-After is an upper bound of the server's reset);
/// - a response showing a newer server window (its reset well past ours) starts that window;
///   responses to requests of an older window are not trusted for timing;
/// - a 429 pauses the bucket for retry_after.
class bucket_state {
public:
    struct decision {
        bool granted = false;
        std::uint64_t ticket = 0;            ///< hand back to on_response / on_no_response
        std::optional<time_point> retry_at;  ///< when not granted: when to try again; nullopt = after a response
    };

    decision try_acquire(time_point now);

    /// A response to a request granted here (the ticket says from which window).
    void on_response(std::uint64_t ticket, time_point now, const rate_limit_info& info);
    /// A granted request that got no response (transport error, timeout, cancellation).
    void on_no_response(std::uint64_t ticket);
    /// A response to a request counted in another bucket (a route's provisional bucket)
    /// that tells about this one: its request is counted here as one more.
    void observe_foreign(time_point now, const rate_limit_info& info);

    /// True when nothing waits or flies here and the window ended `idle_for` ago.
    bool idle(time_point now, clock::duration idle_for) const noexcept;

    bool limited() const noexcept { return !unlimited_; }
    std::optional<int> limit() const noexcept { return limit_; }
    int used() const noexcept { return used_; }
    int in_flight() const noexcept { return in_flight_; }
    std::optional<time_point> reset_at() const noexcept { return reset_at_; }

    /// The async side's FIFO of callers waiting on this bucket.
    std::deque<waiter*> waiters;

private:
    void apply(time_point now, const rate_limit_info& info, bool counted_here);
    void start_window(time_point reset_at, int used);

    std::optional<int> limit_;
    bool unlimited_ = false;               ///< the route sends no X-RateLimit headers
    int used_ = 0;
    int in_flight_ = 0;
    std::optional<time_point> reset_at_;   ///< nullopt: a window began, its end not yet known
    time_point paused_until_{};
    time_point last_used_{};
    clock::duration window_{};             ///< the longest Reset-After seen: tells windows apart
    std::uint64_t epoch_ = 1;              ///< client-side window number, carried by tickets
};

} // namespace cord::rest
