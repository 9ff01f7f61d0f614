// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/tls_options.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cord {

/// How the token is sent in `Authorization`.
enum class token_type : std::uint8_t {
    bot,      ///< "Bot <token>"
    bearer,   ///< "Bearer <token>" (OAuth2)
    client,   ///< the bare token (a user token, as racket-cord allowed)
};

/// Which limit a 429 came from (Discord's X-RateLimit-Scope).
enum class rate_limit_scope : std::uint8_t { user, global, shared };

/// One finished REST attempt, as reported to rest_options::on_metrics.
struct rest_event {
    std::string method{};                  ///< "GET", "POST"…
    std::string route{};                   ///< the route template, e.g. "/channels/{channel_id}/messages"
    std::string bucket{};                  ///< the limiter key it waited on ("" = global limit only)
    int status = 0;                        ///< HTTP status; 0 when no response arrived
    int attempt = 0;                       ///< 0 for the first try, then 1, 2… for retries
    std::chrono::microseconds rate_limit_wait{0};   ///< time this attempt waited for rate limits
    std::chrono::microseconds duration{0};          ///< from sending to the end of the response
};

/// Counters of a rest_client since it was made (a consistent-enough snapshot: each field
/// is read atomically on its own).
struct rest_metrics {
    std::uint64_t requests = 0;              ///< HTTP attempts sent (retries included)
    std::uint64_t responses = 0;             ///< responses received, any status
    std::uint64_t retries = 0;               ///< attempts repeated after a 5xx, a 429 or a transport error
    std::uint64_t rate_limited_user = 0;     ///< 429s with scope user
    std::uint64_t rate_limited_global = 0;   ///< 429s with scope global
    std::uint64_t rate_limited_shared = 0;   ///< 429s with scope shared
    std::uint64_t cloudflare_blocked = 0;    ///< 429s that did not come from Discord's API
    std::uint64_t server_errors = 0;         ///< 5xx responses
    std::uint64_t transport_errors = 0;      ///< failed connections, resets, timeouts
    std::uint64_t invalid_requests = 0;      ///< 401/403/429 (not shared) in the last 10 minutes
    std::uint64_t connections_opened = 0;    ///< connections to the API host opened
    std::chrono::microseconds rate_limit_wait{0};   ///< total time calls waited for rate limits
};

/// Options of cord's REST half, filled with designated initialisers:
/// `rest_options{.base_url = fake.rest_url(), .tls = {.allow_plaintext = true}}`.
struct rest_options {
    /// The API root; every route is relative to it. https unless tls.allow_plaintext.
    std::string base_url = "https://discord.com/api/v10";
    /// Peer verification (on by default) and extra CAs; allow_plaintext for http:// emulators.
    tls_options tls{};
    /// Limit of one HTTP exchange (connect, send, receive); errc::timeout when it passes.
    std::chrono::milliseconds request_timeout{15000};
    /// How often a 5xx or transport failure is retried, where a retry is safe.
    int max_retries = 3;
    /// Backoff before retry n: min(backoff_max, backoff_min * 2^n).
    std::chrono::milliseconds backoff_min{250};
    std::chrono::milliseconds backoff_max{8000};   ///< see backoff_min
    /// How many 429s one call may meet before it fails (each is waited out first).
    int max_rate_limit_retries = 5;
    /// A call that would wait longer than this for a rate limit fails at once with
    /// errc::rate_limit_wait instead of sleeping (a request may lower it).
    std::chrono::milliseconds max_rate_limit_wait{60000};
    /// cord's own pacing of all requests (Discord's global limit: 50/s for most bots).
    int global_requests_per_second = 50;
    /// Keep-alive connections to the API host.
    std::size_t max_connections = 4;
    /// Keep-alive connections for interaction callbacks, \@original and followups, apart from
    /// the others: an answer due within Discord's 3 s never waits behind other traffic.
    std::size_t interaction_connections = 4;
    /// Bodies larger than this are refused (errc::payload_too_large).
    std::size_t max_response_size = 8 * 1024 * 1024;
    /// A warning is logged each time the invalid-request count (401/403/429 in 10 minutes)
    /// crosses a multiple of this; Discord bans an IP at 10,000.
    std::uint64_t invalid_request_warning = 1000;
    /// Buckets unused for this long (and with no request waiting) are forgotten.
    std::chrono::milliseconds bucket_idle_timeout{300000};
    /// Called after each attempt, on the client's strand: keep it short and non-blocking.
    std::function<void(const rest_event&)> on_metrics{};
};

} // namespace cord
