// Fake tier: flows over the emulator's resources beyond the seed's, through the generated
// cord::http functions: a thread's life, a forum post, a scheduled event's life, an
// auto-moderation rule blocking a message, a bulk ban.
#include "harness.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace http = cord::http;
using cord::json;
using cord_test::harness;

namespace {

json js(std::string text)
{
    std::replace(text.begin(), text.end(), '\'', '"');
    return json::parse(text);
}

std::string str(const json& j)
{
    return std::string{j.as_string()};
}

bool has_id(const json& list, const std::string& id, const char* key = "id")
{
    for (json item : list.items())
        if (item.contains(key) && item[key].as_string() == id)
            return true;
    return false;
}

/// The call fails with this Discord status and code.
void expect_error(harness& h, cord::awaitable<json> call, int status, int code)
{
    auto e = h.run_error(std::move(call));
    CHECK(e.http_code() == status);
    CHECK(e.discord_code() == code);
}

} // namespace

TEST_CASE("a thread's life: started from a message, members, archive", "[http-surface-flows]")
{
    harness h;
    json th = h.run(http::start_thread_from_message(h.rest, h.channel, h.user_message,
                                                    js("{'name':'talk','auto_archive_duration':60}"),
                                                    {.reason = h.reason}));
    std::string thread = str(th["id"]);
    CHECK(thread == h.user_message);   // Discord: the thread takes its starter message's id
    CHECK(th["type"].as_int() == 11);
    CHECK(str(th["parent_id"]) == h.channel);
    CHECK(th["thread_metadata"]["auto_archive_duration"].as_int() == 60);
    CHECK(str(h.run(http::get_channel_message(h.rest, h.channel, h.user_message))["thread"]["id"]) == thread);
    expect_error(h, http::start_thread_from_message(h.rest, h.channel, h.user_message, js("{'name':'again'}")), 400,
                 160004);

    // Messages go to the thread like to any channel.
    json m = h.run(http::create_message(h.rest, thread, "in the thread"));
    CHECK(str(m["channel_id"]) == thread);

    // Members: the bot joined when it started it; alice is added; the bot leaves.
    h.run(http::add_thread_member(h.rest, thread, h.user));
    json members = h.run(http::list_thread_members(h.rest, thread));
    CHECK(members.size() == 2);
    CHECK(has_id(members, h.user, "user_id"));
    json alice = h.run(http::get_thread_member(h.rest, thread, h.user, {.with_member = true}));
    CHECK(str(alice["member"]["user"]["id"]) == h.user);
    h.run(http::leave_thread(h.rest, thread));
    CHECK_FALSE(has_id(h.run(http::list_thread_members(h.rest, thread)), h.user_message, "user_id"));
    CHECK(h.run(http::list_thread_members(h.rest, thread)).size() == 1);
    h.run(http::join_thread(h.rest, thread));
    h.run(http::remove_thread_member(h.rest, thread, h.user));
    expect_error(h, http::get_thread_member(h.rest, thread, h.user), 404, 10007);

    // Active until archived; then in the archived list, newest first, and closed to joining.
    CHECK(has_id(h.run(http::list_active_guild_threads(h.rest, h.guild))["threads"], thread));
    h.run(http::modify_channel(h.rest, thread, js("{'archived':true}")));
    CHECK_FALSE(has_id(h.run(http::list_active_guild_threads(h.rest, h.guild))["threads"], thread));
    json archived = h.run(http::list_public_archived_threads(h.rest, h.channel, {.limit = 10}));
    CHECK(has_id(archived["threads"], thread));
    CHECK(archived["has_more"].as_bool() == false);
    CHECK(h.run(http::all_public_archived_threads(h.rest, h.channel)).size() == 1);
    expect_error(h, http::join_thread(h.rest, thread), 400, 50083);

    // Not a thread, bad bodies, unknown ids.
    expect_error(h, http::join_thread(h.rest, h.channel), 400, 50024);
    expect_error(h, http::start_thread_without_message(h.rest, h.channel, js("{}")), 400, 50035);
    expect_error(h, http::start_thread_without_message(h.rest, h.channel, js("{'name':'x','auto_archive_duration':5}")),
                 400, 50035);
    expect_error(h, http::list_thread_members(h.rest, "123"), 404, 10003);
}

TEST_CASE("a private thread without a message, and a forum post", "[http-surface-flows]")
{
    harness h;
    json priv = h.run(http::start_thread_without_message(h.rest, h.channel, js("{'name':'secret','type':12}")));
    CHECK(priv["type"].as_int() == 12);
    std::string id = str(priv["id"]);
    h.run(http::modify_channel(h.rest, id, js("{'archived':true}")));
    CHECK(has_id(h.run(http::list_private_archived_threads(h.rest, h.channel))["threads"], id));
    CHECK(has_id(h.run(http::list_joined_private_archived_threads(h.rest, h.channel))["threads"], id));
    CHECK_FALSE(has_id(h.run(http::list_public_archived_threads(h.rest, h.channel))["threads"], id));

    json forum = h.run(http::create_guild_channel(h.rest, h.guild, js("{'name':'ideas','type':15}")));
    REQUIRE(forum["type"].as_int() == 15);
    const std::vector<cord::attachment> files{{"idea.txt", "the idea", "text/plain"}};
    json post = h.run(http::start_thread_in_forum_or_media_channel(
        h.rest, str(forum["id"]), js("{'name':'first idea','message':{'content':'what if'}}"), {.files = files}));
    CHECK(post["type"].as_int() == 11);
    CHECK(str(post["message"]["content"]) == "what if");
    CHECK(str(post["message"]["channel_id"]) == str(post["id"]));
    expect_error(h, http::start_thread_in_forum_or_media_channel(h.rest, str(forum["id"]), js("{'name':'no post'}")),
                 400, 50035);
}

TEST_CASE("a scheduled event's life", "[http-surface-flows]")
{
    harness h;
    const std::string body = "{'name':'launch','privacy_level':2,'entity_type':3,"
                             "'scheduled_start_time':'2030-01-01T10:00:00Z','scheduled_end_time':'2030-01-01T12:00:00Z',"
                             "'entity_metadata':{'location':'the park'}}";
    json e = h.run(http::create_guild_scheduled_event(h.rest, h.guild, js(body), {.reason = h.reason}));
    std::string id = str(e["id"]);
    CHECK(e["status"].as_int() == 1);
    CHECK(str(e["entity_metadata"]["location"]) == "the park");
    CHECK(str(h.run(http::get_guild_scheduled_event(h.rest, h.guild, id))["name"]) == "launch");
    json list = h.run(http::list_scheduled_events_for_guild(h.rest, h.guild, {.with_user_count = true}));
    REQUIRE(list.size() == 1);
    CHECK(list[0]["user_count"].as_int() == 0);
    CHECK(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id)).size() == 0);

    // SCHEDULED -> COMPLETED is not a transition; -> ACTIVE -> COMPLETED is, and ends it.
    expect_error(h, http::modify_guild_scheduled_event(h.rest, h.guild, id, js("{'status':3}")), 400, 50035);
    CHECK(h.run(http::modify_guild_scheduled_event(h.rest, h.guild, id, js("{'status':2}")))["status"].as_int() == 2);
    CHECK(h.run(http::modify_guild_scheduled_event(h.rest, h.guild, id, js("{'status':3}")))["status"].as_int() == 3);
    expect_error(h, http::modify_guild_scheduled_event(h.rest, h.guild, id, js("{'name':'late'}")), 400, 180000);

    h.run(http::delete_guild_scheduled_event(h.rest, h.guild, id));
    expect_error(h, http::get_guild_scheduled_event(h.rest, h.guild, id), 404, 10070);

    // Discord's rules on bodies: an external event needs a location and an end time.
    expect_error(h,
                 http::create_guild_scheduled_event(
                     h.rest, h.guild,
                     js("{'name':'x','privacy_level':2,'entity_type':3,'scheduled_start_time':'2030-01-01T10:00:00Z'}")),
                 400, 50035);
    expect_error(h, http::create_guild_scheduled_event(h.rest, h.guild, js("{'name':'x'}")), 400, 50035);
}

TEST_CASE("an auto-moderation keyword rule blocks a message", "[http-surface-flows]")
{
    harness h;
    json rule = h.run(http::create_auto_moderation_rule(
        h.rest, h.guild,
        js("{'name':'no spoilers','event_type':1,'trigger_type':1,'enabled':true,"
           "'trigger_metadata':{'keyword_filter':['spoiler*']},'actions':[{'type':1}]}"),
        {.reason = h.reason}));
    std::string id = str(rule["id"]);
    CHECK(has_id(h.run(http::list_auto_moderation_rules_for_guild(h.rest, h.guild)), id));

    expect_error(h, http::create_message(h.rest, h.channel, "huge SPOILERS ahead"), 400, 200000);
    CHECK(str(h.run(http::create_message(h.rest, h.channel, "nothing to see"))["content"]) == "nothing to see");

    // Disabled, it lets the message through; deleted, it is unknown.
    h.run(http::modify_auto_moderation_rule(h.rest, h.guild, id, js("{'enabled':false}")));
    CHECK(str(h.run(http::create_message(h.rest, h.channel, "spoilers again"))["content"]) == "spoilers again");
    h.run(http::delete_auto_moderation_rule(h.rest, h.guild, id));
    expect_error(h, http::get_auto_moderation_rule(h.rest, h.guild, id), 404, 10066);
    expect_error(h, http::create_auto_moderation_rule(h.rest, h.guild, js("{'name':'incomplete'}")), 400, 50035);
}

TEST_CASE("a bulk ban bans the members it can and names the others", "[http-surface-flows]")
{
    harness h;
    auto guild = cord::snowflake::parse(h.guild);
    std::vector<std::string> users;
    for (int i = 0; i < 3; ++i) {
        auto u = h.fake.add_user("spammer" + std::to_string(i));
        h.fake.add_member(guild, u);
        users.push_back(u.str());
    }
    json r = h.run(http::bulk_guild_ban(
        h.rest, h.guild,
        js("{'user_ids':['" + users[0] + "','" + users[1] + "','" + users[2] + "','42'],'delete_message_seconds':60}"),
        {.reason = h.reason}));
    CHECK(r["banned_users"].size() == 3);
    REQUIRE(r["failed_users"].size() == 1);
    CHECK(str(r["failed_users"][0]) == "42");
    for (const auto& u : users) {
        INFO(u);
        CHECK(str(h.run(http::get_guild_ban(h.rest, h.guild, u))["user"]["id"]) == u);
        expect_error(h, http::get_guild_member(h.rest, h.guild, u), 404, 10007);
    }
    CHECK(h.run(http::all_guild_bans(h.rest, h.guild)).size() == 3);
    // Banned already: nobody is banned, and Discord says so.
    expect_error(h, http::bulk_guild_ban(h.rest, h.guild, js("{'user_ids':['" + users[0] + "']}")), 403, 500000);
    expect_error(h, http::bulk_guild_ban(h.rest, h.guild, js("{'user_ids':[]}")), 400, 50035);
}
