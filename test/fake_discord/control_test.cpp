// fake_discord's POST /_fake/messages: a user posting in a channel, for driving a bot by hand.
// Served only with control_endpoint; the message is stored, dispatched as MESSAGE_CREATE and
// readable through the ordinary REST route.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

constexpr std::uint32_t guilds = 1u << 0, guild_members = 1u << 1, guild_messages = 1u << 9,
                        message_content = 1u << 15;

fake_discord_options with_control()
{
    fake_discord_options o;
    o.control_endpoint = true;
    o.guilds = 1;
    return o;
}

std::string say(const std::string& channel, const std::string& content, const std::string& username = {})
{
    std::string body = R"({"channel_id":")" + channel + R"(","content":")" + content + '"';
    if (!username.empty())
        body += R"(,"username":")" + username + '"';
    return body + "}";
}

} // namespace

TEST_CASE("fake control: POST /_fake/messages posts as a new user, who joins the guild first", "[control]")
{
    fake_discord fake{with_control()};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild).str();
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds | guild_members | guild_messages | message_content);
    REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    http_client http{fake.port()};

    auto posted = http.request("POST", "/_fake/messages", say(channel, "!ping", "alice"), "");
    REQUIRE(posted.status == 200);
    auto msg = posted.json();
    CHECK(msg["content"].as_string() == "!ping");
    CHECK(msg["channel_id"].as_string() == channel);
    CHECK(msg["author"]["username"].as_string() == "alice");
    CHECK_FALSE(msg["author"]["bot"].as_bool());

    auto joined = ws.wait_for(0, "GUILD_MEMBER_ADD");
    REQUIRE(joined);
    CHECK((*joined)["d"]["user"]["id"].as_string() == msg["author"]["id"].as_string());
    auto ev = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["id"].as_string() == msg["id"].as_string());
    CHECK((*ev)["d"]["content"].as_string() == "!ping");
    CHECK((*ev)["d"].contains("member"));

    // What a bot sent, or a user said, is read back through the ordinary route.
    auto listed = http.request("GET", "/api/v10/channels/" + channel + "/messages?limit=5");
    REQUIRE(listed.status == 200);
    REQUIRE(listed.json().size() == 1);
    CHECK(listed.json()[0]["id"].as_string() == msg["id"].as_string());
}

TEST_CASE("fake control: the same username is the same user; no username is \"user\"", "[control]")
{
    fake_discord fake{with_control()};
    auto channel = fake.general_channel(fake.guild_ids().at(0)).str();
    http_client http{fake.port()};
    auto first = http.request("POST", "/_fake/messages", say(channel, "one", "bob"), "").json();
    auto second = http.request("POST", "/_fake/messages", say(channel, "two", "bob"), "").json();
    auto anonymous = http.request("POST", "/_fake/messages", say(channel, "three"), "").json();
    CHECK(first["author"]["id"].as_string() == second["author"]["id"].as_string());
    CHECK(anonymous["author"]["username"].as_string() == "user");
    CHECK(anonymous["author"]["id"].as_string() != first["author"]["id"].as_string());

    auto alice = fake.add_user("alice");   // one made through the API is found by name too
    auto by_name = http.request("POST", "/_fake/messages", say(channel, "four", "alice"), "").json();
    CHECK(by_name["author"]["id"].as_snowflake() == alice);
}

TEST_CASE("fake control: /_fake/messages refuses what it cannot post", "[control]")
{
    fake_discord fake{with_control()};
    auto channel = fake.general_channel(fake.guild_ids().at(0)).str();
    http_client http{fake.port()};
    CHECK(http.request("POST", "/_fake/messages", "not json", "").status == 400);
    CHECK(http.request("POST", "/_fake/messages", R"({"content":"no channel"})", "").status == 400);
    CHECK(http.request("POST", "/_fake/messages", say(channel, ""), "").status == 400);
    CHECK(http.request("POST", "/_fake/messages", say("12x", "hi"), "").status == 400);
    auto unknown = http.request("POST", "/_fake/messages", say("1", "hi"), "");
    CHECK(unknown.status == 404);
    CHECK(unknown.json()["code"].as_int() == 10003);
    CHECK(http.request("GET", "/_fake/messages", {}, "").status == 405);
}

TEST_CASE("fake control: without control_endpoint there is no /_fake/messages", "[control]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids().at(0)).str();
    http_client http{fake.port()};
    CHECK(http.request("POST", "/_fake/messages", say(channel, "hi"), "").status == 404);
    auto listed = http.request("GET", "/api/v10/channels/" + channel + "/messages");
    REQUIRE(listed.status == 200);
    CHECK(listed.json().size() == 0);
}
