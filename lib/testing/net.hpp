// cord::testing: private. The Beast side of the emulator: one function per (protocol,
// transport) pair, each compiled in its own TU so a change rebuilds one of them.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "core.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>

namespace cord::testing::detail {

namespace beast = boost::beast;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using upgrade_request = beast::http::request<beast::http::string_body>;

boost::asio::awaitable<void> serve_http(std::shared_ptr<server_core> core, beast::tcp_stream stream);
boost::asio::awaitable<void> serve_http(std::shared_ptr<server_core> core, tls_stream stream);

boost::asio::awaitable<void> serve_gateway(std::shared_ptr<server_core> core, beast::tcp_stream stream,
                                           upgrade_request req);
boost::asio::awaitable<void> serve_gateway(std::shared_ptr<server_core> core, tls_stream stream,
                                           upgrade_request req);

} // namespace cord::testing::detail
