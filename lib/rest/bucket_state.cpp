// cord: one rate-limit bucket's bookkeeping (pure: the clock is an argument).
// SPDX-License-Identifier: BSL-1.0
#include "rest/bucket_state.hpp"

#include <algorithm>
#include <climits>

namespace cord::rest {

namespace {

// Two responses of one server window give resets that differ by their latency; responses
// of successive windows differ by about a window. Half a window (at least 50 ms) tells them apart.
clock::duration window_tolerance(clock::duration window)
{
    return std::max<clock::duration>(window / 2, std::chrono::milliseconds{50});
}

// Discord (and the emulator) round Reset-After and retry_after to the millisecond: wait a
// little longer than told so a rounded-down value never sends us in early.
constexpr clock::duration rounding_margin = std::chrono::milliseconds{2};

// Counts learned from X-RateLimit-Limit may be as large as an int holds: adding our own
// requests to them saturates rather than overflowing into a negative count that would open
// the bucket.
int plus(int count, int more) noexcept
{
    return static_cast<int>(std::min<long long>(static_cast<long long>(count) + more, INT_MAX));
}

} // namespace

void bucket_state::start_window(time_point reset_at, int used)
{
    reset_at_ = reset_at;
    used_ = used;
    ++epoch_;
}

bucket_state::decision bucket_state::try_acquire(time_point now)
{
    decision d;
    if (now < paused_until_) {
        d.retry_at = paused_until_;
        return d;
    }
    if (reset_at_ && now >= *reset_at_) {
        // The server's window is over; requests still flying may count in the next one.
        reset_at_.reset();
        used_ = in_flight_;
        ++epoch_;
    }
    bool ok = unlimited_ || (limit_ ? used_ < *limit_ : in_flight_ == 0);
    if (!ok && limit_ && !reset_at_ && in_flight_ == 0) {
        // Full, the window's end unknown, and no response coming to tell it (the requests
        // failed): the window began no earlier than our last request's arrival, so it ends
        // within one window from now.
        reset_at_ = now + std::max<clock::duration>(window_, std::chrono::milliseconds{50}) + rounding_margin;
    }
    if (!ok) {
        if (limit_ && reset_at_)
            d.retry_at = *reset_at_;
        return d;
    }
    used_ = plus(used_, 1);   // an unlimited route counts on for ever
    ++in_flight_;
    last_used_ = now;
    d.granted = true;
    d.ticket = epoch_;
    return d;
}

void bucket_state::apply(time_point now, const rate_limit_info& info, bool counted_here)
{
    if (!info.has_bucket_headers()) {
        // No X-RateLimit headers: only the global limit applies to this route.
        if (!limit_ && !info.retry_after)
            unlimited_ = true;
        return;
    }
    unlimited_ = false;
    int limit = *info.limit;
    limit_ = std::max(limit, 1);
    auto reset_after = std::chrono::duration_cast<clock::duration>(*info.reset_after);
    window_ = std::max(window_, reset_after);
    time_point server_reset = now + reset_after + rounding_margin;
    int server_used = std::max(0, limit - *info.remaining);
    int extra = counted_here ? 0 : 1;
    if (!reset_at_) {
        reset_at_ = server_reset;
        used_ = std::max(plus(used_, extra), server_used);
    } else if (server_reset > *reset_at_ + window_tolerance(window_)) {
        // The server already counts a newer window: everything still flying may land in it.
        start_window(server_reset, plus(server_used, in_flight_));
    } else {
        reset_at_ = std::min(*reset_at_, server_reset);
        used_ = std::max(plus(used_, extra), server_used);
    }
}

void bucket_state::on_response(std::uint64_t ticket, time_point now, const rate_limit_info& info)
{
    in_flight_ = std::max(0, in_flight_ - 1);
    last_used_ = now;
    // A response to a request of an older window says nothing reliable about this one's
    // timing (its request was counted when the window began), except the limit itself.
    if (ticket == epoch_ || !limit_) {
        apply(now, info, true);
    } else if (!reset_at_ && info.has_bucket_headers()) {
        // A request of an older window answered while the current window's end is unknown.
        // A long Reset-After means it landed in the current server window: learn from it.
        // A short one means it landed in the old window, so it does not count in this one.
        if (std::chrono::duration_cast<clock::duration>(*info.reset_after) > window_tolerance(window_))
            apply(now, info, true);
        else
            used_ = std::max(0, used_ - 1);
    } else if (info.limit) {
        limit_ = std::max(*info.limit, 1);
    }
    if (info.retry_after && !info.global) {
        auto wait = std::chrono::duration_cast<clock::duration>(*info.retry_after) + rounding_margin;
        paused_until_ = std::max(paused_until_, now + wait);
        start_window(std::max(paused_until_, reset_at_.value_or(paused_until_)), limit_.value_or(1));
    }
}

void bucket_state::on_no_response(std::uint64_t)
{
    // The request may or may not have been counted by the server: keep it in `used`.
    in_flight_ = std::max(0, in_flight_ - 1);
}

void bucket_state::observe_foreign(time_point now, const rate_limit_info& info)
{
    last_used_ = now;
    apply(now, info, false);
    if (info.retry_after && !info.global) {
        auto wait = std::chrono::duration_cast<clock::duration>(*info.retry_after) + rounding_margin;
        paused_until_ = std::max(paused_until_, now + wait);
        start_window(std::max(paused_until_, reset_at_.value_or(paused_until_)), limit_.value_or(1));
    }
}

bool bucket_state::idle(time_point now, clock::duration idle_for) const noexcept
{
    if (in_flight_ > 0 || !waiters.empty() || now < paused_until_)
        return false;
    time_point quiet_since = std::max(last_used_, reset_at_.value_or(last_used_));
    return now >= quiet_since + idle_for;
}

} // namespace cord::rest
