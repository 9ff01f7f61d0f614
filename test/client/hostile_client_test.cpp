// cord::client against a hostile /gateway/bot: a scripted HTTP server answers it, a raw gateway
// (not the emulator) plays the shards' side. Numbers the server sends are ranged before the
// client sizes anything by them.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/raw_gateway.hpp"
#include "rest/script_server.hpp"
#include "security/log_capture.hpp"
#include "soak/memory_samples.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <string>

using namespace std::chrono_literals;
using gwtest::raw_gateway;
namespace asio = boost::asio;

namespace {

const std::string token = "MTA5ODc2NTQzMjEwOTg3NjU0.GhJkLm.hostile-client-token-abcdefg";

// Answers GET /gateway/bot with `body`, every other request with 404.
cord::test::script_server gateway_bot_server(std::string body)
{
    return cord::test::script_server{[body](const cord::test::script_request& r, int) {
        if (r.head.rfind("GET /api/v10/gateway/bot ", 0) == 0)
            return cord::test::script_reply{cord::test::http_response(200, body)};
        return cord::test::script_reply{cord::test::http_response(404, R"({"message":"Unknown","code":0})")};
    }};
}

cord::client_options client_options_for(const cord::test::script_server& rest)
{
    cord::client_options o;
    o.intents = cord::intents::guilds;
    o.auto_shard = true;
    o.handle_signals = false;
    o.rest.base_url = rest.url();
    o.tls.allow_plaintext = true;   // both servers are plain loopback
    o.gateway.compress = cord::compression::none;
    o.gateway.reconnect_backoff_min = 10ms;
    o.gateway.reconnect_backoff_max = 50ms;
    return o;
}

std::string session_start_limit(std::int64_t max_concurrency)
{
    return R"("session_start_limit":{"total":1000,"remaining":999,"reset_after":1000,"max_concurrency":)"
           + std::to_string(max_concurrency) + "}";
}

// Runs start() to its end; returns what it threw (the test fails if it does not end).
std::exception_ptr start_until_it_ends(cord::client& bot)
{
    bot.start_no_wait();
    std::exception_ptr e;
    try {
        bot.wait_stopped();
    } catch (...) {
        e = std::current_exception();
    }
    return e;
}

std::string what_of(std::exception_ptr e)
{
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    }
}

} // namespace

TEST_CASE("100,000 recommended shards fail start() before a shard is made", "[client-hostile]")
{
    raw_gateway gw{[](raw_gateway::ws& s, int) -> asio::awaitable<void> { co_await raw_gateway::drain(s); }};
    auto rest = gateway_bot_server(R"({"url":")" + gw.url() + R"(","shards":100000,)" + session_start_limit(1)
                                   + "}");
    auto heap_before = soak::heap_kib();
    cord::client bot{token, client_options_for(rest)};
    auto e = start_until_it_ends(bot);
    REQUIRE(e);
    auto what = what_of(e);
    INFO(what);
    CHECK(what.find("100000") != std::string::npos);
    CHECK(bot.shards().empty());
    CHECK(gw.connections() == 0);
    auto grown = soak::heap_kib() - std::min(heap_before, soak::heap_kib());
    if (soak::memory_measurable)
        CHECK(grown < 16 * 1024);   // 100,000 shards were about 1 GB
}

TEST_CASE("a max_concurrency of 2^31-1 is clamped, and the shards still identify", "[client-hostile]")
{
    raw_gateway gw{[&gw](raw_gateway::ws& s, int n) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);   // IDENTIFY
        std::string ready = raw_gateway::dispatch(
            "READY", 1,
            R"({"session_id":"s)" + std::to_string(n) + R"(","resume_gateway_url":")" + gw.url()
                + R"(","user":{"id":"1","username":"bot"},"guilds":[]})");
        co_await raw_gateway::send(s, ready);
        co_await raw_gateway::drain(s);
    }};
    auto rest = gateway_bot_server(R"({"url":")" + gw.url() + R"(","shards":2,)"
                                   + session_start_limit(2147483647) + "}");
    sectest::log_capture logs;
    cord::client bot{token, client_options_for(rest)};
    bot.start_no_wait();
    auto until = std::chrono::steady_clock::now() + 10s;
    auto all_ready = [&] {
        auto shards = bot.shards();
        return shards.size() == 2 && shards[0]->status() == cord::shard_status::ready
               && shards[1]->status() == cord::shard_status::ready;
    };
    while (!all_ready() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(5ms);
    CHECK(all_ready());
    CHECK(gw.connections() == 2);
    CHECK(logs.contains("max_concurrency 1024)"));   // "starting shards [0, 2) of 2 (max_concurrency 1024)"
    CHECK(logs.contains("2147483647"));              // the clamp says what the server sent
    bot.stop();
    bot.wait_stopped();
}
