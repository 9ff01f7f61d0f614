// cord: URL parsing for connection targets. Boost.URL parses (RFC 3986); cord then keeps only
// what it connects to. Many of these URLs come from a server (/gateway/bot, READY), so what
// is refused is quoted escaped, never raw.
// SPDX-License-Identifier: BSL-1.0
#include "net/url.hpp"

#include "log/peer_text.hpp"

#include <cord/error.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <fmt/format.h>

#include <charconv>

namespace cord::net {

namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why)
{
    throw error(errc::invalid_argument, fmt::format("invalid URL \"{}\": {}", detail::quote_peer_text(text, 200), why));
}

bool host_name_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
           || c == '_';
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
    if (text.size() > 2048)
        bad(text, "longer than 2048 bytes");
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed)
        bad(text, text.find("://") == std::string_view::npos
                      ? std::string{"no scheme (expected https://, http://, wss:// or ws://)"}
                      : fmt::format("not a URL ({})", parsed.error().message()));
    const boost::urls::url_view& v = *parsed;

    url u;
    u.scheme = v.scheme();
    for (auto& c : u.scheme)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u.scheme == "https" || u.scheme == "wss")
        u.tls = true;
    else if (u.scheme == "http" || u.scheme == "ws")
        u.tls = false;
    else
        bad(text, "unsupported scheme");
    if (!v.has_authority())
        bad(text, "no host");
    if (v.has_userinfo())
        bad(text, "credentials in URLs are not accepted");

    switch (v.host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6: u.host = v.encoded_host_address(); break;
    case boost::urls::host_type::name: {
        std::string_view name = v.encoded_host();
        for (char c : name)
            if (!host_name_char(c))
                bad(text, "the host is not a DNS name or an IP address");
        u.host = name;
        break;
    }
    default: bad(text, "the host is not a DNS name or an IP address");
    }
    if (u.host.empty())
        bad(text, "no host");

    if (v.has_port()) {
        std::string_view port_text = v.port();
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
        if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || p == 0
            || p > 65535)
            bad(text, "bad port");
        u.port = static_cast<std::uint16_t>(p);
    } else {
        u.port = u.tls ? 443 : 80;
    }

    std::string_view path = v.encoded_path();
    u.path.assign(path.empty() ? std::string_view{"/"} : path);
    if (v.has_query())
        u.query = v.encoded_query();
    return u;
}

} // namespace cord::net
