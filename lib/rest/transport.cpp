// cord: the keep-alive HTTP(S) connection pool (Beast over OpenSSL).
// SPDX-License-Identifier: BSL-1.0
#include "rest/transport.hpp"

#include "net/tls_context.hpp"
#include "rest/framing.hpp"
#include "rest/response_headers.hpp"
#include "rest/wait_queue.hpp"

#include <cord/error.hpp>
#include <cord/version.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <vector>

namespace cord::rest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using asio::use_awaitable;

struct transport::tls_state {
    explicit tls_state(const tls_options& o) : context(net::make_client_tls_context(o)) {}
    asio::ssl::context context;
};

class connection {
public:
    explicit connection(const asio::any_io_executor& ex, asio::ssl::context* tls)
    {
        if (tls)
            secure.emplace(ex, *tls);
        else
            plain.emplace(ex);
    }

    beast::tcp_stream& lowest() { return secure ? secure->next_layer() : *plain; }

    template <class F>
    auto visit(F&& f)
    {
        return secure ? f(*secure) : f(*plain);
    }

    /// An idle connection the server closed (or wrote to, which a keep-alive server never
    /// does unprompted) must not carry the next request.
    bool looks_closed()
    {
        auto& sock = lowest().socket();
        if (!sock.is_open())
            return true;
        char byte;
        ssize_t n = ::recv(sock.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }

    void close()
    {
        error_code ignored;
        lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        lowest().close();
    }

    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    int served = 0;
};

transport::transport(asio::any_io_executor executor, transport_options options)
    : executor_(std::move(executor)), options_(std::move(options))
{
    if (options_.base.tls)
        tls_ = std::make_unique<tls_state>(options_.tls);
}

transport::~transport() { close_all(); }

awaitable<error_code> transport::connect(connection& c)
{
    asio::ip::tcp::resolver resolver{executor_};
    // Name lookup gets the same deadline as the exchange: a stuck resolver must not hang a call.
    asio::steady_timer deadline{executor_, options_.timeout};
    deadline.async_wait([&resolver](error_code ec) {
        if (!ec)
            resolver.cancel();
    });
    auto [rec, endpoints] = co_await resolver.async_resolve(options_.base.host, std::to_string(options_.base.port),
                                                            asio::as_tuple(use_awaitable));
    bool timed_out = deadline.cancel() == 0 && rec == asio::error::operation_aborted;
    if (timed_out)
        co_return asio::error::timed_out;
    if (rec)
        co_return rec;
    c.lowest().expires_after(options_.timeout);
    auto [cec, ep] = co_await c.lowest().async_connect(endpoints, asio::as_tuple(use_awaitable));
    (void)ep;
    if (cec)
        co_return cec;
    c.lowest().socket().set_option(asio::ip::tcp::no_delay{true}, cec);
    if (c.secure) {
        // beast::ssl_stream wraps asio's stream: SNI and host-name check on its handle.
        net::set_sni_and_verify_host(c.secure->native_handle(), options_.base.host);
        c.secure->set_verify_mode(asio::ssl::verify_peer);
        auto [hec] = co_await c.secure->async_handshake(asio::ssl::stream_base::client, asio::as_tuple(use_awaitable));
        if (hec)
            co_return hec;
    }
    c.lowest().expires_never();
    co_return error_code{};
}

awaitable<std::pair<error_code, std::shared_ptr<connection>>> transport::acquire()
{
    waiter w{executor_};
    bool queued = false;
    struct dequeue {
        transport& t;
        waiter& w;
        bool& queued;
        ~dequeue()
        {
            if (queued)
                remove_waiter(t.waiters_, &w);
        }
    } guard{*this, w, queued};
    for (;;) {
        if (closed_)
            throw error(errc::stopped, "the REST client was stopped");
        bool my_turn = !queued || waiters_.front() == &w;
        if (my_turn) {
            while (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                if (!c->looks_closed()) {
                    if (queued) {
                        queued = false;
                        remove_waiter(waiters_, &w);
                    }
                    co_return std::pair{error_code{}, std::move(c)};
                }
                c->close();
                --open_;
            }
            if (open_ < options_.max_connections) {
                if (queued) {
                    queued = false;
                    remove_waiter(waiters_, &w);
                }
                ++open_;
                auto c = std::make_shared<connection>(executor_, tls_ ? &tls_->context : nullptr);
                live_.push_back(c);
                std::erase_if(live_, [](const auto& weak) { return weak.expired(); });
                error_code ec;
                try {
                    ec = co_await connect(*c);
                } catch (...) {
                    --open_;
                    poke_front(waiters_);
                    throw;
                }
                if (ec || closed_) {
                    --open_;
                    c->close();
                    poke_front(waiters_);
                    if (closed_)
                        throw error(errc::stopped, "the REST client was stopped");
                    co_return std::pair{ec, std::shared_ptr<connection>{}};
                }
                opened_.fetch_add(1, std::memory_order_relaxed);
                co_return std::pair{error_code{}, std::move(c)};
            }
            if (!queued) {
                waiters_.push_back(&w);
                queued = true;
            }
        }
        co_await wait_for_turn(w, std::nullopt);
    }
}

void transport::release(std::shared_ptr<connection> c, bool reusable)
{
    if (!c)
        return;
    if (reusable && !closed_) {
        idle_.push_back(std::move(c));
    } else {
        c->close();
        --open_;
    }
    poke_front(waiters_);
}

void transport::close_all()
{
    closed_ = true;
    for (auto& c : idle_)
        c->close();
    open_ -= idle_.size();
    idle_.clear();
    for (auto& weak : live_)
        if (auto c = weak.lock())
            c->close();
    live_.clear();
    poke_all(waiters_);
}

namespace {

http::request<http::string_body> make_message(const prepared_request& req, const std::string& host)
{
    http::request<http::string_body> msg;
    msg.method_string(req.method);
    msg.target(req.target);
    msg.version(11);
    msg.set(http::field::host, host);
    msg.set(http::field::user_agent, cord::user_agent);
    msg.set(http::field::accept, "application/json");
    if (!req.authorization.empty())
        msg.set(http::field::authorization, req.authorization);
    if (!req.audit_log_reason.empty())
        msg.set("X-Audit-Log-Reason", req.audit_log_reason);
    if (!req.content_type.empty())
        msg.set(http::field::content_type, req.content_type);
    msg.body() = req.body;
    msg.keep_alive(true);
    msg.prepare_payload();
    return msg;
}

} // namespace

awaitable<exchange_result> transport::exchange(connection& c, const prepared_request& req)
{
    exchange_result out;
    out.reused_connection = c.served > 0;
    ++c.served;
    auto msg = make_message(req, options_.base.host_header());
    c.lowest().expires_after(options_.timeout);
    auto [wec, written] = co_await c.visit([&](auto& s) { return http::async_write(s, msg, asio::as_tuple(use_awaitable)); });
    (void)written;
    if (wec) {
        out.ec = wec;
        out.timed_out = wec == beast::error::timeout;
        co_return out;
    }
    // Interim responses (100, 103) come before the final one on the same connection; a fresh
    // parser per response, since one parser reads one message.
    std::optional<http::response_parser<http::string_body>> parser;
    for (int interim = 0;; ++interim) {
        parser.emplace();
        parser->body_limit(options_.max_response_size);
        auto [rec, read] = co_await c.visit(
            [&](auto& s) { return http::async_read(s, c.buffer, *parser, asio::as_tuple(use_awaitable)); });
        (void)read;
        out.response_started = out.response_started || parser->got_some() || c.buffer.size() > 0;
        if (rec) {
            c.lowest().expires_never();
            out.ec = rec;
            out.timed_out = rec == beast::error::timeout;
            out.too_large = rec == http::error::body_limit;
            co_return out;
        }
        if (!is_interim(static_cast<int>(parser->get().result_int())))
            break;
        if (interim + 1 >= max_interim_responses) {
            c.lowest().expires_never();
            out.ec = http::error::bad_status;
            co_return out;
        }
    }
    c.lowest().expires_never();
    auto& res = parser->get();
    out.response.status = static_cast<int>(res.result_int());
    std::vector<header_field> fields;
    for (const auto& f : res)
        fields.push_back({f.name_string(), f.value()});
    read_headers(out.response, fields);
    framing_facts facts;
    facts.status = out.response.status;
    facts.version = res.version();
    facts.keep_alive = res.keep_alive();
    facts.content_length = res.count(http::field::content_length) > 0;
    facts.transfer_encoding = res.count(http::field::transfer_encoding) > 0;
    facts.leftover = c.buffer.size();
    out.reusable = may_reuse(facts) && !closed_;
    out.response.body = std::move(res.body());
    co_return out;
}

} // namespace cord::rest
