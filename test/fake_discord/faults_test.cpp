// fake_discord fault injection: TCP drop, op 7, op 9, close codes, withheld ACKs,
// stalled writes, malformed frames, delayed and failing REST.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <thread>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

TEST_CASE("fake fault: drop_connections closes TCP without a close frame", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    fake.drop_connections();
    CHECK(ws.wait_closed() == 0);   // no close frame, so no code
    for (int i = 0; i < 100 && fake.open_gateway_connections() != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    CHECK(fake.open_gateway_connections() == 0);
}

TEST_CASE("fake fault: only the given shard is affected", "[faults]")
{
    fake_discord_options o;
    o.max_concurrency = 2;
    fake_discord fake{o};
    ws_client s0{fake.port()};
    s0.identify("fake-bot-token", 1, 0, 2);
    ws_client s1{fake.port()};
    s1.identify("fake-bot-token", 1, 1, 2);
    fake.send_reconnect(1);
    auto seven = s1.wait_for(7);
    REQUIRE(seven);
    CHECK((*seven)["d"].is_null());
    CHECK_FALSE(s0.wait_for(7, {}, std::chrono::milliseconds{200}));
}

TEST_CASE("fake fault: send_reconnect sends op 7", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    fake.send_reconnect();
    auto seven = ws.wait_for(7);
    REQUIRE(seven);
    CHECK((*seven)["s"].is_null());
}

TEST_CASE("fake fault: send_invalid_session sends op 9 with resumable", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    auto session = std::string{ws.identify()["session_id"].as_string()};
    fake.send_invalid_session(true);
    auto yes = ws.wait_for(9);
    REQUIRE(yes);
    CHECK((*yes)["d"].as_bool());
    fake.send_invalid_session(false);
    auto no = ws.wait_for(9);
    REQUIRE(no);
    CHECK_FALSE((*no)["d"].as_bool());
    // Not resumable means the session is gone.
    ws_client again{fake.port()};
    again.read_json();
    again.send(R"({"op":6,"d":{"token":"fake-bot-token","session_id":")" + session + R"(","seq":1}})");
    auto nine = again.wait_for(9);
    REQUIRE(nine);
    CHECK_FALSE((*nine)["d"].as_bool());
}

TEST_CASE("fake fault: close_connections closes with any code", "[faults]")
{
    fake_discord fake;
    ws_client a{fake.port()};
    a.identify();
    fake.close_connections(4009);
    CHECK(a.wait_closed() == 4009);
    ws_client b{fake.port()};
    b.read_json();
    fake.close_connections(1001);
    CHECK(b.wait_closed() == 1001);
}

TEST_CASE("fake fault: withheld heartbeat ACKs", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    fake.withhold_heartbeat_acks(true);
    ws.send(R"({"op":1,"d":1})");
    CHECK_FALSE(ws.wait_for(11, {}, std::chrono::milliseconds{300}));
    CHECK(fake.counters().heartbeats == 1);
    fake.withhold_heartbeat_acks(false);
    ws.send(R"({"op":1,"d":1})");
    CHECK(ws.wait_for(11));
}

TEST_CASE("fake fault: stall_writes holds every frame until the stall ends", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    auto start = std::chrono::steady_clock::now();
    fake.stall_writes(std::chrono::milliseconds{400});
    ws.send(R"({"op":1,"d":3})");
    CHECK_FALSE(ws.read(std::chrono::milliseconds{200}));   // nothing while stalled
    auto ack = ws.wait_for(11, {}, std::chrono::seconds{3});
    REQUIRE(ack);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds{400});
}

TEST_CASE("fake fault: send_malformed sends a frame that is not JSON", "[faults]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    for (int i = 0; i < 2; ++i)
        REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    fake.send_malformed();
    auto text = ws.read();
    REQUIRE(text);
    CHECK_THROWS(cord::json::parse(*text));
}

TEST_CASE("fake fault: delay_rest delays every answer", "[faults]")
{
    fake_discord fake;
    http_client http{fake.port()};
    fake.delay_rest(std::chrono::milliseconds{300});
    auto start = std::chrono::steady_clock::now();
    CHECK(http.request("GET", "/api/v10/users/@me").status == 200);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds{300});
    fake.delay_rest(std::chrono::milliseconds{0});
}

TEST_CASE("fake fault: fail_rest answers the next requests with 5xx, then recovers", "[faults]")
{
    fake_discord fake;
    http_client http{fake.port()};
    fake.fail_rest(502, 2);
    auto first = http.request("GET", "/api/v10/users/@me");
    CHECK(first.status == 502);
    CHECK(first.json()["code"].as_int() == 0);
    CHECK(http.request("GET", "/api/v10/users/@me").status == 502);
    CHECK(http.request("GET", "/api/v10/users/@me").status == 200);
    fake.fail_rest(500);
    CHECK(http.request("GET", "/api/v10/gateway", {}, "").status == 500);
    CHECK(fake.requests().size() == 4);
}
