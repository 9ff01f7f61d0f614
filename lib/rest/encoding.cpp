// cord: percent-encoding for paths, queries and the audit-log reason.
// SPDX-License-Identifier: BSL-1.0
#include "rest/encoding.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

namespace cord::rest {

namespace {

bool unreserved(unsigned char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

} // namespace

std::string percent_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params)
{
    std::string out;
    for (const auto& [key, value] : params) {
        if (key.empty())
            throw error(errc::invalid_argument, "a query parameter has an empty name");
        if (!out.empty())
            out += '&';
        out += percent_encode(key);
        out += '=';
        out += percent_encode(value);
    }
    return out;
}

bool utf8_length(std::string_view text, std::size_t& chars) noexcept
{
    chars = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > text.size())
            return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2)
                return false;
        // Overlong two-byte forms are the usual way to smuggle a '/' or a NUL past a check.
        if (len == 2 && c < 0xC2)
            return false;
        i += len;
        ++chars;
    }
    return true;
}

std::string encode_audit_log_reason(std::string_view reason)
{
    std::size_t chars = 0;
    if (!utf8_length(reason, chars))
        throw error(errc::invalid_argument, "the audit-log reason is not valid UTF-8");
    if (chars > 512)
        throw error(errc::invalid_argument,
                    fmt::format("the audit-log reason has {} characters; Discord takes at most 512", chars));
    return percent_encode(reason);
}

} // namespace cord::rest
