// cord::testing: the fake Discord's POSTs to interactions endpoints (see endpoint_poster.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "endpoint_poster.hpp"

#include "net/url.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace cord::testing::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

struct endpoint_poster::impl {
    asio::io_context ioc{1};
    asio::ssl::context tls{asio::ssl::context::tls_client};
    // The kept-alive connection and where it goes.
    std::string key;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;

    impl() { tls.set_verify_mode(asio::ssl::verify_peer); }

    void forget()
    {
        boost::system::error_code ignored;
        if (secure)
            beast::get_lowest_layer(*secure).socket().close(ignored);
        if (plain)
            plain->socket().close(ignored);
        secure.reset();
        plain.reset();
        buffer.clear();
        key.clear();
    }

    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    asio::awaitable<boost::system::error_code> connect(const net::url& u)
    {
        forget();
        tcp::resolver resolver{ioc};
        auto [rec, results] = co_await resolver.async_resolve(u.host, std::to_string(u.port), use_tuple);
        if (rec)
            co_return rec;
        beast::tcp_stream stream{ioc};
        auto [cec, ep] = co_await stream.async_connect(results, use_tuple);
        if (cec)
            co_return cec;
        stream.socket().set_option(tcp::no_delay(true));
        if (!u.tls) {
            plain.emplace(std::move(stream));
        } else {
            secure.emplace(std::move(stream), tls);
            SSL_set_tlsext_host_name(secure->native_handle(), u.host.c_str());
            secure->set_verify_callback(asio::ssl::host_name_verification(u.host));
            auto [hec] = co_await secure->async_handshake(asio::ssl::stream_base::client, use_tuple);
            if (hec) {
                forget();
                co_return hec;
            }
        }
        key = fmt::format("{}://{}:{}", u.scheme, u.host, u.port);
        co_return boost::system::error_code{};
    }

    template <class Stream>
    asio::awaitable<boost::system::error_code> exchange(Stream& s, http::request<http::string_body>& req,
                                                        endpoint_answer& out)
    {
        auto [wec, wn] = co_await http::async_write(s, req, use_tuple);
        if (wec)
            co_return wec;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        auto [rec, rn] = co_await http::async_read(s, buffer, parser, use_tuple);
        if (rec)
            co_return rec;
        auto res = parser.release();
        out.status = static_cast<int>(res.result_int());
        out.body = std::move(res.body());
        for (const auto& field : res) {
            std::string name{field.name_string()};
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            out.headers[name] = std::string{field.value()};
        }
        if (!res.keep_alive())
            forget();
        co_return boost::system::error_code{};
    }

    asio::awaitable<void> post(net::url u, http::request<http::string_body> req, std::shared_ptr<endpoint_answer> result)
    {
        auto& out = *result;
        auto target = fmt::format("{}://{}:{}", u.scheme, u.host, u.port);
        for (int attempt = 0; attempt < 2; ++attempt) {
            bool reused = key == target && (plain || secure);
            if (!reused) {
                auto ec = co_await connect(u);
                if (ec) {
                    out.error = fmt::format("cannot connect to {}: {}", target, ec.message());
                    co_return;
                }
            }
            out.reused_connection = reused;
            boost::system::error_code ec;
            if (secure)
                ec = co_await exchange(*secure, req, out);
            else
                ec = co_await exchange(*plain, req, out);
            if (!ec) {
                out.error.clear();
                co_return;
            }
            out.error = fmt::format("no answer from {}: {}", target, ec.message());
            bool nothing_back = out.status == 0;
            forget();
            // A kept-alive connection may have been closed by the endpoint meanwhile: once more.
            if (!reused || !nothing_back)
                co_return;
        }
    }
};

endpoint_poster::endpoint_poster() : impl_(std::make_unique<impl>()) {}
endpoint_poster::~endpoint_poster() = default;

void endpoint_poster::trust(std::string pem)
{
    std::lock_guard lock{mu_};
    impl_->tls.add_certificate_authority(asio::buffer(pem));
}

endpoint_answer endpoint_poster::post(std::string_view url, const std::vector<std::pair<std::string, std::string>>& headers,
                                      std::string_view body, std::chrono::milliseconds timeout)
{
    std::lock_guard lock{mu_};
    auto& i = *impl_;
    auto result = std::make_shared<endpoint_answer>();
    auto& out = *result;
    net::url u;
    try {
        u = net::parse_url(url);
    } catch (const std::exception& e) {
        out.error = e.what();
        return out;
    }
    http::request<http::string_body> req{http::verb::post, u.query.empty() ? u.path : u.path + "?" + u.query, 11};
    req.set(http::field::host, u.host_header());
    req.set(http::field::user_agent, "Discord-Interactions/1.0 (+https://discord.com) cord-fake-discord");
    req.set(http::field::content_type, "application/json");
    for (auto& [name, value] : headers)
        req.set(name, value);
    req.body() = std::string{body};
    req.keep_alive(true);
    req.prepare_payload();
    auto started = std::chrono::steady_clock::now();
    auto done = std::make_shared<bool>(false);
    i.ioc.restart();
    // The operation holds the answer by shared_ptr: it may outlive this call after a timeout.
    asio::co_spawn(i.ioc, i.post(std::move(u), std::move(req), result), [done](std::exception_ptr) { *done = true; });
    i.ioc.run_for(timeout);
    if (!*done) {
        // Out of time: close the connection, let the operation see it, and report.
        i.forget();
        i.ioc.restart();
        i.ioc.run_for(std::chrono::seconds{1});
        endpoint_answer late;
        late.error = fmt::format("no answer within {} ms", timeout.count());
        late.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        return late;
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return out;
}

} // namespace cord::testing::detail
