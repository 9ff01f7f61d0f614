// cord: private. The interactions endpoint's HTTP/1.1 server, the only Beast code of the
// endpoint: accepts on an address and port (plain, or TLS with a certificate and key file),
// keeps connections alive, and for each request applies request_check (413 from
// Content-Length before the body is read; 401 for a missing, malformed or stale signature
// header without reading the body, then for a bad signature before any JSON parse), answers
// PINGs itself, and hands interactions and webhook events to an interaction_sink.
// Slow clients cannot hold a connection: the header (and then the body) must arrive within
// header_timeout of its first byte, the next request within idle_timeout; over
// max_connections a new connection gets a 503 and is closed.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/ed25519_verifier.hpp"
#include "interactions/first_response.hpp"
#include "interactions/request_check.hpp"

#include <cord/interactions/endpoint.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace cord::detail::interactions {

struct transport_settings {
    std::string address = "0.0.0.0";
    std::uint16_t port = 0;
    std::string tls_certificate_file{};   ///< empty: plain HTTP (TLS ends at a reverse proxy)
    std::string tls_private_key_file{};
    check_settings checks{};
    std::chrono::milliseconds header_timeout{10000};
    std::chrono::milliseconds idle_timeout{60000};
    std::size_t max_connections = 256;
    std::chrono::milliseconds auto_defer_margin{2500};
};

/// The public counters are the transport's own.
using transport_counters = cord::interactions::endpoint_counters;

class endpoint_server {
public:
    /// Binds and listens at once (so that port() is known); throws cord::error when the
    /// address cannot be bound or the TLS files cannot be read.
    endpoint_server(boost::asio::any_io_executor executor, transport_settings settings, ed25519_verifier verifier,
                    std::shared_ptr<interaction_sink> sink);
    ~endpoint_server();
    endpoint_server(const endpoint_server&) = delete;
    endpoint_server& operator=(const endpoint_server&) = delete;

    /// The port it listens on (the ephemeral one when asked for 0).
    std::uint16_t port() const noexcept;
    /// Serves until stop(); then returns once every connection has closed.
    boost::asio::awaitable<void> run();
    /// Stops accepting and closes every connection; from any thread, idempotent.
    void stop();
    transport_counters counters() const;

    struct state;

private:
    std::shared_ptr<state> s_;
};

} // namespace cord::detail::interactions
