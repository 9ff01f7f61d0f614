// cord: the response header fields cord reads.
// SPDX-License-Identifier: BSL-1.0
#include "rest/response_headers.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace cord::rest {

namespace {

struct known_header {
    std::string_view name;
    std::string raw_response::*field;
};

constexpr known_header known_headers[] = {
    {"Content-Type", &raw_response::content_type},
    {"X-RateLimit-Limit", &raw_response::limit},
    {"X-RateLimit-Remaining", &raw_response::remaining},
    {"X-RateLimit-Reset-After", &raw_response::reset_after},
    {"X-RateLimit-Bucket", &raw_response::bucket},
    {"X-RateLimit-Global", &raw_response::global},
    {"X-RateLimit-Scope", &raw_response::scope},
    {"Retry-After", &raw_response::retry_after},
};

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// HTTP field names are case-insensitive ASCII (RFC 9110 5.1).
bool same_name(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

} // namespace

void read_headers(raw_response& response, std::span<const header_field> fields)
{
    bool seen[std::size(known_headers)] = {};
    for (const auto& f : fields) {
        if (same_name(f.name, "Via")) {
            response.has_via = true;
            continue;
        }
        for (std::size_t i = 0; i < std::size(known_headers); ++i) {
            if (!seen[i] && same_name(f.name, known_headers[i].name)) {
                response.*known_headers[i].field = std::string{f.value};
                seen[i] = true;
                break;
            }
        }
    }
}

} // namespace cord::rest
