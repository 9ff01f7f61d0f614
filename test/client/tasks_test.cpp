// cord/tasks.hpp and the stop rules, against the emulator: when_all runs calls side by side,
// spawn's work is tracked, sleep_for ends at stop(), and stop() cancels what outlives its grace.
// SPDX-License-Identifier: BSL-1.0
#include "client_helpers.hpp"
#include "security/log_capture.hpp"

#include <cord/http.hpp>
#include <cord/tasks.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <future>

TEST_CASE("when_all runs its calls side by side and returns every result", "[client-tasks]")
{
    running_bot b{{.intents = content_intents}};
    b.start();
    auto channel = b.channel();
    // The wait can only end if the send runs while it waits: run one after the other, it times out.
    auto [seen, sent, nothing] = b.bot.sync_wait(cord::when_all(
        b.bot.wait_for("raw-message-create", content_is("side by side"), 5s),
        cord::http::create_message(b.bot, channel, "side by side"),
        cord::sleep_for(1ms)));
    CHECK(seen["id"].as_string() == sent["id"].as_string());
    static_assert(std::is_same_v<decltype(nothing), std::monostate>);

    std::vector<cord::awaitable<cord::json>> reads;
    for (int i = 0; i < 3; ++i)
        reads.push_back(cord::http::get_channel(b.bot, channel));
    auto channels = b.bot.sync_wait(cord::when_all(std::move(reads)));
    REQUIRE(channels.size() == 3);
    CHECK(channels[2]["id"].as_string() == channel.str());
    b.bot.stop();
    b.bot.wait_stopped();
}

TEST_CASE("when_all lets every call end, then rethrows the first failure", "[client-tasks]")
{
    running_bot b;
    b.start();
    std::atomic<bool> slow_finished{false};
    auto slow = [&]() -> cord::awaitable<void> {
        co_await cord::sleep_for(200ms);
        slow_finished = true;
    };
    auto failing = []() -> cord::awaitable<void> {
        co_await cord::sleep_for(1ms);
        throw cord::error(cord::errc::invalid_argument, "the second call failed");
    };
    CHECK_THROWS_WITH(b.bot.sync_wait(cord::when_all(slow(), failing())), "the second call failed");
    CHECK(slow_finished);
    b.bot.stop();
    b.bot.wait_stopped();
}

TEST_CASE("sync_wait from a handler is refused, not a deadlock", "[client-tasks]")
{
    running_bot b{{.intents = content_intents}};
    std::promise<std::string> refusal;
    b.bot.on_event("raw-message-create", [&](cord::shard&, cord::client& c, cord::json msg) {
        try {
            c.sync_wait(cord::http::get_channel(c, msg["channel_id"].as_snowflake()));
            refusal.set_value("no error");
        } catch (const cord::error& e) {
            refusal.set_value(e.what());
        }
    });
    b.start();
    b.user_says("hi");
    auto answer = refusal.get_future();
    REQUIRE(answer.wait_for(10s) == std::future_status::ready);
    CHECK_THAT(answer.get(), Catch::Contains("co_await the call instead"));
    b.bot.stop();
    b.bot.wait_stopped();
}

TEST_CASE("a handler's error names its event", "[client-tasks]")
{
    sectest::log_capture logs;
    running_bot b{{.intents = content_intents}};
    b.bot.on_event("raw-message-create", [](cord::shard&, cord::client&, cord::json) -> cord::awaitable<void> {
        co_await cord::sleep_for(1ms);
        throw cord::error(cord::errc::invalid_argument, "the handler failed");
    });
    b.start();
    b.user_says("hi");
    CHECK(eventually([&] {
        return logs.contains("a handler of MESSAGE_CREATE (raw-message-create) threw: the handler failed");
    }));
    b.bot.stop();
    b.bot.wait_stopped();
}

TEST_CASE("sleep_for ends at stop(), and stop() cancels what outlives stop_grace", "[client-tasks]")
{
    running_bot b{{.intents = content_intents, .stop_grace = 300ms}};
    std::atomic<int> started{0};
    std::promise<std::string> slept, waited;
    b.bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) -> cord::awaitable<void> {
        ++started;
        try {
            co_await cord::sleep_for(1h);
            slept.set_value("slept an hour");
        } catch (const cord::error& e) {
            slept.set_value(e.what());
        }
    });
    b.bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) -> cord::awaitable<void> {
        ++started;
        // A timer of the bot's own, which only cancellation can end.
        boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, 1h};
        try {
            co_await t.async_wait(boost::asio::use_awaitable);
            waited.set_value("waited an hour");
        } catch (const boost::system::system_error& e) {
            waited.set_value(e.code() == boost::asio::error::operation_aborted ? "cancelled" : e.what());
        }
    });
    b.start();
    b.user_says("hi");
    REQUIRE(eventually([&] { return started == 2; }));
    auto stop_at = std::chrono::steady_clock::now();
    b.bot.stop();
    auto slept_result = slept.get_future();
    REQUIRE(slept_result.wait_for(10s) == std::future_status::ready);
    CHECK_THAT(slept_result.get(), Catch::Contains("the client stopped during sleep_for"));
    auto waited_result = waited.get_future();
    REQUIRE(waited_result.wait_for(10s) == std::future_status::ready);
    CHECK(waited_result.get() == "cancelled");
    CHECK(std::chrono::steady_clock::now() - stop_at >= 300ms);   // it had its grace first
    b.bot.wait_stopped();
}

TEST_CASE("spawn runs work beside the handlers; its error is logged, and stop() ends it", "[client-tasks]")
{
    sectest::log_capture logs;
    running_bot b{{.stop_grace = 100ms}};
    b.start();
    std::atomic<int> ticks{0};
    // Arguments, not captures: the frame outlives the lambda object.
    auto ticker = [](std::atomic<int>& n) -> cord::awaitable<void> {
        for (int i = 0; i < 1000; ++i) {   // a background ticker: only stop() ends it
            ++n;
            co_await cord::sleep_for(5ms);
        }
    };
    cord::spawn(b.bot, ticker(ticks));
    cord::spawn(b.bot, []() -> cord::awaitable<void> {
        co_await cord::sleep_for(1ms);
        throw cord::error(cord::errc::invalid_argument, "spawned work failed");
    }());
    REQUIRE(eventually([&] { return ticks >= 3; }));
    CHECK(eventually([&] { return logs.contains("a task given to cord::spawn threw: spawned work failed"); }));
    b.bot.stop();
    b.bot.wait_stopped();
    auto after_stop = ticks.load();
    CHECK(after_stop < 1000);
    for (const auto& line : logs.lines())   // the ticker's end at stop is not an error
        CHECK_FALSE((line.starts_with("error") && line.find("stopped during sleep_for") != std::string::npos));
}
