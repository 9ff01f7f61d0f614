// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/attachment.hpp>
#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/json.hpp>
#include <cord/rest_options.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord {

namespace rest {
struct request;
struct access;
} // namespace rest

/// Extras of one rest_client::request() call.
struct request_options {
    /// Query parameters, raw (cord percent-encodes them); repeat a key for arrays.
    std::vector<std::pair<std::string, std::string>> query{};
    /// X-Audit-Log-Reason, raw (cord percent-encodes it); not sent when empty.
    std::string reason{};
    /// Files: the call is sent as multipart/form-data with payload_json + files[n].
    std::vector<attachment> files{};
    /// This call's cap on waiting for a rate limit (else rest_options::max_rate_limit_wait).
    std::optional<std::chrono::milliseconds> max_rate_limit_wait{};
};

/// The REST half of cord: a keep-alive HTTPS connection pool to Discord's API with
/// Discord's rate limits obeyed (per-route buckets learned from the responses, the global
/// limit, 429s waited out and retried), 5xx and transport failures retried with backoff,
/// and a timeout on every exchange. Every `cord::http::` function takes one.
///
/// Thread safety: every member may be called from any thread or coroutine at once; the
/// limiter and the pool live on one strand of the executor.
/// Errors: a non-2xx answer throws cord::http::discord_error; cord's own failures throw
/// cord::error with an errc (timeout, cancelled, unauthorized, rate_limit_wait,
/// cloudflare_blocked, payload_too_large, transport, stopped, invalid_argument).
/// Cancellation: every call honours Asio cancellation (terminal, partial and total) and
/// then throws errc::cancelled.
class rest_client {
public:
    /// `token` is registered with cord::register_secret, so no log line or error shows it.
    rest_client(boost::asio::any_io_executor executor, std::string token, rest_options options = {},
                token_type type = token_type::bot);
    ~rest_client();   ///< stop()s; calls still running fail with errc::stopped
    rest_client(const rest_client&) = delete;
    rest_client& operator=(const rest_client&) = delete;

    /// Any endpoint cord does not wrap. `path` is relative to base_url ("/users/@me"),
    /// already percent-encoded, without a query (pass `options.query`); it is checked
    /// ('..', '?', '#', spaces and control characters are refused) and rate limited like
    /// every other call. Returns the response JSON; a 204 gives a null json.
    awaitable<json> request(std::string_view method, std::string_view path, std::optional<json> body,
                            const request_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
    /// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
    template <class Refused = void>
    awaitable<json> request(std::string_view, std::string_view, std::optional<json>, request_options&&)
    {
        static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
        return {};
    }
#endif
    /// The same without extras. (An overload rather than a default argument: g++ 12
    /// miscompiles aggregate temporaries created inside a co_await expression.)
    awaitable<json> request(std::string_view method, std::string_view path, std::optional<json> body = {});

    /// Counters since construction.
    rest_metrics metrics() const;

    /// Pending and future calls fail fast with errc::stopped; connections are closed.
    void stop();

    /// The options it was made with.
    const rest_options& options() const noexcept;
    /// The executor it was made with.
    boost::asio::any_io_executor get_executor() const noexcept;

    struct impl;

private:
    friend struct rest::access;
    std::shared_ptr<impl> impl_;
};

} // namespace cord
