// fake_discord's interactions: a test plays a user (slash command, context menu, button, select,
// modal, autocomplete); INTERACTION_CREATE reaches the right shard; the bot's answers go through
// the token routes with Discord's rules (3 s, 15 min, one initial response, callback types,
// ephemeral messages, deferred then edited) and are recorded. Driven with a raw Beast client.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/error.hpp>
#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <thread>

using cord::testing::answer_kind;
using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using cord::testing::fake_interaction;
using cord::testing::interaction_actor;
using namespace fake_test;

namespace {

constexpr std::uint32_t guilds_intent = 1u << 0, guild_messages = 1u << 9, direct_messages = 1u << 12;

// The bot's side: its REST connection (no Authorization on token routes) and one shard.
struct bot {
    fake_discord& fake;
    http_client http;

    explicit bot(fake_discord& f) : fake(f), http(f.port()) {}

    std::string app() const { return fake.application_id().str(); }

    void register_guild(cord::snowflake guild, const std::string& commands)
    {
        auto r = http.request("PUT", "/api/v10/applications/" + app() + "/guilds/" + guild.str() + "/commands", commands);
        REQUIRE(r.status == 200);
    }
    void register_global(const std::string& commands)
    {
        REQUIRE(http.request("PUT", "/api/v10/applications/" + app() + "/commands", commands).status == 200);
    }
    http_reply callback(const fake_interaction& i, const std::string& body, const std::string& query = {})
    {
        return http.request("POST", "/api/v10/interactions/" + i.id.str() + "/" + i.token + "/callback" + query, body,
                            "");
    }
    std::string webhook(const fake_interaction& i) const { return "/api/v10/webhooks/" + app() + "/" + i.token; }
    http_reply original(const fake_interaction& i, const std::string& method, const std::string& body = {})
    {
        return http.request(method, webhook(i) + "/messages/@original", body, "");
    }
    http_reply followup(const fake_interaction& i, const std::string& body)
    {
        return http.request("POST", webhook(i), body, "");
    }
    cord::json channel_messages(cord::snowflake channel)
    {
        auto r = http.request("GET", "/api/v10/channels/" + channel.str() + "/messages");
        REQUIRE(r.status == 200);
        return r.json();
    }
    cord::json post(cord::snowflake channel, const std::string& body)
    {
        auto r = http.request("POST", "/api/v10/channels/" + channel.str() + "/messages", body);
        REQUIRE(r.status == 200);
        return r.json();
    }
};

const std::string commands = R"([
  {"name":"echo","description":"Says it back","options":[
    {"type":3,"name":"text","description":"what","required":true},
    {"type":4,"name":"times","description":"how often"},
    {"type":6,"name":"who","description":"a user"},
    {"type":8,"name":"role","description":"a role"},
    {"type":7,"name":"where","description":"a channel"},
    {"type":11,"name":"file","description":"a file"},
    {"type":3,"name":"city","description":"a city","autocomplete":true}]},
  {"name":"config","description":"Settings","options":[
    {"type":2,"name":"color","description":"colours","options":[
      {"type":1,"name":"set","description":"set one","options":[
        {"type":3,"name":"value","description":"v","required":true,"choices":[{"name":"Red","value":"red"},{"name":"Blue","value":"blue"}]}]}]},
    {"type":1,"name":"show","description":"show all"}]},
  {"name":"Profile","type":2},
  {"name":"Quote","type":3}])";

const std::string buttons = R"({"content":"pick","components":[{"type":1,"components":[
  {"type":2,"style":1,"label":"Yes","custom_id":"vote:yes"},
  {"type":2,"style":5,"label":"Site","url":"https://example.invalid"},
  {"type":2,"style":2,"label":"Off","custom_id":"vote:off","disabled":true}]},
  {"type":1,"components":[{"type":3,"custom_id":"flavour","max_values":2,"options":[
    {"label":"Mint","value":"mint"},{"label":"Lemon","value":"lemon"},{"label":"Plum","value":"plum"}]}]}]})";

const std::string modal = R"({"type":9,"data":{"custom_id":"feedback","title":"Feedback","components":[
  {"type":18,"label":"Your name","component":{"type":4,"custom_id":"name","style":1}},
  {"type":1,"components":[{"type":4,"custom_id":"text","style":2,"required":false}]}]}})";

} // namespace

TEST_CASE("fake interactions: a slash command is a well-formed INTERACTION_CREATE with resolved options", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    b.register_guild(guild, commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent);
    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);
    auto role = b.http.request("POST", "/api/v10/guilds/" + guild.str() + "/roles", R"({"name":"mods"})").json();

    auto options = cord::json::object({{"text", "hi"}, {"times", 3}, {"who", alice.str()},
                                       {"role", role["id"]}, {"where", channel.str()}, {"file", "cat.png"}});
    auto i = fake.invoke_command("echo", options, {.user = alice, .locale = "fr"});
    CHECK(i.token.size() > 60);
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    auto d = (*ev)["d"];
    CHECK(d["id"].as_snowflake() == i.id);
    CHECK(d["token"].as_string() == i.token);
    CHECK(d["type"].as_int() == 2);
    CHECK(d["version"].as_int() == 1);
    CHECK(d["application_id"].as_snowflake() == fake.application_id());
    CHECK(d["guild_id"].as_snowflake() == guild);
    CHECK(d["channel_id"].as_snowflake() == channel);
    CHECK(d["channel"]["id"].as_snowflake() == channel);
    CHECK(d["member"]["user"]["id"].as_snowflake() == alice);
    CHECK(d["member"].contains("permissions"));
    CHECK_FALSE(d.contains("user"));
    CHECK(d["locale"].as_string() == "fr");
    CHECK(d["guild_locale"].as_string() == "en-US");
    CHECK(d["app_permissions"].is_string());
    CHECK(d["entitlements"].size() == 0);
    CHECK(d["authorizing_integration_owners"]["0"].as_snowflake() == guild);
    CHECK(d["context"].as_int() == 0);
    auto data = d["data"];
    CHECK(data["name"].as_string() == "echo");
    CHECK(data["type"].as_int() == 1);
    CHECK(data["guild_id"].as_snowflake() == guild);
    CHECK(data["id"].as_snowflake() == fake.application_commands(guild)[0]["id"].as_snowflake());
    REQUIRE(data["options"].size() == 6);
    std::map<std::string, cord::json> by_name;
    for (std::size_t k = 0; k < data["options"].size(); ++k)
        by_name[std::string{data["options"][k]["name"].as_string()}] = data["options"][k];
    CHECK(by_name["text"]["type"].as_int() == 3);
    CHECK(by_name["text"]["value"].as_string() == "hi");
    CHECK(by_name["times"]["value"].as_int() == 3);
    CHECK(by_name["who"]["value"].as_snowflake() == alice);
    auto resolved = data["resolved"];
    CHECK(resolved["users"][alice.str()]["username"].as_string() == "alice");
    CHECK(resolved["members"][alice.str()].contains("permissions"));
    CHECK_FALSE(resolved["members"][alice.str()].contains("user"));
    CHECK(resolved["roles"][std::string{role["id"].as_string()}]["name"].as_string() == "mods");
    CHECK(resolved["channels"][channel.str()]["name"].as_string() == "general");
    auto file_id = std::string{by_name["file"]["value"].as_string()};
    CHECK(resolved["attachments"][file_id]["filename"].as_string() == "cat.png");
}

TEST_CASE("fake interactions: subcommand paths nest options; the user's choices are checked", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);   // global commands reach every guild
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent);
    auto i = fake.invoke_command("config color set", cord::json::object({{"value", "red"}}));
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    auto group = (*ev)["d"]["data"]["options"][0];
    CHECK(group["name"].as_string() == "color");
    CHECK(group["type"].as_int() == 2);
    CHECK(group["options"][0]["name"].as_string() == "set");
    CHECK(group["options"][0]["type"].as_int() == 1);
    CHECK(group["options"][0]["options"][0]["value"].as_string() == "red");
    CHECK_FALSE((*ev)["d"]["data"].contains("guild_id"));
    CHECK(i.payload["data"]["name"].as_string() == "config");

    fake.invoke_command("config show");
    CHECK((*ws.wait_for(0, "INTERACTION_CREATE"))["d"]["data"]["options"][0]["name"].as_string() == "show");

    // What the Discord client would not let a user send.
    CHECK_THROWS_AS(fake.invoke_command("config"), cord::error);                          // needs a subcommand
    CHECK_THROWS_AS(fake.invoke_command("config color set", cord::json::object({{"value", "green"}})), cord::error);
    CHECK_THROWS_AS(fake.invoke_command("config color set"), cord::error);                // required option
    CHECK_THROWS_AS(fake.invoke_command("echo", cord::json::object({{"text", "x"}, {"nope", 1}})), cord::error);
    CHECK_THROWS_AS(fake.invoke_command("echo", cord::json::object({{"text", 5}})), cord::error);
    CHECK_THROWS_WITH(fake.invoke_command("unregistered"), Catch::Contains("no CHAT_INPUT command \"unregistered\""));
}

TEST_CASE("fake interactions: a DM goes to shard 0 with user; a guild's interaction to its shard", "[interactions]")
{
    // Two rate-limit keys: both shards identify at once.
    fake_discord fake{{.recommended_shards = 2, .max_concurrency = 2, .guilds = 1}};
    bot b{fake};
    b.register_global(commands);
    // A guild on shard 1 ((id >> 22) % 2): guilds made in another millisecond; bounded tries.
    cord::snowflake on_one{};
    for (int tries = 0; tries < 200 && !on_one.value; ++tries) {
        auto g = fake.add_guild("g" + std::to_string(tries));
        if ((g.value >> 22) % 2 == 1)
            on_one = g;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    REQUIRE(on_one.value);
    ws_client shard0{fake.port()}, shard1{fake.port()};
    shard0.identify("fake-bot-token", guilds_intent | direct_messages, 0, 2);
    shard1.identify("fake-bot-token", guilds_intent, 1, 2);

    auto bob = fake.add_user("bob");
    auto dm = fake.invoke_command("echo", cord::json::object({{"text", "psst"}}), {.user = bob, .dm = true});
    auto ev = shard0.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    auto d = (*ev)["d"];
    CHECK(d["id"].as_snowflake() == dm.id);
    CHECK_FALSE(d.contains("guild_id"));
    CHECK_FALSE(d.contains("member"));
    CHECK(d["user"]["id"].as_snowflake() == bob);
    CHECK(d["context"].as_int() == 1);
    CHECK(d["channel"]["type"].as_int() == 1);
    CHECK(d["authorizing_integration_owners"]["0"].as_string() == "0");
    CHECK_FALSE(shard1.wait_for(0, "INTERACTION_CREATE", std::chrono::milliseconds{200}));

    auto in_guild = fake.invoke_command("echo", cord::json::object({{"text", "hi"}}), {.guild = on_one});
    auto on_shard1 = shard1.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(on_shard1);
    CHECK((*on_shard1)["d"]["id"].as_snowflake() == in_guild.id);
    CHECK((*on_shard1)["d"]["guild_id"].as_snowflake() == on_one);
    CHECK_FALSE(shard0.wait_for(0, "INTERACTION_CREATE", std::chrono::milliseconds{200}));
}

TEST_CASE("fake interactions: a reply is a message in the channel; a second reply is refused with 40060", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    b.register_guild(guild, commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent | guild_messages);
    auto i = fake.invoke_command("echo", cord::json::object({{"text", "hi"}}));
    REQUIRE(ws.wait_for(0, "INTERACTION_CREATE"));

    auto r = b.callback(i, R"({"type":4,"data":{"content":"pong"}})");
    CHECK(r.status == 204);
    auto created = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(created);
    auto msg = (*created)["d"];
    CHECK(msg["content"].as_string() == "pong");
    CHECK(msg["author"]["id"].as_snowflake() == fake.bot_user_id());
    CHECK(msg["webhook_id"].as_snowflake() == fake.application_id());
    CHECK(msg["type"].as_int() == 20);
    CHECK(msg["interaction_metadata"]["id"].as_snowflake() == i.id);
    CHECK(msg["interaction_metadata"]["name"].as_string() == "echo");
    auto listed = b.channel_messages(channel);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["id"].as_string() == msg["id"].as_string());

    auto twice = b.callback(i, R"({"type":4,"data":{"content":"pong again"}})");
    CHECK(twice.status == 400);
    CHECK(twice.json()["code"].as_int() == 40060);
    CHECK(b.callback(i, R"({"type":5})").json()["code"].as_int() == 40060);
    CHECK(b.channel_messages(channel).size() == 1);

    auto answers = fake.answers(i.id);
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].kind == answer_kind::callback);
    CHECK(answers[0].callback_type == 4);
    CHECK(answers[0].status == 204);
    CHECK(answers[0].body["data"]["content"].as_string() == "pong");
    CHECK(answers[0].message_id == msg["id"].as_snowflake());
    CHECK_FALSE(answers[0].ephemeral);
    CHECK(answers[1].status == 400);
    CHECK(answers[1].error_code == 40060);
    CHECK(answers[2].callback_type == 5);

    // @original is the reply; the token routes need no Authorization.
    auto original = b.original(i, "GET");
    REQUIRE(original.status == 200);
    CHECK(original.json()["content"].as_string() == "pong");
    for (const auto& req : fake.requests())
        if (req.path.find("/interactions/") != std::string::npos || req.path.find("/webhooks/") != std::string::npos)
            CHECK(req.headers.count("authorization") == 0);
}

TEST_CASE("fake interactions: 10062 after 3 s without an answer; the token dies after 15 minutes", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);
    auto late = fake.invoke_command("config show");
    fake.advance_interaction_clock(std::chrono::milliseconds{3001});
    auto r = b.callback(late, R"({"type":4,"data":{"content":"too late"}})");
    CHECK(r.status == 404);
    CHECK(r.json()["code"].as_int() == 10062);
    CHECK(fake.answers(late.id).at(0).error_code == 10062);

    auto on_time = fake.invoke_command("config show");
    fake.advance_interaction_clock(std::chrono::milliseconds{2900});
    CHECK(b.callback(on_time, R"({"type":5})").status == 204);
    fake.advance_interaction_clock(std::chrono::minutes{14});
    CHECK(b.original(on_time, "PATCH", R"({"content":"done"})").status == 200);
    CHECK(b.followup(on_time, R"({"content":"more"})").status == 200);
    fake.advance_interaction_clock(std::chrono::minutes{1});
    auto expired = b.followup(on_time, R"({"content":"after 15 min"})");
    CHECK(expired.status == 401);
    CHECK(expired.json()["code"].as_int() == 50027);
    CHECK(b.original(on_time, "PATCH", R"({"content":"x"})").json()["code"].as_int() == 50027);
    auto answers = fake.answers(on_time.id);
    REQUIRE(answers.size() == 5);
    CHECK(answers[3].kind == answer_kind::followup);
    CHECK(answers[3].error_code == 50027);
    CHECK(answers[4].kind == answer_kind::edit_original);

    // Unknown interaction ids and wrong tokens: 10062; a token of nothing: 50027.
    auto fresh = fake.invoke_command("config show");
    auto wrong = fresh;
    wrong.token = "not-the-token";
    CHECK(b.callback(wrong, R"({"type":5})").json()["code"].as_int() == 10062);
    CHECK(b.followup(wrong, R"({"content":"x"})").json()["code"].as_int() == 50027);
}

TEST_CASE("fake interactions: followups and @original before any response are refused (10015)", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);
    auto i = fake.invoke_command("config show");
    auto early = b.followup(i, R"({"content":"first?"})");
    CHECK(early.status == 404);
    CHECK(early.json()["code"].as_int() == 10015);
    CHECK(b.original(i, "GET").json()["code"].as_int() == 10015);
    CHECK(b.original(i, "PATCH", R"({"content":"x"})").json()["code"].as_int() == 10015);
    CHECK(b.callback(i, R"({"type":4,"data":{"content":"now"}})").status == 204);
    auto later = b.followup(i, R"({"content":"second"})");
    REQUIRE(later.status == 200);
    CHECK(later.json()["interaction_metadata"]["original_response_message_id"].as_string()
          == b.original(i, "GET").json()["id"].as_string());
    auto id = std::string{later.json()["id"].as_string()};
    CHECK(b.http.request("PATCH", b.webhook(i) + "/messages/" + id, R"({"content":"edited"})", "").json()["content"].as_string()
          == "edited");
    CHECK(b.http.request("GET", b.webhook(i) + "/messages/" + id, {}, "").status == 200);
    CHECK(b.http.request("DELETE", b.webhook(i) + "/messages/" + id, {}, "").status == 204);
    CHECK(b.http.request("GET", b.webhook(i) + "/messages/" + id, {}, "").json()["code"].as_int() == 10008);
    // Another interaction's message is not this token's.
    auto other = fake.invoke_command("config show");
    CHECK(b.callback(other, R"({"type":4,"data":{"content":"other"}})").status == 204);
    auto other_id = std::string{b.original(other, "GET").json()["id"].as_string()};
    CHECK(b.http.request("GET", b.webhook(i) + "/messages/" + other_id, {}, "").json()["code"].as_int() == 10008);
    CHECK(b.original(i, "DELETE").status == 204);
    CHECK(b.original(i, "GET").json()["code"].as_int() == 10008);
    auto kinds = fake.answers(i.id);
    REQUIRE(kinds.size() == 7);   // reads (GET) are not answers
    CHECK(kinds[0].kind == answer_kind::followup);
    CHECK(kinds[0].error_code == 10015);
    CHECK(kinds[1].kind == answer_kind::edit_original);
    CHECK(kinds[2].kind == answer_kind::callback);
    CHECK(kinds[3].kind == answer_kind::followup);
    CHECK(kinds[4].kind == answer_kind::edit_followup);
    CHECK(kinds[5].kind == answer_kind::delete_followup);
    CHECK(kinds[6].kind == answer_kind::delete_original);
}

TEST_CASE("fake interactions: each interaction type takes its own callback types", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    b.register_global(commands);
    auto cmd = fake.invoke_command("config show");
    for (const char* refused : {R"({"type":6})", R"({"type":7,"data":{"content":"x"}})", R"({"type":8,"data":{"choices":[]}})",
                                R"({"type":1})"}) {
        auto r = b.callback(cmd, refused);
        CHECK(r.status == 400);
        CHECK(r.json()["code"].as_int() == 50035);
        CHECK(r.json()["errors"]["type"]["_errors"][0]["code"].as_string() == "BASE_TYPE_CHOICES");
    }
    CHECK(b.callback(cmd, R"({"data":{}})").json()["code"].as_int() == 50035);   // no type
    CHECK(b.callback(cmd, R"({"type":4,"data":{"content":""}})").json()["code"].as_int() == 50006);
    CHECK(b.callback(cmd, R"({"type":4,"data":{"content":"ok"}})").status == 204);   // still answerable

    auto typing = fake.type_in_autocomplete("echo", "city", "Par", cord::json::object({{"text", "x"}}));
    auto focused = typing.payload["data"]["options"][1];
    CHECK(typing.payload["type"].as_int() == 4);
    CHECK(focused["name"].as_string() == "city");
    CHECK(focused["focused"].as_bool());
    CHECK(focused["value"].as_string() == "Par");
    CHECK(b.callback(typing, R"({"type":5})").json()["code"].as_int() == 50035);   // no deferring an autocomplete
    CHECK(b.callback(typing, R"({"type":8,"data":{"choices":[{"name":"Paris","value":"paris"}]}})").status == 204);
    CHECK(b.followup(typing, R"({"content":"x"})").json()["code"].as_int() == 10015);
    CHECK_THROWS_AS(fake.type_in_autocomplete("echo", "text", "x"), cord::error);   // no autocomplete on "text"
    std::string many;
    for (int k = 0; k < 26; ++k)
        many += (k ? "," : "") + std::string{R"({"name":"c","value":"v"})"};
    auto too_many = fake.type_in_autocomplete("echo", "city", "P");
    CHECK(b.callback(too_many, R"({"type":8,"data":{"choices":[)" + many + "]}}").json()["code"].as_int() == 50035);

    // A component takes 6 and 7; a modal submit opened by a command takes neither.
    auto posted = b.post(channel, buttons);
    auto click = fake.click_button(posted["id"].as_snowflake(), "vote:yes");
    CHECK(b.callback(click, R"({"type":8,"data":{"choices":[]}})").status == 400);
    CHECK(b.callback(click, R"({"type":6})").status == 204);
    CHECK(b.original(click, "PATCH", R"({"content":"counted"})").json()["id"].as_snowflake()
          == posted["id"].as_snowflake());
    CHECK(fake.message(channel, posted["id"].as_snowflake()).value()["content"].as_string() == "counted");

    auto opener = fake.invoke_command("config show");
    REQUIRE(b.callback(opener, modal).status == 204);
    auto submit = fake.submit_modal(opener.id, {{"name", "Ada"}});
    CHECK(b.callback(submit, R"({"type":7,"data":{"content":"x"}})").status == 400);
    CHECK(b.callback(submit, R"({"type":9,"data":{"custom_id":"again","title":"t","components":[]}})").status == 400);
    CHECK(b.callback(submit, R"({"type":4,"data":{"content":"thanks"}})").status == 204);
}

TEST_CASE("fake interactions: buttons and selects carry custom_id, values and the message", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent | guild_messages);
    auto posted = b.post(channel, buttons);
    auto mid = posted["id"].as_snowflake();
    auto carol = fake.add_user("carol");

    auto click = fake.click_button(mid, "vote:yes", {.user = carol});
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    auto d = (*ev)["d"];
    CHECK(d["type"].as_int() == 3);
    CHECK(d["data"]["custom_id"].as_string() == "vote:yes");
    CHECK(d["data"]["component_type"].as_int() == 2);
    CHECK(d["message"]["id"].as_snowflake() == mid);
    CHECK(d["member"]["user"]["id"].as_snowflake() == carol);
    CHECK(d["channel_id"].as_snowflake() == channel);

    // 7 edits the message the button sits on, at once.
    auto r = b.callback(click, R"({"type":7,"data":{"content":"1 vote","components":[]}})", "?with_response=true");
    REQUIRE(r.status == 200);
    CHECK(r.json()["interaction"]["id"].as_snowflake() == click.id);
    CHECK(r.json()["interaction"]["type"].as_int() == 3);
    CHECK(r.json()["resource"]["type"].as_int() == 7);
    CHECK(r.json()["resource"]["message"]["content"].as_string() == "1 vote");
    auto updated = ws.wait_for(0, "MESSAGE_UPDATE");
    REQUIRE(updated);
    CHECK((*updated)["d"]["id"].as_snowflake() == mid);
    CHECK(fake.message(channel, mid).value()["content"].as_string() == "1 vote");

    auto again = b.post(channel, buttons);
    auto choose = fake.choose_in_select(again["id"].as_snowflake(), "flavour", {"mint", "plum"});
    CHECK(choose.payload["data"]["component_type"].as_int() == 3);
    CHECK(choose.payload["data"]["values"].size() == 2);
    CHECK(choose.payload["data"]["values"][1].as_string() == "plum");
    CHECK_THROWS_AS(fake.choose_in_select(again["id"].as_snowflake(), "flavour", {"kiwi"}), cord::error);
    CHECK_THROWS_AS(fake.choose_in_select(again["id"].as_snowflake(), "flavour", {"mint", "lemon", "plum"}), cord::error);
    CHECK_THROWS_AS(fake.click_button(again["id"].as_snowflake(), "vote:off"), cord::error);    // disabled
    CHECK_THROWS_AS(fake.click_button(again["id"].as_snowflake(), "nothing"), cord::error);
    CHECK_THROWS_AS(fake.click_button(again["id"].as_snowflake(), "flavour"), cord::error);     // a select
    CHECK_THROWS_AS(fake.click_button(cord::snowflake{42}, "vote:yes"), cord::error);           // no message
}

TEST_CASE("fake interactions: context menus carry the target, resolved", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto guild = fake.guild_ids().at(0);
    auto channel = fake.general_channel(guild);
    b.register_guild(guild, commands);
    auto dave = fake.add_user("dave");
    fake.add_member(guild, dave);
    auto on_user = fake.invoke_user_command("Profile", dave);
    CHECK(on_user.payload["data"]["type"].as_int() == 2);
    CHECK(on_user.payload["data"]["target_id"].as_snowflake() == dave);
    CHECK(on_user.payload["data"]["resolved"]["users"][dave.str()]["username"].as_string() == "dave");
    CHECK(on_user.payload["data"]["resolved"]["members"].contains(dave.str()));
    REQUIRE(b.callback(on_user, R"({"type":4,"data":{"content":"a profile"}})").status == 204);
    auto reply = b.original(on_user, "GET").json();
    CHECK(reply["type"].as_int() == 23);
    CHECK(reply["interaction_metadata"]["target_user"]["id"].as_snowflake() == dave);

    auto said = fake.post_message_as(dave, channel, "quote me");
    auto on_message = fake.invoke_message_command("Quote", said["id"].as_snowflake());
    CHECK(on_message.payload["data"]["type"].as_int() == 3);
    CHECK(on_message.payload["data"]["target_id"].as_snowflake() == said["id"].as_snowflake());
    CHECK(on_message.payload["data"]["resolved"]["messages"][std::string{said["id"].as_string()}]["content"].as_string()
          == "quote me");
    CHECK_THROWS_AS(fake.invoke_user_command("Quote", dave), cord::error);   // a MESSAGE command, not USER
}

TEST_CASE("fake interactions: ephemeral messages are seen through @original, never in the channel", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    b.register_global(commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent | guild_messages);
    auto i = fake.invoke_command("config show");
    REQUIRE(b.callback(i, R"({"type":4,"data":{"content":"only you","flags":64}})").status == 204);
    auto original = b.original(i, "GET");
    REQUIRE(original.status == 200);
    CHECK(original.json()["content"].as_string() == "only you");
    CHECK(original.json()["flags"].as_int() == 64);
    CHECK(b.channel_messages(channel).size() == 0);
    auto id = original.json()["id"].as_snowflake();
    CHECK_FALSE(fake.message(channel, id));
    CHECK(b.http.request("GET", "/api/v10/channels/" + channel.str() + "/messages/" + id.str()).status == 404);
    CHECK(fake.answers(i.id).at(0).ephemeral);

    auto hidden = b.followup(i, R"({"content":"also you","flags":64})");
    REQUIRE(hidden.status == 200);
    auto shown = b.followup(i, R"({"content":"everyone"})");
    REQUIRE(shown.status == 200);
    auto listed = b.channel_messages(channel);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["content"].as_string() == "everyone");
    // Only the public followup was dispatched.
    auto ev = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["content"].as_string() == "everyone");
    // Editing keeps it ephemeral.
    auto edited = b.original(i, "PATCH", R"({"content":"still only you","flags":0})");
    CHECK(edited.json()["flags"].as_int() == 64);
    CHECK(b.channel_messages(channel).size() == 1);

    // A button on an ephemeral message works too.
    auto menu = fake.invoke_command("config show");
    REQUIRE(b.callback(menu, R"({"type":4,"data":{"flags":64,"content":"pick","components":[{"type":1,"components":[)"
                             R"({"type":2,"style":1,"label":"Go","custom_id":"go"}]}]}})")
                .status
            == 204);
    auto ephemeral_id = b.original(menu, "GET").json()["id"].as_snowflake();
    auto click = fake.click_button(ephemeral_id, "go");
    CHECK(click.payload["message"]["flags"].as_int() == 64);
    CHECK(b.callback(click, R"({"type":7,"data":{"content":"gone"}})").status == 204);
    CHECK(b.original(menu, "GET").json()["content"].as_string() == "gone");
}

TEST_CASE("fake interactions: deferred shows a loading message that @original's PATCH fills", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    b.register_global(commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent | guild_messages);
    auto i = fake.invoke_command("config show");
    auto r = b.callback(i, R"({"type":5})", "?with_response=true");
    REQUIRE(r.status == 200);
    CHECK(r.json()["interaction"]["response_message_loading"].as_bool());
    CHECK_FALSE(r.json()["interaction"]["response_message_ephemeral"].as_bool());
    CHECK_FALSE(r.json().contains("resource"));
    auto loading = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(loading);
    CHECK(((*loading)["d"]["flags"].as_int() & 128) == 128);
    auto filled = b.original(i, "PATCH", R"({"content":"the result"})");
    REQUIRE(filled.status == 200);
    CHECK(filled.json()["content"].as_string() == "the result");
    CHECK((filled.json()["flags"].as_int() & 128) == 0);
    auto update = ws.wait_for(0, "MESSAGE_UPDATE");
    REQUIRE(update);
    CHECK((*update)["d"]["content"].as_string() == "the result");
    auto listed = b.channel_messages(channel);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["content"].as_string() == "the result");

    auto answers = fake.wait_for_answers(i.id, 2, std::chrono::seconds{2});
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].callback_type == 5);
    CHECK(answers[1].kind == answer_kind::edit_original);
    CHECK(answers[1].body["content"].as_string() == "the result");

    // An ephemeral defer stays out of the channel; with a followup first (Discord's quirk)
    // the followup fills the loading message instead of posting one.
    auto quiet = fake.invoke_command("config show");
    REQUIRE(b.callback(quiet, R"({"type":5,"data":{"flags":64}})").status == 204);
    auto first = b.followup(quiet, R"({"content":"filled"})");
    REQUIRE(first.status == 200);
    CHECK(first.json()["id"].as_string() == b.original(quiet, "GET").json()["id"].as_string());
    CHECK(first.json()["flags"].as_int() == 64);
    CHECK(b.channel_messages(channel).size() == 1);
    CHECK(b.callback(quiet, R"({"type":5,"data":{"flags":2}})").json()["code"].as_int() == 40060);
}

TEST_CASE("fake interactions: a modal's submit carries its fields; a modal only as a first answer", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent);
    auto opener = fake.invoke_command("config show");
    REQUIRE(ws.wait_for(0, "INTERACTION_CREATE"));
    CHECK(b.callback(opener, R"({"type":9,"data":{"custom_id":"x","title":"t","components":[]}})").status == 400);
    REQUIRE(b.callback(opener, modal).status == 204);
    CHECK(b.original(opener, "GET").json()["code"].as_int() == 10008);   // a modal is no message

    CHECK_THROWS_AS(fake.submit_modal(opener.id, {}), cord::error);                          // "name" is required
    CHECK_THROWS_AS(fake.submit_modal(opener.id, {{"name", "Ada"}, {"age", "36"}}), cord::error);   // no such input
    auto submit = fake.submit_modal(opener.id, {{"name", "Ada"}, {"text", "Nice"}});
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    auto d = (*ev)["d"];
    CHECK(d["id"].as_snowflake() == submit.id);
    CHECK(d["type"].as_int() == 5);
    CHECK(d["data"]["custom_id"].as_string() == "feedback");
    CHECK(d["data"]["components"][0]["type"].as_int() == 18);
    CHECK(d["data"]["components"][0]["component"]["custom_id"].as_string() == "name");
    CHECK(d["data"]["components"][0]["component"]["value"].as_string() == "Ada");
    CHECK(d["data"]["components"][1]["components"][0]["value"].as_string() == "Nice");
    CHECK(d["member"]["user"]["id"].as_string() == opener.payload["member"]["user"]["id"].as_string());
    CHECK_THROWS_AS(fake.submit_modal(opener.id, {{"name", "Ada"}}), cord::error);   // submitted once

    // After a defer, a modal is a second initial response.
    auto deferred = fake.invoke_command("config show");
    REQUIRE(b.callback(deferred, R"({"type":5})").status == 204);
    CHECK(b.callback(deferred, modal).json()["code"].as_int() == 40060);
}

TEST_CASE("fake interactions: token routes ignore the global limit and any Authorization", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);
    fake.set_global_limit(1);
    std::this_thread::sleep_for(std::chrono::milliseconds{1100});   // a fresh global second
    CHECK(b.http.request("GET", "/api/v10/users/@me").status == 200);
    CHECK(b.http.request("GET", "/api/v10/users/@me").status == 429);   // the bot's global budget is spent
    for (int k = 0; k < 6; ++k) {
        auto i = fake.invoke_command("config show");
        CHECK(b.callback(i, R"({"type":4,"data":{"content":"fine"}})").status == 204);
        CHECK(b.http.request("POST", b.webhook(i), R"({"content":"more"})", "wrong-token").status == 200);
    }
    CHECK(fake.counters().global_rate_limited == 1);
}

TEST_CASE("fake interactions: create and deliver are apart; wait_for_answers is bounded", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    b.register_global(commands);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", guilds_intent);
    auto i = fake.create_interaction(cord::json::parse(R"({"type":"command","command":"config show"})"));
    CHECK_FALSE(ws.wait_for(0, "INTERACTION_CREATE", std::chrono::milliseconds{200}));
    fake.deliver(i.id);
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["token"].as_string() == i.token);
    CHECK_THROWS_AS(fake.create_interaction(cord::json::parse(R"({"type":"dance"})")), cord::error);

    auto none = fake.wait_for_answers(i.id, 1, std::chrono::milliseconds{100});
    CHECK(none.empty());
    std::thread answer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
        http_client other{fake.port()};
        other.request("POST", "/api/v10/interactions/" + i.id.str() + "/" + i.token + "/callback",
                      R"({"type":4,"data":{"content":"late but fine"}})", "");
    });
    auto got = fake.wait_for_answers(i.id, 1, std::chrono::seconds{5});
    answer.join();
    REQUIRE(got.size() == 1);
    CHECK(got[0].status == 204);
}

TEST_CASE("fake interactions: the message routes serve an ordinary webhook's own messages", "[interactions]")
{
    fake_discord fake;
    bot b{fake};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    auto hook = b.http.request("POST", "/api/v10/channels/" + channel.str() + "/webhooks", R"({"name":"hook"})").json();
    auto base = "/api/v10/webhooks/" + std::string{hook["id"].as_string()} + "/" + std::string{hook["token"].as_string()};
    auto sent = b.http.request("POST", base + "?wait=true", R"({"content":"hooked"})", "");
    REQUIRE(sent.status == 200);
    auto path = base + "/messages/" + std::string{sent.json()["id"].as_string()};
    CHECK(b.http.request("GET", path, {}, "").json()["content"].as_string() == "hooked");
    CHECK(b.http.request("PATCH", path, R"({"content":"rehooked"})", "").json()["content"].as_string() == "rehooked");
    CHECK(b.http.request("GET", base + "/messages/@original", {}, "").json()["code"].as_int() == 10008);
    auto bots = b.post(channel, R"({"content":"not the hook's"})");
    CHECK(b.http.request("GET", base + "/messages/" + std::string{bots["id"].as_string()}, {}, "").json()["code"].as_int()
          == 10008);
    CHECK(b.http.request("GET", "/api/v10/webhooks/" + std::string{hook["id"].as_string()} + "/wrong/messages/1", {}, "")
              .json()["code"]
              .as_int()
          == 50027);
    CHECK(b.http.request("DELETE", path, {}, "").status == 204);
    CHECK(b.channel_messages(channel).size() == 1);
}
