// cord::testing: private. One gateway WebSocket: a reader that hands every message to
// server_core::gateway_message, and the connection's single writer, which sends what the
// core queued (frames, close frames), compressing with zlib-stream or zstd-stream when asked.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "corked_stream.hpp"
#include "net.hpp"
#include "stream_compressor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace cord::testing::detail {

namespace asio = boost::asio;
namespace websocket = beast::websocket;

template <class Stream>
class ws_connection final : public gateway_link, public std::enable_shared_from_this<ws_connection<Stream>> {
public:
    ws_connection(std::shared_ptr<server_core> core, Stream stream)
        : core_(std::move(core)), ws_(corked_stream<Stream>(std::move(stream))), wake_(ws_.get_executor()),
          flush_wake_(ws_.get_executor())
    {
    }

    // Frames are queued in the caller's thread, in the order the core (under its lock) sent
    // them; only the wake-up is posted. Posting each frame instead let a frame sent from
    // another thread overtake frames sent from the I/O thread (Asio keeps a running thread's
    // posts in a private queue until its handler returns): live dispatches ahead of a RESUME's
    // replay, which the client then rightly dropped as already seen.
    void send(frame text) override { enqueue({std::move(text), 0}); }

    void send_many(std::vector<frame> texts) override
    {
        std::lock_guard lock{inbox_mu_};
        for (auto& f : texts)
            inbox_.push_back({std::move(f), 0});
        post_drain();
    }

    void close(int code) override { enqueue({nullptr, code}); }

    void drop() override
    {
        asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->hard_close(); });
    }

    asio::awaitable<void> run(upgrade_request req)
    {
        std::string_view target = req.target();
        compressor_ = make_stream_compressor(target);
        auto v = target.find("v=");
        bool bad_version = v != std::string_view::npos && target.substr(v + 2, 2) != "10"
            && (v == 0 || target[v - 1] == '?' || target[v - 1] == '&');

        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds{10};
        t.idle_timeout = websocket::stream_base::none();
        t.keep_alive_pings = false;
        ws_.set_option(t);
        ws_.read_message_max(1 << 20);
        auto self = this->shared_from_this();
        ws_.next_layer().on_data([this] { flush_wake_.cancel(); });   // Beast's own frames
        asio::co_spawn(ws_.get_executor(), flusher(self), asio::detached);
        auto [aec] = co_await ws_.async_accept(req, asio::as_tuple(asio::use_awaitable));
        if (aec) {
            hard_close();
            co_return;
        }
        closer_ = core_->register_closer([w = std::weak_ptr<ws_connection>(self)] {
            if (auto s = w.lock())
                s->hard_close();
        });
        if (bad_version) {
            queue_.push_back({nullptr, 4012});
        } else {
            core_->gateway_open(self);
        }
        asio::co_spawn(ws_.get_executor(), writer(self), asio::detached);

        beast::flat_buffer buffer;
        for (;;) {
            auto [ec, n] = co_await ws_.async_read(buffer, asio::as_tuple(asio::use_awaitable));
            if (ec)
                break;
            auto text = beast::buffers_to_string(buffer.data());
            buffer.consume(buffer.size());
            core_->gateway_message(*this, text);
        }
        int client_code = ws_.reason().code;
        core_->gateway_closed(*this, client_code);
        core_->unregister_closer(closer_);
        hard_close();
    }

private:
    struct item {
        frame text;   ///< null: a close frame with `code`
        int code;
    };

    void hard_close()
    {
        dead_ = true;
        wake_.cancel();
        flush_wake_.cancel();
        boost::system::error_code ignored;
        beast::get_lowest_layer(ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    clock::time_point stalled_until()
    {
        std::lock_guard lock{core_->mu};
        return core_->stall_until;
    }

    // Appends one unmasked server frame (RFC 6455 5.2) to the bytes the flusher sends. All
    // writes of this connection, Beast's close frames and pongs included, go through that one
    // buffer, whole frames at a time, so building frames here cannot interleave with Beast's.
    void append_frame(std::string_view payload, bool binary)
    {
        auto& out = ws_.next_layer().pending();
        out += static_cast<char>(0x80 | (binary ? 0x2 : 0x1));
        auto n = payload.size();
        if (n < 126) {
            out += static_cast<char>(n);
        } else if (n < 65536) {
            out += static_cast<char>(126);
            out += static_cast<char>((n >> 8) & 0xff);
            out += static_cast<char>(n & 0xff);
        } else {
            out += static_cast<char>(127);
            for (int shift = 56; shift >= 0; shift -= 8)
                out += static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xff);
        }
        out.append(payload.data(), payload.size());
    }

    void enqueue(item i)
    {
        std::lock_guard lock{inbox_mu_};
        inbox_.push_back(std::move(i));
        post_drain();
    }

    // Called with inbox_mu_ held: one drain in flight at a time moves the inbox to the writer.
    void post_drain()
    {
        if (std::exchange(drain_posted_, true))
            return;
        asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
            {
                std::lock_guard lock{self->inbox_mu_};
                self->drain_posted_ = false;
                for (auto& i : self->inbox_)
                    self->queue_.push_back(std::move(i));
                self->inbox_.clear();
            }
            self->wake_.cancel();
        });
    }

    asio::awaitable<void> writer(std::shared_ptr<ws_connection> self)
    {
        (void)self;   // keeps the connection alive while the writer runs
        std::string compressed;
        while (!dead_) {
            if (queue_.empty()) {
                flush_wake_.cancel();
                wake_.expires_at(clock::time_point::max());
                co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            if (ws_.next_layer().pending().size() > max_buffered) {
                flush_wake_.cancel();
                wake_.expires_at(clock::time_point::max());   // the flusher wakes us
                co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            if (auto until = stalled_until(); until > clock::now()) {
                flush_wake_.cancel();
                wake_.expires_at(until);
                co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            // Frame everything queued (up to the buffer cap) before waking the flusher once.
            while (!queue_.empty() && queue_.front().text && ws_.next_layer().pending().size() <= max_buffered) {
                item next = std::move(queue_.front());
                queue_.pop_front();
                if (compressor_) {
                    compressor_->compress(*next.text, compressed);
                    append_frame(compressed, true);
                } else {
                    append_frame(*next.text, false);
                }
            }
            if (!queue_.empty() && !queue_.front().text) {
                int code = queue_.front().code;
                queue_.pop_front();
                auto [ec] = co_await ws_.async_close(websocket::close_reason(static_cast<std::uint16_t>(code)),
                                                     asio::as_tuple(asio::use_awaitable));
                flush_wake_.cancel();
                if (ec)
                    hard_close();
                co_return;   // the reader sees the peer's close reply and ends the session
            }
            flush_wake_.cancel();
        }
    }

    // The single writer to the socket: sends whatever the websocket layer appended.
    asio::awaitable<void> flusher(std::shared_ptr<ws_connection> self)
    {
        (void)self;
        std::string sending;
        while (!dead_) {
            auto& pending = ws_.next_layer().pending();
            if (pending.empty()) {
                flush_wake_.expires_at(clock::time_point::max());
                co_await flush_wake_.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            sending.swap(pending);
            pending.clear();
            auto [ec, n] = co_await asio::async_write(ws_.next_layer().next_layer(), asio::buffer(sending),
                                                      asio::as_tuple(asio::use_awaitable));
            sending.clear();
            wake_.cancel();   // a writer held back by max_buffered may go on
            if (ec) {
                hard_close();
                co_return;
            }
        }
    }

    static constexpr std::size_t max_buffered = 1 << 20;

    std::shared_ptr<server_core> core_;
    websocket::stream<corked_stream<Stream>> ws_;
    asio::steady_timer wake_;
    asio::steady_timer flush_wake_;
    std::deque<item> queue_;       ///< the writer's, on the connection's executor
    std::mutex inbox_mu_;
    std::deque<item> inbox_;       ///< frames sent from any thread, not yet taken by the writer
    bool drain_posted_ = false;
    bool dead_ = false;
    std::unique_ptr<stream_compressor> compressor_;   ///< zlib-stream, zstd-stream or none
    std::uint64_t closer_ = 0;
};

template <class Stream>
asio::awaitable<void> serve_gateway_impl(std::shared_ptr<server_core> core, Stream stream, upgrade_request req)
{
    auto conn = std::make_shared<ws_connection<Stream>>(std::move(core), std::move(stream));
    co_await conn->run(std::move(req));
}

} // namespace cord::testing::detail
