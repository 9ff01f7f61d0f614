// cord: private. Percent-encoding of what cord puts in a URL or a header.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord::rest {

/// RFC 3986: unreserved characters (A-Z a-z 0-9 - . _ ~) stay, every other byte becomes %XX.
std::string percent_encode(std::string_view text);

/// "k1=v1&k2=v2" with keys and values percent-encoded, in the given order (a repeated key
/// is how Discord takes arrays). Empty for no parameters.
std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params);

/// The X-Audit-Log-Reason value: 1-512 characters of UTF-8, percent-encoded. Throws
/// cord::error (invalid_argument) for invalid UTF-8 or more than 512 characters.
std::string encode_audit_log_reason(std::string_view reason);

/// True when `text` is well-formed UTF-8; `chars` receives the number of code points.
bool utf8_length(std::string_view text, std::size_t& chars) noexcept;

} // namespace cord::rest
