// cord::testing: Discord's REST rate limits (see reference/rate-limits.md).
// SPDX-License-Identifier: BSL-1.0
#include "rate_limits.hpp"

#include "bjson.hpp"

#include <fmt/format.h>

#include <cmath>

namespace cord::testing::detail {

namespace {

std::string route_key(std::string_view method, std::string_view route_template)
{
    return fmt::format("{} {}", method, route_template);
}

// An opaque 32-hex-digit id like Discord's X-RateLimit-Bucket, stable for a route.
std::string opaque_hash(std::string_view text)
{
    std::uint64_t a = 14695981039346656037ULL, b = 1099511628211ULL;
    for (unsigned char c : text) {
        a = (a ^ c) * 1099511628211ULL;
        b = (b + c) * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    return fmt::format("{:016x}{:016x}", a, b);
}

double seconds(clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Discord gives reset times with millisecond precision.
std::string seconds_text(double s) { return fmt::format("{:.3f}", std::max(0.0, s)); }

} // namespace

rate_decision too_many_requests(double retry_after, bool global)
{
    rate_decision out;
    out.status = 429;
    out.global = global;
    out.body = bj::serialize(bj::object{{"message", "You are being rate limited."},
                                        {"retry_after", std::round(retry_after * 1000) / 1000},
                                        {"global", global}});
    out.headers = {{"Retry-After", std::to_string(static_cast<long>(std::ceil(retry_after)))}};
    if (global)
        out.headers.emplace_back("X-RateLimit-Global", "true");
    out.headers.emplace_back("X-RateLimit-Scope", global ? "global" : "user");
    return out;
}

rate_limiter::rate_limiter(bool route_limits, int global_per_second)
    : route_limits_(route_limits), global_per_second_(global_per_second)
{
}

bucket_config rate_limiter::default_bucket(std::string_view method, std::string_view route_template)
{
    using std::chrono::milliseconds;
    auto key = route_key(method, route_template);
    bucket_config b;
    if (key == "POST /channels/{channel_id}/messages") {
        b = {5, milliseconds{5000}, {}};
    } else if (route_template.find("/reactions/") != std::string_view::npos) {
        b = {1, milliseconds{250}, {}};   // reactions: Discord's famous 1 per 0.25 s
    } else {
        b = {50, milliseconds{1000}, {}};
    }
    b.hash = opaque_hash(key);
    return b;
}

void rate_limiter::set_route(std::string_view method, std::string_view route_template, bucket_config bucket)
{
    if (bucket.hash.empty())
        bucket.hash = opaque_hash(route_key(method, route_template));
    routes_[route_key(method, route_template)] = std::move(bucket);
}

bucket_config rate_limiter::route_bucket(std::string_view method, std::string_view route_template)
{
    auto key = route_key(method, route_template);
    if (auto it = routes_.find(key); it != routes_.end())
        return it->second;
    return routes_[key] = default_bucket(method, route_template);
}

rate_decision rate_limiter::admit(std::string_view method, std::string_view route_template,
                                  std::string_view major, bool counts_global, clock::time_point now)
{
    rate_decision out;
    // Global limit first: a request refused globally does not use its route's bucket.
    if (counts_global && global_per_second_ > 0) {
        if (now >= global_.reset_at) {
            global_.used = 0;
            global_.reset_at = now + std::chrono::seconds{1};
        }
        if (global_.used >= global_per_second_)
            return too_many_requests(seconds(global_.reset_at - now), true);
        ++global_.used;
    }
    if (!route_limits_)
        return out;

    auto bucket = route_bucket(method, route_template);
    auto& w = buckets_[fmt::format("{}:{}", bucket.hash, major)];
    if (now >= w.reset_at) {
        w.used = 0;
        w.reset_at = now + bucket.window;
    }
    bool limited = w.used >= bucket.limit;
    if (!limited)
        ++w.used;
    double reset_after = seconds(w.reset_at - now);
    double reset_epoch = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()
        + reset_after;
    out.headers = {{"X-RateLimit-Limit", std::to_string(bucket.limit)},
                   {"X-RateLimit-Remaining", std::to_string(bucket.limit - w.used)},
                   {"X-RateLimit-Reset", seconds_text(reset_epoch)},
                   {"X-RateLimit-Reset-After", seconds_text(reset_after)},
                   {"X-RateLimit-Bucket", bucket.hash}};
    if (limited) {
        auto refused = too_many_requests(reset_after, false);
        out.status = refused.status;
        out.body = std::move(refused.body);
        for (auto& h : refused.headers)
            out.headers.push_back(std::move(h));
    }
    return out;
}

} // namespace cord::testing::detail
