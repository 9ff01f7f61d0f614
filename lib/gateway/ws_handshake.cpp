// cord: the WebSocket upgrade (ws_handshake.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "gateway/ws_handshake.hpp"
#include "net/base64.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace cord::gateway {

namespace {

constexpr std::string_view ws_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// True when the comma-separated header value holds `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) noexcept
{
    while (!value.empty()) {
        auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token))
            return true;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

} // namespace

std::string accept_key(std::string_view key)
{
    std::string input{key};
    input += ws_guid;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha1(), nullptr);
    return net::base64({reinterpret_cast<const char*>(digest), size});
}

std::string upgrade_request(std::string_view host, std::string_view target, std::string_view user_agent,
                            std::string_view key)
{
    return fmt::format("GET {} HTTP/1.1\r\n"
                       "Host: {}\r\n"
                       "Upgrade: websocket\r\n"
                       "Connection: Upgrade\r\n"
                       "Sec-WebSocket-Key: {}\r\n"
                       "Sec-WebSocket-Version: 13\r\n"
                       "User-Agent: {}\r\n"
                       "\r\n",
                       target, host, key, user_agent);
}

std::string check_upgrade_response(std::string_view head, std::string_view key)
{
    auto line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    // "HTTP/1.1 101 Switching Protocols"
    if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12 || status_line[8] != ' ')
        return "the gateway did not answer the WebSocket upgrade with HTTP";
    std::string_view status = status_line.substr(9, 3);
    if (status != "101")
        return fmt::format("the gateway answered the WebSocket upgrade with {}",
                           trim(status_line.substr(9, 60)));
    bool upgrade = false, connection = false, accepted = false;
    std::string expected = accept_key(key);
    std::string_view rest = line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
    while (!rest.empty()) {
        auto end = rest.find("\r\n");
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        if (line.empty())
            break;
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            return "the gateway's upgrade response has a malformed header line";
        std::string_view name = line.substr(0, colon);
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Upgrade"))
            upgrade = iequals(value, "websocket");
        else if (iequals(name, "Connection"))
            connection = has_token(value, "upgrade");
        else if (iequals(name, "Sec-WebSocket-Accept"))
            accepted = value == expected;
        else if (iequals(name, "Sec-WebSocket-Extensions") || iequals(name, "Sec-WebSocket-Protocol"))
            return fmt::format("the gateway accepted a WebSocket {} that was not offered", name.substr(14));
    }
    if (!upgrade || !connection)
        return "the gateway's 101 response does not upgrade the connection to a WebSocket";
    if (!accepted)
        return "the gateway's Sec-WebSocket-Accept does not match the key sent";
    return {};
}

} // namespace cord::gateway
