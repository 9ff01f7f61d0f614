// cord: private. Which response header fields cord reads, by name: the transport hands every
// field over as text, so the mapping onto raw_response stays free of Beast (and fuzzable).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/response.hpp"

#include <span>
#include <string_view>

namespace cord::rest {

/// One header field of a response, as received.
struct header_field {
    std::string_view name;
    std::string_view value;
};

/// Fills the headers cord reads (Content-Type, Via, Retry-After and X-RateLimit-*) from a
/// response's fields in order. Names compare case-insensitively; of a repeated header the
/// first counts. Fields cord does not read are ignored.
void read_headers(raw_response& response, std::span<const header_field> fields);

} // namespace cord::rest
