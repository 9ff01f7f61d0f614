// Benchmark: how many small dispatches per second cord::testing::fake_discord pushes to one
// gateway connection, read by a raw Beast WebSocket client (not cord's) on another thread.
// The emulator must never be what limits cord's client benchmarks.
// SPDX-License-Identifier: BSL-1.0
#include <cord/json.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv)
{
    std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    bool zlib = argc > 3 && std::string_view{argv[3]} == "zlib";

    // Bench runs must end: give up after a minute whatever happens.
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds{60});
        std::fputs("fake_discord_dispatch: watchdog expired\n", stderr);
        std::_Exit(2);
    }).detach();

    cord::testing::fake_discord_options o;
    o.resume_history = count;   // keep everything, as a real session would for RESUME
    cord::testing::fake_discord fake{o};

    asio::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), fake.port()});
    ws.handshake("127.0.0.1", zlib ? "/?v=10&encoding=json&compress=zlib-stream" : "/?v=10&encoding=json");
    beast::flat_buffer buf;
    ws.read(buf);   // HELLO
    buf.clear();
    ws.write(asio::buffer(std::string{
        R"({"op":2,"d":{"token":"fake-bot-token","intents":1,"properties":{"os":"linux","browser":"bench","device":"bench"}}})"}));
    for (int i = 0; i < 3; ++i) {   // READY + 2 GUILD_CREATE
        ws.read(buf);
        buf.clear();
    }

    auto d = cord::json::object({{"id", "1234567890123456789"}, {"channel_id", "987654321098765432"},
                                 {"content", "hi"}});
    std::printf("dispatches per round: %zu, frame ~%zu bytes, transport %s\n", count,
                d.dump().size() + 50, zlib ? "zlib-stream" : "plain");
    double best = 0;
    for (int r = 0; r < rounds; ++r) {
        auto start = clock_type::now();
        fake.dispatch_repeated(0, "MESSAGE_CREATE", d, count);
        auto queued = clock_type::now();
        std::size_t bytes = 0;
        clock_type::time_point first{};
        for (std::size_t n = 0; n < count; ++n) {
            bytes += ws.read(buf);
            buf.clear();
            if (n == 0)
                first = clock_type::now();
        }
        auto end = clock_type::now();
        auto secs = std::chrono::duration<double>(end - start).count();
        auto wire = std::chrono::duration<double>(end - first).count();
        double rate = static_cast<double>(count) / secs;
        best = std::max(best, rate);
        std::printf("round %d: %.0f dispatches/s end to end (%.3f s; queueing %.3f s), %.0f/s on the wire, "
                    "%.1f MB/s\n",
                    r + 1, rate, secs, std::chrono::duration<double>(queued - start).count(),
                    static_cast<double>(count - 1) / wire, static_cast<double>(bytes) / secs / 1e6);
    }
    std::printf("best: %.0f dispatches/s\n", best);
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
    return 0;
}
