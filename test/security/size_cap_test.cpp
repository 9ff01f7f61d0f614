// Promise 4: a REST body above rest_options::max_response_size and a gateway message above
// gateway_options::max_frame_size are refused with an error that says so, and never held in
// memory whole: a peer that sends without end costs a bounded amount of memory. Written
// against the public rest_client and shard APIs only, so it holds for any transport.
#include "gateway/fake_harness.hpp"
#include "log_capture.hpp"
#include "loopback_server.hpp"
#include "run_call.hpp"

#include <cord/error.hpp>
#include <cord/http.hpp>
#include <cord/rest_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <string>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using sectest::loopback_server;

namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;
// An endless peer stops after this much: far more than a bounded reader keeps, and a reader
// that kept it all would show in the process's peak memory.
constexpr std::size_t endless = 256 * MiB;
constexpr std::size_t memory_slack = 64 * MiB;

std::size_t peak_rss()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<std::size_t>(u.ru_maxrss) * KiB;
}

using deferred = decltype(asio::as_tuple(asio::use_awaitable));
constexpr deferred tuple_awaitable{};

// Writes `header`, then blocks of filler (as HTTP chunks when `chunked`) until `endless`
// bytes are out or the reader hangs up; counts the bytes in `sent`.
asio::awaitable<void> pour(loopback_server::socket& s, std::string header, bool chunked, std::atomic<std::size_t>& sent)
{
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(header), tuple_awaitable);
    std::string block(64 * KiB, ' ');
    if (chunked)
        block = "10000\r\n" + block + "\r\n";
    while (!ec && sent < endless) {
        std::tie(ec, n) = co_await asio::async_write(s, asio::buffer(block), tuple_awaitable);
        sent += n;
    }
    boost::system::error_code ignored;
    s.shutdown(loopback_server::socket::shutdown_both, ignored);
    s.close(ignored);
}

// An HTTP server whose one answer never ends (declared 1 TiB long, or chunked without end).
loopback_server::handler endless_http(bool chunked, std::atomic<std::size_t>& sent)
{
    return [chunked, &sent](loopback_server::socket s) -> asio::awaitable<void> {
        std::string request;
        auto [ec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(request), "\r\n\r\n", tuple_awaitable);
        if (ec)
            co_return;
        std::string header = "HTTP/1.1 200 OK\r\nVia: 1.1 google\r\nContent-Type: application/json\r\n";
        header += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: 1099511627776\r\n\r\n";
        co_await pour(s, std::move(header), chunked, sent);
    };
}

// A WebSocket server whose first message declares 1 TiB and is then sent without end.
loopback_server::handler endless_websocket(std::atomic<std::size_t>& sent)
{
    return [&sent](loopback_server::socket s) -> asio::awaitable<void> {
        boost::beast::websocket::stream<loopback_server::socket> ws{std::move(s)};
        auto [ec] = co_await ws.async_accept(tuple_awaitable);
        if (ec)
            co_return;
        // FIN + text, then the 64-bit length form: 2^40, unmasked as a server's frames are.
        std::string header{"\x81\x7f\x00\x00\x01\x00\x00\x00\x00\x00", 10};
        co_await pour(ws.next_layer(), std::move(header), false, sent);
    };
}

// Whether a log line of the shard says a message was too large. Transports word it their
// own way (Beast: "exceeded the locally configured limit"); each names the limit.
bool names_frame_cap(const std::string& line)
{
    if (line.find("[shard ") == std::string::npos)
        return false;
    for (std::string_view words : {"max_frame_size", "exceeded the locally configured limit", "too large", "too big"})
        if (line.find(words) != std::string::npos)
            return true;
    return false;
}

bool logged_frame_cap(const sectest::log_capture& logs)
{
    auto lines = logs.lines();
    return std::any_of(lines.begin(), lines.end(), names_frame_cap);
}

// The cord::error a REST call must end with.
cord::errc failure_of(asio::io_context& io, cord::awaitable<cord::json> call, std::string& what)
{
    try {
        sectest::run_call(io, std::move(call));
    } catch (const cord::error& e) {
        what = e.what();
        return static_cast<cord::errc>(e.code().value());
    }
    FAIL("the call succeeded");
    return {};
}

cord::rest_options capped(std::string base_url, std::size_t cap)
{
    cord::rest_options o;
    o.base_url = std::move(base_url);
    o.tls.allow_plaintext = true;
    o.max_response_size = cap;
    o.max_retries = 0;
    o.request_timeout = 15s;
    return o;
}

} // namespace

TEST_CASE("a REST body above max_response_size is refused and never buffered whole", "[security-size-caps]")
{
    SECTION("a large message from the emulator; the client keeps working")
    {
        cord::testing::fake_discord_options fo;
        fo.rate_limits = false;
        cord::testing::fake_discord fake{fo};
        auto channel = fake.general_channel(fake.guild_ids().at(0));
        auto alice = fake.add_user("alice");
        fake.add_member(fake.guild_ids().at(0), alice);
        auto big = fake.post_message_as(alice, channel, std::string(100 * KiB, 'x'));

        asio::io_context io;
        cord::rest_client rest{io.get_executor(), "fake-bot-token", capped(fake.rest_url(), 16 * KiB)};
        std::string what;
        CHECK(failure_of(io, cord::http::get_channel_message(rest, channel, big["id"]), what)
              == cord::errc::payload_too_large);
        CHECK_THAT(what, Catch::Contains("max_response_size"));
        // A small answer still comes through on the same client.
        auto me = sectest::run_call(io, cord::http::get_current_user(rest));
        CHECK(me["id"].as_snowflake() == fake.bot_user_id());
    }

    for (bool chunked : {false, true}) {
        DYNAMIC_SECTION("a server that never ends its answer, " << (chunked ? "chunked" : "declared 1 TiB"))
        {
            std::atomic<std::size_t> sent{0};
            loopback_server server{endless_http(chunked, sent)};
            auto before = peak_rss();
            auto started = std::chrono::steady_clock::now();
            asio::io_context io;
            cord::rest_client rest{io.get_executor(), "fake-bot-token", capped(server.url("http") + "/api/v10", 64 * KiB)};
            std::string what;
            CHECK(failure_of(io, cord::http::get_current_user(rest), what) == cord::errc::payload_too_large);
            CHECK_THAT(what, Catch::Contains("max_response_size"));
            CHECK(std::chrono::steady_clock::now() - started < 10s);
            CHECK(peak_rss() < before + memory_slack);
        }
    }
}

TEST_CASE("a gateway message above max_frame_size is refused and never buffered whole", "[security-size-caps]")
{
    auto capped_frames = [](cord::shard_config& c) { c.gateway.max_frame_size = 64 * KiB; };

    for (auto compress : {cord::compression::none, cord::compression::zlib_stream}) {
        DYNAMIC_SECTION("a 1 MiB dispatch from the emulator, compression " << static_cast<int>(compress))
        {
            sectest::log_capture logs;
            gwtest::harness h{gwtest::fast_fake(), compress, capped_frames};
            h.start();
            REQUIRE(h.run_until([&] { return h.ready(); }));
            h.post("small");
            REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 1; }));
            h.post(std::string(MiB, 'a'));
            // The connection is given up (and the session resumed elsewhere), with a reason.
            CHECK(h.run_until([&] { return logged_frame_cap(logs) && h.fake.counters().gateway_connections >= 2; }));
            CHECK(h.count("MESSAGE_CREATE") == 1);
        }
    }

    SECTION("a server whose message never ends")
    {
        sectest::log_capture logs;
        std::atomic<std::size_t> sent{0};
        loopback_server server{endless_websocket(sent)};
        auto before = peak_rss();
        gwtest::harness h{gwtest::fast_fake(), cord::compression::none, [&](cord::shard_config& c) {
                              c.gateway.max_frame_size = 64 * KiB;
                              c.gateway.url = server.url("ws");
                          }};
        h.start();
        CHECK(h.run_until([&] { return logged_frame_cap(logs); }, 20s));
        CHECK(h.events.empty());
        CHECK(peak_rss() < before + memory_slack);
    }
}
