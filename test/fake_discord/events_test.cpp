// fake_discord events: REST mutations emit the matching dispatch to the shards that should
// see it, gated by intents; dispatch() and dispatch_to_shard() inject any event.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

constexpr std::uint32_t guilds = 1u << 0, guild_members = 1u << 1, guild_messages = 1u << 9,
                        reactions = 1u << 10, message_content = 1u << 15;

void skip_guild_creates(ws_client& ws, int n = 2)
{
    for (int i = 0; i < n; ++i)
        REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
}

} // namespace

TEST_CASE("fake events: a REST message POST arrives as MESSAGE_CREATE on the gateway", "[events]")
{
    fake_discord fake;
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds | guild_messages);
    skip_guild_creates(ws);
    http_client http{fake.port()};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto posted = http.request("POST", "/api/v10/channels/" + channel.str() + "/messages", R"({"content":"ping"})");
    REQUIRE(posted.status == 200);
    auto ev = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["id"].as_string() == posted.json()["id"].as_string());
    CHECK((*ev)["d"]["content"].as_string() == "ping");
    CHECK((*ev)["d"]["guild_id"].as_snowflake() == fake.guild_ids().at(0));
    CHECK((*ev)["d"].contains("member"));

    http.request("PATCH", "/api/v10/channels/" + channel.str() + "/messages/" + std::string{posted.json()["id"].as_string()},
                 R"({"content":"pong"})");
    auto upd = ws.wait_for(0, "MESSAGE_UPDATE");
    REQUIRE(upd);
    CHECK((*upd)["d"]["content"].as_string() == "pong");
    http.request("DELETE", "/api/v10/channels/" + channel.str() + "/messages/" + std::string{posted.json()["id"].as_string()});
    auto del = ws.wait_for(0, "MESSAGE_DELETE");
    REQUIRE(del);
    CHECK((*del)["d"]["id"].as_string() == posted.json()["id"].as_string());
}

TEST_CASE("fake events: intents gate dispatches as Discord does", "[events]")
{
    fake_discord fake;
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    ws_client only_guilds{fake.port()};
    only_guilds.identify("fake-bot-token", guilds);
    skip_guild_creates(only_guilds);
    fake.post_message_as(fake.add_user("carol"), channel, "not for you");
    http_client http{fake.port()};
    http.request("POST", "/api/v10/guilds/" + guild.str() + "/roles", R"({"name":"r"})");
    // The role event (GUILDS) arrives; the message (GUILD_MESSAGES) never did.
    auto next = only_guilds.read_json();
    REQUIRE(next);
    CHECK((*next)["t"].as_string() == "GUILD_ROLE_CREATE");
    CHECK((*next)["d"]["role"]["name"].as_string() == "r");
}

TEST_CASE("fake events: without MESSAGE_CONTENT a guild message arrives with empty content", "[events]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto dave = fake.add_user("dave");
    ws_client without{fake.port()};
    without.identify("fake-bot-token", guilds | guild_messages);
    skip_guild_creates(without);
    fake.post_message_as(dave, channel, "secret");
    auto ev = without.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["content"].as_string().empty());
    fake.post_message_as(dave, channel, "hey <@" + fake.bot_user_id().str() + ">");
    auto mention = without.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(mention);
    CHECK_FALSE((*mention)["d"]["content"].as_string().empty());   // mentions the bot: content kept
}

TEST_CASE("fake events: reactions, members, bans and channels emit their dispatches", "[events]")
{
    fake_discord_options o;
    o.rate_limits = false;
    fake_discord fake{o};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds | guild_members | (1u << 2) | guild_messages | reactions | message_content);
    skip_guild_creates(ws);
    http_client http{fake.port()};
    auto c = "/api/v10/channels/" + channel.str();
    auto g = "/api/v10/guilds/" + guild.str();
    auto msg = std::string{http.request("POST", c + "/messages", R"({"content":"x"})").json()["id"].as_string()};
    REQUIRE(ws.wait_for(0, "MESSAGE_CREATE"));
    http.request("PUT", c + "/messages/" + msg + "/reactions/%E2%9C%85/@me");
    auto add = ws.wait_for(0, "MESSAGE_REACTION_ADD");
    REQUIRE(add);
    CHECK((*add)["d"]["emoji"]["name"].as_string() == "\xE2\x9C\x85");
    CHECK((*add)["d"]["user_id"].as_snowflake() == fake.bot_user_id());

    auto erin = fake.add_user("erin");
    fake.add_member(guild, erin);
    auto joined = ws.wait_for(0, "GUILD_MEMBER_ADD");
    REQUIRE(joined);
    CHECK((*joined)["d"]["user"]["id"].as_snowflake() == erin);
    http.request("PATCH", g + "/members/" + erin.str(), R"({"nick":"E"})");
    auto upd = ws.wait_for(0, "GUILD_MEMBER_UPDATE");
    REQUIRE(upd);
    CHECK((*upd)["d"]["nick"].as_string() == "E");
    http.request("PUT", g + "/bans/" + erin.str(), "{}");
    REQUIRE(ws.wait_for(0, "GUILD_MEMBER_REMOVE"));
    auto ban = ws.wait_for(0, "GUILD_BAN_ADD");
    REQUIRE(ban);
    CHECK((*ban)["d"]["user"]["id"].as_snowflake() == erin);

    http.request("PATCH", c, R"({"topic":"new topic"})");
    auto ch = ws.wait_for(0, "CHANNEL_UPDATE");
    REQUIRE(ch);
    CHECK((*ch)["d"]["topic"].as_string() == "new topic");
    http.request("PATCH", g, R"({"name":"Renamed"})");
    auto gu = ws.wait_for(0, "GUILD_UPDATE");
    REQUIRE(gu);
    CHECK((*gu)["d"]["name"].as_string() == "Renamed");
}

TEST_CASE("fake events: dispatch routes by guild shard, dispatch_to_shard to one shard", "[events]")
{
    fake_discord_options o;
    o.max_concurrency = 2;
    fake_discord fake{o};
    ws_client s0{fake.port()};
    s0.identify("fake-bot-token", guilds, 0, 2);
    ws_client s1{fake.port()};
    s1.identify("fake-bot-token", guilds, 1, 2);
    // A guild id on shard 1 of 2: (id >> 22) % 2 == 1.
    auto gid = cord::snowflake{(std::uint64_t{12345} << 22) | 7};
    fake.dispatch("GUILD_UPDATE", cord::json::object({{"guild_id", gid}, {"name", "x"}}));
    auto on1 = s1.wait_for(0, "GUILD_UPDATE");
    REQUIRE(on1);
    CHECK((*on1)["d"]["name"].as_string() == "x");
    CHECK_FALSE(s0.wait_for(0, "GUILD_UPDATE", std::chrono::milliseconds{200}));

    fake.dispatch_to_shard(0, "CUSTOM_EVENT", cord::json::object({{"n", 1}}));
    auto custom = s0.wait_for(0, "CUSTOM_EVENT");
    REQUIRE(custom);
    CHECK((*custom)["d"]["n"].as_int() == 1);
    // An event without guild_id goes to shard 0 only.
    fake.dispatch("USER_UPDATE", cord::json::object({{"id", "1"}}));
    CHECK(s0.wait_for(0, "USER_UPDATE"));
    CHECK_FALSE(s1.wait_for(0, "USER_UPDATE", std::chrono::milliseconds{200}));
}
