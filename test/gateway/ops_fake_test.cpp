// Fake tier: gateway operations (op 3, 4, 8), the send limit, the 4096-byte cap, stop and the
// session hand-over to a new shard.
// Option temporaries here are passed outside co_await, where g++ 12 handles them.
#define CORD_REFUSE_OPTION_TEMPORARIES 0
#include "fake_harness.hpp"

#include <boost/asio/use_awaitable.hpp>

using namespace gwtest;

TEST_CASE("update_status sends op 3 and completes once written", "[gateway-ops]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    cord::presence p;
    p.status = "dnd";
    p.activities = json::parse(R"([{"name":"tests","type":0}])");
    auto e = await_op(h, h.shard->update_status(p));
    CHECK(!e);
    REQUIRE(h.run_until([&] { return h.fake.presence_updates().size() == 1; }));
    auto got = h.fake.presence_updates().at(0);
    CHECK(got["status"].as_string() == "dnd");
    CHECK(got["activities"][0]["name"].as_string() == "tests");
}

TEST_CASE("a payload over 4096 bytes is refused with a clear error and the connection survives",
          "[gateway-ops]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    cord::presence p;
    p.activities = json::array({json::object({{"name", std::string(5000, 'x')}, {"type", 0}})});
    auto e = await_op(h, h.shard->update_status(p));
    REQUIRE(e);
    try {
        std::rethrow_exception(e);
    } catch (const cord::error& err) {
        CHECK(err.code() == cord::make_error_code(cord::errc::payload_too_large));
        CHECK_THAT(std::string{err.what()}, Catch::Contains("4096"));
    }
    h.run_for(100ms);
    CHECK(h.fake.counters().gateway_connections == 1);
    CHECK(h.fake.presence_updates().empty());
}

TEST_CASE("the send limiter keeps a burst under the gateway's limit, heartbeats included", "[gateway-limiter-fake]")
{
    auto fo = fast_fake();
    fo.heartbeat_interval = 500ms;
    fo.gateway_send_limit = 20;
    fo.gateway_send_window = 1000ms;
    harness h{fo, cord::compression::none, [](cord::shard_config& c) {
                  c.gateway.send_limit = 20;
                  c.gateway.send_window = 1000ms;
              }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    const int burst = 40;
    int completed = 0, failed = 0;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < burst; ++i) {
        cord::presence p;
        p.status = i % 2 ? "idle" : "online";
        asio::co_spawn(h.io, h.shard->update_status(p), [&](std::exception_ptr e) { ++(e ? failed : completed); });
    }
    REQUIRE(h.run_until([&] { return completed + failed == burst; }, 15s));
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(failed == 0);
    // Written is not yet received: give the emulator's thread a moment.
    CHECK(h.run_until([&] { return h.fake.presence_updates().size() == burst; }, 3s));
    // 40 payloads at fewer than 20 per second cannot go out in under 1 s.
    CHECK(elapsed >= 1s);
    // No 4008: the one connection survived.
    CHECK(h.fake.counters().gateway_connections == 1);
    CHECK(h.fake.counters().resumes == 0);
}

TEST_CASE("request_guild_members collects the chunks of its nonce", "[gateway-ops]")
{
    harness h;
    auto guild = h.fake.guild_ids().at(0);
    for (int i = 0; i < 5; ++i)
        h.fake.add_member(guild, h.fake.add_user("member" + std::to_string(i)));
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    bool finished = false;
    json result;
    std::exception_ptr error;
    asio::co_spawn(h.io, h.shard->request_guild_members(guild, {.query = "member", .limit = 100}),
                   [&](std::exception_ptr e, json r) {
                       error = e;
                       result = r;
                       finished = true;
                   });
    REQUIRE(h.run_until([&] { return finished; }));
    REQUIRE(!error);
    CHECK(result["members"].size() == 5);
    CHECK(result["members"][0]["user"]["username"].as_string().starts_with("member"));
    CHECK(result["not_found"].empty());

    bool by_id_done = false;
    asio::co_spawn(h.io,
                   h.shard->request_guild_members(guild, {.user_ids = {cord::snowflake{123456789}}}),
                   [&](std::exception_ptr e, json r) {
                       error = e;
                       result = r;
                       by_id_done = true;
                   });
    REQUIRE(h.run_until([&] { return by_id_done; }));
    REQUIRE(!error);
    CHECK(result["members"].empty());
    CHECK(result["not_found"][0].as_string() == "123456789");
}

TEST_CASE("request_guild_members without the intent it needs fails at once with a clear error",
          "[gateway-ops]")
{
    harness h{fast_fake(), cord::compression::none,
              [](cord::shard_config& c) { c.intents = cord::intents::guilds | cord::intents::guild_messages; }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    bool finished = false;
    std::exception_ptr error;
    asio::co_spawn(h.io, h.shard->request_guild_members(h.fake.guild_ids().at(0)),
                   [&](std::exception_ptr e, json) {
                       error = e;
                       finished = true;
                   });
    REQUIRE(h.run_until([&] { return finished; }));
    REQUIRE(error);
    try {
        std::rethrow_exception(error);
    } catch (const cord::error& e) {
        CHECK(e.code() == cord::errc::invalid_argument);
        CHECK_THAT(e.what(), Catch::Contains("GUILD_MEMBERS"));
    }
    CHECK(h.fake.counters().gateway_connections == 1);   // the session is untouched
}

TEST_CASE("update_voice_state sends op 4; Discord answers with VOICE_STATE_UPDATE", "[gateway-ops]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    auto guild = h.fake.guild_ids().at(0);
    auto channel = h.fake.general_channel(guild);
    CHECK(!await_op(h, h.shard->update_voice_state(guild, channel, true, false)));
    REQUIRE(h.run_until([&] { return h.count("VOICE_STATE_UPDATE") == 1; }));
    auto& vs = h.payloads.back();
    CHECK(vs["channel_id"].as_snowflake() == channel);
    CHECK(vs["self_mute"].as_bool());
}

TEST_CASE("operations wait for READY and fail with 'stopped' when the shard stops", "[gateway-ops]")
{
    harness h;
    // Not started: the payload waits, then stop() fails it.
    h.shard.emplace(h.io.get_executor(), h.config, h.hooks());
    bool finished = false;
    std::exception_ptr error;
    asio::co_spawn(h.io, h.shard->update_status(cord::presence{}), [&](std::exception_ptr e) {
        error = e;
        finished = true;
    });
    h.run_for(50ms);
    CHECK(!finished);
    h.shard->stop();
    REQUIRE(h.run_until([&] { return finished; }));
    REQUIRE(error);
    try {
        std::rethrow_exception(error);
    } catch (const cord::error& e) {
        CHECK(e.code() == cord::make_error_code(cord::errc::stopped));
    }
    h.done = true;
}

TEST_CASE("stop() closes with 1000, run() returns, the session is gone at the emulator", "[gateway-stop]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.shard->stop();
    REQUIRE(h.run_until([&] { return h.done; }, 5s));
    CHECK(!h.error);
    CHECK(h.shard->status() == cord::shard_status::stopped);
    REQUIRE(h.run_until([&] { return h.fake.open_gateway_connections() == 0; }, 3s));
}

TEST_CASE("session hand-over: a new shard resumes the session of a stopped one", "[gateway-handover]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.post("0");
    REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 1; }));
    h.shard->stop(cord::stop_mode::keep_session);
    REQUIRE(h.run_until([&] { return h.done; }, 5s));
    auto session = h.shard->session();
    REQUIRE(session.valid());
    CHECK(session.seq == h.events.back().seq);

    // Events that happen between the two shards are replayed to the new one.
    h.post("1");
    h.post("2");

    std::vector<received> second;
    cord::shard_config c = h.config;
    c.resume_from = session;
    cord::shard_hooks hooks;
    hooks.on_dispatch = [&](cord::shard&, std::string_view name, const json& d, std::uint64_t seq) {
        second.push_back({std::string{name}, seq, name == "MESSAGE_CREATE" ? std::string{d["content"].as_string()} : ""});
    };
    cord::shard next{h.io.get_executor(), c, hooks};
    bool next_done = false;
    asio::co_spawn(h.io, next.run(), [&](std::exception_ptr) { next_done = true; });
    REQUIRE(h.run_until([&] { return next.status() == cord::shard_status::ready; }));
    h.post("3");
    REQUIRE(h.run_until([&] {
        return std::count_if(second.begin(), second.end(), [](auto& e) { return e.name == "MESSAGE_CREATE"; }) == 3;
    }));
    CHECK(h.fake.counters().identifies == 1);
    CHECK(h.fake.counters().resumes == 1);
    std::vector<std::string> contents;
    for (auto& e : second)
        if (e.name == "MESSAGE_CREATE")
            contents.push_back(e.content);
    CHECK(contents == std::vector<std::string>{"1", "2", "3"});
    CHECK(second.back().seq > session.seq);
    next.stop();
    REQUIRE(h.run_until([&] { return next_done; }, 5s));
}
