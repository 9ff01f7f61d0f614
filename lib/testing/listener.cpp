// cord::testing: the emulator's acceptor.
// SPDX-License-Identifier: BSL-1.0
#include "listener.hpp"

#include "net.hpp"

#include <cord/logging.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <fmt/format.h>

#include <optional>

namespace cord::testing::detail {

namespace asio = boost::asio;
using asio::ip::tcp;

struct listener::state {
    std::shared_ptr<server_core> core;
    tcp::acceptor acceptor;
    std::optional<asio::ssl::context> tls;
    std::uint16_t port = 0;

    state(asio::any_io_executor ex, std::shared_ptr<server_core> c) : core(std::move(c)), acceptor(ex) {}
};

namespace {

asio::awaitable<void> serve_tls(std::shared_ptr<server_core> core, tls_stream stream)
{
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (ec) {
        discord_logger().log(log_level::debug, "fake-discord", fmt::format("TLS handshake failed: {}", ec.message()));
        co_return;
    }
    co_await serve_http(std::move(core), std::move(stream));
}

asio::awaitable<void> accept_loop(std::shared_ptr<listener::state> s)
{
    for (;;) {
        auto [ec, socket] = co_await s->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (!s->acceptor.is_open())
                co_return;
            continue;   // e.g. too many open files: keep serving the others
        }
        socket.set_option(tcp::no_delay(true));
        auto ex = socket.get_executor();
        if (s->tls)
            asio::co_spawn(ex, serve_tls(s->core, tls_stream(beast::tcp_stream(std::move(socket)), *s->tls)),
                           asio::detached);
        else
            asio::co_spawn(ex, serve_http(s->core, beast::tcp_stream(std::move(socket))), asio::detached);
    }
}

} // namespace

listener::listener(asio::any_io_executor ex, std::shared_ptr<server_core> core, std::uint16_t port,
                   const std::string& cert_pem, const std::string& key_pem)
    : s_(std::make_shared<state>(ex, std::move(core)))
{
    tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
    s_->acceptor.open(ep.protocol());
    s_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    s_->acceptor.bind(ep);
    s_->acceptor.listen(asio::socket_base::max_listen_connections);
    s_->port = s_->acceptor.local_endpoint().port();
    if (!cert_pem.empty()) {
        s_->tls.emplace(asio::ssl::context::tls_server);
        s_->tls->use_certificate_chain(asio::buffer(cert_pem));
        s_->tls->use_private_key(asio::buffer(key_pem), asio::ssl::context::pem);
    }
}

listener::~listener() = default;

std::uint16_t listener::port() const { return s_->port; }

void listener::start() { asio::co_spawn(s_->acceptor.get_executor(), accept_loop(s_), asio::detached); }

void listener::close()
{
    boost::system::error_code ignored;
    s_->acceptor.close(ignored);
}

} // namespace cord::testing::detail
