// cord: quoting a peer's text.
// SPDX-License-Identifier: BSL-1.0
#include "log/peer_text.hpp"

#include <cord/logging.hpp>

namespace cord::detail {

std::string escape_controls(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

namespace {

// A cut must not end inside a UTF-8 sequence: drop a last character that lost its tail.
void drop_partial_utf8(std::string& s)
{
    std::size_t start = s.size();
    while (start > 0 && start + 4 > s.size() && (static_cast<unsigned char>(s[start - 1]) & 0xC0) == 0x80)
        --start;
    if (start == 0)
        return;
    auto lead = static_cast<unsigned char>(s[start - 1]);
    std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (s.size() - (start - 1) < need)
        s.resize(start - 1);
}

} // namespace

std::string quote_peer_text(std::string_view text, std::size_t limit)
{
    // Redacting a huge body costs time; a window twice the limit still holds every token
    // that reaches into what is kept, and a piece of one cut at the window's edge lies
    // beyond the limit.
    bool cut = text.size() > limit;
    std::string out = escape_controls(redact(text.substr(0, 2 * limit + 128)));
    if (out.size() > limit) {
        out.resize(limit);
        drop_partial_utf8(out);
        cut = true;
    }
    if (cut)
        out += "...";
    return out;
}

} // namespace cord::detail
