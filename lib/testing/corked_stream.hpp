// cord::testing: private. A stream layer under the gateway's websocket::stream that turns
// every write into an append to one buffer, completed at once; the connection's flusher
// sends the buffer with one socket write. So thousands of small dispatches queued together
// leave in a few large writes, and Beast's own writes (close frames, pongs) share the same
// single path to the socket, so no two writes ever overlap on it.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <functional>
#include <string>
#include <utility>

namespace cord::testing::detail {

template <class Next>
class corked_stream {
public:
    using next_layer_type = Next;
    using executor_type = typename Next::executor_type;

    explicit corked_stream(Next next) : next_(std::move(next)) {}

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }

    /// Called after every append (wakes the flusher).
    void on_data(std::function<void()> f) { on_data_ = std::move(f); }
    /// The bytes written and not yet taken by the flusher.
    std::string& pending() noexcept { return out_; }

    template <class MutableBufferSequence, class ReadToken>
    auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token)
    {
        return next_.async_read_some(buffers, std::forward<ReadToken>(token));
    }

    template <class ConstBufferSequence, class WriteToken>
    auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token)
    {
        std::size_t n = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
             ++it) {
            boost::asio::const_buffer b = *it;
            out_.append(static_cast<const char*>(b.data()), b.size());
            n += b.size();
        }
        if (on_data_)
            on_data_();
        return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
            [](auto handler, executor_type ex, std::size_t written) {
                boost::asio::post(ex, [h = std::move(handler), written]() mutable {
                    std::move(h)(boost::system::error_code{}, written);
                });
            },
            token, get_executor(), n);
    }

private:
    Next next_;
    std::string out_;
    std::function<void()> on_data_;
};

// The WebSocket close handshake ends with a teardown of the layer below.
template <class Next>
void teardown(boost::beast::role_type role, corked_stream<Next>& s, boost::system::error_code& ec)
{
    using boost::beast::websocket::teardown;
    teardown(role, s.next_layer(), ec);
}

template <class Next, class TeardownHandler>
void async_teardown(boost::beast::role_type role, corked_stream<Next>& s, TeardownHandler&& handler)
{
    using boost::beast::websocket::async_teardown;
    async_teardown(role, s.next_layer(), std::forward<TeardownHandler>(handler));
}

} // namespace cord::testing::detail
