// cord: URL parsing for connection targets.
// SPDX-License-Identifier: BSL-1.0
#include "net/url.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <charconv>

namespace cord::net {

namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why)
{
    throw error(errc::invalid_argument, fmt::format("invalid URL \"{}\": {}", text.substr(0, 200), why));
}

} // namespace

std::string url::host_header() const
{
    bool default_port = (tls && port == 443) || (!tls && port == 80);
    std::string h = host.find(':') != std::string::npos ? fmt::format("[{}]", host) : host;
    return default_port ? h : fmt::format("{}:{}", h, port);
}

url parse_url(std::string_view text)
{
    url u;
    auto sep = text.find("://");
    if (sep == std::string_view::npos)
        bad(text, "no scheme (expected https://, http://, wss:// or ws://)");
    u.scheme = std::string{text.substr(0, sep)};
    for (auto& c : u.scheme)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u.scheme == "https" || u.scheme == "wss")
        u.tls = true;
    else if (u.scheme == "http" || u.scheme == "ws")
        u.tls = false;
    else
        bad(text, "unsupported scheme");

    std::string_view rest = text.substr(sep + 3);
    auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos)
        bad(text, "credentials in URLs are not accepted");
    if (authority.empty())
        bad(text, "no host");

    std::string_view port_text;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos)
            bad(text, "unterminated IPv6 literal");
        u.host = std::string{authority.substr(1, close - 1)};
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                bad(text, "garbage after IPv6 literal");
            port_text = after.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        u.host = std::string{authority.substr(0, colon)};
        if (colon != std::string_view::npos)
            port_text = authority.substr(colon + 1);
    }
    if (u.host.empty())
        bad(text, "no host");
    if (!port_text.empty()) {
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || p == 0 || p > 65535)
            bad(text, "bad port");
        u.port = static_cast<std::uint16_t>(p);
    } else {
        u.port = u.tls ? 443 : 80;
    }

    auto hash = tail.find('#');
    tail = tail.substr(0, hash);
    auto q = tail.find('?');
    std::string_view path = tail.substr(0, q);
    u.path.assign(path.empty() ? std::string_view{"/"} : path);
    if (q != std::string_view::npos)
        u.query.assign(tail.substr(q + 1));
    return u;
}

} // namespace cord::net
