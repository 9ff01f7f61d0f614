// cord: private. The parts of an http(s)/ws(s) URL that cord connects to.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cord::net {

struct url {
    bool tls = true;          ///< https / wss
    std::string scheme;       ///< "https", "http", "wss" or "ws"
    std::string host;         ///< without brackets for IPv6 literals
    std::uint16_t port = 0;   ///< explicit, or 443 / 80 from the scheme
    std::string path;         ///< starts with '/', no query ("/" when absent)
    std::string query;        ///< without '?'

    /// "host" or "host:port" as sent in the Host header (port omitted when default).
    std::string host_header() const;
};

/// Parses an absolute http(s):// or ws(s):// URL; throws cord::error (invalid_argument)
/// naming what is wrong. Userinfo is refused (a credential in a URL would be logged).
url parse_url(std::string_view text);

} // namespace cord::net
