// cord: the rate limiter's bookkeeping (pure: the clock is an argument).
// SPDX-License-Identifier: BSL-1.0
#include "rest/rate_limiter.hpp"

#include <algorithm>

namespace cord::rest {

global_limiter::global_limiter(int per_second, clock::duration margin)
    : per_second_(per_second), window_(std::chrono::seconds{1} + margin)
{
}

std::optional<time_point> global_limiter::try_acquire(time_point now)
{
    if (now < paused_until_)
        return paused_until_;
    if (per_second_ <= 0)
        return std::nullopt;
    while (!sent_.empty() && sent_.front() + window_ <= now)
        sent_.pop_front();
    if (static_cast<int>(sent_.size()) >= per_second_)
        return sent_.front() + window_;
    sent_.push_back(now);
    return std::nullopt;
}

void invalid_request_window::expire(time_point now)
{
    auto second = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    while (!slots_.empty() && slots_.front().first <= second - span.count()) {
        total_ -= slots_.front().second;
        slots_.pop_front();
    }
}

bool invalid_request_window::add(time_point now, std::uint64_t warn_every)
{
    expire(now);
    auto second = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (slots_.empty() || slots_.back().first != second)
        slots_.emplace_back(second, 0);
    ++slots_.back().second;
    ++total_;
    return warn_every > 0 && total_ % warn_every == 0;
}

std::uint64_t invalid_request_window::count(time_point now)
{
    expire(now);
    return total_;
}

std::string rate_limiter::hash_key(std::string_view hash, std::string_view major) const
{
    std::string key{hash};
    key += ':';
    key += major;
    return key;
}

bucket_state& rate_limiter::bucket_for(std::string_view route_key, std::string_view major, std::string& key)
{
    if (auto it = routes_.find(std::string{route_key}); it != routes_.end()) {
        key = hash_key(it->second, major);
    } else {
        key = route_key;
        key += '|';
        key += major;
    }
    return buckets_[key];
}

bool rate_limiter::on_response(std::string_view route_key, std::string_view major, bucket_state& granted_by,
                               std::uint64_t ticket, time_point now, const rate_limit_info& info)
{
    granted_by.on_response(ticket, now, info);
    if (info.bucket.empty())
        return false;
    auto& hash = routes_[std::string{route_key}];
    bool moved = hash != info.bucket;
    hash = info.bucket;
    // A request that waited in the provisional bucket still counts in the shared one.
    auto& home = buckets_[hash_key(hash, major)];
    if (&home != &granted_by)
        home.observe_foreign(now, info);
    return moved;
}

std::size_t rate_limiter::evict_idle(time_point now, clock::duration idle_for)
{
    return std::erase_if(buckets_, [&](const auto& entry) { return entry.second.idle(now, idle_for); });
}

std::string rate_limiter::hash_of(std::string_view route_key) const
{
    auto it = routes_.find(std::string{route_key});
    return it == routes_.end() ? std::string{} : it->second;
}

} // namespace cord::rest
