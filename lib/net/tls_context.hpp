// cord: private. The OpenSSL context behind every TLS connection cord makes.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/tls_options.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <string>

namespace cord::net {

/// A TLS 1.2+ client context that verifies peers against the system trust store and the
/// extra CAs of `options`. Throws cord::error when an extra CA cannot be loaded.
boost::asio::ssl::context make_client_tls_context(const tls_options& options);

/// Sets SNI and host-name verification on a stream about to handshake with `host`.
/// Throws cord::error when SNI cannot be set.
template <class Stream>
void prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host);

void set_sni_and_verify_host(SSL* ssl, const std::string& host);

template <class Stream>
void prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host)
{
    set_sni_and_verify_host(stream.native_handle(), host);
    stream.set_verify_mode(boost::asio::ssl::verify_peer);
}

} // namespace cord::net
