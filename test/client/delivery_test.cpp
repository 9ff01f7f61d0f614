// Delivery through cord::client's dispatcher against the emulator: order and exactly-once
// across batches, backpressure under a slow handler, stop() with events still queued, inline
// handlers.
// SPDX-License-Identifier: BSL-1.0
#include "client_helpers.hpp"
#include "security/log_capture.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Numbered MESSAGE_CREATEs to shard 0, each about `size` bytes; `name` as the emulator writes it.
void blast(fake_discord& fake, int first, int count, std::size_t size = 1000,
           std::string_view name = "MESSAGE_CREATE")
{
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    std::string filler(size, 'x');
    for (int i = first; i < first + count; ++i)
        fake.dispatch_to_shard(0, name,
                               cord::json::object({{"id", std::to_string(1000 + i)}, {"channel_id", channel},
                                                   {"guild_id", guild}, {"content", std::to_string(i)},
                                                   {"filler", filler},
                                                   {"author", cord::json::object({{"id", "3"}, {"username", "u"}})}}));
}

// Records the numbers of the messages a bot handled, in order.
struct recorder {
    std::mutex m;
    std::vector<int> seen;
    void attach(cord::client& bot, std::chrono::milliseconds work = {})
    {
        bot.on_event("raw-message-create", [this, work](cord::shard&, cord::client&, cord::json msg) {
            if (work.count())
                std::this_thread::sleep_for(work);
            std::lock_guard lock{m};
            seen.push_back(std::stoi(std::string{msg["content"].as_string()}));
        });
    }
    std::size_t count()
    {
        std::lock_guard lock{m};
        return seen.size();
    }
    bool in_order_from(int first, int count)
    {
        std::lock_guard lock{m};
        if (seen.size() != static_cast<std::size_t>(count))
            return false;
        for (int i = 0; i < count; ++i)
            if (seen[static_cast<std::size_t>(i)] != first + i)
                return false;
        return true;
    }
};

// A READY bot recording MESSAGE_CREATEs on an emulator of its own, plain or inline delivery.
struct recorded_bot {
    explicit recorded_bot(bool inline_handlers)
        : bot{"fake-bot-token", options_for(fake, {.intents = content_intents, .inline_handlers = inline_handlers})}
    {
        ready.attach(bot);
        r.attach(bot);
        REQUIRE(start_until_ready(bot, ready, 1));
    }
    ~recorded_bot()
    {
        bot.stop();
        bot.wait_stopped();
    }
    fake_discord fake{{.heartbeat_interval = 1000ms, .rate_limits = false}};
    cord::client bot;
    ready_counter ready;
    recorder r;
};

} // namespace

TEST_CASE("a slow handler pauses the shard's reading: nothing lost, no false zombie, heartbeats go on",
          "[client-delivery]")
{
    sectest::log_capture logs;
    fake_discord fake{{.heartbeat_interval = 250ms, .rate_limits = false}};
    cord::client bot{"fake-bot-token",
                     options_for(fake, {.intents = content_intents, .max_queued_events = 32})};
    ready_counter ready;
    ready.attach(bot);
    recorder r;
    r.attach(bot, 1ms);   // slower than the wire
    REQUIRE(start_until_ready(bot, ready, 1));
    auto beats_before = fake.counters().heartbeats;
    auto started = std::chrono::steady_clock::now();
    constexpr int events = 1500;
    blast(fake, 0, events);
    REQUIRE(eventually([&] { return r.count() == events; }, 60s));
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(r.in_order_from(0, events));
    CHECK(logs.contains("pauses reading"));
    auto c = fake.counters();
    CHECK(c.gateway_connections == 1);   // paused reading was never taken for a zombie
    CHECK(c.resumes == 0);
    // Discord's rule: a heartbeat every interval, reading paused or not.
    auto intervals = std::chrono::duration_cast<std::chrono::milliseconds>(took).count() / 250;
    INFO("took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(c.heartbeats - beats_before + 1 >= static_cast<std::uint64_t>(intervals));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("3,000 numbered events with faults every 300, through the client's lanes: exactly once, in order",
          "[client-delivery]")
{
    fake_discord fake{{.heartbeat_interval = 250ms, .rate_limits = false, .identify_window = 10ms}};
    auto options = options_for(fake, {.intents = content_intents, .max_queued_events = 48});
    // Faults come faster than a session can last: every session counts as stable here, so that
    // the backoff stays short and each fault meets a live connection.
    options.gateway.stable_after = 0ms;
    options.gateway.reconnect_backoff_min = 10ms;
    options.gateway.reconnect_backoff_max = 200ms;
    cord::client bot{"fake-bot-token", options};
    ready_counter ready;
    ready.attach(bot);
    recorder r;
    bot.on_event("raw-message-create", [&r](cord::shard&, cord::client&, cord::json msg) {
        auto n = std::stoi(std::string{msg["content"].as_string()});
        if (n % 97 == 0)
            std::this_thread::sleep_for(2ms);   // a handler that lags now and then: batches pile up
        std::lock_guard lock{r.m};
        r.seen.push_back(n);
    });
    REQUIRE(start_until_ready(bot, ready, 1));
    constexpr int total = 3000;
    int fault = 0;
    for (int i = 0; i < total; i += 50) {
        blast(fake, i, 50, 200);
        if (i % 300 == 150) {
            // Each fault meets a live connection, not a reconnect in progress.
            REQUIRE(eventually([&] { return fake.open_gateway_connections() == 1; }, 10s));
            switch (fault++ % 6) {
            case 0: fake.drop_connections(); break;
            case 1: fake.send_reconnect(); break;
            case 2: fake.send_invalid_session(true); break;
            case 3: fake.close_connections(4000); break;
            case 4: fake.send_malformed(); break;
            case 5: fake.close_connections(4008); break;
            }
        }
        std::this_thread::sleep_for(3ms);
    }
    REQUIRE(eventually([&] { return r.count() >= total; }, 60s));
    std::this_thread::sleep_for(200ms);   // nothing more may come
    CHECK(r.in_order_from(0, total));
    CHECK(fake.counters().identifies == 1);
    CHECK(fake.counters().resumes >= 5);
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("stop() with events queued runs none of them, and a successor resumes before them",
          "[client-delivery]")
{
    sectest::log_capture logs;
    fake_discord fake{{.heartbeat_interval = 1000ms, .rate_limits = false}};
    constexpr int events = 200;
    std::vector<cord::session_info> sessions;
    recorder first;
    {
        cord::client bot{"fake-bot-token", options_for(fake, {.intents = content_intents, .stop_grace = 100ms})};
        ready_counter ready;
        ready.attach(bot);
        first.attach(bot, 20ms);
        REQUIRE(start_until_ready(bot, ready, 1));
        blast(fake, 0, events);
        REQUIRE(eventually([&] { return first.count() >= 3; }));
        bot.stop(cord::stop_mode::keep_session);
        bot.wait_stopped();
        sessions = bot.sessions();
    }
    auto handled = static_cast<int>(first.count());
    INFO("handled before stop: " << handled);
    CHECK(handled < events);   // the rest were queued, not run
    CHECK(first.in_order_from(0, handled));
    CHECK(logs.contains("not handed to handlers"));

    cord::client next{"fake-bot-token",
                      options_for(fake, {.intents = content_intents, .resume_sessions = sessions})};
    recorder rest;
    rest.attach(next);
    next.start_no_wait();
    REQUIRE(eventually([&] { return rest.count() >= static_cast<std::size_t>(events - handled); }));
    CHECK(rest.in_order_from(handled, events - handled));   // the rest, once each
    CHECK(fake.counters().resumes == 1);
    next.stop();
    next.wait_stopped();
}

TEST_CASE("a dispatch whose d is not JSON is reported with its name and seq; nothing else is lost, no reconnect",
          "[client-delivery]")
{
    // Parsed on the handler strand (default) or by the shard (inline): the same outcome.
    auto inline_handlers = GENERATE(false, true);
    INFO("inline_handlers: " << inline_handlers);
    sectest::log_capture logs;
    recorded_bot b{inline_handlers};
    blast(b.fake, 0, 5);
    b.fake.send_malformed_data();
    blast(b.fake, 5, 5);
    REQUIRE(eventually([&] { return b.r.count() >= 10; }));
    std::this_thread::sleep_for(100ms);   // nothing more may come
    CHECK(b.r.in_order_from(0, 10));
    CHECK(logs.contains("MESSAGE_CREATE (seq "));
    CHECK(logs.contains("is not valid JSON; no handler gets it"));
    // A resume would only bring the same bytes again: the session goes on.
    CHECK(b.fake.counters().resumes == 0);
    CHECK(b.fake.counters().identifies == 1);
}

TEST_CASE("a dispatch whose event name is spelled with an escape is delivered like any other", "[client-delivery]")
{
    // Valid JSON that the envelope scanner does not read (an escaped underscore in `t`): the
    // shard parses the payload instead of taking it for a malformed one.
    auto inline_handlers = GENERATE(false, true);
    INFO("inline_handlers: " << inline_handlers);
    recorded_bot b{inline_handlers};
    blast(b.fake, 0, 2);
    blast(b.fake, 2, 1, 100, "MESSAGE\\u005fCREATE");
    blast(b.fake, 3, 2);
    REQUIRE(eventually([&] { return b.r.count() >= 5; }));
    std::this_thread::sleep_for(100ms);   // nothing more may come
    CHECK(b.r.in_order_from(0, 5));
    CHECK(b.fake.counters().resumes == 0);
    CHECK(b.fake.counters().identifies == 1);
}

TEST_CASE("inline handlers run on the shard's thread, in order; a slow one is named", "[client-delivery]")
{
    sectest::log_capture logs;
    fake_discord fake{{.heartbeat_interval = 1000ms, .rate_limits = false}};
    cord::client bot{"fake-bot-token",
                     options_for(fake, {.intents = content_intents, .inline_handlers = true,
                                        .slow_handler_warning = 50ms})};
    ready_counter ready;
    ready.attach(bot);
    recorder r;
    r.attach(bot);
    std::atomic<bool> slow_done{false};
    bot.on_event("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json msg) {
        if (msg["content"].as_string() == "5") {
            std::this_thread::sleep_for(120ms);
            slow_done = true;
        }
    });
    REQUIRE(start_until_ready(bot, ready, 1));
    blast(fake, 0, 100);
    REQUIRE(eventually([&] { return r.count() == 100 && slow_done; }));
    CHECK(r.in_order_from(0, 100));
    CHECK(logs.contains("a handler of MESSAGE_CREATE (raw-message-create) has run over 50 ms on shard 0's thread, "
                        "delaying its heartbeats"));
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("a plain handler that blocks is named while it still blocks, inline and handed over",
          "[client-delivery]")
{
    for (bool inline_handlers : {true, false}) {
        CAPTURE(inline_handlers);
        sectest::log_capture logs;
        fake_discord fake{{.heartbeat_interval = 1000ms, .rate_limits = false}};
        cord::client bot{"fake-bot-token", options_for(fake, {.intents = content_intents,
                                                              .inline_handlers = inline_handlers,
                                                              .slow_handler_warning = 50ms})};
        ready_counter ready;
        ready.attach(bot);
        std::atomic<bool> release{false};
        std::atomic<int> returned{0};
        bot.on_event("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json) {
            auto until = std::chrono::steady_clock::now() + 30s;   // bounded: released below
            while (!release && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(1ms);
            ++returned;
        });
        REQUIRE(start_until_ready(bot, ready, 1));
        blast(fake, 0, 1);
        auto expected = inline_handlers ? "a handler of MESSAGE_CREATE (raw-message-create) has run over 50 ms on "
                                          "shard 0's thread, delaying its heartbeats"
                                        : "a handler of MESSAGE_CREATE (raw-message-create) has run over 50 ms: "
                                          "every event behind it waits";
        CHECK(eventually([&] { return logs.contains(expected); }, 10s));
        CHECK(returned == 0);   // named while it ran, not after
        release = true;
        CHECK(eventually([&] { return returned == 1; }));
        bot.stop();
        bot.wait_stopped();
    }
}

namespace {

// The lifecycle kinds a bot saw, as names, in order.
struct lifecycle_log {
    std::mutex m;
    std::vector<std::string> kinds;
    std::vector<cord::lifecycle_event> all;
    void attach(cord::client& bot)
    {
        bot.on_lifecycle([this](cord::shard&, const cord::lifecycle_event& e) {
            std::lock_guard lock{m};
            kinds.emplace_back(cord::to_string(e.kind));
            all.push_back(e);
        });
    }
    std::vector<std::string> since(std::size_t from)
    {
        std::lock_guard lock{m};
        return {kinds.begin() + static_cast<std::ptrdiff_t>(std::min(from, kinds.size())), kinds.end()};
    }
    std::size_t size()
    {
        std::lock_guard lock{m};
        return kinds.size();
    }
    bool saw(std::string_view kind)
    {
        std::lock_guard lock{m};
        return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    }
};

using kinds = std::vector<std::string>;

} // namespace

TEST_CASE("lifecycle: a start, a drop that resumes, an op 9 that identifies", "[client-lifecycle]")
{
    running_bot b{{.intents = content_intents}, {.heartbeat_interval = 1000ms, .identify_window = 10ms}};
    auto& fake = b.fake;
    auto& bot = b.bot;
    lifecycle_log life;
    life.attach(bot);
    b.start();
    REQUIRE(eventually([&] { return life.saw("ready"); }));
    CHECK(life.since(0) == kinds{"connecting", "hello", "identify-sent", "ready"});

    auto mark = life.size();
    fake.drop_connections();
    REQUIRE(eventually([&] { return life.since(mark).size() >= 6; }));
    CHECK(life.since(mark)
          == kinds{"disconnected", "reconnect-scheduled", "connecting", "hello", "resume-sent", "resumed"});
    {
        std::lock_guard lock{life.m};
        auto& dropped = life.all[mark];
        CHECK(dropped.close_code == 0);   // a drop: no close frame
        CHECK(dropped.will_resume);
        CHECK(dropped.shard_id == 0);
    }

    mark = life.size();
    fake.send_invalid_session(false);
    REQUIRE(eventually([&] { return life.since(mark).size() >= 7; }));
    CHECK(life.since(mark) == kinds{"invalid-session", "disconnected", "reconnect-scheduled", "connecting", "hello",
                                    "identify-sent", "ready"});
    bot.stop();
    bot.wait_stopped();
}

TEST_CASE("lifecycle: a fatal 4004 is seen with its code, and nothing is scheduled after it", "[client-lifecycle]")
{
    running_bot b{{.intents = content_intents}};
    auto& fake = b.fake;
    auto& bot = b.bot;
    lifecycle_log life;
    life.attach(bot);
    b.start();
    auto mark = life.size();
    fake.close_connections(4004);
    CHECK_THROWS_AS(bot.wait_stopped(), cord::gateway_error);
    REQUIRE(eventually([&] { return life.saw("disconnected"); }));
    CHECK(life.since(mark) == kinds{"disconnected"});
    std::lock_guard lock{life.m};
    CHECK(life.all[mark].close_code == 4004);
    CHECK_FALSE(life.all[mark].will_resume);
}
