// cord: the gateway's WebSocket connection. Asio sockets and timers (Beast's tcp_stream for
// deadlines); the upgrade and the framing are cord's own plain C++ (ws_handshake, ws_frame),
// so that a read takes up to 64 KB of frames at once and messages are handed out in place.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/transport.hpp"
#include "gateway/padded_buffer.hpp"
#include "gateway/ws_frame.hpp"
#include "gateway/ws_handshake.hpp"
#include "net/base64.hpp"
#include "net/tls_context.hpp"

#include <cord/error.hpp>
#include <cord/version.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cstring>
#include <random>

namespace cord::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

using plain_stream = beast::tcp_stream;
using tls_stream = asio::ssl::stream<beast::tcp_stream>;

// Large enough that one read takes dozens of ~1 KB dispatches; grows for larger frames.
constexpr std::size_t initial_read_buffer = 64 * 1024;
// Below this much free space at the end, unread bytes move to the front before reading.
constexpr std::size_t min_read = 16 * 1024;

error_code cord_error(errc e) { return error_code{make_error_code(e)}; }

// Received bytes: [begin, end) is unread; the allocation keeps parse_padding bytes after the
// capacity so that a message anywhere in it can be parsed in place by simdjson.
class read_buffer {
public:
    std::string_view unread() const noexcept { return {data_.get() + begin_, end_ - begin_}; }
    void consume(std::size_t n) noexcept
    {
        begin_ += n;
        if (begin_ == end_)
            begin_ = end_ = 0;
    }
    /// Room to read into, for a frame that needs `frame` bytes in one piece (0: unknown).
    asio::mutable_buffer prepare(std::size_t frame)
    {
        std::size_t need = std::max({frame, end_ - begin_ + min_read, initial_read_buffer});
        if (need > capacity_)
            grow(need);
        else if (capacity_ - end_ < min_read || (frame && capacity_ - begin_ < frame))
            compact();
        return {data_.get() + end_, capacity_ - end_};
    }
    void commit(std::size_t n) noexcept { end_ += n; }

private:
    void compact() noexcept
    {
        std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    void grow(std::size_t need)
    {
        std::size_t cap = std::max(capacity_, initial_read_buffer);
        while (cap < need)
            cap *= 2;
        auto fresh = std::make_unique<char[]>(cap + parse_padding);
        std::memcpy(fresh.get(), data_.get() + begin_, end_ - begin_);
        std::memset(fresh.get() + cap, 0, parse_padding);
        end_ -= begin_;
        begin_ = 0;
        data_ = std::move(fresh);
        capacity_ = cap;
    }

    std::unique_ptr<char[]> data_ = std::make_unique<char[]>(parse_padding);
    std::size_t capacity_ = 0, begin_ = 0, end_ = 0;
};

// RFC 6455 wants unpredictable masking keys: xorshift seeded per connection from the OS
// (std::random_device is getrandom() here; a plain ws:// bot need not initialise OpenSSL).
class mask_source {
public:
    mask_source()
    {
        std::random_device os;
        state_ = (std::uint64_t{os()} << 32) | os();
        if (state_ == 0)
            state_ = 0x9E3779B97F4A7C15ull;
    }
    std::uint32_t next() noexcept
    {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return static_cast<std::uint32_t>(state_ >> 16);
    }

private:
    std::uint64_t state_ = 0;
};

template <class Stream>
class ws_transport final : public transport {
public:
    ws_transport(asio::any_io_executor ex, std::shared_ptr<asio::ssl::context> tls, std::size_t max_message)
        : tls_(std::move(tls)), stream_(make_stream(ex, tls_.get())), decoder_(max_message), write_idle_(ex),
          reader_done_(ex)
    {
        write_idle_.expires_at(asio::steady_timer::time_point::max());
    }

    awaitable<error_code> connect(const net::url& where, std::string target, transport_timeouts t) override
    {
        handshake_timeout_ = t.handshake;
        auto& tcp_layer = beast::get_lowest_layer(stream_);
        auto [ec, endpoints] = co_await resolve(where, t.connect);
        if (ec)
            co_return ec;
        tcp_layer.expires_after(t.connect);
        std::tie(ec, std::ignore) = co_await tcp_layer.async_connect(endpoints, tuple_awaitable);
        if (ec)
            co_return timeout_or(ec);
        tcp_layer.socket().set_option(tcp::no_delay{true}, ec);
        if constexpr (std::is_same_v<Stream, tls_stream>) {
            net::prepare_tls_stream(stream_, where.host);
            std::tie(ec) = co_await stream_.async_handshake(asio::ssl::stream_base::client, tuple_awaitable);
            if (ec)
                co_return timeout_or(ec);
        }
        tcp_layer.expires_after(t.handshake);
        ec = co_await upgrade(where.host_header(), target);
        tcp_layer.expires_never();
        co_return ec;
    }

    awaitable<std::pair<error_code, std::string_view>> read() override
    {
        reading_ = true;
        auto ended = [this](error_code ec) {
            reading_ = false;
            reader_done_.cancel();   // a close() waiting for the peer's answer looks again
            return std::pair{ec, std::string_view{}};
        };
        for (;;) {
            std::size_t used = 0;
            ws_event ev = decoder_.next(buf_.unread(), used);
            buf_.consume(used);
            switch (ev.kind) {
            case ws_event::message:
                reading_ = false;
                co_return std::pair{error_code{}, ev.payload};
            case ws_event::need_more:
                if (used)
                    continue;
                break;
            case ws_event::ping:
                if (!close_sent_)
                    co_await send(ws_opcode::pong, ev.payload);
                continue;
            case ws_event::pong: continue;
            case ws_event::close:
                peer_closed_ = true;
                if (ev.close_code != ws_close_no_status)
                    peer_code_ = ev.close_code;
                peer_reason_.assign(ev.payload.substr(0, 123));
                if (!close_sent_)
                    co_await send_close(peer_code_ ? *peer_code_ : ws_close_normal);
                co_return ended(cord_error(errc::gateway_closed));
            case ws_event::error:
                failure_ = ev.what;
                if (!close_sent_)
                    co_await send_close(ev.close_code);
                co_return ended(cord_error(ev.close_code == ws_close_too_big ? errc::payload_too_large
                                                                             : errc::invalid_response));
            }
            auto room = buf_.prepare(ws_decoder::frame_size(buf_.unread()));
            auto [ec, n] = co_await stream_.async_read_some(room, tuple_awaitable);
            if (ec)
                co_return ended(ec);
            buf_.commit(n);
        }
    }

    std::optional<std::string_view> read_buffered() noexcept override
    {
        std::size_t used = 0;
        auto message = decoder_.whole_message(buf_.unread(), used);
        buf_.consume(used);
        return message;
    }

    bool frame_buffered() const noexcept override
    {
        auto in = buf_.unread();
        auto need = ws_decoder::frame_size(in);
        return need != 0 && in.size() >= need;
    }

    awaitable<error_code> write(std::string_view text) override
    {
        if (close_sent_)
            co_return cord_error(errc::gateway_closed);
        co_return co_await send(ws_opcode::text, text);
    }

    awaitable<error_code> close(int code) override
    {
        if (!close_sent_) {
            if (auto ec = co_await send_close(code))
                co_return ec;
        }
        auto deadline = asio::steady_timer::clock_type::now() + handshake_timeout_;
        if (!reading_) {
            // Nobody reads: wait for the answer here.
            beast::get_lowest_layer(stream_).expires_at(deadline);
            while (!peer_closed_) {
                auto [ec, ignored] = co_await read();
                if (ec)
                    break;
            }
            beast::get_lowest_layer(stream_).expires_never();
        }
        // The reader sees the answer (or the end of the connection) and wakes us.
        while (!peer_closed_ && reading_ && asio::steady_timer::clock_type::now() < deadline) {
            reader_done_.expires_at(deadline);
            co_await reader_done_.async_wait(tuple_awaitable);
            if (co_await cancelled())
                co_return error_code{asio::error::operation_aborted};
        }
        co_return peer_closed_ ? error_code{} : cord_error(errc::timeout);
    }

    void force_close() noexcept override
    {
        error_code ignored;
        auto& socket = beast::get_lowest_layer(stream_).socket();
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    std::optional<int> peer_close_code() const override { return peer_code_; }
    std::string peer_close_reason() const override { return peer_reason_; }
    std::string failure() const override { return failure_; }

private:
    static Stream make_stream(asio::any_io_executor ex, asio::ssl::context* tls)
    {
        if constexpr (std::is_same_v<Stream, tls_stream>)
            return Stream{ex, *tls};
        else
            return Stream{ex};
    }

    static awaitable<bool> cancelled()
    {
        auto cs = co_await asio::this_coro::cancellation_state;
        co_return cs.cancelled() != asio::cancellation_type::none;
    }

    // The HTTP upgrade; frames the server sends right after its response stay in buf_.
    awaitable<error_code> upgrade(std::string host, std::string target)
    {
        std::random_device os;
        std::uint32_t nonce[4] = {os(), os(), os(), os()};
        std::string key = net::base64({reinterpret_cast<const char*>(nonce), sizeof nonce});
        std::string request = upgrade_request(host, target, user_agent, key);
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(request), tuple_awaitable);
        if (ec)
            co_return timeout_or(ec);
        for (;;) {
            auto head_end = buf_.unread().find("\r\n\r\n");
            if (head_end != std::string_view::npos) {
                failure_ = check_upgrade_response(buf_.unread().substr(0, head_end + 2), key);
                buf_.consume(head_end + 4);
                co_return failure_.empty() ? error_code{} : cord_error(errc::invalid_response);
            }
            if (buf_.unread().size() > max_upgrade_response) {
                failure_ = "the gateway's upgrade response has no end";
                co_return cord_error(errc::invalid_response);
            }
            std::tie(ec, n) = co_await stream_.async_read_some(buf_.prepare(0), tuple_awaitable);
            if (ec)
                co_return timeout_or(ec);
            buf_.commit(n);
        }
    }

    // After a close frame nothing more goes out.
    awaitable<error_code> send_close(int code)
    {
        close_sent_ = true;
        std::string payload = close_payload(code);   // named: no temporary lives across the co_await
        co_return co_await send(ws_opcode::close, payload);
    }

    // One frame on the wire at a time: the shard's writer, a pong from the reader and a
    // close take turns.
    awaitable<error_code> send(ws_opcode op, std::string_view payload)
    {
        while (writing_) {
            co_await write_idle_.async_wait(tuple_awaitable);
            if (co_await cancelled())
                co_return error_code{asio::error::operation_aborted};
        }
        writing_ = true;
        out_.clear();
        encode_client_frame(out_, op, payload, masks_.next());
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(out_), tuple_awaitable);
        writing_ = false;
        write_idle_.cancel();
        co_return ec;
    }

    // A resolver has no deadline of its own: a timer cancels it.
    awaitable<std::pair<error_code, tcp::resolver::results_type>> resolve(const net::url& where,
                                                                         std::chrono::milliseconds limit)
    {
        auto ex = stream_.get_executor();
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
            ec = cord_error(errc::timeout);
        co_return std::pair{ec, std::move(results)};
    }

    static error_code timeout_or(error_code ec)
    {
        return ec == beast::error::timeout ? cord_error(errc::timeout) : ec;
    }

    std::shared_ptr<asio::ssl::context> tls_;
    Stream stream_;
    ws_decoder decoder_;
    read_buffer buf_;
    std::string out_;
    mask_source masks_;
    asio::steady_timer write_idle_;    ///< cancelled when a send ends (a condition variable)
    asio::steady_timer reader_done_;   ///< cancelled when a read ends
    std::chrono::milliseconds handshake_timeout_{10000};
    bool writing_ = false;
    bool reading_ = false;
    bool close_sent_ = false;
    bool peer_closed_ = false;
    std::optional<int> peer_code_;
    std::string peer_reason_;
    std::string failure_;
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
