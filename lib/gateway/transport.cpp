// cord: the gateway's WebSocket transport over Beast. The only gateway TU that sees Beast.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/transport.hpp"
#include "net/tls_context.hpp"

#include <cord/error.hpp>
#include <cord/version.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace cord::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

using plain_stream = beast::tcp_stream;
using tls_stream = asio::ssl::stream<beast::tcp_stream>;

template <class NextLayer>
class ws_transport final : public transport {
public:
    ws_transport(asio::any_io_executor ex, std::shared_ptr<asio::ssl::context> tls, std::size_t max_message)
        : tls_(std::move(tls)), ws_(make_stream(ex, tls_.get()))
    {
        ws_.read_message_max(max_message);
        ws_.auto_fragment(false);
    }

    awaitable<error_code> connect(const net::url& where, std::string target, transport_timeouts t) override
    {
        auto& tcp_layer = beast::get_lowest_layer(ws_);
        auto [ec, endpoints] = co_await resolve(where, t.connect);
        if (ec)
            co_return ec;
        tcp_layer.expires_after(t.connect);
        std::tie(ec, std::ignore) = co_await tcp_layer.async_connect(endpoints, tuple_awaitable);
        if (ec)
            co_return timeout_or(ec);
        tcp_layer.socket().set_option(tcp::no_delay{true}, ec);
        if constexpr (std::is_same_v<NextLayer, tls_stream>) {
            net::prepare_tls_stream(ws_.next_layer(), where.host);
            std::tie(ec) = co_await ws_.next_layer().async_handshake(asio::ssl::stream_base::client, tuple_awaitable);
            if (ec)
                co_return timeout_or(ec);
        }
        tcp_layer.expires_after(t.handshake);
        ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, user_agent);
        }));
        std::tie(ec) = co_await ws_.async_handshake(where.host_header(), target, tuple_awaitable);
        if (ec)
            co_return timeout_or(ec);
        tcp_layer.expires_never();
        // Beast's own timer guards the closing handshake; liveness is the shard's heartbeat.
        websocket::stream_base::timeout opt{};
        opt.handshake_timeout = t.handshake;
        opt.idle_timeout = websocket::stream_base::none();
        opt.keep_alive_pings = false;
        ws_.set_option(opt);
        co_return error_code{};
    }

    awaitable<std::pair<error_code, std::string_view>> read() override
    {
        buffer_.consume(buffer_.size());
        auto [ec, n] = co_await ws_.async_read(buffer_, tuple_awaitable);
        if (ec)
            co_return std::pair{ec, std::string_view{}};
        co_return std::pair{ec, std::string_view{static_cast<const char*>(buffer_.data().data()), n}};
    }

    awaitable<error_code> write(std::string_view text) override
    {
        ws_.text(true);
        auto [ec, n] = co_await ws_.async_write(asio::buffer(text.data(), text.size()), tuple_awaitable);
        (void)n;
        co_return ec;
    }

    awaitable<error_code> close(int code) override
    {
        websocket::close_reason reason{static_cast<std::uint16_t>(code)};
        auto [ec] = co_await ws_.async_close(reason, tuple_awaitable);
        co_return ec;
    }

    void force_close() noexcept override
    {
        error_code ignored;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    std::optional<int> peer_close_code() const override
    {
        auto code = ws_.reason().code;
        if (code == websocket::close_code::none)
            return std::nullopt;
        return static_cast<int>(code);
    }

    std::string peer_close_reason() const override { return std::string{ws_.reason().reason.c_str()}; }

private:
    static websocket::stream<NextLayer> make_stream(asio::any_io_executor ex, asio::ssl::context* tls)
    {
        if constexpr (std::is_same_v<NextLayer, tls_stream>)
            return websocket::stream<NextLayer>{ex, *tls};
        else
            return websocket::stream<NextLayer>{ex};
    }

    // A resolver has no deadline of its own: a timer cancels it.
    awaitable<std::pair<error_code, tcp::resolver::results_type>> resolve(const net::url& where,
                                                                         std::chrono::milliseconds limit)
    {
        auto ex = ws_.get_executor();
        auto resolver = std::make_shared<tcp::resolver>(ex);
        auto expired = std::make_shared<bool>(false);
        asio::steady_timer timer{ex, limit};
        timer.async_wait([resolver, expired](error_code ec) {
            if (!ec) {
                *expired = true;
                resolver->cancel();
            }
        });
        auto [ec, results] =
            co_await resolver->async_resolve(where.host, std::to_string(where.port), tuple_awaitable);
        timer.cancel();
        if (ec && *expired)
            ec = error_code{make_error_code(errc::timeout)};
        co_return std::pair{ec, std::move(results)};
    }

    static error_code timeout_or(error_code ec)
    {
        return ec == beast::error::timeout ? error_code{make_error_code(errc::timeout)} : ec;
    }

    std::shared_ptr<asio::ssl::context> tls_;
    websocket::stream<NextLayer> ws_;
    beast::flat_buffer buffer_;
};

} // namespace

std::shared_ptr<asio::ssl::context> make_gateway_tls_context(const tls_options& options)
{
    return std::make_shared<asio::ssl::context>(net::make_client_tls_context(options));
}

std::unique_ptr<transport> make_transport(asio::any_io_executor executor, bool tls,
                                          std::shared_ptr<asio::ssl::context> tls_context,
                                          std::size_t max_message_size)
{
    if (tls) {
        if (!tls_context)
            throw error(errc::invalid_argument, "wss:// needs a TLS context");
        return std::make_unique<ws_transport<tls_stream>>(std::move(executor), std::move(tls_context),
                                                           max_message_size);
    }
    return std::make_unique<ws_transport<plain_stream>>(std::move(executor), nullptr, max_message_size);
}

} // namespace cord::gateway
