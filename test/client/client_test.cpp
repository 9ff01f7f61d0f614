// cord::client against the emulator: lifecycle, sharding, pacing, handlers, faults.
#include "client_helpers.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <csignal>
#include <pthread.h>
#include <unistd.h>

using namespace std::chrono_literals;
using cord::testing::fake_discord;
using cord::testing::fake_discord_options;

namespace {

cord::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, d};
    co_await t.async_wait(boost::asio::use_awaitable);
}

} // namespace

TEST_CASE("bad client options are refused at construction", "[client-options]")
{
    auto refused = [](std::string token, cord::client_options o, std::string_view expect) {
        try {
            cord::client c{std::move(token), std::move(o)};
        } catch (const cord::error& e) {
            INFO(e.what());
            CHECK(std::string{e.what()}.find(expect) != std::string::npos);
            CHECK(e.code() == cord::errc::invalid_argument);
            return;
        }
        FAIL("accepted: " << expect);
    };
    refused("", {}, "token is empty");
    refused("Bot abc.def.ghi", {}, "without the \"Bot\" prefix");
    refused("abc def", {}, "malformed");
    refused("abc\n", {}, "malformed");
    refused("t0ken", {.shard_count = 0}, "shard_count must be at least 1");
    refused("t0ken", {.shard_count = 4, .shards = cord::shard_range{2, 6}}, "outside the 4 shard(s)");
    refused("t0ken", {.shard_count = 4, .shards = cord::shard_range{3, 3}}, "empty");
    refused("t0ken", {.intents = static_cast<cord::intents>(1u << 18)}, "4013");
    refused("t0ken", {.worker_threads = 0}, "at least 1");
    refused("t0ken", {.token_type = cord::token_type::bearer, .auto_shard = true}, "bot token");
}

TEST_CASE("wait_stopped() on a client that was never started returns at once", "[client]")
{
    fake_discord fake;
    cord::client bot{"fake-bot-token", options_for(fake)};
    bot.wait_stopped();   // blocked forever before: nothing would ever end a run never begun
    CHECK_FALSE(bot.running());
}

TEST_CASE("a client starts, reads READY and stops", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 500ms}};
    cord::client bot{"fake-bot-token", options_for(fake)};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    CHECK(bot.running());
    CHECK(bot.user()["id"].as_snowflake() == fake.bot_user_id());
    CHECK(bot.shard_count() == 1);
    REQUIRE(bot.shards().size() == 1);
    CHECK(bot.shards()[0]->status() == cord::shard_status::ready);
    CHECK(bot.intents() == cord::unprivileged_intents);
    CHECK(bot.token() == "fake-bot-token");
    bot.stop();
    bot.wait_stopped();
    CHECK_FALSE(bot.running());
    // The session survives for hand-over.
    auto sessions = bot.sessions();
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].valid());

    // A stopped client starts again.
    bot.start_no_wait();
    REQUIRE(eventually([&] { return fake.counters().identifies == 2; }));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("the client's threads are named for top -H, perf and gdb; handlers run on cord-handler-N", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 500ms}};
    auto o = options_for(fake);
    o.worker_threads = 2;
    o.handler_threads = 1;
    cord::client bot{"fake-bot-token", o};
    auto names = [] {
        std::multiset<std::string> out;
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
            std::ifstream comm{task.path() / "comm"};
            std::string name;
            std::getline(comm, name);
            out.insert(name);
        }
        return out;
    };
    // Each thread names itself as it begins.
    auto all_named = [&] {
        auto now = names();
        return now.count("cord-io-0") == 1 && now.count("cord-io-1") == 1 && now.count("cord-handler-0") == 1;
    };
    CHECK(eventually(all_named));

    std::promise<std::string> handler_thread;
    std::atomic<bool> once{false};
    bot.on_event("raw-ready", [&](cord::shard&, cord::client&, cord::json) {
        char name[16] = {};
        pthread_getname_np(pthread_self(), name, sizeof name);
        if (!once.exchange(true))
            handler_thread.set_value(name);
    });
    auto seen = handler_thread.get_future();
    bot.start_no_wait();
    REQUIRE(seen.wait_for(20s) == std::future_status::ready);
    CHECK(seen.get() == "cord-handler-0");
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("16 shards with max_concurrency 4: paced identifies, events on the right shard", "[client-sharding]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms, .recommended_shards = 16, .max_concurrency = 4, .guilds = 24}};
    cord::client bot{"fake-bot-token", options_for(fake, {.auto_shard = true, .worker_threads = 2})};
    ready_counter ready;
    ready.attach(bot);
    std::mutex m;
    std::map<std::string, int> shard_of_guild;
    bot.on_event("raw-message-create", [&](cord::shard& s, cord::client&, cord::json msg) {
        std::lock_guard lock{m};
        shard_of_guild[std::string{msg["guild_id"].as_string()}] = s.id();
    });
    bot.start_no_wait();
    REQUIRE(eventually([&] { return ready.count() == 16; }, 60s));
    CHECK(bot.shard_count() == 16);

    // Per rate_limit_key (shard_id % 4), identifies are at least 5 s apart.
    auto ids = fake.identifies();
    REQUIRE(ids.size() == 16);
    std::map<int, std::vector<std::chrono::steady_clock::time_point>> by_key;
    for (const auto& id : ids) {
        CHECK(id.shard_count == 16);
        by_key[id.shard_id % 4].push_back(id.at);
    }
    for (auto& [key, times] : by_key) {
        std::sort(times.begin(), times.end());
        for (std::size_t i = 1; i < times.size(); ++i)
            CHECK(times[i] - times[i - 1] >= 5s);
    }
    CHECK(fake.counters().identifies == 16);   // none refused and retried

    auto user = fake.add_user("alice");
    for (auto guild : fake.guild_ids())
        fake.post_message_as(user, fake.general_channel(guild), "hello");
    REQUIRE(eventually([&] {
        std::lock_guard lock{m};
        return shard_of_guild.size() == fake.guild_ids().size();
    }));
    for (auto guild : fake.guild_ids()) {
        std::lock_guard lock{m};
        CHECK(shard_of_guild[guild.str()] == static_cast<int>(guild.shard_of(16)));
    }
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("a shard range runs only its shards", "[client-sharding]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms, .max_concurrency = 4}};
    cord::client bot{"fake-bot-token",
                     options_for(fake, {.shard_count = 16, .shards = cord::shard_range{4, 8}})};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 4));
    std::set<int> identified;
    for (const auto& id : fake.identifies()) {
        identified.insert(id.shard_id);
        CHECK(id.shard_count == 16);
    }
    CHECK(identified == std::set<int>{4, 5, 6, 7});
    {
        std::lock_guard lock{ready.m};
        CHECK(ready.shards == std::set<int>{4, 5, 6, 7});
    }
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("stop during identify pacing ends the run", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms, .max_concurrency = 1}};
    cord::client bot{"fake-bot-token", options_for(fake, {.shard_count = 4})};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    bot.stop();   // shards 1-3 are waiting for their identify slot
    bot.wait_stopped();
    CHECK_FALSE(bot.running());
    CHECK(fake.identifies().size() < 4);
}

TEST_CASE("stop lets running handlers finish", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    cord::client bot{"fake-bot-token", options_for(fake)};
    std::atomic<bool> started{false}, finished{false};
    bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) -> cord::awaitable<void> {
        started = true;
        co_await sleep_for(300ms);
        finished = true;
    });
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    auto guild = fake.guild_ids().at(0);
    fake.post_message_as(fake.add_user("bob"), fake.general_channel(guild), "slow");
    REQUIRE(eventually([&] { return started.load(); }));
    bot.stop();
    bot.wait_stopped();
    CHECK(finished);
}

TEST_CASE("a fatal close code surfaces from start() with a clear message", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    cord::client bot{"fake-bot-token", options_for(fake)};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    fake.close_connections(4004);
    try {
        bot.wait_stopped();
        FAIL("no error");
    } catch (const cord::gateway_error& e) {
        CHECK(e.close_code() == 4004);
        CHECK(std::string{e.what()}.find("token") != std::string::npos);
    }
    CHECK_FALSE(bot.running());
}

TEST_CASE("a fatal close on every shard of a client with two I/O threads ends the run once", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms, .max_concurrency = 8}};
    cord::client bot{"fake-bot-token", options_for(fake, {.shard_count = 8, .worker_threads = 2})};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 8));
    fake.close_connections(4004);   // the shards end at once, on both I/O threads
    CHECK_THROWS_AS(bot.wait_stopped(), cord::gateway_error);
    CHECK_FALSE(bot.running());
}

TEST_CASE("a refused token fails start() and is never printed", "[client]")
{
    fake_discord fake;
    cord::client bot{"wrong-token-value-123", options_for(fake)};
    try {
        bot.sync_wait(bot.start());
        FAIL("no error");
    } catch (const cord::http::discord_error& e) {
        CHECK(e.http_code() == 401);
        CHECK(std::string{e.what()}.find("wrong-token-value-123") == std::string::npos);
    }
}

TEST_CASE("handlers: exceptions are contained, slow coroutines run concurrently", "[client-handlers]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    cord::client bot{"fake-bot-token", options_for(fake, {.intents = content_intents})};
    std::mutex m;
    std::vector<std::string> seen;
    std::atomic<bool> slow_done{false};
    bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json msg) -> cord::awaitable<void> {
        if (msg["content"].as_string() == "slow") {
            co_await sleep_for(500ms);
            slow_done = true;
        }
    });
    bot.on_event("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json msg) {
        std::lock_guard lock{m};
        seen.emplace_back(msg["content"].as_string());
        if (msg["content"].as_string() == "boom")
            throw std::runtime_error("handler failure");
    });
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto user = fake.add_user("carol");
    fake.post_message_as(user, channel, "slow");
    fake.post_message_as(user, channel, "boom");
    fake.post_message_as(user, channel, "after");
    REQUIRE(eventually([&] {
        std::lock_guard lock{m};
        return seen.size() == 3;
    }));
    {
        std::lock_guard lock{m};
        CHECK(seen == std::vector<std::string>{"slow", "boom", "after"});
    }
    // "after" was handled while the slow handler still slept.
    CHECK_FALSE(slow_done);
    REQUIRE(eventually([&] { return slow_done.load(); }));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("every handler of an event sees it whole: named ones, a coroutine, \"*\" and a waiter", "[client-handlers]")
{
    // The last named handler takes the event's `d` rather than a copy: the others, the
    // catch-all's envelope and a waiter must not see it emptied.
    for (bool inline_handlers : {false, true}) {
        INFO("inline_handlers " << inline_handlers);
        fake_discord fake{{.heartbeat_interval = 1000ms}};
        cord::client_options o{.intents = content_intents};
        o.inline_handlers = inline_handlers;
        cord::client bot{"fake-bot-token", options_for(fake, o)};
        std::mutex m;
        std::multiset<std::string> seen;
        auto note = [&](std::string what) {
            std::lock_guard lock{m};
            seen.insert(std::move(what));
        };
        bot.on_event("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json d) {
            note("first " + std::string{d["content"].as_string()});
        });
        bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json d) -> cord::awaitable<void> {
            note("coroutine " + std::string{d["content"].as_string()});
            co_return;
        });
        bot.on_event("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json d) {
            note("last " + std::string{d["content"].as_string()});
        });
        bot.on_event("*", [&](cord::shard&, cord::client&, cord::json envelope) {
            if (envelope["t"].as_string() == "MESSAGE_CREATE")
                note("any " + std::string{envelope["d"]["content"].as_string()});
        });
        ready_counter ready;
        ready.attach(bot);
        REQUIRE(start_until_ready(bot, ready, 1));
        auto waited = bot.wait_for("MESSAGE_CREATE", content_is("two"), 10s);
        auto user = fake.add_user("frank");
        auto channel = fake.general_channel(fake.guild_ids().at(0));
        fake.post_message_as(user, channel, "one");
        fake.post_message_as(user, channel, "two");
        CHECK(bot.sync_wait(std::move(waited))["content"].as_string() == "two");
        REQUIRE(eventually([&] {
            std::lock_guard lock{m};
            return seen.size() == 8;
        }));
        std::lock_guard lock{m};
        CHECK(seen == std::multiset<std::string>{"first one", "coroutine one", "last one", "any one", "first two",
                                                 "coroutine two", "last two", "any two"});
        bot.stop();
        bot.wait_stopped();
    }
}

TEST_CASE("a handler blocking longer than the heartbeat interval costs no session", "[client-handlers]")
{
    fake_discord fake{{.heartbeat_interval = 200ms}};
    cord::client bot{"fake-bot-token", options_for(fake)};
    std::atomic<bool> unblocked{false};
    bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) {
        std::this_thread::sleep_for(1500ms);   // blocks the handler thread for 7 intervals
        unblocked = true;
    });
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    auto beats_before = fake.counters().heartbeats;
    fake.post_message_as(fake.add_user("dave"), fake.general_channel(fake.guild_ids().at(0)), "block");
    REQUIRE(eventually([&] { return unblocked.load(); }));
    auto c = fake.counters();
    CHECK(c.heartbeats >= beats_before + 4);   // the shard kept beating meanwhile
    CHECK(c.identifies == 1);
    CHECK(c.resumes == 0);
    CHECK(c.gateway_connections == 1);
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("wait_for returns the matching event or times out", "[client-handlers]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    cord::client bot{"fake-bot-token", options_for(fake, {.intents = content_intents})};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto user = fake.add_user("erin");
    auto second = bot.wait_for("raw-message-create", content_is("second"), 10s);
    fake.post_message_as(user, channel, "first");
    fake.post_message_as(user, channel, "second");
    auto msg = bot.sync_wait(std::move(second));
    CHECK(msg["content"].as_string() == "second");
    CHECK_THROWS_MATCHES(bot.sync_wait(bot.wait_for("raw-guild-delete", {}, 100ms)), cord::error,
                         with_code(cord::errc::timeout));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("wait_for begins when called: an event before the co_await is kept", "[client-handlers]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    cord::client bot{"fake-bot-token", options_for(fake, {.intents = content_intents})};
    ready_counter ready;
    ready.attach(bot);
    std::atomic<int> handled{0};
    // Once a handler has seen the message, the client has chosen the waiters it offers it to.
    bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) { ++handled; });
    REQUIRE(start_until_ready(bot, ready, 1));
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto user = fake.add_user("fay");

    auto early = bot.wait_for("raw-message-create", content_is("early"), 5s);
    fake.post_message_as(user, channel, "early");
    REQUIRE(eventually([&] { return handled.load() == 1; }));
    auto msg = bot.sync_wait(std::move(early));
    CHECK(msg["content"].as_string() == "early");

    {
        // Never awaited: destroying it ends its registration; the next wait is unaffected.
        auto dropped = bot.wait_for("raw-message-create", {}, 5s);
    }
    auto later = bot.wait_for("raw-message-create", content_is("later"), 5s);
    fake.post_message_as(user, channel, "later");
    CHECK(bot.sync_wait(std::move(later))["content"].as_string() == "later");

    // A wait pending when the client stops ends with errc::stopped, not with its timeout.
    auto pending = bot.wait_for("raw-guild-delete", {}, 60s);
    bot.stop();
    CHECK_THROWS_MATCHES(bot.sync_wait(std::move(pending)), cord::error, with_code(cord::errc::stopped));
    bot.wait_stopped();
}

TEST_CASE("update_status reaches every shard", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms, .max_concurrency = 2}};
    cord::client bot{"fake-bot-token", options_for(fake, {.shard_count = 2})};
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 2));
    cord::presence p;
    p.status = "dnd";
    p.activities = cord::json::array({cord::json::object({{"name", "tests"}, {"type", 0}})});
    bot.sync_wait(bot.update_status(p));
    REQUIRE(eventually([&] { return fake.presence_updates().size() == 2; }));
    for (const auto& d : fake.presence_updates()) {
        CHECK(d["status"].as_string() == "dnd");
        CHECK(d["activities"][0]["name"].as_string() == "tests");
        CHECK(d["afk"].as_bool() == false);
    }
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("a start that failed on a server fault can be retried", "[client]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    auto o = options_for(fake);
    o.rest.max_retries = 1;
    o.rest.backoff_min = 10ms;
    cord::client bot{"fake-bot-token", o};
    fake.fail_rest(503, 2);   // GET /gateway/bot and its one retry
    try {
        bot.sync_wait(bot.start());
        FAIL("no error");
    } catch (const cord::http::discord_error& e) {
        CHECK(e.http_code() == 503);
    }
    CHECK_FALSE(bot.running());
    ready_counter ready;
    ready.attach(bot);
    REQUIRE(start_until_ready(bot, ready, 1));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("the daily identify budget counts down; start() refuses to exceed it", "[client]")
{
    fake_discord_options fo{.heartbeat_interval = 1000ms, .max_concurrency = 2};
    fo.session_start_remaining = 2;
    fake_discord fake{fo};
    {
        cord::client first{"fake-bot-token", options_for(fake, {.shard_count = 2})};
        ready_counter ready;
        ready.attach(first);
        REQUIRE(start_until_ready(first, ready, 2));   // two identifies: the budget is spent
        first.stop();
        first.wait_stopped();
    }
    cord::client second{"fake-bot-token", options_for(fake)};
    try {
        second.sync_wait(second.start());
        FAIL("no error");
    } catch (const cord::error& e) {
        CHECK(e.code() == cord::errc::rate_limit_wait);
        CHECK_THAT(e.what(), Catch::Matchers::Contains("0 more identifies"));
    }
    CHECK(fake.counters().identifies == 2);
}

TEST_CASE("run() blocks until SIGTERM, then stops the client", "[client-signals]")
{
    fake_discord fake{{.heartbeat_interval = 1000ms}};
    auto o = options_for(fake);
    o.handle_signals = true;
    cord::client bot{"fake-bot-token", o};
    ready_counter ready;
    ready.attach(bot);
    std::atomic<bool> returned{false};
    std::exception_ptr failure;
    std::jthread runner{[&] {
        try {
            bot.run();
        } catch (...) {
            failure = std::current_exception();
        }
        returned = true;
    }};
    REQUIRE(eventually([&] { return ready.count() == 1; }));
    CHECK_FALSE(returned);
    ::kill(::getpid(), SIGTERM);
    REQUIRE(eventually([&] { return returned.load(); }));
    CHECK_FALSE(failure);
    CHECK_FALSE(bot.running());
    CHECK(fake.open_gateway_connections() == 0);
}
