// cord: private. One gateway WebSocket connection, plain (ws://) or TLS (wss://), behind an
// interface so that Beast is compiled in transport.cpp alone and the shard logic stays light.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "net/url.hpp"

#include <cord/awaitable.hpp>
#include <cord/tls_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace boost::asio::ssl {
class context;
}

namespace cord::gateway {

using boost::system::error_code;

struct transport_timeouts {
    std::chrono::milliseconds connect{10000};     ///< resolve, TCP, TLS
    std::chrono::milliseconds handshake{10000};   ///< WebSocket upgrade and closing handshake
};

class transport {
public:
    virtual ~transport() = default;

    /// Resolves, connects, (TLS handshake,) WebSocket upgrade to `target` ("/?v=10&…"); each
    /// phase with its deadline (errc::timeout on expiry).
    virtual awaitable<error_code> connect(const net::url& where, std::string target, transport_timeouts t) = 0;
    /// Reads one whole message; the bytes stay valid until the next read() and are followed by
    /// at least parse_padding readable bytes (simdjson parses them in place).
    virtual awaitable<std::pair<error_code, std::string_view>> read() = 0;
    /// The next message, when it is buffered whole already (no waiting, no control frame to
    /// answer first), else nullopt: then read() gets it. The bytes follow read()'s rules.
    virtual std::optional<std::string_view> read_buffered() noexcept = 0;
    /// Whether a whole frame is buffered already, so that the next read() need not wait for
    /// the socket.
    virtual bool frame_buffered() const noexcept = 0;
    virtual awaitable<error_code> write(std::string_view text) = 0;
    /// Sends a close frame with `code` and waits (within the handshake deadline) for the answer.
    virtual awaitable<error_code> close(int code) = 0;
    /// Closes the socket at once: every pending operation completes with an error.
    virtual void force_close() noexcept = 0;
    /// The code of the close frame the peer sent, if it sent one.
    virtual std::optional<int> peer_close_code() const = 0;
    virtual std::string peer_close_reason() const = 0;
    /// What the last failed connect() or read() knows beyond its error code ("" if nothing).
    virtual std::string failure() const = 0;
};

/// The TLS context for every wss:// connection of a shard (verification on, SNI, host check).
std::shared_ptr<boost::asio::ssl::context> make_gateway_tls_context(const tls_options& options);

/// A connection to `tls` (wss) or plain (ws) `where`; `tls_context` must be set for wss.
std::unique_ptr<transport> make_transport(boost::asio::any_io_executor executor, bool tls,
                                          std::shared_ptr<boost::asio::ssl::context> tls_context,
                                          std::size_t max_message_size);

} // namespace cord::gateway
