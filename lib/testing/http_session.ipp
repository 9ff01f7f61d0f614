// cord::testing: private. One HTTP/1.1 keep-alive connection: REST requests go through
// server_core::handle_rest; a WebSocket upgrade hands the stream to the gateway.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "net.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <cctype>

namespace cord::testing::detail {

namespace http = beast::http;
namespace asio = boost::asio;

template <class Stream>
asio::awaitable<void> serve_http_impl(std::shared_ptr<server_core> core, Stream stream)
{
    auto closer = core->register_closer([&stream] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(stream).socket().close(ignored);
    });
    struct unregister {
        server_core& core;
        std::uint64_t id;
        ~unregister()
        {
            if (id)
                core.unregister_closer(id);
        }
    } guard{*core, closer};

    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(32 * 1024 * 1024);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec)
            break;
        auto req = parser.release();
        if (beast::websocket::is_upgrade(req)) {
            core->unregister_closer(closer);
            guard.id = 0;
            co_await serve_gateway(core, std::move(stream), std::move(req));
            co_return;
        }
        rest_request r;
        r.method = std::string{req.method_string()};
        std::string_view target = req.target();
        auto q = target.find('?');
        r.target_path = std::string{target.substr(0, q)};
        if (q != std::string_view::npos)
            r.query = std::string{target.substr(q + 1)};
        for (const auto& field : req) {
            std::string name{field.name_string()};
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            r.headers[name] = std::string{field.value()};
        }
        r.body = std::move(req.body());
        auto resp = core->handle_rest(r);
        if (resp.delay.count() > 0) {
            asio::steady_timer t{stream.get_executor(), resp.delay};
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        http::response<http::string_body> res{static_cast<http::status>(resp.status), req.version()};
        res.set(http::field::server, "cord-fake-discord");
        if (!resp.content_type.empty() && resp.status != 204)
            res.set(http::field::content_type, resp.content_type);
        for (auto& [k, v] : resp.headers)
            res.set(k, v);
        res.body() = std::move(resp.body);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (wec || !res.keep_alive())
            break;
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

} // namespace cord::testing::detail
