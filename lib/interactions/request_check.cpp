// cord: the interactions endpoint's request checks (see request_check.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/request_check.hpp"

#include <charconv>

namespace cord::detail::interactions {

namespace {

bool all_hex(std::string_view s) noexcept
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return true;
}

// Discord's timestamp is Unix seconds in decimal. A longer number than 12 digits is refused
// before it could overflow anything.
std::optional<std::int64_t> unix_seconds(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 12)
        return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0)
        return std::nullopt;
    return v;
}

} // namespace

verdict check_head(const request_head& head, std::chrono::system_clock::time_point now,
                   const check_settings& settings)
{
    if (head.method != "POST")
        return verdict::wrong_method;
    if (head.content_length && *head.content_length > settings.body_limit)
        return verdict::too_large;
    if (!head.signature)
        return verdict::missing_signature;
    if (!head.timestamp)
        return verdict::missing_timestamp;
    if (head.signature->size() != 2 * ed25519_verifier::signature_size || !all_hex(*head.signature))
        return verdict::malformed_signature;
    auto seconds = unix_seconds(*head.timestamp);
    if (!seconds)
        return verdict::malformed_timestamp;
    auto sent = std::chrono::system_clock::time_point{std::chrono::seconds{*seconds}};
    auto gap = sent > now ? sent - now : now - sent;
    if (gap > settings.timestamp_tolerance)
        return verdict::stale_timestamp;
    return verdict::ok;
}

verdict check_signature(const ed25519_verifier& verifier, std::string_view signature_hex,
                        std::string_view timestamp, std::string_view body)
{
    return verifier.verify_hex(signature_hex, timestamp, body) ? verdict::ok : verdict::bad_signature;
}

int http_status(verdict v) noexcept
{
    switch (v) {
    case verdict::ok: return 200;
    case verdict::wrong_method: return 405;
    case verdict::too_large: return 413;
    default: return 401;
    }
}

std::string_view describe(verdict v) noexcept
{
    switch (v) {
    case verdict::ok: return "ok";
    case verdict::wrong_method: return "not a POST";
    case verdict::too_large: return "body over the limit";
    case verdict::missing_signature: return "no X-Signature-Ed25519 header";
    case verdict::missing_timestamp: return "no X-Signature-Timestamp header";
    case verdict::malformed_signature: return "X-Signature-Ed25519 is not 128 hex digits";
    case verdict::malformed_timestamp: return "X-Signature-Timestamp is not Unix seconds";
    case verdict::stale_timestamp: return "X-Signature-Timestamp too far from now (a replay?)";
    case verdict::bad_signature: return "bad signature";
    }
    return "?";
}

} // namespace cord::detail::interactions
