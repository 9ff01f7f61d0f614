// fake_discord REST: state, Discord's status codes and error bodies, the request log,
// /gateway and /gateway/bot. Driven with a raw Beast HTTP client.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

std::string messages_of(cord::snowflake channel) { return "/api/v10/channels/" + channel.str() + "/messages"; }

} // namespace

TEST_CASE("fake REST refuses a missing or wrong bot token with 401", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto none = http.request("GET", "/api/v10/users/@me", {}, "");
    CHECK(none.status == 401);
    CHECK(none.json()["code"].as_int() == 0);
    CHECK(none.json()["message"].as_string() == "401: Unauthorized");
    CHECK(http.request("GET", "/api/v10/users/@me", {}, "wrong-token").status == 401);
    auto ok = http.request("GET", "/api/v10/users/@me");
    CHECK(ok.status == 200);
    CHECK(ok.json()["id"].as_snowflake() == fake.bot_user_id());
    CHECK(ok.json()["bot"].as_bool());
    CHECK(fake.counters().invalid_requests == 2);
}

TEST_CASE("fake REST creates, reads, edits and deletes messages with Discord's statuses", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);

    auto created = http.request("POST", messages_of(channel), R"({"content":"hello"})");
    REQUIRE(created.status == 200);
    auto msg = created.json();
    CHECK(msg["content"].as_string() == "hello");
    CHECK(msg["channel_id"].as_snowflake() == channel);
    CHECK(msg["guild_id"].as_snowflake() == guild);
    CHECK(msg["author"]["id"].as_snowflake() == fake.bot_user_id());
    CHECK(msg["type"].as_int() == 0);
    CHECK(msg["embeds"].is_array());
    auto id = msg["id"].as_string();

    auto got = http.request("GET", messages_of(channel) + "/" + std::string{id});
    CHECK(got.status == 200);
    CHECK(got.json()["content"].as_string() == "hello");

    auto edited = http.request("PATCH", messages_of(channel) + "/" + std::string{id}, R"({"content":"edited"})");
    CHECK(edited.status == 200);
    CHECK(edited.json()["content"].as_string() == "edited");
    CHECK(edited.json()["edited_timestamp"].is_string());
    CHECK(fake.message(channel, msg["id"].as_snowflake())->operator[]("content").as_string() == "edited");

    auto list = http.request("GET", messages_of(channel) + "?limit=10");
    CHECK(list.status == 200);
    CHECK(list.json().size() == 1);

    auto deleted = http.request("DELETE", messages_of(channel) + "/" + std::string{id});
    CHECK(deleted.status == 204);
    CHECK(deleted.body.empty());
    CHECK_FALSE(fake.message(channel, msg["id"].as_snowflake()).has_value());
    auto gone = http.request("GET", messages_of(channel) + "/" + std::string{id});
    CHECK(gone.status == 404);
    CHECK(gone.json()["code"].as_int() == 10008);
    CHECK(gone.json()["message"].as_string() == "Unknown Message");
}

TEST_CASE("fake REST answers unknown ids with 404 and Discord's codes", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    CHECK(http.request("GET", "/api/v10/channels/12345").json()["code"].as_int() == 10003);
    CHECK(http.request("GET", "/api/v10/guilds/12345").json()["code"].as_int() == 10004);
    CHECK(http.request("GET", "/api/v10/users/12345").json()["code"].as_int() == 10013);
    CHECK(http.request("GET", "/api/v10/guilds/" + guild.str() + "/members/12345").json()["code"].as_int() == 10007);
    CHECK(http.request("GET", "/api/v10/guilds/" + guild.str() + "/roles/12345").status == 404);
    CHECK(http.request("GET", "/api/v10/webhooks/12345").json()["code"].as_int() == 10015);
    auto r = http.request("GET", "/api/v10/channels/12345");
    CHECK(r.status == 404);
    CHECK(http.request("GET", "/api/v10/no/such/route").status == 404);
    CHECK(http.request("PUT", "/api/v10/users/@me").status == 405);
}

TEST_CASE("fake REST rejects invalid bodies with 400 and field errors", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto channel = fake.general_channel(fake.guild_ids().at(0));

    auto empty = http.request("POST", messages_of(channel), R"({"content":""})");
    CHECK(empty.status == 400);
    CHECK(empty.json()["code"].as_int() == 50006);

    auto too_long = http.request("POST", messages_of(channel), "{\"content\":\"" + std::string(2001, 'x') + "\"}");
    CHECK(too_long.status == 400);
    auto j = too_long.json();
    CHECK(j["code"].as_int() == 50035);
    CHECK(j["message"].as_string() == "Invalid Form Body");
    CHECK(j["errors"]["content"]["_errors"][0]["code"].as_string() == "BASE_TYPE_BAD_LENGTH");

    auto embed = http.request("POST", messages_of(channel),
                              "{\"embeds\":[{\"title\":\"ok\"},{\"title\":\"" + std::string(300, 't') + "\"}]}");
    CHECK(embed.status == 400);
    CHECK(embed.json()["errors"]["embeds"]["1"]["title"]["_errors"][0]["code"].as_string() == "BASE_TYPE_BAD_LENGTH");

    auto bad_json = http.request("POST", messages_of(channel), "{not json");
    CHECK(bad_json.status == 400);
    CHECK(bad_json.json()["code"].as_int() == 50109);

    auto guild = fake.guild_ids().at(0);
    auto missing = http.request("POST", "/api/v10/guilds/" + guild.str() + "/channels", "{}");
    CHECK(missing.status == 400);
    CHECK(missing.json()["errors"]["name"]["_errors"][0]["code"].as_string() == "BASE_TYPE_REQUIRED");

    auto not_id = http.request("GET", "/api/v10/channels/abc");
    CHECK(not_id.status == 400);
    CHECK(not_id.json()["code"].as_int() == 50035);
}

TEST_CASE("fake REST answers 403 with 50013 where permissions are denied", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    fake.deny_permissions(channel);
    auto r = http.request("POST", messages_of(channel), R"({"content":"x"})");
    CHECK(r.status == 403);
    CHECK(r.json()["code"].as_int() == 50013);
    CHECK(r.json()["message"].as_string() == "Missing Permissions");
    CHECK(http.request("GET", "/api/v10/channels/" + channel.str()).status == 200);   // reading is allowed
    fake.deny_permissions(guild);
    fake.deny_permissions(channel, false);
    CHECK(http.request("POST", "/api/v10/guilds/" + guild.str() + "/roles", R"({"name":"r"})").status == 403);
    fake.deny_permissions(guild, false);
    CHECK(http.request("POST", messages_of(channel), R"({"content":"x"})").status == 200);
}

TEST_CASE("fake REST records every request with method, path, query, headers and body", "[rest]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    http.request("POST", messages_of(channel) + "?x=1&y=two", R"({"content":"logged"})", "fake-bot-token",
                 {{"X-Audit-Log-Reason", "because"}});
    http.request("GET", "/api/v10/users/@me", {}, "");
    auto log = fake.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0].method == "POST");
    CHECK(log[0].path == messages_of(channel));
    CHECK(log[0].query == "x=1&y=two");
    CHECK(log[0].headers.at("authorization") == "Bot fake-bot-token");
    CHECK(log[0].headers.at("x-audit-log-reason") == "because");
    CHECK(log[0].headers.at("content-type") == "application/json");
    CHECK(log[0].body == R"({"content":"logged"})");
    CHECK(log[0].status == 200);
    CHECK(log[1].status == 401);
    CHECK(fake.counters().requests == 2);
    fake.clear_requests();
    CHECK(fake.requests().empty());
}

TEST_CASE("fake REST serves /gateway and /gateway/bot from its options", "[rest]")
{
    fake_discord_options o;
    o.recommended_shards = 4;
    o.max_concurrency = 2;
    o.session_start_remaining = 990;
    fake_discord fake{o};
    http_client http{fake.port()};
    auto g = http.request("GET", "/api/v10/gateway", {}, "");   // no token needed
    CHECK(g.status == 200);
    CHECK(g.json()["url"].as_string() == fake.gateway_url());
    auto b = http.request("GET", "/api/v10/gateway/bot");
    REQUIRE(b.status == 200);
    auto j = b.json();
    CHECK(j["url"].as_string() == fake.gateway_url());
    CHECK(j["shards"].as_int() == 4);
    CHECK(j["session_start_limit"]["max_concurrency"].as_int() == 2);
    CHECK(j["session_start_limit"]["remaining"].as_int() == 990);
    CHECK(j["session_start_limit"]["total"].as_int() == 1000);
    CHECK(j["session_start_limit"].contains("reset_after"));
    CHECK(http.request("GET", "/api/v10/gateway/bot", {}, "").status == 401);
}

TEST_CASE("fake REST models reactions, pins, roles, members, bans, invites, emoji, webhooks and DMs", "[rest]")
{
    fake_discord_options o;
    o.rate_limits = false;   // many calls in a row; rate limits have tests of their own
    fake_discord fake{o};
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    auto g = "/api/v10/guilds/" + guild.str();
    auto c = "/api/v10/channels/" + channel.str();
    auto msg = std::string{http.request("POST", c + "/messages", R"({"content":"react"})").json()["id"].as_string()};
    auto m = c + "/messages/" + msg;

    CHECK(http.request("PUT", m + "/reactions/%F0%9F%94%A5/@me").status == 204);
    auto users = http.request("GET", m + "/reactions/%F0%9F%94%A5");
    CHECK(users.status == 200);
    CHECK(users.json()[0]["id"].as_snowflake() == fake.bot_user_id());
    CHECK(http.request("GET", m).json()["reactions"][0]["count"].as_int() == 1);
    CHECK(http.request("PUT", m + "/reactions/notanemoji/@me").json()["code"].as_int() == 10014);

    CHECK(http.request("PUT", c + "/messages/pins/" + std::string{msg}).status == 204);
    auto pins = http.request("GET", c + "/messages/pins").json();
    CHECK(pins["items"][0]["message"]["id"].as_string() == msg);
    CHECK_FALSE(pins["has_more"].as_bool());
    CHECK(http.request("GET", c + "/pins").json()[0]["pinned"].as_bool());
    CHECK(http.request("DELETE", c + "/messages/pins/" + std::string{msg}).status == 204);

    auto role = http.request("POST", g + "/roles", R"({"name":"mods","permissions":"8"})");
    CHECK(role.status == 200);
    auto role_id = std::string{role.json()["id"].as_string()};
    auto user = fake.add_user("alice");
    fake.add_member(guild, user);
    CHECK(http.request("PUT", g + "/members/" + user.str() + "/roles/" + role_id).status == 204);
    CHECK(http.request("GET", g + "/members/" + user.str()).json()["roles"][0].as_string() == role_id);
    CHECK(http.request("PATCH", g + "/members/@me", R"({"nick":"botty"})").json()["nick"].as_string() == "botty");
    CHECK(http.request("DELETE", g + "/roles/" + role_id).status == 204);

    CHECK(http.request("PUT", g + "/bans/" + user.str(), R"({"delete_message_seconds":60})").status == 204);
    CHECK(http.request("GET", g + "/bans").json()[0]["user"]["id"].as_snowflake() == user);
    CHECK(http.request("GET", g + "/members/" + user.str()).status == 404);
    CHECK(http.request("DELETE", g + "/bans/" + user.str()).status == 204);

    auto invite = http.request("POST", c + "/invites", "{}");
    CHECK(invite.status == 200);
    auto code = std::string{invite.json()["code"].as_string()};
    CHECK(http.request("GET", "/api/v10/invites/" + code).json()["channel"]["id"].as_snowflake() == channel);
    CHECK(http.request("DELETE", "/api/v10/invites/" + code).status == 200);
    CHECK(http.request("GET", "/api/v10/invites/" + code).json()["code"].as_int() == 10006);

    auto emoji = http.request("POST", g + "/emojis", R"({"name":"blob","image":"data:image/png;base64,AAAA"})");
    CHECK(emoji.status == 201);
    CHECK(http.request("GET", g + "/emojis").json().size() == 1);

    auto hook = http.request("POST", c + "/webhooks", R"({"name":"hooky"})").json();
    auto hook_path = "/api/v10/webhooks/" + std::string{hook["id"].as_string()} + "/" + std::string{hook["token"].as_string()};
    CHECK(http.request("GET", hook_path, {}, "").status == 200);
    CHECK(http.request("POST", hook_path + "?wait=true", R"({"content":"from hook"})", "").json()["webhook_id"].as_string()
          == hook["id"].as_string());
    CHECK(http.request("POST", "/api/v10/webhooks/" + std::string{hook["id"].as_string()} + "/bad", R"({"content":"x"})", "")
              .status == 401);

    auto dm = http.request("POST", "/api/v10/users/@me/channels", "{\"recipient_id\":\"" + user.str() + "\"}");
    CHECK(dm.status == 200);
    CHECK(dm.json()["type"].as_int() == 1);
    auto again = http.request("POST", "/api/v10/users/@me/channels", "{\"recipient_id\":\"" + user.str() + "\"}");
    CHECK(again.json()["id"].as_string() == dm.json()["id"].as_string());
    CHECK(http.request("GET", "/api/v10/users/@me/guilds").json().size() == 2);
    CHECK(http.request("POST", g + "/channels", R"({"name":"new-one"})").status == 201);
    CHECK(http.request("GET", g + "/channels").json().size() == 2);
}
