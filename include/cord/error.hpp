// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace cord {

/// Why a cord operation failed, when no Discord response says it.
enum class errc {
    invalid_argument = 1,   ///< a caller passed a value cord refuses (bad id, empty token…)
    json_parse,             ///< text that is not JSON
    json_access,            ///< missing key, index out of range or wrong type
    invalid_response,       ///< the peer answered something that is not Discord's protocol
    timeout,                ///< a deadline passed
    cancelled,              ///< the operation was cancelled
    unauthorized,           ///< the token was refused (401 / close 4004): cord stops sending
    rate_limit_wait,        ///< waiting for a rate limit would exceed the allowed maximum
    cloudflare_blocked,     ///< a 429/403 that came from Cloudflare, not from Discord's API
    payload_too_large,      ///< a payload above a size cap (ours or Discord's)
    transport,              ///< connection, TLS or WebSocket failure after all retries
    gateway_closed,         ///< the gateway closed with a code that cannot be recovered
    not_supported,          ///< Discord retired the endpoint and offers no replacement
    stopped,                ///< the client was stopped while the operation waited
};

/// The std::error_category of cord::errc (named "cord").
const std::error_category& cord_category() noexcept;
/// Makes cord::errc usable as a std::error_code.
inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), cord_category()}; }

/// Base of every exception cord throws. Its message never contains a token: it is
/// passed through cord::redact() on construction.
class error : public std::runtime_error {
public:
    /// An error of category `code`; `message` is redacted (cord::redact()).
    error(errc code, std::string_view message);
    /// An errc::invalid_argument error.
    explicit error(std::string_view message) : error(errc::invalid_argument, message) {}

    /// The category of failure; http::discord_error and gateway_error carry more.
    std::error_code code() const noexcept { return code_; }

private:
    std::error_code code_;
};

namespace http {

/// One entry of the `errors` tree of an Invalid Form Body (50035) response,
/// flattened: `path` is e.g. "embeds.0.title", `code` e.g. "BASE_TYPE_REQUIRED".
struct field_error {
    std::string path{};      ///< where in the request body, e.g. "embeds.0.title"
    std::string code{};      ///< Discord's code, e.g. "BASE_TYPE_REQUIRED"
    std::string message{};   ///< Discord's message for it
};

/// A non-2xx response from Discord's REST API (racket-cord's exn:fail:network:http:discord).
class discord_error : public cord::error {
public:
    /// The message names the status, the route (when given), Discord's code (when not 0), the
    /// reason and the field errors, and for 401, 403 and 404 what to check. `reason` is redacted; code() is
    /// errc::invalid_response.
    discord_error(int http_code, int discord_code, std::string reason,
                  std::vector<field_error> field_errors = {}, std::string_view route = {});

    /// Builds the error from a response status and body. A body that is not Discord's
    /// error JSON still gives an error (discord_code 0, the status text as reason).
    static discord_error from_response(int http_code, std::string_view body, std::string_view route = {});

    /// The HTTP status, e.g. 404.
    int http_code() const noexcept { return http_code_; }
    /// Discord's JSON error code (10008 unknown message, 50013 missing permissions…), 0 if none.
    int discord_code() const noexcept { return discord_code_; }
    /// Discord's message, e.g. "Unknown Message".
    const std::string& reason() const noexcept { return reason_; }
    /// For 50035: every invalid field with Discord's code and message.
    const std::vector<field_error>& field_errors() const noexcept { return field_errors_; }

private:
    int http_code_;
    int discord_code_;
    std::string reason_;
    std::vector<field_error> field_errors_;
};

} // namespace http

/// The gateway closed a shard's connection with a code that cannot be recovered by
/// reconnecting (4004, 4010–4014), or the session could not be kept alive.
class gateway_error : public cord::error {
public:
    /// code() is errc::gateway_closed.
    gateway_error(int close_code, std::string_view message);
    /// Builds the error for a close code with Discord's meaning and what to fix.
    static gateway_error from_close_code(int close_code, std::string_view reason = {});
    /// Builds the error for a shard whose IDENTIFYs keep ending before READY, whatever the
    /// close code (a server that answers a bad token with 4000 instead of 4004, say).
    static gateway_error never_ready(int identifies, int close_code, std::string_view reason = {});

    /// The WebSocket close code, e.g. 4004.
    int close_code() const noexcept { return close_code_; }

private:
    int close_code_;
};

/// Discord's meaning of a gateway close code and what a bot author should do about it.
std::string_view describe_close_code(int close_code) noexcept;

} // namespace cord

template <>
struct std::is_error_code_enum<cord::errc> : std::true_type {};
