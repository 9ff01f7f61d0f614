// Fake tier: the gateway events of the emulator's stateful resources beyond the seed's (threads,
// scheduled events, auto moderation, stage instances; templates have none), as a cord::shard
// receives them: with the intent that gates each event it arrives, without it it does not.
// Each scenario runs twice against a fresh emulator, once per set of intents, and ends with a
// message of the bot: dispatches arrive in order, so whatever the scenario caused has arrived
// by the time that message does.
#include "harness.hpp"
#include "json_text.hpp"
#include "shard_watchers.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace http = cord::http;
using cord::intents;
using cord::json;
using cord_test::dispatch;
using cord_test::harness;
using cord_test::named;
using cord_test::js;
using cord_test::str;
using namespace std::chrono_literals;

namespace {

/// Where in what `shard` was sent the bot's message `content` is (waiting for it, bounded).
std::size_t message_at(cord_test::shard_recorders& shard, const std::string& content)
{
    std::size_t at = 0;
    auto arrived = [&] {
        const auto& received = shard.received(0);
        for (at = 0; at < received.size(); ++at)
            if (received[at].name == "MESSAGE_CREATE" && str(received[at].d["content"]) == content)
                return true;
        return false;
    };
    REQUIRE(shard.run_until(arrived));
    return at;
}

/// What a shard with `wanted` intents receives while `act` runs on a fresh emulator: the
/// dispatches between two messages of the bot, which both intents sets below include.
std::vector<dispatch> seen_with(intents wanted, const std::function<void(harness&)>& act)
{
    harness h;
    cord_test::shard_recorders shard{h.fake, {wanted}};
    h.run(http::create_message(h.rest, h.channel, "scenario starts"));
    auto from = message_at(shard, "scenario starts") + 1;
    act(h);
    h.run(http::create_message(h.rest, h.channel, "scenario ends"));
    auto to = message_at(shard, "scenario ends");
    const auto& received = shard.received(0);
    return {received.begin() + static_cast<std::ptrdiff_t>(from), received.begin() + static_cast<std::ptrdiff_t>(to)};
}

// The scenarios' messages travel on GUILD_MESSAGES; the bot's own keep their content.
constexpr intents messages = intents::guild_messages;

} // namespace

TEST_CASE("surface events: threads' events need GUILDS (members: GUILD_MEMBERS)", "[http-surface-events]")
{
    auto act = [](harness& h) {
        json th = h.run(http::start_thread_without_message(
            h.rest, h.channel, js("{'name':'idle','type':11,'auto_archive_duration':60}")));
        std::string thread = str(th["id"]);
        h.run(http::add_thread_member(h.rest, thread, h.user));
        h.fake.advance_thread_clock(60min);                  // archived: THREAD_UPDATE
        h.run(http::create_message(h.rest, thread, "wake")); // unarchived: THREAD_UPDATE
    };
    auto with = seen_with(intents::guilds | intents::guild_members | messages, act);
    CHECK(named(with, "THREAD_CREATE").size() == 1);
    CHECK_FALSE(named(with, "THREAD_MEMBERS_UPDATE").empty());
    auto updates = named(with, "THREAD_UPDATE");
    REQUIRE(updates.size() == 2);
    CHECK(updates[0]["thread_metadata"]["archived"].as_bool());
    CHECK_FALSE(updates[1]["thread_metadata"]["archived"].as_bool());
    CHECK(named(with, "MESSAGE_CREATE").size() == 1);

    auto without = seen_with(messages, act);
    CHECK(named(without, "THREAD_CREATE").empty());
    CHECK(named(without, "THREAD_MEMBERS_UPDATE").empty());
    CHECK(named(without, "THREAD_UPDATE").empty());
    CHECK(named(without, "MESSAGE_CREATE").size() == 1); // the message in the thread still arrives
}

TEST_CASE("surface events: scheduled events and their interested users need GUILD_SCHEDULED_EVENTS",
          "[http-surface-events]")
{
    auto act = [](harness& h) {
        json e = h.run(http::create_guild_scheduled_event(
            h.rest, h.guild,
            js("{'name':'launch','privacy_level':2,'entity_type':3,"
               "'scheduled_start_time':'2030-01-01T10:00:00Z','scheduled_end_time':'2030-01-01T12:00:00Z',"
               "'entity_metadata':{'location':'the park'}}")));
        auto guild = cord::snowflake::parse(h.guild);
        auto event = cord::snowflake::parse(str(e["id"]));
        h.fake.mark_interested(guild, event, cord::snowflake::parse(h.user));
        h.fake.mark_interested(guild, event, cord::snowflake::parse(h.user), false);
        h.run(http::modify_guild_scheduled_event(h.rest, h.guild, str(e["id"]), js("{'name':'lift-off'}")));
    };
    auto with = seen_with(intents::guild_scheduled_events | messages, act);
    REQUIRE(named(with, "GUILD_SCHEDULED_EVENT_CREATE").size() == 1);
    auto event_id = str(named(with, "GUILD_SCHEDULED_EVENT_CREATE")[0]["id"]);
    auto added = named(with, "GUILD_SCHEDULED_EVENT_USER_ADD");
    REQUIRE(added.size() == 1);
    CHECK(str(added[0]["guild_scheduled_event_id"]) == event_id);
    CHECK(added[0].contains("user_id"));
    CHECK(added[0].contains("guild_id"));
    CHECK(named(with, "GUILD_SCHEDULED_EVENT_USER_REMOVE").size() == 1);
    CHECK(named(with, "GUILD_SCHEDULED_EVENT_UPDATE").size() == 1);

    auto without = seen_with(intents::guilds | messages, act);
    for (const auto& e : without) {
        INFO(e.name);
        CHECK_FALSE(e.name.starts_with("GUILD_SCHEDULED_EVENT_"));
    }
}

TEST_CASE("surface events: auto-moderation rules and actions need their two intents", "[http-surface-events]")
{
    auto act = [](harness& h) {
        h.run(http::create_auto_moderation_rule(
            h.rest, h.guild,
            js("{'name':'no spoilers','event_type':1,'trigger_type':1,'enabled':true,"
               "'trigger_metadata':{'keyword_filter':['spoiler*']},'actions':[{'type':1}]}")));
        // A user's message through the test API meets the rule as a REST post would.
        CHECK_THROWS_AS(h.fake.post_message_as(cord::snowflake::parse(h.user),
                                               cord::snowflake::parse(h.channel), "spoilers!"),
                        cord::error);
    };
    auto with = seen_with(
        intents::auto_moderation_configuration | intents::auto_moderation_execution | messages, act);
    CHECK(named(with, "AUTO_MODERATION_RULE_CREATE").size() == 1);
    auto executed = named(with, "AUTO_MODERATION_ACTION_EXECUTION");
    REQUIRE(executed.size() == 1);
    CHECK(str(executed[0]["content"]) == "spoilers!");
    CHECK(str(executed[0]["matched_keyword"]) == "spoiler*");
    CHECK(named(with, "MESSAGE_CREATE").empty()); // the blocked message never existed

    auto rules_only = seen_with(intents::auto_moderation_configuration | messages, act);
    CHECK(named(rules_only, "AUTO_MODERATION_RULE_CREATE").size() == 1);
    CHECK(named(rules_only, "AUTO_MODERATION_ACTION_EXECUTION").empty());
    auto neither = seen_with(intents::guilds | messages, act);
    CHECK(named(neither, "AUTO_MODERATION_RULE_CREATE").empty());
    CHECK(named(neither, "AUTO_MODERATION_ACTION_EXECUTION").empty());
    CHECK(named(neither, "MESSAGE_CREATE").empty());
}

TEST_CASE("surface events: stage instances need GUILDS", "[http-surface-events]")
{
    auto act = [](harness& h) {
        std::string stage =
            str(h.run(http::create_guild_channel(h.rest, h.guild, js("{'name':'stage','type':13}")))["id"]);
        h.run(http::create_stage_instance(h.rest, js("{'channel_id':'" + stage + "','topic':'Q&A'}")));
        h.run(http::modify_stage_instance(h.rest, stage, js("{'topic':'AMA'}")));
        h.run(http::delete_stage_instance(h.rest, stage));
        h.run(http::create_stage_instance(h.rest, js("{'channel_id':'" + stage + "','topic':'again'}")));
        h.run(http::delete_channel(h.rest, stage));   // ends the instance
    };
    auto with = seen_with(intents::guilds | messages, act);
    auto created = named(with, "STAGE_INSTANCE_CREATE");
    REQUIRE(created.size() == 2);
    CHECK(str(created[0]["topic"]) == "Q&A");
    auto updated = named(with, "STAGE_INSTANCE_UPDATE");
    REQUIRE(updated.size() == 1);
    CHECK(str(updated[0]["topic"]) == "AMA");
    auto deleted = named(with, "STAGE_INSTANCE_DELETE");
    REQUIRE(deleted.size() == 2);
    CHECK(str(deleted[1]["topic"]) == "again");

    auto without = seen_with(messages, act);
    for (const auto& e : without) {
        INFO(e.name);
        CHECK_FALSE(e.name.starts_with("STAGE_INSTANCE_"));
    }
}

TEST_CASE("surface events: guild templates dispatch nothing", "[http-surface-events]")
{
    auto seen = seen_with(cord::unprivileged_intents, [](harness& h) {
        std::string code =
            str(h.run(http::create_guild_template(h.rest, h.guild, js("{'name':'base'}")))["code"]);
        h.run(http::sync_guild_template(h.rest, h.guild, code));
        h.run(http::modify_guild_template(h.rest, h.guild, code, js("{'name':'renamed'}")));
        h.run(http::delete_guild_template(h.rest, h.guild, code));
    });
    std::string names;
    for (const auto& e : seen)
        names += e.name + ' ';
    INFO(names);
    CHECK(seen.empty());
}
