// Fake tier: a poll from creation to results, through cord::http and a cord::shard: users vote
// (fake_discord::vote_in_poll), the votes arrive as gateway events only where the intent asks for
// them, the voters page through all_answer_voters, and ending the poll finalizes its results.
#include "flow_checks.hpp"
#include "harness.hpp"
#include "shard_watchers.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace http = cord::http;
using cord::json;
using cord_test::expect_error;
using cord_test::harness;
using cord_test::str;
using cord_test::watchers;

namespace {

json poll_body(std::string_view poll)
{
    return json::parse(std::string{R"({"content":"vote!","poll":)"} + std::string{poll} + "}");
}

const char* const lunch_poll = R"({"question":{"text":"Lunch?"},"answers":[{"poll_media":{"text":"pizza"}},)"
                               R"({"poll_media":{"text":"soup","emoji":{"name":"🍲"}}},{"poll_media":{"text":"salad"}}],)"
                               R"("duration":2,"allow_multiselect":true})";

/// answer id → count in a poll's results.
int count_of(const json& poll, int answer)
{
    for (json c : poll["results"]["answer_counts"].items())
        if (c["id"].as_int() == answer)
            return static_cast<int>(c["count"].as_int());
    return 0;   // Discord: no entry means no votes
}

} // namespace

TEST_CASE("a poll from creation to results", "[http-surface-flows]")
{
    harness h;
    watchers gw{h.fake, cord::intents::guilds | cord::intents::guild_message_polls,
                cord::intents::guilds | cord::intents::guild_messages};
    cord::http::create_message_options with_poll;
    with_poll.poll = json::parse(lunch_poll);
    json msg = h.run(http::create_message(h.rest, h.channel, "vote!", with_poll));
    CHECK(str(msg["content"]) == "vote!");
    const std::string id = str(msg["id"]);
    json poll = msg["poll"];
    CHECK(str(poll["question"]["text"]) == "Lunch?");
    REQUIRE(poll["answers"].size() == 3);
    CHECK(poll["answers"][0]["answer_id"].as_int() == 1);   // Discord: answer ids start at 1
    CHECK(poll["answers"][2]["answer_id"].as_int() == 3);
    CHECK(str(poll["answers"][1]["poll_media"]["emoji"]["name"]) == "🍲");
    CHECK(poll["allow_multiselect"].as_bool());
    CHECK(poll["layout_type"].as_int() == 1);
    CHECK(poll["expiry"].is_string());
    CHECK_FALSE(poll["results"]["is_finalized"].as_bool());
    CHECK(poll["results"]["answer_counts"].size() == 0);

    // Three users vote; bob picks two answers (multiselect), carol changes her mind.
    auto guild = cord::snowflake::parse(h.guild);
    auto channel = cord::snowflake::parse(h.channel);
    auto message = cord::snowflake::parse(id);
    auto alice = cord::snowflake::parse(h.user);
    auto bob = h.fake.add_user("bob"), carol = h.fake.add_user("carol");
    h.fake.add_member(guild, bob);
    h.fake.add_member(guild, carol);
    h.fake.vote_in_poll(channel, message, alice, {1});
    h.fake.vote_in_poll(channel, message, bob, {1, 2});
    h.fake.vote_in_poll(channel, message, carol, {3});
    h.fake.remove_poll_vote(channel, message, carol, {3});
    h.fake.vote_in_poll(channel, message, carol, {1});
    CHECK_THROWS_AS(h.fake.vote_in_poll(channel, message, h.fake.bot_user_id(), {1}), cord::error);   // apps may not
    CHECK_THROWS_AS(h.fake.vote_in_poll(channel, message, carol, {9}), cord::error);

    REQUIRE(gw.run_until([&] { return gw.with("MESSAGE_POLL_VOTE_ADD").size() == 5
                                      && gw.with("MESSAGE_POLL_VOTE_REMOVE").size() == 1; }));
    json first = gw.with("MESSAGE_POLL_VOTE_ADD").front();
    CHECK(str(first["user_id"]) == h.user);
    CHECK(str(first["message_id"]) == id);
    CHECK(str(first["channel_id"]) == h.channel);
    CHECK(str(first["guild_id"]) == h.guild);
    CHECK(first["answer_id"].as_int() == 1);
    json removed = gw.with("MESSAGE_POLL_VOTE_REMOVE").front();
    CHECK(str(removed["user_id"]) == carol.str());
    CHECK(removed["answer_id"].as_int() == 3);

    // The message carries the running results.
    json now = h.run(http::get_channel_message(h.rest, h.channel, id))["poll"];
    CHECK(count_of(now, 1) == 3);
    CHECK(count_of(now, 2) == 1);
    CHECK(count_of(now, 3) == 0);
    CHECK(now["results"]["answer_counts"].size() == 2);
    CHECK_FALSE(now["results"]["is_finalized"].as_bool());

    // Voters, one page and paged one by one; ascending ids, as Discord pages with `after`.
    json page = h.run(http::get_answer_voters(h.rest, h.channel, id, "1", {.limit = 2}));
    REQUIRE(page["users"].size() == 2);
    CHECK(str(page["users"][0]["id"]) == h.user);
    CHECK(str(page["users"][1]["id"]) == bob.str());
    const std::string after_bob = bob.str();
    json rest = h.run(http::get_answer_voters(h.rest, h.channel, id, "1", {.after = after_bob}));
    REQUIRE(rest["users"].size() == 1);
    CHECK(str(rest["users"][0]["id"]) == carol.str());
    const http::page_options one_by_one{.page_size = 1};
    json all = h.run(http::all_answer_voters(h.rest, h.channel, id, "1", one_by_one));
    REQUIRE(all.size() == 3);
    CHECK(str(all[2]["id"]) == carol.str());
    CHECK(h.run(http::get_answer_voters(h.rest, h.channel, id, "3"))["users"].size() == 0);
    expect_error(h, http::get_answer_voters(h.rest, h.channel, id, "11"), 400, 50035);   // no such answer
    expect_error(h, http::get_answer_voters(h.rest, h.channel, h.bot_message, "1"), 404, 10008);   // no poll

    // Ending: only the author may; the results are final and MESSAGE_UPDATE says so.
    expect_error(h, http::end_poll(h.rest, h.channel, h.bot_message), 400, 520006);
    json ended = h.run(http::end_poll(h.rest, h.channel, id));
    CHECK(str(ended["id"]) == id);
    CHECK(ended["poll"]["results"]["is_finalized"].as_bool());
    CHECK(count_of(ended["poll"], 1) == 3);
    CHECK(count_of(ended["poll"], 2) == 1);
    // MESSAGE_UPDATE needs GUILD_MESSAGES, which only the other shard asked for.
    REQUIRE(gw.run_until([&] { return !gw.without("MESSAGE_UPDATE").empty(); }));
    CHECK(gw.without("MESSAGE_UPDATE").back()["poll"]["results"]["is_finalized"].as_bool());
    CHECK(gw.with("MESSAGE_UPDATE").empty());
    // The shard without GUILD_MESSAGE_POLLS saw the poll's message and its end (sent after the
    // votes, on the same connection), but not one vote.
    CHECK(gw.without("MESSAGE_CREATE").size() == 1);
    CHECK(gw.without("MESSAGE_POLL_VOTE_ADD").empty());
    CHECK(gw.without("MESSAGE_POLL_VOTE_REMOVE").empty());
    expect_error(h, http::end_poll(h.rest, h.channel, id), 400, 520001);
    CHECK_THROWS_AS(h.fake.vote_in_poll(channel, message, bob, {3}), cord::error);   // ended
    CHECK(h.run(http::get_channel_message(h.rest, h.channel, id))["poll"]["results"]["is_finalized"].as_bool());
}

TEST_CASE("Discord's rules for a poll's body, its author and single answers", "[http-surface-flows]")
{
    harness h;
    const std::string path = "/channels/" + h.channel + "/messages";
    auto refused = [&](std::string_view poll, std::string_view field) {
        INFO(poll);
        auto e = h.run_error(h.rest.request("POST", path, poll_body(poll)));
        CHECK(e.http_code() == 400);
        CHECK(e.discord_code() == 50035);
        CHECK(std::string{e.what()}.find(field) != std::string::npos);
    };
    refused(R"({"answers":[{"poll_media":{"text":"a"}}]})", "question");
    refused(R"({"question":{"text":"q"}})", "answers");
    refused(R"({"question":{"text":"q"},"answers":[]})", "answers");
    std::string eleven = R"({"question":{"text":"q"},"answers":[)";
    for (int i = 0; i < 11; ++i)
        eleven += std::string{i ? "," : ""} + R"({"poll_media":{"text":"a"}})";
    refused(eleven + "]}", "answers");
    refused(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":"a"}}],"duration":769})", "duration");
    refused(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":"a"}}],"duration":0})", "duration");
    refused(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":")" + std::string(56, 'x') + R"("}}]})",
            "text");
    refused(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":"a"}}],"allow_multiselect":"yes"})",
            "allow_multiselect");
    refused(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":"a"}}],"layout_type":2})", "layout_type");

    // A single-answer poll takes one answer per user; a message without a poll cannot be ended.
    json msg = h.run(h.rest.request(
        "POST", path, poll_body(R"({"question":{"text":"q"},"answers":[{"poll_media":{"text":"a"}},{"poll_media":{"text":"b"}}]})")));
    auto channel = cord::snowflake::parse(h.channel);
    auto message = cord::snowflake::parse(str(msg["id"]));
    auto alice = cord::snowflake::parse(h.user);
    CHECK_FALSE(msg["poll"]["allow_multiselect"].as_bool());
    CHECK_THROWS_AS(h.fake.vote_in_poll(channel, message, alice, {1, 2}), cord::error);
    h.fake.vote_in_poll(channel, message, alice, {2});
    h.fake.vote_in_poll(channel, message, alice, {2});   // the same vote again changes nothing
    CHECK_THROWS_AS(h.fake.vote_in_poll(channel, message, alice, {1}), cord::error);
    CHECK(h.run(http::get_answer_voters(h.rest, h.channel, str(msg["id"]), "2"))["users"].size() == 1);
    expect_error(h, http::end_poll(h.rest, h.channel, h.user_message), 400, 520006);
    expect_error(h, http::end_poll(h.rest, h.channel, "123"), 404, 10008);
}
