// cord: the interactions endpoint's HTTP/1.1 server (see endpoint_transport.hpp). The one Beast
// translation unit of the endpoint; every decision it takes comes from request_check and
// delivery.
// SPDX-License-Identifier: BSL-1.0
#include "interactions/endpoint_transport.hpp"

#include "interactions/delivery.hpp"
#include "log/component_log.hpp"

#include <cord/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <mutex>
#include <optional>

namespace cord::detail::interactions {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr component_log log{"interactions"};
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Discord's headers are a few hundred bytes; 16 KB leaves room for any proxy's additions.
constexpr std::uint32_t header_limit = 16 * 1024;
constexpr std::size_t read_chunk = 4096;

// One connection's handle for stop(): the session clears `alive` (on its strand) when it ends,
// so a close posted to that strand never touches a destroyed stream.
struct connection_handle {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool alive = true;
};

} // namespace

struct endpoint_server::state {
    asio::any_io_executor executor;
    transport_settings settings;
    ed25519_verifier verifier;
    std::shared_ptr<interaction_sink> sink;
    tcp::acceptor acceptor;
    std::optional<asio::ssl::context> tls;
    std::uint16_t port = 0;

    std::mutex mu;
    bool stopped = false;
    std::size_t open = 0;
    std::uint64_t next_id = 0;
    std::map<std::uint64_t, std::shared_ptr<connection_handle>> connections;
    transport_counters counters{};

    state(asio::any_io_executor ex, transport_settings s, ed25519_verifier v, std::shared_ptr<interaction_sink> k)
        : executor(ex), settings(std::move(s)), verifier(std::move(v)), sink(std::move(k)),
          acceptor(asio::make_strand(ex))
    {
    }

    template <class F>
    void count(F&& f)
    {
        std::lock_guard lock{mu};
        f(counters);
    }
};

namespace {

using state = endpoint_server::state;

// Deregisters a connection when its session ends, whatever the way out.
struct connection_guard {
    std::shared_ptr<state> s;
    std::uint64_t id;
    std::shared_ptr<connection_handle> handle;
    ~connection_guard()
    {
        handle->alive = false;
        std::lock_guard lock{s->mu};
        s->connections.erase(id);
        --s->open;
    }
};

std::string error_body(std::string_view why) { return fmt::format(R"({{"message":"{}"}})", why); }

template <class Stream>
asio::awaitable<bool> write_response(state& s, Stream& stream, int status, std::string body, bool keep_alive)
{
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "cord");
    // Discord asks for a valid Content-Type on every answer, the empty 204 included.
    res.set(http::field::content_type, "application/json");
    res.body() = std::move(body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(s.settings.header_timeout);
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return !ec && keep_alive;
}

// After a refusal sent before the body was read: stop sending, then read and drop what the
// client is still sending for a moment, so that the close is not a reset that would destroy
// the answer in the client's buffers before it reads it.
template <class Stream>
asio::awaitable<void> linger_close(state& s, Stream& stream)
{
    auto& lowest = beast::get_lowest_layer(stream);
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest.expires_after(std::min<std::chrono::milliseconds>(s.settings.header_timeout, std::chrono::seconds{1}));
    std::size_t drained = 0;
    std::array<char, read_chunk> sink;
    while (drained < 2 * s.settings.checks.body_limit + header_limit) {
        auto [ec, n] = co_await lowest.socket().async_read_some(asio::buffer(sink), use_tuple);
        if (ec)
            break;
        drained += n;
    }
    lowest.socket().close(ignored);
}

std::optional<std::string_view> header(const http::request_parser<http::string_body>::value_type& req,
                                       std::string_view name)
{
    auto it = req.find(name);
    if (it == req.end())
        return std::nullopt;
    return std::string_view{it->value().data(), it->value().size()};
}

// What one verified body gets in answer: the status and body of the HTTP response.
asio::awaitable<first_response::outcome> dispatch(std::shared_ptr<state> s, std::string_view raw,
                                                  clock::time_point received)
{
    json body;
    try {
        body = json::parse(raw);
    } catch (const std::exception&) {
        log(log_level::warning, "a signed request whose body is not JSON ({} bytes): answered 400", raw.size());
        co_return first_response::outcome{.status = 400, .body = error_body("the body is not JSON")};
    }
    auto d = classify(body);
    switch (d.kind) {
    case delivery::what::interaction_ping:
        s->count([](auto& c) { ++c.pings; });
        co_return first_response::outcome{.status = 200, .body = std::string{pong_body}};
    case delivery::what::webhook_ping:
        s->count([](auto& c) { ++c.pings; });
        co_return first_response::outcome{.status = 204};
    case delivery::what::webhook_event:
        s->count([](auto& c) { ++c.webhook_events; });
        s->sink->on_webhook_event(std::move(d.event_name), body["event"]);
        co_return first_response::outcome{.status = 204};
    case delivery::what::refused:
        log(log_level::warning, "a signed request cord cannot read: {}; answered 400", d.why);
        co_return first_response::outcome{.status = 400, .body = error_body("not an interaction or webhook event")};
    case delivery::what::interaction:
        break;
    }
    s->count([](auto& c) { ++c.interactions; });
    auto exchange = std::make_shared<first_response>(co_await asio::this_coro::executor);
    s->sink->on_interaction(std::move(body), d.interaction, exchange);
    auto out = co_await exchange->wait(received + s->settings.auto_defer_margin, auto_defer_body(d.interaction));
    if (out.auto_deferred)
        s->count([](auto& c) { ++c.auto_deferred; });
    co_return out;
}

template <class Stream>
asio::awaitable<void> serve_requests(std::shared_ptr<state> s, Stream& stream)
{
    auto& lowest = beast::get_lowest_layer(stream);
    const auto& settings = s->settings;
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
        // Between requests: the idle timeout until the next one begins.
        if (buffer.size() == 0) {
            lowest.expires_after(first ? settings.header_timeout : settings.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_chunk), use_tuple);
            if (ec) {
                if (ec == beast::error::timeout)
                    s->count([](auto& c) { ++c.timeouts; });
                co_return;
            }
            buffer.commit(n);
        }
        first = false;
        auto received = clock::now();
        // The whole header within header_timeout of its first byte: a client sending it a
        // byte at a time is cut off at that deadline.
        lowest.expires_after(settings.header_timeout);
        http::request_parser<http::string_body> parser;
        parser.header_limit(header_limit);
        parser.body_limit((std::numeric_limits<std::uint64_t>::max)());   // decided by check_head
        auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
        if (hec) {
            if (hec == beast::error::timeout) {
                s->count([](auto& c) { ++c.timeouts; });
                log(log_level::debug, "a client did not send its request header within {} ms: closed",
                    settings.header_timeout.count());
                co_return;
            }
            if (hec == http::error::header_limit) {
                co_await write_response(*s, stream, 431, error_body("request header too large"), false);
                co_await linger_close(*s, stream);
            } else if (hec != http::error::end_of_stream && hec != asio::error::eof &&
                       hec != asio::error::connection_reset && hec != asio::error::operation_aborted) {
                co_await write_response(*s, stream, 400, error_body("malformed HTTP request"), false);
                co_await linger_close(*s, stream);
            }
            co_return;
        }
        s->count([](auto& c) { ++c.requests; });
        const auto& req = parser.get();
        request_head head{.method = std::string_view{req.method_string().data(), req.method_string().size()},
                          .signature = header(req, "X-Signature-Ed25519"),
                          .timestamp = header(req, "X-Signature-Timestamp")};
        if (auto length = parser.content_length())
            head.content_length = *length;
        auto v = check_head(head, std::chrono::system_clock::now(), settings.checks);
        if (v != verdict::ok) {
            // Refused on the header alone: the body is never read, nor parsed.
            int status = http_status(v);
            s->count([status](auto& c) {
                if (status == 413)
                    ++c.too_large;
                else if (status == 401)
                    ++c.unauthorized;
            });
            log(log_level::debug, "refused a request: {} ({})", describe(v), status);
            co_await write_response(*s, stream, status, error_body(describe(v)), false);
            co_await linger_close(*s, stream);
            co_return;
        }
        if (auto expect = header(req, "Expect"); expect && beast::iequals(*expect, "100-continue")) {
            http::response<http::empty_body> cont{http::status::continue_, 11};
            auto [cec, cn] = co_await http::async_write(stream, cont, use_tuple);
            if (cec)
                co_return;
        }
        parser.body_limit(settings.checks.body_limit);
        if (!parser.is_done()) {
            auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (bec == http::error::body_limit) {   // a chunked body that grew over the limit
                s->count([](auto& c) { ++c.too_large; });
                co_await write_response(*s, stream, 413, error_body(describe(verdict::too_large)), false);
                co_await linger_close(*s, stream);
                co_return;
            }
            if (bec) {
                if (bec == beast::error::timeout)
                    s->count([](auto& c) { ++c.timeouts; });
                co_return;
            }
        }
        lowest.expires_never();   // the handler's time is bounded by the auto-defer instead
        auto msg = parser.release();
        bool keep_alive = msg.keep_alive();
        // The header views above belong to the parser's message: read them again from `msg`.
        v = check_signature(s->verifier, header(msg, "X-Signature-Ed25519").value_or(""),
                            header(msg, "X-Signature-Timestamp").value_or(""), msg.body());
        first_response::outcome out;
        if (v != verdict::ok) {
            s->count([](auto& c) { ++c.unauthorized; });
            log(log_level::debug, "refused a request: {} (401)", describe(v));
            out = {.status = 401, .body = error_body(describe(v))};
        } else {
            out = co_await dispatch(s, msg.body(), received);
        }
        bool again = co_await write_response(*s, stream, out.status, std::move(out.body), keep_alive);
        if (!again)
            break;
    }
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> serve_plain(std::shared_ptr<state> s, std::shared_ptr<connection_handle> handle,
                                  beast::tcp_stream stream)
{
    handle->stream = &stream;
    co_await serve_requests(s, stream);
}

asio::awaitable<void> serve_tls(std::shared_ptr<state> s, std::shared_ptr<connection_handle> handle,
                                beast::tcp_stream tcp_layer)
{
    tls_stream stream{std::move(tcp_layer), *s->tls};
    handle->stream = &beast::get_lowest_layer(stream);
    beast::get_lowest_layer(stream).expires_after(s->settings.header_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (ec) {
        if (ec == beast::error::timeout)
            s->count([](auto& c) { ++c.timeouts; });
        log(log_level::debug, "TLS handshake failed: {}", ec.message());
        co_return;
    }
    co_await serve_requests(s, stream);
}

// Over the cap: a short 503 (plain HTTP only: a TLS client would not understand it) and close.
asio::awaitable<void> refuse_connection(std::shared_ptr<state> s, beast::tcp_stream stream)
{
    if (!s->tls) {
        co_await write_response(*s, stream, 503, error_body("too many connections"), false);
        co_await linger_close(*s, stream);
    }
}

asio::awaitable<void> serve_connection(std::shared_ptr<state> s, tcp::socket socket, bool over_cap)
{
    beast::tcp_stream stream{std::move(socket)};
    if (over_cap) {
        co_await refuse_connection(s, std::move(stream));
        co_return;
    }
    auto handle = std::make_shared<connection_handle>();
    handle->executor = stream.get_executor();
    std::uint64_t id = 0;
    {
        std::lock_guard lock{s->mu};
        id = ++s->next_id;
        s->connections.emplace(id, handle);
    }
    connection_guard guard{s, id, handle};
    {
        std::lock_guard lock{s->mu};
        if (s->stopped)   // accepted while stop() ran: it did not see this connection
            co_return;
    }
    if (s->tls)
        co_await serve_tls(s, handle, std::move(stream));
    else
        co_await serve_plain(s, handle, std::move(stream));
}

asio::awaitable<void> accept_loop(std::shared_ptr<state> s)
{
    for (;;) {
        tcp::socket socket{asio::make_strand(s->executor)};
        auto [ec] = co_await s->acceptor.async_accept(socket, use_tuple);
        if (ec) {
            if (!s->acceptor.is_open() || ec == asio::error::operation_aborted)
                co_return;
            // e.g. too many open files: wait a little, keep serving the open connections
            log(log_level::warning, "accept failed: {}", ec.message());
            asio::steady_timer pause{s->acceptor.get_executor(), std::chrono::milliseconds{50}};
            co_await pause.async_wait(use_tuple);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        bool over_cap = false;
        {
            std::lock_guard lock{s->mu};
            ++s->counters.connections;
            if (s->open >= s->settings.max_connections) {
                over_cap = true;
                ++s->counters.refused_connections;
            } else {
                ++s->open;
            }
        }
        if (over_cap)
            log(log_level::warning, "{} connections open, the cap: a new one was refused with 503",
                s->settings.max_connections);
        auto ex = socket.get_executor();
        asio::co_spawn(ex, serve_connection(s, std::move(socket), over_cap), asio::detached);
    }
}

} // namespace

endpoint_server::endpoint_server(asio::any_io_executor executor, transport_settings settings,
                                 ed25519_verifier verifier, std::shared_ptr<interaction_sink> sink)
    : s_(std::make_shared<state>(executor, std::move(settings), std::move(verifier), std::move(sink)))
{
    auto& st = *s_;
    if (st.settings.tls_certificate_file.empty() != st.settings.tls_private_key_file.empty())
        throw cord::error(errc::invalid_argument,
                          "interactions endpoint: TLS needs both a certificate file and a private key file");
    if (!st.settings.tls_certificate_file.empty()) {
        st.tls.emplace(asio::ssl::context::tls_server);
        st.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
        boost::system::error_code ec;
        st.tls->use_certificate_chain_file(st.settings.tls_certificate_file, ec);
        if (!ec)
            st.tls->use_private_key_file(st.settings.tls_private_key_file, asio::ssl::context::pem, ec);
        if (ec)
            throw cord::error(errc::invalid_argument,
                              fmt::format("interactions endpoint: cannot load the TLS certificate '{}' and key '{}': {}",
                                          st.settings.tls_certificate_file, st.settings.tls_private_key_file,
                                          ec.message()));
    }
    boost::system::error_code ec;
    auto address = asio::ip::make_address(st.settings.address, ec);
    if (ec)
        throw cord::error(errc::invalid_argument,
                          fmt::format("interactions endpoint: '{}' is not an IP address to listen on",
                                      st.settings.address));
    tcp::endpoint ep{address, st.settings.port};
    st.acceptor.open(ep.protocol(), ec);
    if (!ec)
        st.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        st.acceptor.bind(ep, ec);
    if (!ec)
        st.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw cord::error(errc::transport, fmt::format("interactions endpoint: cannot listen on {}:{}: {}",
                                                       st.settings.address, st.settings.port, ec.message()));
    st.port = st.acceptor.local_endpoint().port();
}

endpoint_server::~endpoint_server() { stop(); }

std::uint16_t endpoint_server::port() const noexcept { return s_->port; }

transport_counters endpoint_server::counters() const
{
    std::lock_guard lock{s_->mu};
    return s_->counters;
}

asio::awaitable<void> endpoint_server::run()
{
    auto s = s_;
    co_await asio::co_spawn(s->acceptor.get_executor(), accept_loop(s), asio::use_awaitable);
    // stop() closed every connection; wait (bounded) for their sessions to see it.
    asio::steady_timer pause{co_await asio::this_coro::executor};
    for (int i = 0; i < 400; ++i) {
        {
            std::lock_guard lock{s->mu};
            if (s->open == 0)
                break;
        }
        pause.expires_after(std::chrono::milliseconds{5});
        co_await pause.async_wait(use_tuple);
    }
}

void endpoint_server::stop()
{
    std::vector<std::shared_ptr<connection_handle>> open;
    {
        std::lock_guard lock{s_->mu};
        if (s_->stopped)
            return;
        s_->stopped = true;
        for (auto& [id, h] : s_->connections)
            open.push_back(h);
    }
    asio::post(s_->acceptor.get_executor(), [s = s_] {
        boost::system::error_code ignored;
        s->acceptor.close(ignored);
    });
    for (auto& h : open)
        asio::post(h->executor, [h] {
            if (h->alive && h->stream)
                h->stream->close();
        });
}

} // namespace cord::detail::interactions
