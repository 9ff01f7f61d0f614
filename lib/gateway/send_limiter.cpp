// cord: the gateway send limit.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/send_limiter.hpp"

#include <algorithm>

namespace cord::gateway {

send_limiter::send_limiter(int limit, std::chrono::milliseconds window, int reserved_for_heartbeats)
    : limit_(limit), window_(window), reserved_(reserved_for_heartbeats)
{
}

int send_limiter::heartbeat_reserve(std::chrono::milliseconds heartbeat_interval, std::chrono::milliseconds window)
{
    if (heartbeat_interval.count() <= 0)
        return 2;
    auto beats = (window.count() + heartbeat_interval.count() - 1) / heartbeat_interval.count();
    return static_cast<int>(beats) + 1;
}

void send_limiter::expire(clock::time_point now)
{
    while (!sent_.empty() && sent_.front() + window_ <= now)
        sent_.pop_front();
}

int send_limiter::budget() const noexcept { return std::max(1, limit_ - reserved_ - penalty_); }

int send_limiter::sent_in_window(clock::time_point now)
{
    expire(now);
    return static_cast<int>(sent_.size());
}

bool send_limiter::try_acquire(clock::time_point now)
{
    expire(now);
    if (static_cast<int>(sent_.size()) >= budget())
        return false;
    sent_.push_back(now);
    return true;
}

send_limiter::clock::time_point send_limiter::next_available(clock::time_point now)
{
    expire(now);
    auto used = static_cast<int>(sent_.size());
    if (used < budget())
        return now;
    // The oldest sends that must leave the window before one more normal payload fits.
    return sent_[static_cast<std::size_t>(used - budget())] + window_;
}

void send_limiter::acquire_heartbeat(clock::time_point now)
{
    expire(now);
    sent_.push_back(now);
}

void send_limiter::slow_down() noexcept
{
    penalty_ += std::max(1, budget() / 2);
    penalty_ = std::min(penalty_, limit_ - reserved_ - 1);
}

} // namespace cord::gateway
