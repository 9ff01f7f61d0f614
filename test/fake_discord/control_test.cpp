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

TEST_CASE("fake control: poll votes, event interest and the thread clock by hand", "[control]")
{
    fake_discord fake{with_control()};
    auto guild = fake.guild_ids().at(0).str();
    auto channel = fake.general_channel(fake.guild_ids().at(0)).str();
    ws_client ws{fake.port()};
    constexpr std::uint32_t polls = 1u << 24, events = 1u << 16;
    ws.identify("fake-bot-token", guilds | guild_members | guild_messages | polls | events);
    REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    http_client http{fake.port()};

    // A poll the bot posts; alice votes for answer 2, then takes it back.
    auto poll = http.request("POST", "/api/v10/channels/" + channel + "/messages",
                             R"({"poll":{"question":{"text":"Tea?"},"answers":[{"poll_media":{"text":"yes"}},)"
                             R"({"poll_media":{"text":"no"}}]}})");
    REQUIRE(poll.status == 200);
    auto message = std::string{poll.json()["id"].as_string()};
    auto vote = [&](bool remove) {
        return http.request("POST", "/_fake/polls/votes",
                            R"({"channel_id":")" + channel + R"(","message_id":")" + message
                                + R"(","username":"alice","answer_ids":[2],"remove":)" + (remove ? "true" : "false") + "}",
                            "");
    };
    REQUIRE(vote(false).status == 204);
    auto added = ws.wait_for(0, "MESSAGE_POLL_VOTE_ADD");
    REQUIRE(added);
    CHECK((*added)["d"]["answer_id"].as_int() == 2);
    CHECK((*added)["d"]["message_id"].as_string() == message);
    REQUIRE(vote(true).status == 204);
    REQUIRE(ws.wait_for(0, "MESSAGE_POLL_VOTE_REMOVE"));
    auto bad = http.request("POST", "/_fake/polls/votes",
                            R"({"channel_id":")" + channel + R"(","message_id":")" + message + R"(","answer_ids":[7]})", "");
    CHECK(bad.status == 400);   // no answer 7: Discord's error, nothing dispatched

    // A scheduled event the bot makes; bob marks interest.
    auto event = http.request("POST", "/api/v10/guilds/" + guild + "/scheduled-events",
                              R"({"name":"Quiz","privacy_level":2,"scheduled_start_time":"2030-01-01T20:00:00Z",)"
                              R"("scheduled_end_time":"2030-01-01T21:00:00Z","entity_type":3,)"
                              R"("entity_metadata":{"location":"here"}})");
    REQUIRE(event.status == 200);
    auto event_id = std::string{event.json()["id"].as_string()};
    auto interest = http.request("POST", "/_fake/scheduled-events/interest",
                                 R"({"guild_id":")" + guild + R"(","event_id":")" + event_id + R"(","username":"bob"})", "");
    REQUIRE(interest.status == 204);
    auto user_add = ws.wait_for(0, "GUILD_SCHEDULED_EVENT_USER_ADD");
    REQUIRE(user_add);
    CHECK((*user_add)["d"]["guild_scheduled_event_id"].as_string() == event_id);
    auto users = http.request("GET", "/api/v10/guilds/" + guild + "/scheduled-events/" + event_id + "/users");
    REQUIRE(users.status == 200);
    CHECK(users.json().size() == 1);

    // A thread idle for its hour is archived when the clock moves past it.
    auto thread = http.request("POST", "/api/v10/channels/" + channel + "/threads",
                               R"({"name":"chat","type":11,"auto_archive_duration":60})");
    REQUIRE(thread.status == 201);
    CHECK(http.request("POST", "/_fake/thread-clock?minutes=59", {}, "").status == 204);
    CHECK_FALSE(http.request("GET", "/api/v10/channels/" + std::string{thread.json()["id"].as_string()})
                    .json()["thread_metadata"]["archived"]
                    .as_bool());
    CHECK(http.request("POST", "/_fake/thread-clock?minutes=1", {}, "").status == 204);
    CHECK(http.request("GET", "/api/v10/channels/" + std::string{thread.json()["id"].as_string()})
              .json()["thread_metadata"]["archived"]
              .as_bool());
    CHECK(http.request("POST", "/_fake/thread-clock?minutes=0", {}, "").status == 400);
}
