// cord: the gateway send limit.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/send_limiter.hpp"

#include <algorithm>

namespace cord::gateway {

send_limiter::send_limiter(int limit, std::chrono::milliseconds window, int reserved_for_heartbeats,
                           std::chrono::milliseconds margin)
    : limit_(limit), window_(window + margin), reserved_(0)
{
    set_reserved(reserved_for_heartbeats);
}

void send_limiter::set_reserved(int reserved) noexcept { reserved_ = std::clamp(reserved, 0, limit_ / 2); }

int send_limiter::heartbeat_reserve(std::chrono::milliseconds heartbeat_interval, std::chrono::milliseconds window)
{
    if (heartbeat_interval.count() <= 0)
        return 3;
    auto beats = (window.count() + heartbeat_interval.count() - 1) / heartbeat_interval.count();
    return static_cast<int>(beats) + 2;
}

void send_limiter::expire(clock::time_point now)
{
    for (auto* log : {&normal_, &beats_})
        while (!log->empty() && log->front() + window_ <= now)
            log->pop_front();
}

int send_limiter::budget() const noexcept { return std::max(1, limit_ - reserved_ - penalty_); }

int send_limiter::sent_in_window(clock::time_point now)
{
    expire(now);
    return static_cast<int>(normal_.size() + beats_.size());
}

bool send_limiter::try_acquire(clock::time_point now)
{
    expire(now);
    if (static_cast<int>(normal_.size()) >= budget())
        return false;
    normal_.push_back(now);
    return true;
}

send_limiter::clock::time_point send_limiter::next_available(clock::time_point now)
{
    expire(now);
    auto used = static_cast<int>(normal_.size());
    if (used < budget())
        return now;
    // The oldest sends that must leave the window before one more normal payload fits.
    return normal_[static_cast<std::size_t>(used - budget())] + window_;
}

void send_limiter::acquire_heartbeat(clock::time_point now)
{
    expire(now);
    beats_.push_back(now);
}

void send_limiter::slow_down() noexcept
{
    penalty_ += std::max(1, budget() / 2);
    penalty_ = std::min(penalty_, limit_ - reserved_ - 1);
}

} // namespace cord::gateway
