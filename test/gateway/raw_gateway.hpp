// A gateway server that is not the emulator: plain Beast on 127.0.0.1, each connection played by
// the test's script, so that a test can send what the emulator never would (seqs out of order,
// a RESUMED that repeats a seq, a close reason that echoes the token).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace gwtest {

class raw_gateway {
public:
    using ws = boost::beast::websocket::stream<boost::beast::tcp_stream>;
    /// Plays connection number `n` (from 1) after the upgrade.
    using script = std::function<boost::asio::awaitable<void>(ws&, int n)>;

    explicit raw_gateway(script s)
        : script_(std::move(s)), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        boost::asio::co_spawn(io_, accept(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~raw_gateway()
    {
        io_.stop();
        thread_.join();
    }
    raw_gateway(const raw_gateway&) = delete;
    raw_gateway& operator=(const raw_gateway&) = delete;

    std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
    int connections() const { return connections_.load(); }

    static boost::asio::awaitable<void> send(ws& s, const std::string& text)
    {
        s.text(true);
        co_await s.async_write(boost::asio::buffer(text), boost::asio::use_awaitable);
    }
    static boost::asio::awaitable<std::string> read(ws& s)
    {
        boost::beast::flat_buffer b;
        co_await s.async_read(b, boost::asio::use_awaitable);
        co_return boost::beast::buffers_to_string(b.data());
    }
    /// Reads until the peer goes away (heartbeats are not answered).
    static boost::asio::awaitable<void> drain(ws& s)
    {
        for (;;)
            co_await read(s);
    }
    static std::string hello(long interval_ms = 41250)
    {
        return R"({"op":10,"d":{"heartbeat_interval":)" + std::to_string(interval_ms) + "}}";
    }
    static std::string dispatch(const std::string& name, int seq, const std::string& d)
    {
        return R"({"op":0,"t":")" + name + R"(","s":)" + std::to_string(seq) + R"(,"d":)" + d + "}";
    }

private:
    boost::asio::awaitable<void> accept()
    {
        for (;;) {
            auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
            int n = ++connections_;
            boost::asio::co_spawn(io_, serve(std::move(socket), n), boost::asio::detached);
        }
    }
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket, int n)
    {
        ws s{std::move(socket)};
        co_await s.async_accept(boost::asio::use_awaitable);
        co_await script_(s, n);
    }

    script script_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<int> connections_{0};
};

} // namespace gwtest
