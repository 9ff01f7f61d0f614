// Fake tier: end-to-end flows of cord::http against fake_discord's state: a channel's life,
// roles and members, webhooks, racket-cord's defaults, and Discord's errors for unknown ids.
// Option temporaries here are passed outside co_await, where g++ 12 handles them.
#define CORD_REFUSE_OPTION_TEMPORARIES 0
#include "harness.hpp"
#include "http/routes.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace http = cord::http;
namespace routes = cord::http::routes;
using cord::json;
using cord_test::harness;

namespace {

std::string str(const json& j)
{
    return std::string{j.as_string()};
}

std::vector<std::string> ids_of(const json& list)
{
    std::vector<std::string> out;
    for (json item : list.items())
        out.push_back(str(item["id"]));
    return out;
}

using ids = std::vector<std::string>;

} // namespace

TEST_CASE("a channel's life: create, post, edit, react, pin, page history, bulk delete, delete",
          "[http-flows]")
{
    harness h;
    auto& rest = h.rest;
    json ch =
        h.run(http::create_guild_channel(rest, h.guild, json::object({{"name", "flow"}}), "for the flow"));
    std::string channel = str(ch["id"]);
    CHECK(str(ch["name"]) == "flow");

    ids m;
    for (int i = 1; i <= 5; ++i)
        m.push_back(str(h.run(http::create_message(rest, channel, "message " + std::to_string(i)))["id"]));

    json edited = h.run(http::edit_message(rest, channel, m[1], {.content = "message 2, edited"}));
    CHECK(str(edited["content"]) == "message 2, edited");
    CHECK(str(h.run(http::get_channel_message(rest, channel, m[1]))["content"]) == "message 2, edited");

    h.run(http::create_reaction(rest, channel, m[2], "\xf0\x9f\x91\x8d"));
    json users = h.run(http::get_reactions(rest, channel, m[2], "\xf0\x9f\x91\x8d"));
    REQUIRE(users.size() == 1);
    CHECK(users[0]["id"].as_snowflake() == h.fake.bot_user_id());

    h.run(http::add_pinned_channel_message(rest, channel, m[0]));
    h.run(http::add_pinned_channel_message(rest, channel, m[3]));
    json pins = h.run(http::get_pinned_messages(rest, channel));
    CHECK(ids_of(pins) == ids{m[3], m[0]}); // newest pin first, as an array of messages
    h.run(http::delete_pinned_channel_message(rest, channel, m[3]));
    CHECK(ids_of(h.run(http::get_pinned_messages(rest, channel))) == ids{m[0]});

    // History, newest first: limit, before, after, around.
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel, {.limit = 2}))) == ids{m[4], m[3]});
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel, {.before = m[2], .limit = 10}))) ==
          ids{m[1], m[0]});
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel, {.after = m[2]}))) == ids{m[4], m[3]});
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel, {.after = m[0], .limit = 2}))) ==
          ids{m[2], m[1]});

    h.run(http::bulk_delete_messages(rest, channel, {m[0], m[1]}, "tidy"));
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel))) == ids{m[4], m[3], m[2]});

    h.run(http::delete_message(rest, channel, m[2]));
    CHECK(ids_of(h.run(http::get_channel_messages(rest, channel))) == ids{m[4], m[3]});
    auto gone = h.run_error(http::get_channel_message(rest, channel, m[2]));
    CHECK(gone.http_code() == 404);
    CHECK(gone.discord_code() == 10008);

    json deleted = h.run(http::delete_channel(rest, channel, "flow done"));
    CHECK(str(deleted["id"]) == channel);
    CHECK(h.run_error(http::get_channel(rest, channel)).discord_code() == 10003);
}

TEST_CASE("roles and members: create, assign, page, rename, kick, ban", "[http-flows]")
{
    harness h;
    auto& rest = h.rest;
    auto g = cord::snowflake::parse(h.guild);
    std::vector<std::string> added;
    for (const char* name : {"bob", "carol", "dave"}) {
        auto u = h.fake.add_user(name);
        h.fake.add_member(g, u);
        added.push_back(u.str());
    }

    json role = h.run(http::create_guild_role(rest, h.guild, json::object({{"name", "mods"}}), "new mods"));
    std::string role_id = str(role["id"]);
    CHECK(str(h.run(http::modify_guild_role(
              rest, h.guild, role_id, json::object({{"name", "moderators"}})))["name"]) == "moderators");
    h.run(http::add_guild_member_role(rest, h.guild, added[0], role_id, "promoted"));
    json member = h.run(http::get_guild_member(rest, h.guild, added[0]));
    REQUIRE(member["roles"].size() == 1);
    CHECK(str(member["roles"][0]) == role_id);

    // racket-cord's default page is one member; walk every page with after = last id.
    h.mark();
    json first = h.run(http::list_guild_members(rest, h.guild));
    CHECK(first.size() == 1);
    h.expect(routes::list_guild_members, {"/guilds/" + h.guild + "/members", {{"limit", "1"}}});
    std::vector<std::string> seen{str(first[0]["user"]["id"])};
    for (int page = 0; page < 20; ++page) {
        json next = h.run(http::list_guild_members(rest, h.guild, {.limit = 2, .after = seen.back()}));
        if (next.empty())
            break;
        for (json m : next.items())
            seen.push_back(str(m["user"]["id"]));
    }
    json guild = h.run(http::get_guild(rest, h.guild, true));
    CHECK(static_cast<std::int64_t>(seen.size()) == guild["approximate_member_count"].as_int());
    for (const auto& id : added)
        CHECK(std::count(seen.begin(), seen.end(), id) == 1);

    CHECK(str(h.run(http::modify_guild_member(rest, h.guild, added[1],
                                              json::object({{"nick", "caz"}})))["nick"]) == "caz");
    h.run(http::remove_guild_member_role(rest, h.guild, added[0], role_id));
    CHECK(h.run(http::get_guild_member(rest, h.guild, added[0]))["roles"].empty());

    h.run(http::remove_guild_member(rest, h.guild, added[1], "kicked"));
    CHECK(h.run_error(http::get_guild_member(rest, h.guild, added[1])).discord_code() == 10007);

    h.run(http::create_guild_ban(rest, h.guild, added[2], 0, "banned"));
    CHECK(h.run_error(http::get_guild_member(rest, h.guild, added[2])).discord_code() == 10007);
    json bans = h.run(http::get_guild_bans(rest, h.guild));
    REQUIRE(bans.size() == 1);
    CHECK(str(bans[0]["user"]["id"]) == added[2]);
    h.run(http::remove_guild_ban(rest, h.guild, added[2]));
    CHECK(h.run(http::get_guild_bans(rest, h.guild)).empty());

    h.run(http::delete_guild_role(rest, h.guild, role_id));
    CHECK(h.run_error(http::modify_guild_role(rest, h.guild, role_id, json::object({{"name", "x"}})))
              .discord_code() == 10011);
}

TEST_CASE("webhooks: create, execute, modify, delete", "[http-flows]")
{
    harness h;
    auto& rest = h.rest;
    json w = h.run(http::create_webhook(rest, h.channel, "reporter", "", "", "for reports"));
    std::string id = str(w["id"]), token = str(w["token"]);

    // Without wait Discord answers 204; the message still lands in the channel.
    h.mark();
    CHECK(h.run(http::execute_webhook(rest, id, token, json::object({{"content", "fire and forget"}})))
              .is_null());
    h.expect(routes::execute_webhook,
             {"/webhooks/" + id + "/" + token, {{"wait", "false"}}, R"({"content":"fire and forget"})"});
    json last = h.run(http::get_channel_messages(rest, h.channel, {.limit = 1}));
    REQUIRE(last.size() == 1);
    CHECK(str(last[0]["content"]) == "fire and forget");
    CHECK(str(last[0]["webhook_id"]) == id);

    json posted = h.run(http::execute_webhook(
        rest, id, token, json::object({{"content", "waited"}, {"username", "bot"}}), {.wait = true}));
    CHECK(str(posted["content"]) == "waited");
    CHECK(str(posted["author"]["username"]) == "bot");

    CHECK(str(h.run(http::modify_webhook_with_token(rest, id, token, {.name = "renamed"}))["name"]) ==
          "renamed");
    CHECK(str(h.run(http::get_webhook(rest, id))["name"]) == "renamed");
    CHECK(ids_of(h.run(http::get_channel_webhooks(rest, h.channel))) == ids{id});

    h.run(http::delete_webhook_with_token(rest, id, token));
    auto gone = h.run_error(http::get_webhook_with_token(rest, id, token));
    CHECK(gone.http_code() == 404);
    CHECK(gone.discord_code() == 10015);
    CHECK(h.run(http::get_channel_webhooks(rest, h.channel)).empty());
}

TEST_CASE("a refused webhook token fails that call only", "[http-webhook-401]")
{
    // A 401 on a route sent without Authorization says nothing about the bot's token.
    harness h;
    json w = h.run(http::create_webhook(h.rest, h.channel, "reporter", "", ""));
    auto bad = h.run_error(
        http::execute_webhook(h.rest, str(w["id"]), "wrong-token", json::object({{"content", "x"}})));
    CHECK(bad.http_code() == 401);
    CHECK(bad.discord_code() == 50027);
    CHECK(str(h.run(http::get_channel(h.rest, h.channel))["id"]) == h.channel);
}

TEST_CASE("racket-cord's defaults go on the wire", "[http-flows]")
{
    harness h;
    SECTION("create-message with only content is a JSON body")
    {
        json r = h.run(http::create_message(h.rest, h.channel, "pong"));
        h.expect(routes::create_message,
                 {"/channels/" + h.channel + "/messages", {}, R"({"content":"pong"})"});
        CHECK(str(r["content"]) == "pong");
    }
    SECTION("create-channel-invite: 86400 s, unlimited, not temporary, not unique")
    {
        h.run(http::create_channel_invite(h.rest, h.channel));
        h.expect(routes::create_channel_invite,
                 {.path = "/channels/" + h.channel + "/invites",
                  .body = R"({"max_age":86400,"max_uses":0,"temporary":false,"unique":false})",
                  .sends_reason = false});
    }
    SECTION("create-guild-ban: one day of messages")
    {
        h.run(http::create_guild_ban(h.rest, h.guild, h.user));
        h.expect(routes::create_guild_ban, {.path = "/guilds/" + h.guild + "/bans/" + h.user,
                                            .body = R"({"delete_message_seconds":86400})",
                                            .sends_reason = false});
    }
    SECTION("begin-guild-prune: compute the count")
    {
        json r = h.run(http::begin_guild_prune(h.rest, h.guild, 3));
        h.expect(routes::begin_guild_prune, {.path = "/guilds/" + h.guild + "/prune",
                                             .body = R"({"days":3,"compute_prune_count":true})",
                                             .sends_reason = false});
        CHECK(r["pruned"].as_int() == 0);
    }
    SECTION("edit-message: only what is given")
    {
        h.run(http::edit_message(h.rest, h.channel, h.bot_message, {.content = "only this"}));
        h.expect(routes::edit_message,
                 {"/channels/" + h.channel + "/messages/" + h.bot_message, {}, R"({"content":"only this"})"});
    }
}

TEST_CASE("unknown ids and refusals surface as discord_error", "[http-flows]")
{
    harness h;
    auto& rest = h.rest;
    struct expectation {
        const char* what;
        int http_code;
        int discord_code;
    };
    auto check = [&](cord::awaitable<json> call, expectation e) {
        INFO(e.what);
        auto err = h.run_error(std::move(call));
        CHECK(err.http_code() == e.http_code);
        CHECK(err.discord_code() == e.discord_code);
        CHECK_FALSE(err.reason().empty());
    };
    check(http::get_channel(rest, "1"), {"unknown channel", 404, 10003});
    check(http::get_channel_message(rest, h.channel, "1"), {"unknown message", 404, 10008});
    check(http::create_reaction(rest, h.channel, "1", "\xf0\x9f\x91\x8d"),
          {"reaction on an unknown message", 404, 10008});
    check(http::get_guild(rest, "1"), {"unknown guild", 404, 10004});
    check(http::get_guild_member(rest, h.guild, "1"), {"unknown member", 404, 10007});
    check(http::delete_guild_role(rest, h.guild, "1"), {"unknown role", 404, 10011});
    check(http::get_user(rest, "1"), {"unknown user", 404, 10013});
    check(http::get_webhook(rest, "1"), {"unknown webhook", 404, 10015});
    check(http::create_reaction(rest, h.channel, h.user_message, "plain"), {"unknown emoji", 400, 10014});
    check(http::create_message(rest, h.channel, ""), {"empty message", 400, 50006});

    auto form = h.run_error(http::bulk_delete_messages(rest, h.channel, {h.user_message}));
    CHECK(form.http_code() == 400);
    CHECK(form.discord_code() == 50035);
    REQUIRE_FALSE(form.field_errors().empty());
    CHECK(form.field_errors()[0].path == "messages");

    h.fake.deny_permissions(cord::snowflake::parse(h.channel));
    check(http::create_message(rest, h.channel, "not allowed"), {"missing permissions", 403, 50013});
}
