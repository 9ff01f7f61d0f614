// cord: private. What the REST core reads of an HTTP response, and what it makes of it.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/rest_options.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cord::rest {

/// A response as the transport hands it over: status, body and the headers cord reads.
struct raw_response {
    int status = 0;
    std::string body;
    std::string content_type;
    bool has_via = false;           ///< Discord's API answers carry `Via`; a Cloudflare block does not
    std::string limit;              ///< X-RateLimit-Limit
    std::string remaining;          ///< X-RateLimit-Remaining
    std::string reset_after;        ///< X-RateLimit-Reset-After
    std::string bucket;             ///< X-RateLimit-Bucket
    std::string global;             ///< X-RateLimit-Global
    std::string scope;              ///< X-RateLimit-Scope
    std::string retry_after;        ///< Retry-After (seconds)
};

/// The rate-limit facts of one response.
struct rate_limit_info {
    std::optional<int> limit;
    std::optional<int> remaining;
    std::optional<std::chrono::microseconds> reset_after;
    std::string bucket;
    /// Set on a 429: how long to wait, whether it is global, and its scope.
    std::optional<std::chrono::microseconds> retry_after;
    bool global = false;
    rate_limit_scope scope = rate_limit_scope::user;

    bool has_bucket_headers() const noexcept { return limit && remaining && reset_after; }
};

enum class response_kind {
    ok,              ///< 2xx with a JSON body (or 204 / an empty body → null)
    rate_limited,    ///< Discord's 429 with retry_after
    cloudflare,      ///< a 429 that is not Discord's (no Via, no JSON retry_after): the IP is banned
                     ///< for retry_after; every route pauses, then retries
    server_error,    ///< 5xx: retry where safe
    unauthorized,    ///< 401: the token is bad, stop sending
    client_error,    ///< other 4xx (and 3xx): throw discord_error
};

/// The longest wait cord takes on a server's word (retry_after, Retry-After, Reset-After).
/// Discord's waits are seconds to minutes; a longer one is a fault, and obeying it would stop
/// the bot for days. A longer value is cut to this, with a warning.
inline constexpr std::chrono::seconds max_server_pause{3600};
/// How long a Cloudflare block (a 429 without Via and without Discord's JSON) pauses every
/// route when it carries no Retry-After: the window over which Discord counts invalid requests.
inline constexpr std::chrono::seconds cloudflare_default_pause{600};
/// X-RateLimit-Limit above this is cut to it (Discord's buckets allow tens of requests);
/// it only sizes a counter, so a lie costs pacing, never memory.
inline constexpr int max_bucket_limit = 10000;

/// Which numbers of a response were outside their range and cut (a bit each), so the
/// client can warn once per cause instead of once per response.
enum clamp_cause : unsigned {
    clamped_retry_after = 1u << 0,   ///< body retry_after or Retry-After above max_server_pause
    clamped_reset_after = 1u << 1,   ///< X-RateLimit-Reset-After above max_server_pause
    clamped_limit = 1u << 2,         ///< X-RateLimit-Limit 0 or above max_bucket_limit
    clamped_remaining = 1u << 3,     ///< X-RateLimit-Remaining above the limit
};

struct classified_response {
    response_kind kind = response_kind::ok;
    rate_limit_info limits;
    unsigned clamped = 0;   ///< clamp_cause bits
    /// 401, 403 and 429 (except scope shared) count toward Discord's invalid-request ban.
    bool counts_as_invalid = false;
};

/// Reads the status, the rate-limit headers and, for a 429, the body (a 2xx body is parsed
/// once, by the caller, into the json it returns).
classified_response classify(const raw_response& response);

/// A number of seconds read from the server, cut to max_server_pause.
struct seconds_reading {
    std::optional<std::chrono::microseconds> value;   ///< nullopt: not a non-negative number
    bool clamped = false;                             ///< it was above max_server_pause
};

seconds_reading read_seconds(std::string_view text) noexcept;
seconds_reading read_seconds(double seconds) noexcept;

/// Parses "1.234" (seconds) into microseconds, at most max_server_pause; nullopt when it is
/// not a non-negative number.
std::optional<std::chrono::microseconds> parse_seconds(std::string_view text) noexcept;

} // namespace cord::rest
