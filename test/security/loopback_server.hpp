// A bare TCP server on 127.0.0.1 with a thread of its own, for peers the emulator does not play:
// one that must never be connected to, or one that sends without end. Each accepted
// connection is handed to the test's coroutine.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace sectest {

class loopback_server {
public:
    using socket = boost::asio::ip::tcp::socket;
    using handler = std::function<boost::asio::awaitable<void>(socket)>;

    /// Without a handler, connections are counted and closed at once.
    explicit loopback_server(handler serve = {})
        : serve_(std::move(serve)), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~loopback_server()
    {
        io_.stop();
        thread_.join();
    }
    loopback_server(const loopback_server&) = delete;
    loopback_server& operator=(const loopback_server&) = delete;

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::string url(std::string_view scheme) const
    {
        return std::string{scheme} + "://127.0.0.1:" + std::to_string(port());
    }
    int connections() const { return connections_.load(); }

private:
    void accept()
    {
        acceptor_.async_accept([this](boost::system::error_code ec, socket s) {
            if (ec)
                return;
            ++connections_;
            if (serve_)
                boost::asio::co_spawn(io_, serve_(std::move(s)), boost::asio::detached);
            accept();
        });
    }

    handler serve_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<int> connections_{0};
    std::thread thread_;
};

} // namespace sectest
