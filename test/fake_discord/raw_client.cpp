// A raw Beast client for the emulator's tests (HTTP and WebSocket, plain or TLS).
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <zlib.h>

#include <fmt/format.h>

#include <stdexcept>
#include <variant>

namespace fake_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::unique_ptr<asio::ssl::context> client_tls(const std::string& ca_pem)
{
    if (ca_pem.empty())
        return nullptr;
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->add_certificate_authority(asio::buffer(ca_pem));
    ctx->set_verify_mode(asio::ssl::verify_peer);
    return ctx;
}

} // namespace

// --- HTTP -----------------------------------------------------------------------------------------

struct http_client::impl {
    asio::io_context ioc;
    std::unique_ptr<asio::ssl::context> tls;
    std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> stream;
    beast::flat_buffer buffer;
    std::uint16_t port;

    impl(std::uint16_t p, const std::string& ca)
        : tls(client_tls(ca)), stream(std::in_place_index<0>, ioc), port(p)
    {
        tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
        if (tls) {
            stream.emplace<1>(beast::tcp_stream(ioc), *tls);
            auto& s = std::get<1>(stream);
            beast::get_lowest_layer(s).connect(ep);
            SSL_set_tlsext_host_name(s.native_handle(), "localhost");
            s.set_verify_callback(asio::ssl::host_name_verification("localhost"));
            s.handshake(asio::ssl::stream_base::client);
        } else {
            std::get<0>(stream).connect(ep);
        }
    }
};

http_client::http_client(std::uint16_t port, std::string ca_pem) : impl_(std::make_unique<impl>(port, ca_pem)) {}
http_client::~http_client() = default;

http_reply http_client::request(const std::string& method, const std::string& target, const std::string& body,
                                const std::string& auth, std::vector<std::pair<std::string, std::string>> headers)
{
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::user_agent, "DiscordBot (https://example.invalid/raw-test, 0.0)");
    if (!auth.empty())
        req.set(http::field::authorization, "Bot " + auth);
    if (!body.empty())
        req.set(http::field::content_type, "application/json");
    for (auto& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    http::response<http::string_body> res;
    std::visit([&](auto& s) {
        http::write(s, req);
        http::read(s, impl_->buffer, res);
    }, impl_->stream);
    http_reply out;
    out.status = static_cast<int>(res.result_int());
    for (auto& f : res) {
        std::string name{f.name_string()};
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string{f.value()};
    }
    out.body = res.body();
    return out;
}

// --- WebSocket ------------------------------------------------------------------------------------

struct ws_client::impl {
    asio::io_context ioc;
    std::unique_ptr<asio::ssl::context> tls;
    std::variant<websocket::stream<beast::tcp_stream>, websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws;
    beast::flat_buffer buffer;
    bool reading = false;
    bool done = false;
    boost::system::error_code read_ec;
    bool is_closed = false;
    int code = 0;
    bool zlib = false;
    z_stream inflater{};
    std::string pending;   // zlib: frames until the 00 00 FF FF suffix
    std::vector<std::string> frames;

    impl(std::uint16_t port, const std::string& target, const std::string& ca)
        : tls(client_tls(ca)), ws(std::in_place_index<0>, ioc)
    {
        zlib = target.find("compress=zlib-stream") != std::string::npos;
        if (zlib && inflateInit(&inflater) != Z_OK)
            throw std::runtime_error("inflateInit");
        tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
        if (tls) {
            ws.emplace<1>(beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(ioc), *tls));
            auto& s = std::get<1>(ws);
            beast::get_lowest_layer(s).connect(ep);
            SSL_set_tlsext_host_name(s.next_layer().native_handle(), "localhost");
            s.next_layer().handshake(asio::ssl::stream_base::client);
            s.handshake("127.0.0.1", target);
        } else {
            auto& s = std::get<0>(ws);
            beast::get_lowest_layer(s).connect(ep);
            s.handshake("127.0.0.1", target);
        }
    }
    ~impl()
    {
        if (zlib)
            inflateEnd(&inflater);
    }

    std::string inflate_all(const std::string& in)
    {
        std::string out;
        inflater.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        inflater.avail_in = static_cast<uInt>(in.size());
        char buf[16384];
        do {
            inflater.next_out = reinterpret_cast<Bytef*>(buf);
            inflater.avail_out = sizeof buf;
            int rc = inflate(&inflater, Z_SYNC_FLUSH);
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                throw std::runtime_error("inflate failed");
            out.append(buf, sizeof buf - inflater.avail_out);
        } while (inflater.avail_out == 0);
        return out;
    }
};

ws_client::ws_client(std::uint16_t port, const std::string& target, std::string ca_pem)
    : impl_(std::make_unique<impl>(port, target, ca_pem))
{
}

ws_client::~ws_client()
{
    // Leave without a close handshake: the emulator must cope with abrupt clients.
    std::visit([](auto& s) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(s).socket().close(ignored);
    }, impl_->ws);
}

void ws_client::send(const std::string& text)
{
    std::visit([&](auto& s) {
        s.text(true);
        s.write(asio::buffer(text));
    }, impl_->ws);
}

std::optional<std::string> ws_client::read(std::chrono::milliseconds timeout)
{
    auto& i = *impl_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (i.is_closed)
            return std::nullopt;
        if (!i.reading) {
            i.reading = true;
            i.done = false;
            std::visit([&](auto& s) {
                s.async_read(i.buffer, [&i](boost::system::error_code ec, std::size_t) {
                    i.done = true;
                    i.read_ec = ec;
                });
            }, i.ws);
        }
        i.ioc.restart();
        while (!i.done && std::chrono::steady_clock::now() < deadline)
            i.ioc.run_one_for(deadline - std::chrono::steady_clock::now());
        if (!i.done)
            return std::nullopt;   // the read stays pending for the next call
        i.reading = false;
        if (i.read_ec) {
            i.is_closed = true;
            i.code = std::visit([](auto& s) { return static_cast<int>(s.reason().code); }, i.ws);
            return std::nullopt;
        }
        std::string data = beast::buffers_to_string(i.buffer.data());
        i.buffer.consume(i.buffer.size());
        if (!i.zlib)
            return data;
        i.frames.push_back(data);
        i.pending += data;
        if (i.pending.size() >= 4 && i.pending.compare(i.pending.size() - 4, 4, std::string("\x00\x00\xff\xff", 4)) == 0) {
            auto out = i.inflate_all(i.pending);
            i.pending.clear();
            return out;
        }
    }
}

std::optional<cord::json> ws_client::read_json(std::chrono::milliseconds timeout)
{
    auto text = read(timeout);
    if (!text)
        return std::nullopt;
    return cord::json::parse(*text);
}

std::optional<cord::json> ws_client::wait_for(int op, const std::string& event, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (int n = 0; n < 100000; ++n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        auto j = read_json(left);
        if (!j)
            return std::nullopt;
        if ((*j)["op"].as_int() == op && (event.empty() || ((*j)["t"].is_string() && (*j)["t"].as_string() == event)))
            return j;
    }
    return std::nullopt;
}

bool ws_client::closed() const { return impl_->is_closed; }
int ws_client::close_code() const { return impl_->code; }

int ws_client::wait_closed(std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (int n = 0; n < 100000 && !closed(); ++n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            break;
        read(left);
    }
    return closed() ? close_code() : -1;
}

void ws_client::close(int code)
{
    // Asynchronous, so that a read left pending by a timed-out read() can finish alongside.
    auto& i = *impl_;
    bool sent = false;
    std::visit([&](auto& s) {
        s.async_close(websocket::close_reason(static_cast<std::uint16_t>(code)),
                      [&sent](boost::system::error_code) { sent = true; });
    }, i.ws);
    i.ioc.restart();
    auto deadline = std::chrono::steady_clock::now() + 2s;
    while (!sent && std::chrono::steady_clock::now() < deadline)
        i.ioc.run_one_for(deadline - std::chrono::steady_clock::now());
    i.is_closed = true;
}

const std::vector<std::string>& ws_client::raw_frames() const { return impl_->frames; }

cord::json ws_client::identify(const std::string& token, std::uint32_t intents, int shard_id, int shard_count)
{
    auto hello = read_json();
    if (!hello || (*hello)["op"].as_int() != 10)
        throw std::runtime_error("no HELLO");
    send(fmt::format(R"({{"op":2,"d":{{"token":"{}","intents":{},"properties":{{"os":"linux","browser":"raw","device":"raw"}},"shard":[{},{}]}}}})",
                     token, intents, shard_id, shard_count));
    auto ready = wait_for(0, "READY");
    if (!ready)
        throw std::runtime_error("no READY");
    return (*ready)["d"];
}

} // namespace fake_test
