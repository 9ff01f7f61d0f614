// cord: private. The interactions endpoint's decision about one HTTP request, pure (the clock is
// an argument): in two steps, because the first must be taken before the body is read.
//   1. check_head: method, Content-Length against the body limit (413 before reading a byte of
//      the body), the two signature headers present and well-formed, the timestamp within the
//      tolerance of now (so that a captured request cannot be replayed later);
//   2. check_signature: the Ed25519 signature of timestamp + raw body, before any JSON parse.
// Every refusal is 401 except the method (405) and the size (413), as Discord's endpoint
// check expects.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/ed25519_verifier.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cord::detail::interactions {

enum class verdict : std::uint8_t {
    ok,
    wrong_method,          ///< not a POST: 405
    too_large,             ///< Content-Length (or the body read) over the limit: 413
    missing_signature,     ///< no X-Signature-Ed25519: 401
    missing_timestamp,     ///< no X-Signature-Timestamp: 401
    malformed_signature,   ///< not 128 hex digits: 401
    malformed_timestamp,   ///< not a decimal number of seconds: 401
    stale_timestamp,       ///< further from now than the tolerance: 401
    bad_signature,         ///< the signature does not verify: 401
};

/// What check_head looks at, as the transport read it (views into its header fields).
struct request_head {
    std::string_view method;
    std::optional<std::uint64_t> content_length;   ///< absent for a chunked body
    std::optional<std::string_view> signature;     ///< X-Signature-Ed25519
    std::optional<std::string_view> timestamp;     ///< X-Signature-Timestamp
};

struct check_settings {
    std::size_t body_limit = std::size_t{1} << 20;
    std::chrono::seconds timestamp_tolerance{300};
};

/// Step 1, on the header alone.
verdict check_head(const request_head& head, std::chrono::system_clock::time_point now,
                   const check_settings& settings);
/// Step 2, once the body is read (the head passed check_head).
verdict check_signature(const ed25519_verifier& verifier, std::string_view signature_hex,
                        std::string_view timestamp, std::string_view body);

/// The HTTP status for a refusal (401, 405 or 413); 200 for ok.
int http_status(verdict v) noexcept;
/// Words for a log line: "bad signature", "stale timestamp"…
std::string_view describe(verdict v) noexcept;

} // namespace cord::detail::interactions
