// fake_discord gateway: HELLO, IDENTIFY → READY → GUILD_CREATE, heartbeats, RESUME with
// replay, op 9, close codes, identify pacing, the send limit, op 3/8, zlib-stream.
// Driven with a raw Beast WebSocket client.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <zlib.h>

#include <set>
#include <thread>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

std::string identify_text(std::uint32_t intents, int shard = 0, int count = 1, const std::string& token = "fake-bot-token")
{
    return fmt::format(R"({{"op":2,"d":{{"token":"{}","intents":{},"properties":{{"os":"linux","browser":"raw","device":"raw"}},"shard":[{},{}]}}}})",
                       token, intents, shard, count);
}

int close_after_identify(fake_discord& fake, const std::string& payload)
{
    ws_client ws{fake.port()};
    auto hello = ws.read_json();
    REQUIRE(hello);
    ws.send(payload);
    return ws.wait_closed();
}

} // namespace

TEST_CASE("fake gateway: HELLO, IDENTIFY, READY and one GUILD_CREATE per guild", "[gateway]")
{
    fake_discord_options o;
    o.heartbeat_interval = std::chrono::milliseconds{12345};
    o.guilds = 3;
    fake_discord fake{o};
    ws_client ws{fake.port()};
    auto hello = ws.read_json();
    REQUIRE(hello);
    CHECK((*hello)["op"].as_int() == 10);
    CHECK((*hello)["d"]["heartbeat_interval"].as_int() == 12345);
    CHECK((*hello)["s"].is_null());
    ws.send(identify_text(513));
    auto ready = ws.read_json();
    REQUIRE(ready);
    CHECK((*ready)["op"].as_int() == 0);
    CHECK((*ready)["t"].as_string() == "READY");
    CHECK((*ready)["s"].as_int() == 1);
    auto d = (*ready)["d"];
    CHECK(d["v"].as_int() == 10);
    CHECK(d["user"]["id"].as_snowflake() == fake.bot_user_id());
    CHECK(d["session_id"].as_string().size() >= 16);
    CHECK(d["resume_gateway_url"].as_string() == fake.gateway_url());
    CHECK(d["shard"][0].as_int() == 0);
    CHECK(d["shard"][1].as_int() == 1);
    CHECK(d["application"]["id"].is_string());
    REQUIRE(d["guilds"].size() == 3);
    CHECK(d["guilds"][0]["unavailable"].as_bool());
    std::set<std::string> created;
    for (int i = 0; i < 3; ++i) {
        auto gc = ws.read_json();
        REQUIRE(gc);
        CHECK((*gc)["t"].as_string() == "GUILD_CREATE");
        CHECK((*gc)["s"].as_int() == i + 2);
        CHECK((*gc)["d"]["channels"].size() == 1);
        CHECK((*gc)["d"]["members"].size() == 2);
        CHECK_FALSE((*gc)["d"]["unavailable"].as_bool());
        created.insert(std::string{(*gc)["d"]["id"].as_string()});
    }
    CHECK(created.size() == 3);
    auto ids = fake.identifies();
    REQUIRE(ids.size() == 1);
    CHECK(ids[0].intents == 513);
    CHECK(ids[0].payload["properties"]["browser"].as_string() == "raw");
    CHECK(fake.counters().identifies == 1);
    CHECK(fake.open_gateway_connections() == 1);
}

TEST_CASE("fake gateway: GUILD_CREATE goes to the shard (guild_id >> 22) % num_shards", "[gateway]")
{
    fake_discord_options o;
    o.guilds = 6;
    o.max_concurrency = 2;   // shards 0 and 1 may identify together
    fake_discord fake{o};
    std::set<std::string> seen;
    for (int shard = 0; shard < 2; ++shard) {
        ws_client ws{fake.port()};
        auto ready = ws.identify("fake-bot-token", 1, shard, 2);
        for (std::size_t i = 0; i < ready["guilds"].size(); ++i) {
            auto gid = ready["guilds"][i]["id"].as_snowflake();
            CHECK(static_cast<int>((gid.value >> 22) % 2) == shard);
            auto gc = ws.wait_for(0, "GUILD_CREATE");
            REQUIRE(gc);
            CHECK((*gc)["d"]["id"].as_snowflake().shard_of(2) == static_cast<unsigned>(shard));
            seen.insert(std::string{(*gc)["d"]["id"].as_string()});
        }
    }
    CHECK(seen.size() == 6);
}

TEST_CASE("fake gateway: a heartbeat gets an ACK", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.read_json();
    ws.send(R"({"op":1,"d":null})");   // allowed before IDENTIFY
    auto ack = ws.read_json();
    REQUIRE(ack);
    CHECK((*ack)["op"].as_int() == 11);
    ws.send(identify_text(1));
    REQUIRE(ws.wait_for(0, "READY"));
    ws.send(R"({"op":1,"d":1})");
    CHECK(ws.wait_for(11));
    CHECK(fake.counters().heartbeats == 2);
}

TEST_CASE("fake gateway: RESUME replays every event after seq, then RESUMED", "[gateway]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto alice = fake.add_user("alice");
    std::string session;
    std::int64_t last_seq = 0;
    {
        ws_client ws{fake.port()};
        auto ready = ws.identify("fake-bot-token", 513 | (1u << 15));
        session = std::string{ready["session_id"].as_string()};
        for (int i = 0; i < 2; ++i) {
            auto gc = ws.wait_for(0, "GUILD_CREATE");
            REQUIRE(gc);
            last_seq = (*gc)["s"].as_int();
        }
    }   // dropped without a close frame: the session stays resumable
    for (int i = 0; i < 50 && fake.open_gateway_connections() != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    fake.post_message_as(alice, channel, "one");
    fake.post_message_as(alice, channel, "two");

    ws_client ws{fake.port()};
    REQUIRE(ws.read_json());   // HELLO
    ws.send(fmt::format(R"({{"op":6,"d":{{"token":"fake-bot-token","session_id":"{}","seq":{}}}}})", session, last_seq));
    auto one = ws.read_json();
    auto two = ws.read_json();
    auto resumed = ws.read_json();
    REQUIRE(one);
    REQUIRE(two);
    REQUIRE(resumed);
    CHECK((*one)["t"].as_string() == "MESSAGE_CREATE");
    CHECK((*one)["s"].as_int() == last_seq + 1);
    CHECK((*two)["s"].as_int() == last_seq + 2);
    CHECK((*two)["d"]["content"].as_string() == "two");
    CHECK((*resumed)["t"].as_string() == "RESUMED");
    CHECK((*resumed)["s"].as_int() == last_seq + 3);
    CHECK(fake.counters().resumes == 1);
    CHECK(fake.counters().identifies == 1);
}

TEST_CASE("fake gateway: RESUME of an unknown session gets op 9 false", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.read_json();
    ws.send(R"({"op":6,"d":{"token":"fake-bot-token","session_id":"nope","seq":3}})");
    auto nine = ws.read_json();
    REQUIRE(nine);
    CHECK((*nine)["op"].as_int() == 9);
    CHECK_FALSE((*nine)["d"].as_bool());
}

TEST_CASE("fake gateway: invalidate_sessions makes a RESUME fail with op 9", "[gateway]")
{
    fake_discord fake;
    std::string session;
    {
        ws_client ws{fake.port()};
        session = std::string{ws.identify()["session_id"].as_string()};
    }
    fake.invalidate_sessions();
    ws_client ws{fake.port()};
    ws.read_json();
    ws.send(fmt::format(R"({{"op":6,"d":{{"token":"fake-bot-token","session_id":"{}","seq":1}}}})", session));
    auto nine = ws.wait_for(9);
    REQUIRE(nine);
    CHECK_FALSE((*nine)["d"].as_bool());
}

TEST_CASE("fake gateway: close codes for bad tokens, intents, shards and payloads", "[gateway]")
{
    fake_discord_options o;
    o.privileged_intents = 0;   // no privileged intent switched on in the "portal"
    fake_discord fake{o};
    CHECK(close_after_identify(fake, identify_text(1, 0, 1, "wrong")) == 4004);
    CHECK(close_after_identify(fake, identify_text(1u << 18)) == 4013);          // undefined bit
    CHECK(close_after_identify(fake, identify_text(1u << 15)) == 4014);          // MESSAGE_CONTENT
    CHECK(close_after_identify(fake, identify_text(1, 2, 2)) == 4010);           // shard id >= count
    CHECK(close_after_identify(fake, "{this is not json") == 4002);
    CHECK(close_after_identify(fake, R"({"op":2,"d":{"token":"fake-bot-token","properties":{}}})") == 4002);
    CHECK(close_after_identify(fake, "{\"op\":1,\"d\":\"" + std::string(5000, 'x') + "\"}") == 4002);
    CHECK(close_after_identify(fake, R"({"op":3,"d":{"status":"online","since":null,"activities":[],"afk":false}})")
          == 4003);
    CHECK(close_after_identify(fake, R"({"op":99,"d":null})") == 4001);
    CHECK(fake.counters().identifies == 0);
}

TEST_CASE("fake gateway: a second IDENTIFY on one connection closes with 4005", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify();
    ws.send(identify_text(1));
    CHECK(ws.wait_closed() == 4005);
}

TEST_CASE("fake gateway: more than 120 payloads in 60 s closes with 4008", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.read_json();
    for (int i = 0; i < 120; ++i)
        ws.send(R"({"op":1,"d":null})");
    int acks = 0;
    for (int i = 0; i < 120; ++i)
        if (auto a = ws.read_json(); a && (*a)["op"].as_int() == 11)
            ++acks;
    CHECK(acks == 120);
    CHECK_FALSE(ws.closed());
    ws.send(R"({"op":1,"d":null})");
    CHECK(ws.wait_closed() == 4008);
}

TEST_CASE("fake gateway: identify pacing per max_concurrency answers op 9 inside the window", "[gateway]")
{
    fake_discord_options o;
    o.max_concurrency = 2;
    o.identify_window = std::chrono::milliseconds{400};
    fake_discord fake{o};
    ws_client a{fake.port()};
    a.identify("fake-bot-token", 1, 0, 4);   // key 0
    ws_client b{fake.port()};
    b.identify("fake-bot-token", 1, 1, 4);   // key 1: allowed at the same time
    ws_client c{fake.port()};
    c.read_json();
    c.send(identify_text(1, 2, 4));           // key 0 again, too soon
    auto nine = c.wait_for(9);
    REQUIRE(nine);
    CHECK_FALSE((*nine)["d"].as_bool());
    std::this_thread::sleep_for(std::chrono::milliseconds{450});
    c.send(identify_text(1, 2, 4));
    CHECK(c.wait_for(0, "READY"));
    auto ids = fake.identifies();
    REQUIRE(ids.size() == 3);
    CHECK(ids[2].shard_id == 2);
    CHECK(ids[2].shard_count == 4);
}

TEST_CASE("fake gateway: presence updates are recorded and dispatched", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", 1 | (1 << 8));
    ws.send(R"({"op":3,"d":{"since":null,"activities":[{"name":"tests","type":0}],"status":"dnd","afk":false}})");
    auto p = ws.wait_for(0, "PRESENCE_UPDATE");
    REQUIRE(p);
    CHECK((*p)["d"]["status"].as_string() == "dnd");
    CHECK((*p)["d"]["user"]["id"].as_snowflake() == fake.bot_user_id());
    auto recorded = fake.presence_updates();
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0]["activities"][0]["name"].as_string() == "tests");
    ws.send(R"({"op":3,"d":{"since":null,"activities":[],"status":"sleeping","afk":false}})");
    CHECK(ws.wait_closed() == 4002);
}

TEST_CASE("fake gateway: request guild members is answered with GUILD_MEMBERS_CHUNK", "[gateway]")
{
    fake_discord fake;
    auto guild = fake.guild_ids().at(0);
    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);
    fake.add_member(guild, fake.add_user("albert"));
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", 3);
    ws.send(fmt::format(R"({{"op":8,"d":{{"guild_id":"{}","query":"al","limit":10,"nonce":"n1"}}}})", guild.str()));
    auto chunk = ws.wait_for(0, "GUILD_MEMBERS_CHUNK");
    REQUIRE(chunk);
    auto d = (*chunk)["d"];
    CHECK(d["guild_id"].as_snowflake() == guild);
    CHECK(d["members"].size() == 2);
    CHECK(d["chunk_index"].as_int() == 0);
    CHECK(d["chunk_count"].as_int() == 1);
    CHECK(d["nonce"].as_string() == "n1");
    ws.send(fmt::format(R"({{"op":8,"d":{{"guild_id":"{}","user_ids":["{}","42"]}}}})", guild.str(), alice.str()));
    auto by_id = ws.wait_for(0, "GUILD_MEMBERS_CHUNK");
    REQUIRE(by_id);
    CHECK((*by_id)["d"]["members"].size() == 1);
    CHECK((*by_id)["d"]["members"][0]["user"]["id"].as_snowflake() == alice);
    CHECK((*by_id)["d"]["not_found"][0].as_string() == "42");
}

TEST_CASE("fake gateway: every member without GUILD_MEMBERS is answered with nothing, as Discord does",
          "[gateway]")
{
    fake_discord fake;
    auto guild = fake.guild_ids().at(0);
    fake.add_member(guild, fake.add_user("alice"));
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", 1);   // GUILDS only
    ws.send(fmt::format(R"({{"op":8,"d":{{"guild_id":"{}","query":"","limit":0,"nonce":"all"}}}})", guild.str()));
    CHECK_FALSE(ws.wait_for(0, "GUILD_MEMBERS_CHUNK", std::chrono::milliseconds{300}));
    // A prefix query needs no intent.
    ws.send(fmt::format(R"({{"op":8,"d":{{"guild_id":"{}","query":"al","limit":10,"nonce":"al"}}}})", guild.str()));
    auto chunk = ws.wait_for(0, "GUILD_MEMBERS_CHUNK");
    REQUIRE(chunk);
    CHECK((*chunk)["d"]["nonce"].as_string() == "al");
}

TEST_CASE("fake gateway: zlib-stream compresses every message with one context, flushed", "[gateway]")
{
    fake_discord fake;
    ws_client ws{fake.port(), "/?v=10&encoding=json&compress=zlib-stream"};
    auto hello = ws.read_json();
    REQUIRE(hello);
    CHECK((*hello)["op"].as_int() == 10);
    ws.send(identify_text(513));
    REQUIRE(ws.wait_for(0, "READY"));
    for (int i = 0; i < 2; ++i)
        REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    ws.send(R"({"op":1,"d":3})");
    REQUIRE(ws.wait_for(11));
    const auto& frames = ws.raw_frames();
    REQUIRE(frames.size() >= 5);
    for (const auto& f : frames)
        CHECK(f.substr(f.size() - 4) == std::string("\x00\x00\xff\xff", 4));
    // One shared context: the zlib header (0x78) opens the first message only, so a later
    // message cannot be inflated on its own.
    CHECK(static_cast<unsigned char>(frames[0][0]) == 0x78);
    z_stream z{};
    REQUIRE(inflateInit(&z) == Z_OK);
    std::string later = frames[2];
    char out[4096];
    z.next_in = reinterpret_cast<Bytef*>(later.data());
    z.avail_in = static_cast<uInt>(later.size());
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = sizeof out;
    CHECK(inflate(&z, Z_SYNC_FLUSH) == Z_DATA_ERROR);
    inflateEnd(&z);
}
