// cord: private. All of cord's rate-limit bookkeeping: buckets by route and major
// parameter, the global limit, and the invalid-request window. Pure: the clock is an
// argument, and the async side keeps it on one strand.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/bucket_state.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace cord::rest {

/// cord's own pacing of every request: at most `per_second` sends in any window of one
/// second plus a margin (the margin absorbs the jitter between our send and the server's
/// clock, so a server counting fixed windows from its first arrival never sees more).
class global_limiter {
public:
    explicit global_limiter(int per_second, clock::duration margin = std::chrono::milliseconds{20});

    /// nullopt: granted (and counted); else the time to try again.
    std::optional<time_point> try_acquire(time_point now);
    /// A global 429: nothing is sent before `until`.
    void pause_until(time_point until) noexcept { paused_until_ = std::max(paused_until_, until); }
    time_point paused_until() const noexcept { return paused_until_; }

    std::deque<waiter*> waiters;

private:
    int per_second_;
    clock::duration window_;
    std::deque<time_point> sent_;   ///< send times within the last window (at most per_second_)
    time_point paused_until_{};
};

/// Discord bans an IP with 10,000 responses 401/403/429 (except shared 429s) in 10 minutes.
/// Counts them in a sliding window (per-second slots, so memory stays small).
class invalid_request_window {
public:
    static constexpr std::chrono::seconds span{600};

    /// Adds one; true when the count just reached a multiple of `warn_every`.
    bool add(time_point now, std::uint64_t warn_every);
    std::uint64_t count(time_point now);

private:
    void expire(time_point now);
    std::deque<std::pair<std::int64_t, std::uint64_t>> slots_;   ///< (second, count)
    std::uint64_t total_ = 0;
};

class rate_limiter {
public:
    /// The bucket a request waits on: "hash:major" once the route's hash is known, else the
    /// route's own provisional bucket "METHOD /template|major". `key` receives its name.
    bucket_state& bucket_for(std::string_view route_key, std::string_view major, std::string& key);

    /// After a response to a request granted by `granted_by` with `ticket`: updates that
    /// bucket, learns route → X-RateLimit-Bucket, and tells the hash bucket when the request
    /// waited elsewhere. Returns true when the route moved to another bucket (the async side
    /// then wakes the waiters left behind so they find their new bucket).
    bool on_response(std::string_view route_key, std::string_view major, bucket_state& granted_by,
                     std::uint64_t ticket, time_point now, const rate_limit_info& info);

    /// Forgets buckets with nothing waiting or flying whose window ended `idle_for` ago.
    std::size_t evict_idle(time_point now, clock::duration idle_for);

    std::size_t bucket_count() const noexcept { return buckets_.size(); }
    /// The learned X-RateLimit-Bucket of a route ("" when unknown).
    std::string hash_of(std::string_view route_key) const;

private:
    std::string hash_key(std::string_view hash, std::string_view major) const;

    std::unordered_map<std::string, std::string> routes_;   ///< route key → bucket hash
    std::unordered_map<std::string, bucket_state> buckets_; ///< node-based: references stay valid
};

} // namespace cord::rest
