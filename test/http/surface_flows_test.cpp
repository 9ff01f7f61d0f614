// Fake tier: flows over the emulator's resources beyond the seed's, through the generated
// cord::http functions: a thread's life, a forum post, a scheduled event's life, an
// auto-moderation rule blocking a message, a bulk ban, a stage instance, a guild template; and
// through fake_discord's test API: interested users, the thread clock, a user's blocked message.
#include "flow_checks.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace http = cord::http;
using cord::json;
using cord_test::expect_error;
using cord_test::harness;
using cord_test::js;
using cord_test::str;

namespace {

bool has_id(const json& list, const std::string& id, const char* key = "id")
{
    for (json item : list.items())
        if (item.contains(key) && item[key].as_string() == id)
            return true;
    return false;
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

TEST_CASE("a stage instance's life on a stage channel", "[http-surface-flows]")
{
    harness h;
    json stage = h.run(http::create_guild_channel(h.rest, h.guild, js("{'name':'town hall','type':13}")));
    REQUIRE(stage["type"].as_int() == 13);
    std::string channel = str(stage["id"]);
    json inst = h.run(http::create_stage_instance(h.rest, js("{'channel_id':'" + channel + "','topic':'Q&A'}"),
                                                  {.reason = h.reason}));
    CHECK(str(inst["channel_id"]) == channel);
    CHECK(str(inst["guild_id"]) == h.guild);
    CHECK(str(inst["topic"]) == "Q&A");
    CHECK(inst["privacy_level"].as_int() == 2);
    CHECK(inst["guild_scheduled_event_id"].is_null());
    // One instance per stage: Discord's "The Stage is already open".
    expect_error(h, http::create_stage_instance(h.rest, js("{'channel_id':'" + channel + "','topic':'again'}")), 400,
                 150006);

    CHECK(str(h.run(http::get_stage_instance(h.rest, channel))["id"]) == str(inst["id"]));
    CHECK(str(h.run(http::modify_stage_instance(h.rest, channel, js("{'topic':'AMA'}")))["topic"]) == "AMA");
    CHECK(str(h.run(http::get_stage_instance(h.rest, channel))["topic"]) == "AMA");
    expect_error(h, http::modify_stage_instance(h.rest, channel, js("{'topic':''}")), 400, 50035);
    expect_error(h, http::modify_stage_instance(h.rest, channel, js("{'privacy_level':1}")), 400, 50035);

    h.run(http::delete_stage_instance(h.rest, channel));
    expect_error(h, http::get_stage_instance(h.rest, channel), 404, 10067);
    expect_error(h, http::modify_stage_instance(h.rest, channel, js("{'topic':'gone'}")), 404, 10067);
    expect_error(h, http::delete_stage_instance(h.rest, channel), 404, 10067);

    // Bodies and channels Discord refuses.
    expect_error(h, http::create_stage_instance(h.rest, js("{'channel_id':'" + h.channel + "','topic':'text'}")), 400,
                 50024);
    expect_error(h, http::create_stage_instance(h.rest, js("{'channel_id':'123','topic':'nowhere'}")), 404, 10003);
    expect_error(h, http::create_stage_instance(h.rest, js("{'channel_id':'" + channel + "'}")), 400, 50035);
    expect_error(h,
                 http::create_stage_instance(
                     h.rest, js("{'channel_id':'" + channel + "','topic':'" + std::string(121, 't') + "'}")),
                 400, 50035);
}

TEST_CASE("a stage instance started for a scheduled event", "[http-surface-flows]")
{
    harness h;
    std::string channel =
        str(h.run(http::create_guild_channel(h.rest, h.guild, js("{'name':'stage','type':13}")))["id"]);
    json on_stage = h.run(http::create_guild_scheduled_event(
        h.rest, h.guild,
        js("{'name':'talk','privacy_level':2,'entity_type':1,'channel_id':'" + channel +
           "','scheduled_start_time':'2030-01-01T10:00:00Z'}")));
    json outside = h.run(http::create_guild_scheduled_event(
        h.rest, h.guild,
        js("{'name':'picnic','privacy_level':2,'entity_type':3,'scheduled_start_time':'2030-01-01T10:00:00Z',"
           "'scheduled_end_time':'2030-01-01T12:00:00Z','entity_metadata':{'location':'the park'}}")));
    // An event of another entity type is Discord's 50091; an unknown one is 10070.
    expect_error(h,
                 http::create_stage_instance(h.rest, js("{'channel_id':'" + channel + "','topic':'t',"
                                                        "'guild_scheduled_event_id':'" + str(outside["id"]) + "'}")),
                 400, 50091);
    expect_error(h,
                 http::create_stage_instance(
                     h.rest, js("{'channel_id':'" + channel + "','topic':'t','guild_scheduled_event_id':'42'}")),
                 404, 10070);
    json inst = h.run(http::create_stage_instance(
        h.rest, js("{'channel_id':'" + channel + "','topic':'t','guild_scheduled_event_id':'" +
                   str(on_stage["id"]) + "'}")));
    CHECK(str(inst["guild_scheduled_event_id"]) == str(on_stage["id"]));
    // Deleting the stage channel ends its instance.
    h.run(http::delete_channel(h.rest, channel));
    expect_error(h, http::get_stage_instance(h.rest, channel), 404, 10067);
}

TEST_CASE("a guild template: one per guild, a snapshot of the guild, synced when dirty", "[http-surface-flows]")
{
    harness h;
    json t = h.run(http::create_guild_template(h.rest, h.guild, js("{'name':'base','description':'the usual'}")));
    std::string code = str(t["code"]);
    CHECK(code.size() == 12);
    CHECK(str(t["name"]) == "base");
    CHECK(str(t["description"]) == "the usual");
    CHECK(t["usage_count"].as_int() == 0);
    CHECK(str(t["source_guild_id"]) == h.guild);
    CHECK(str(t["creator_id"]) == h.fake.bot_user_id().str());
    CHECK(t["is_dirty"].is_null());
    // The snapshot: the guild's name, @everyone as role 0, #general as a placeholder id that the
    // system channel points at.
    json src = t["serialized_source_guild"];
    json guild = h.run(http::get_guild(h.rest, h.guild));
    CHECK(str(src["name"]) == str(guild["name"]));
    REQUIRE(src["roles"].size() == 1);
    CHECK(str(src["roles"][0]["name"]) == "@everyone");
    CHECK(src["roles"][0]["id"].as_int() == 0);
    REQUIRE(src["channels"].size() == 1);
    CHECK(str(src["channels"][0]["name"]) == "general");
    CHECK(src["system_channel_id"].as_int() == src["channels"][0]["id"].as_int());

    expect_error(h, http::create_guild_template(h.rest, h.guild, js("{'name':'second'}")), 400, 30031);
    CHECK(str(h.run(http::get_guild_template(h.rest, code))["code"]) == code);
    json listed = h.run(http::get_guild_templates(h.rest, h.guild));
    REQUIRE(listed.size() == 1);
    CHECK(str(listed[0]["code"]) == code);

    // A change of the guild makes the template dirty until it is synced.
    json category = h.run(http::create_guild_channel(h.rest, h.guild, js("{'name':'Voice','type':4}")));
    h.run(http::create_guild_channel(h.rest, h.guild,
                                     js("{'name':'lounge','type':2,'parent_id':'" + str(category["id"]) + "'}")));
    CHECK(h.run(http::get_guild_template(h.rest, code))["is_dirty"].as_bool());
    json synced = h.run(http::sync_guild_template(h.rest, h.guild, code));
    CHECK(synced["is_dirty"].is_null());
    json channels = synced["serialized_source_guild"]["channels"];
    REQUIRE(channels.size() == 3);
    CHECK(channels[2]["parent_id"].as_int() == channels[1]["id"].as_int());   // lounge under Voice

    json renamed = h.run(http::modify_guild_template(h.rest, h.guild, code, js("{'name':'renamed'}")));
    CHECK(str(renamed["name"]) == "renamed");
    expect_error(h, http::modify_guild_template(h.rest, h.guild, code, js("{'name':''}")), 400, 50035);
    CHECK(str(h.run(http::delete_guild_template(h.rest, h.guild, code))["code"]) == code);
    expect_error(h, http::get_guild_template(h.rest, code), 404, 10057);
    expect_error(h, http::sync_guild_template(h.rest, h.guild, code), 404, 10057);
    CHECK(h.run(http::get_guild_templates(h.rest, h.guild)).size() == 0);
    expect_error(h, http::create_guild_template(h.rest, h.guild, js("{'description':'no name'}")), 400, 50035);
    expect_error(h, http::get_guild_templates(h.rest, "123"), 404, 10004);
}

namespace {

std::vector<std::string> user_ids(const json& list)
{
    std::vector<std::string> out;
    for (json item : list.items())
        out.push_back(str(item["user"]["id"]));
    return out;
}

} // namespace

TEST_CASE("a scheduled event's interested users, paged as Discord pages them", "[http-surface-flows]")
{
    harness h;
    auto guild = cord::snowflake::parse(h.guild);
    json e = h.run(http::create_guild_scheduled_event(
        h.rest, h.guild,
        js("{'name':'launch','privacy_level':2,'entity_type':3,'scheduled_start_time':'2030-01-01T10:00:00Z',"
           "'scheduled_end_time':'2030-01-01T12:00:00Z','entity_metadata':{'location':'the park'}}")));
    std::string id = str(e["id"]);
    auto event = cord::snowflake::parse(id);
    // Ids grow with time: alice, then the two fans, in the order Discord lists users.
    std::vector<std::string> users{h.user};
    for (int i = 0; i < 2; ++i) {
        auto u = h.fake.add_user("fan" + std::to_string(i));
        h.fake.add_member(guild, u);
        users.push_back(u.str());
    }
    for (auto it = users.rbegin(); it != users.rend(); ++it)
        h.fake.mark_interested(guild, event, cord::snowflake::parse(*it));
    h.fake.mark_interested(guild, event, cord::snowflake::parse(users[0]));   // again: still once

    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id))) == users);
    using list = std::vector<std::string>;
    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id, {.limit = 2}))) ==
          list{users[0], users[1]});
    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id, {.after = users[0]}))) ==
          list{users[1], users[2]});
    // `before` takes the nearest users below it, still in ascending order.
    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id,
                                                               {.limit = 1, .before = users[2]}))) ==
          list{users[1]});
    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id, {.before = users[2]}))) ==
          list{users[0], users[1]});
    json with = h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id, {.with_member = true}));
    REQUIRE(with.size() == 3);
    CHECK(str(with[0]["guild_scheduled_event_id"]) == id);
    CHECK(str(with[0]["member"]["user"]["id"]) == users[0]);
    CHECK_FALSE(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id))[0].contains("member"));
    expect_error(h, http::get_guild_scheduled_event_users(h.rest, h.guild, id, {.limit = 101}), 400, 50035);
    CHECK(h.run(http::get_guild_scheduled_event(h.rest, h.guild, id, {.with_user_count = true}))["user_count"]
              .as_int() == 3);

    h.fake.mark_interested(guild, event, cord::snowflake::parse(users[1]), false);
    CHECK(user_ids(h.run(http::get_guild_scheduled_event_users(h.rest, h.guild, id))) == list{users[0], users[2]});
    json listed = h.run(http::list_scheduled_events_for_guild(h.rest, h.guild, {.with_user_count = true}));
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["user_count"].as_int() == 2);

    // Only members can be interested, and only in an event that exists.
    CHECK_THROWS_AS(h.fake.mark_interested(guild, event, h.fake.add_user("stranger")), cord::error);
    CHECK_THROWS_AS(h.fake.mark_interested(guild, cord::snowflake{42}, cord::snowflake::parse(users[0])),
                    cord::error);
    h.run(http::delete_guild_scheduled_event(h.rest, h.guild, id));
    expect_error(h, http::get_guild_scheduled_event_users(h.rest, h.guild, id), 404, 10070);
}

TEST_CASE("a thread is archived after its auto_archive_duration without activity", "[http-surface-flows]")
{
    using namespace std::chrono_literals;
    harness h;
    json th = h.run(http::start_thread_without_message(
        h.rest, h.channel, js("{'name':'idle','type':11,'auto_archive_duration':60}")));
    std::string thread = str(th["id"]);
    auto metadata = [&](const std::string& id) { return h.run(http::get_channel(h.rest, id))["thread_metadata"]; };
    auto archived = [&](const std::string& id) { return metadata(id)["archived"].as_bool(); };
    json day = h.run(http::start_thread_without_message(
        h.rest, h.channel, js("{'name':'slow','type':11,'auto_archive_duration':1440}")));

    h.fake.advance_thread_clock(59min);
    CHECK_FALSE(archived(thread));
    h.fake.advance_thread_clock(1min);
    json md = metadata(thread);
    CHECK(md["archived"].as_bool());
    CHECK(str(md["archive_timestamp"]) > str(th["thread_metadata"]["archive_timestamp"]));
    CHECK(has_id(h.run(http::list_public_archived_threads(h.rest, h.channel))["threads"], thread));
    CHECK_FALSE(archived(str(day["id"])));   // a day's duration is not over

    // The bot's message unarchives it and is activity: the countdown starts again from the last one.
    h.run(http::create_message(h.rest, thread, "back"));
    CHECK_FALSE(archived(thread));
    CHECK(has_id(h.run(http::list_active_guild_threads(h.rest, h.guild))["threads"], thread));
    h.fake.advance_thread_clock(40min);
    h.run(http::create_message(h.rest, thread, "still here"));
    h.fake.advance_thread_clock(40min);
    CHECK_FALSE(archived(thread));
    h.fake.advance_thread_clock(20min);
    CHECK(archived(thread));

    // A user's message unarchives it too; so does unarchiving it by hand, which also restarts the countdown.
    h.fake.post_message_as(cord::snowflake::parse(h.user), cord::snowflake::parse(thread), "me too");
    CHECK_FALSE(archived(thread));
    h.fake.advance_thread_clock(60min);
    REQUIRE(archived(thread));
    h.run(http::modify_channel(h.rest, thread, js("{'archived':false}")));
    h.fake.advance_thread_clock(59min);
    CHECK_FALSE(archived(thread));
    h.fake.advance_thread_clock(1min);
    CHECK(archived(thread));
    CHECK_FALSE(archived(str(day["id"])));   // 280 minutes so far
    h.fake.advance_thread_clock(1440min - 280min);
    CHECK(archived(str(day["id"])));

    // Locked and archived: nobody's message unarchives it.
    h.run(http::modify_channel(h.rest, thread, js("{'locked':true}")));
    expect_error(h, http::create_message(h.rest, thread, "let me in"), 400, 50083);
    CHECK_THROWS_AS(
        h.fake.post_message_as(cord::snowflake::parse(h.user), cord::snowflake::parse(thread), "me neither"),
        cord::error);
    CHECK(archived(thread));
}

TEST_CASE("auto moderation blocks a message posted through the test API", "[http-surface-flows]")
{
    harness h;
    h.run(http::create_auto_moderation_rule(
        h.rest, h.guild,
        js("{'name':'no spoilers','event_type':1,'trigger_type':1,'enabled':true,"
           "'trigger_metadata':{'keyword_filter':['spoiler*']},'actions':[{'type':1}]}")));
    auto alice = cord::snowflake::parse(h.user);
    auto channel = cord::snowflake::parse(h.channel);
    CHECK_THROWS_WITH(h.fake.post_message_as(alice, channel, "huge SPOILERS ahead"),
                      Catch::Contains("blocked by automatic moderation"));
    json fine = h.fake.post_message_as(alice, channel, "nothing to see");
    CHECK(str(fine["content"]) == "nothing to see");
    // The blocked one was never stored.
    json messages = h.run(http::get_channel_messages(h.rest, h.channel));
    for (json m : messages.items())
        CHECK(str(m["content"]).find("SPOILERS") == std::string::npos);
    CHECK(has_id(messages, str(fine["id"])));
}
