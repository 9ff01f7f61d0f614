// Fake tier: a shard against the emulator — connecting, heartbeats, and recovery from each fault.
#include "fake_harness.hpp"

using namespace gwtest;

TEST_CASE("shard identifies, gets READY and GUILD_CREATE, heartbeats with ACKs", "[gateway-connect]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready() && h.count("GUILD_CREATE") >= 1; }));
    CHECK(h.events.front().name == "READY");
    CHECK(h.events.front().seq == 1);
    auto ids = h.fake.identifies();
    REQUIRE(ids.size() == 1);
    CHECK(ids[0].shard_id == 0);
    CHECK(ids[0].shard_count == 1);
    CHECK(ids[0].intents == cord::to_bits(h.config.intents));
    CHECK(ids[0].payload["properties"]["browser"].as_string() == "cord");
    CHECK(ids[0].payload["large_threshold"].as_int() == 50);
    auto session = h.shard->session();
    CHECK(session.valid());
    CHECK(session.resume_url == h.fake.gateway_url());
    // Several heartbeat intervals (250 ms): beats go out and ACKs come back.
    auto beats = h.fake.counters().heartbeats;
    REQUIRE(h.run_until([&] { return h.fake.counters().heartbeats >= beats + 3; }, 5s));
    CHECK(h.fake.counters().gateway_connections == 1);
    CHECK(h.shard->status() == cord::shard_status::ready);
    CHECK(h.statuses.front() == cord::shard_status::connecting);
}

TEST_CASE("shard over zlib-stream, zstd-stream and over TLS", "[gateway-connect]")
{
    SECTION("zlib-stream, plain")
    {
        harness h{fast_fake(), cord::compression::zlib_stream};
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        for (int i = 0; i < 50; ++i)
            h.post("z" + std::to_string(i));
        REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 50; }));
        CHECK(h.events.back().content == "z49");
    }
    SECTION("zstd-stream, plain")
    {
        harness h{fast_fake(), cord::compression::zstd_stream};
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        for (int i = 0; i < 50; ++i)
            h.post("zs" + std::to_string(i));
        REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 50; }));
        CHECK(h.events.back().content == "zs49");
    }
    SECTION("TLS + zlib-stream, verified against the emulator's CA")
    {
        harness h{fast_fake(true), cord::compression::zlib_stream};
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.post("over tls");
        REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 1; }));
        CHECK(h.events.back().content == "over tls");
    }
    SECTION("TLS with a trusted certificate for another host name is refused")
    {
        auto fo = fast_fake(true);
        fo.tls_names = "DNS:gateway.example";   // the CA is trusted; the name is not 127.0.0.1
        harness h{fo, cord::compression::none};
        h.start();
        h.run_for(500ms);
        CHECK(!h.ready());
        CHECK(h.fake.counters().identifies == 0);
    }
    SECTION("TLS without the emulator's CA is refused, and retried")
    {
        harness h{fast_fake(true), cord::compression::none, [](cord::shard_config& c) { c.tls.extra_ca_pem.clear(); }};
        h.start();
        h.run_for(500ms);
        CHECK(!h.ready());
        CHECK(h.fake.counters().identifies == 0);
    }
}

TEST_CASE("shard resumes after a dropped connection; events sent meanwhile arrive once", "[gateway-faults]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.post("before");
    REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 1; }));
    h.fake.drop_connections();
    h.post("during");
    REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.ready() && h.count("RESUMED") == 1; }));
    h.post("after");
    REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 3; }));
    h.run_for(100ms);
    CHECK(h.count("MESSAGE_CREATE") == 3);
    CHECK(h.fake.counters().identifies == 1);
    std::vector<std::string> contents;
    for (auto& e : h.events)
        if (e.name == "MESSAGE_CREATE")
            contents.push_back(e.content);
    CHECK(contents == std::vector<std::string>{"before", "during", "after"});
}

TEST_CASE("op 7 reconnects and resumes", "[gateway-faults]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.fake.send_reconnect();
    REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.ready(); }));
    CHECK(h.fake.counters().identifies == 1);
    CHECK(h.fake.counters().gateway_connections == 2);
}

TEST_CASE("op 9 true resumes; op 9 false identifies anew after 1-5 s", "[gateway-faults]")
{
    SECTION("resumable")
    {
        harness h;
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.fake.send_invalid_session(true);
        REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.ready(); }));
        CHECK(h.fake.counters().identifies == 1);
    }
    SECTION("not resumable")
    {
        harness h;
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        auto first = h.shard->session().session_id;
        auto at = std::chrono::steady_clock::now();
        h.fake.send_invalid_session(false);
        REQUIRE(h.run_until([&] { return h.fake.counters().identifies == 2 && h.ready(); }));
        CHECK(std::chrono::steady_clock::now() - at >= 1s);   // Discord's advice: wait 1-5 s
        CHECK(h.fake.counters().resumes == 0);
        CHECK(h.shard->session().session_id != first);
        CHECK(h.count("READY") == 2);
    }
}

TEST_CASE("close codes that keep the session resume", "[gateway-faults]")
{
    for (int code : {4000, 4001, 4002, 4005, 4008, 4999}) {
        INFO("close code " << code);
        harness h;
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.fake.close_connections(code);
        REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.ready(); }));
        CHECK(h.fake.counters().identifies == 1);
        CHECK(!h.done);
    }
}

TEST_CASE("a 1001 from the server is recovered from", "[gateway-faults]")
{
    // cord answers resume; Beast echoes the server's 1001 in its closing handshake, which the
    // emulator (like Discord for a client 1000/1001) takes as the end of the session: the
    // resume then gets op 9 and cord identifies anew. Either way the shard is back.
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.fake.close_connections(1001);
    REQUIRE(h.run_until([&] {
        auto c = h.fake.counters();
        return c.gateway_connections >= 2 && c.identifies + c.resumes >= 2 && h.ready();
    }));
    CHECK(!h.done);
}

TEST_CASE("close codes that end the session identify anew", "[gateway-faults]")
{
    for (int code : {4003, 4007, 4009}) {
        INFO("close code " << code);
        harness h;
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.fake.close_connections(code);
        REQUIRE(h.run_until([&] { return h.fake.counters().identifies == 2 && h.ready(); }));
        CHECK(h.fake.counters().resumes == 0);
    }
}

TEST_CASE("fatal close codes end run() with a gateway_error naming the code", "[gateway-faults]")
{
    for (int code : {4004, 4010, 4011, 4012, 4013, 4014}) {
        INFO("close code " << code);
        harness h;
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.fake.close_connections(code);
        REQUIRE(h.run_until([&] { return h.done; }));
        CHECK(h.shard->status() == cord::shard_status::stopped);
        try {
            h.rethrow();
            FAIL("run() returned without an error");
        } catch (const cord::gateway_error& e) {
            CHECK(e.close_code() == code);
            CHECK_THAT(std::string{e.what()}, Catch::Contains(std::to_string(code)));
        }
        CHECK(h.fake.counters().gateway_connections == 1);   // no reconnect
    }
}

TEST_CASE("a bad token is fatal at IDENTIFY: 4004 with what to fix, token not in the message",
          "[gateway-faults]")
{
    harness h{fast_fake(), cord::compression::none, [](cord::shard_config& c) { c.token = "wrong-token-value"; }};
    h.start();
    REQUIRE(h.run_until([&] { return h.done; }));
    try {
        h.rethrow();
        FAIL("no error");
    } catch (const cord::gateway_error& e) {
        CHECK(e.close_code() == 4004);
        CHECK_THAT(std::string{e.what()}, Catch::Contains("token"));
        CHECK_THAT(std::string{e.what()}, !Catch::Contains("wrong-token-value"));
    }
}

TEST_CASE("withheld ACKs make a zombie: close, reconnect, resume", "[gateway-faults]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.fake.withhold_heartbeat_acks(true);
    REQUIRE(h.run_until([&] { return h.fake.counters().gateway_connections >= 2; }, 5s));
    h.fake.withhold_heartbeat_acks(false);
    REQUIRE(h.run_until([&] { return h.fake.counters().resumes >= 1 && h.ready(); }, 5s));
    CHECK(h.fake.counters().identifies == 1);
}

TEST_CASE("a stalled connection is detected by the missing ACK and resumed", "[gateway-faults]")
{
    harness h;
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.post("before stall");
    h.fake.stall_writes(1500ms);
    h.post("stalled");
    REQUIRE(h.run_until([&] { return h.fake.counters().resumes >= 1 && h.ready(); }, 8s));
    REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 2; }, 3s));
    CHECK(h.fake.counters().identifies == 1);
}

TEST_CASE("a stuck handshake (no HELLO) hits its deadline and is retried", "[gateway-faults]")
{
    harness h{fast_fake(), cord::compression::none, [](cord::shard_config& c) { c.gateway.hello_timeout = 300ms; }};
    h.fake.stall_writes(1200ms);
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }, 8s));
    CHECK(h.fake.counters().gateway_connections >= 2);
}

TEST_CASE("a malformed payload makes the shard resume from the last good seq", "[gateway-faults]")
{
    for (auto mode : {cord::compression::none, cord::compression::zlib_stream, cord::compression::zstd_stream}) {
        harness h{fast_fake(), mode};
        h.start();
        REQUIRE(h.run_until([&] { return h.ready(); }));
        h.post("one");
        REQUIRE(h.run_until([&] { return h.count("MESSAGE_CREATE") == 1; }));
        h.fake.send_malformed();
        h.post("two");
        REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.count("MESSAGE_CREATE") == 2; }));
        h.run_for(100ms);
        CHECK(h.count("MESSAGE_CREATE") == 2);
        std::vector<std::string> contents;
        for (auto& e : h.events)
            if (e.name == "MESSAGE_CREATE")
                contents.push_back(e.content);
        CHECK(contents == std::vector<std::string>{"one", "two"});
    }
}

TEST_CASE("a dispatch nobody wants is not parsed nor delivered", "[gateway-dispatch]")
{
    harness h;
    h.ignore = "MESSAGE_CREATE";
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.post("unheard");
    h.fake.dispatch_to_shard(0, "USER_UPDATE", json::object({{"id", "3"}, {"username", "u"}}));
    REQUIRE(h.run_until([&] { return h.count("USER_UPDATE") == 1; }));
    CHECK(h.count("MESSAGE_CREATE") == 0);
    CHECK(std::count(h.asked.begin(), h.asked.end(), "MESSAGE_CREATE") == 1);
    // The unwanted event still counts for the session: a resume does not replay it.
    h.fake.drop_connections();
    REQUIRE(h.run_until([&] { return h.fake.counters().resumes == 1 && h.ready(); }));
    h.run_for(50ms);
    CHECK(std::count(h.asked.begin(), h.asked.end(), "MESSAGE_CREATE") == 1);
}
