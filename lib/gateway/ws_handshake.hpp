// cord: private. The HTTP/1.1 upgrade that opens a gateway WebSocket (RFC 6455 §4), as text
// in and text out: the transport writes the request and hands back the response head.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cord::gateway {

/// The most a response head may take; a peer that sends more is not a gateway.
inline constexpr std::size_t max_upgrade_response = 16 * 1024;

/// The GET request that asks `host` to upgrade `target` to a WebSocket; `key` is the base64
/// of 16 random bytes. No extension is offered (permessage-deflate stays off: the gateway
/// compresses the stream itself).
std::string upgrade_request(std::string_view host, std::string_view target, std::string_view user_agent,
                            std::string_view key);

/// base64(SHA-1(key + RFC 6455's GUID)): the Sec-WebSocket-Accept a server must answer with.
std::string accept_key(std::string_view key);

/// Checks a response head (status line and headers, up to the empty line). Empty when it
/// accepts the upgrade; otherwise a sentence that says what was wrong.
std::string check_upgrade_response(std::string_view head, std::string_view key);

} // namespace cord::gateway
