// Fake tier: every generated cord::http function makes a real round trip against fake_discord,
// whether a hand-written route serves it or the answer shaped from Discord's response schema
// (lib/testing/routes_fallback.cpp): a 2xx, null for a 204, and every required top-level field
// of the response schema in the answer. Then Discord's errors on the shaped routes: an unknown
// id of something the emulator holds is its 404 and code, a body without a required field 50035.
#include "http/routes.hpp"
#include "flow_checks.hpp"
#include "roundtrip_cases.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>

namespace http = cord::http;
using cord::json;
using cord_test::expect_error;
using cord_test::harness;
using cord_test::str;

namespace {

using args = cord_test::roundtrip_args;

/// Ids that name what the harness's emulator holds: its guild, channel, a member and their
/// message, @everyone, the application, a webhook of the channel, a global command.
args held_ids(harness& h)
{
    args a;
    const std::string app = h.fake.application_id().str();
    json hook = h.run(http::create_webhook(h.rest, h.channel, "roundtrip hook", "", ""));
    json command = h.run(http::create_global_application_command(
        h.rest, app, json::parse(R"({"name":"roundtrip","description":"a command to name"})")));
    a.values = {{"guild_id", h.guild},
                {"channel_id", h.channel},
                {"user_id", h.user},
                {"message_id", h.user_message},
                {"role_id", h.guild}, // @everyone has the guild's id
                {"application_id", app},
                {"webhook_id", str(hook["id"])},
                {"webhook_token", str(hook["token"])},
                {"command_id", str(command["id"])},
                {"emoji_name", "\xf0\x9f\x94\xa5"}};
    return a;
}

// What a hand-written route needs beyond the held ids before the call can succeed: a body
// stricter than the schema's required fields (Discord's own rules), or the object the path
// names. The shaped routes need none of this.
using preparation = void (*)(harness&, args&);

void guild_command(harness& h, args& a)
{
    a.values["command_id"] = str(h.run(http::create_guild_application_command(
        h.rest, a.of("application_id"), h.guild,
        json::parse(R"({"name":"local","description":"a guild command"})")))["id"]);
}

void command_body(harness&, args& a)
{
    a.body = json::parse(R"({"name":"ping","description":"answers pong"})");
}

const char* const rule_body =
    R"({"name":"no bad words","event_type":1,"trigger_type":1,"trigger_metadata":{"keyword_filter":["bad"]},)"
    R"("actions":[{"type":1}]})";

void automod_body(harness&, args& a)
{
    a.body = json::parse(rule_body);
}

void automod_rule(harness& h, args& a)
{
    const json body = json::parse(rule_body);
    a.values["rule_id"] = str(h.run(http::create_auto_moderation_rule(h.rest, h.guild, body))["id"]);
}

void banned_user(harness& h, args&)
{
    h.run(http::create_guild_ban(h.rest, h.guild, h.user, 0));
}

void bulk_ban_body(harness& h, args& a)
{
    a.body = json::parse(R"({"user_ids":[")" + h.user + R"("]})");
}

const char* const event_body =
    R"({"name":"launch","scheduled_start_time":"2030-01-01T10:00:00+00:00","scheduled_end_time":)"
    R"("2030-01-01T11:00:00+00:00","privacy_level":2,"entity_type":3,"entity_metadata":{"location":"here"}})";

void event_body_of(harness&, args& a)
{
    a.body = json::parse(event_body);
}

void scheduled_event(harness& h, args& a)
{
    const json body = json::parse(event_body);
    a.values["guild_scheduled_event_id"] =
        str(h.run(http::create_guild_scheduled_event(h.rest, h.guild, body))["id"]);
}

/// A user runs the held command: an interaction the bot has not answered yet.
void interaction(harness& h, args& a)
{
    auto i = h.fake.invoke_command("roundtrip");
    a.values["interaction_id"] = i.id.str();
    a.values["interaction_token"] = i.token;
    a.body = json::parse(R"({"type":4,"data":{"content":"pong"}})");
}

/// An interaction the bot answered with a message.
void answered(harness& h, args& a)
{
    interaction(h, a);
    h.run(
        http::create_interaction_response(h.rest, a.of("interaction_id"), a.of("interaction_token"), a.body));
    a.body = json::parse(R"({"content":"more"})");
}

/// An answered interaction with one followup message.
void followup(harness& h, args& a)
{
    answered(h, a);
    a.values["message_id"] = str(h.run(http::create_followup_message(
        h.rest, a.of("application_id"), a.of("interaction_token"), a.body))["id"]);
}

void invite(harness& h, args& a)
{
    a.values["code"] = str(h.run(http::create_channel_invite(h.rest, h.channel))["code"]);
}

/// A thread of the channel, with the user in it.
void thread(harness& h, args& a)
{
    const json body = json::parse(R"({"name":"side talk","type":11})");
    auto id = str(h.run(http::start_thread_without_message(h.rest, h.channel, body))["id"]);
    h.run(http::add_thread_member(h.rest, id, h.user));
    a.values["channel_id"] = id;
}

/// A new stage channel of the guild, and the body that opens its stage instance.
void stage_body(harness& h, args& a)
{
    const json channel = json::parse(R"({"name":"stage","type":13})");
    auto id = str(h.run(http::create_guild_channel(h.rest, h.guild, channel))["id"]);
    a.values["channel_id"] = id;
    a.body = json::parse(R"({"channel_id":")" + id + R"(","topic":"live"})");
}

/// A stage channel whose stage instance is open.
void live_stage(harness& h, args& a)
{
    stage_body(h, a);
    h.run(http::create_stage_instance(h.rest, a.body));
    a.body = json::parse(R"({"topic":"still live"})");
}

void template_body(harness&, args& a)
{
    a.body = json::parse(R"({"name":"base"})");
}

/// The guild's template.
void guild_template(harness& h, args& a)
{
    template_body(h, a);
    a.values["code"] = str(h.run(http::create_guild_template(h.rest, h.guild, a.body))["code"]);
}

/// A message the held webhook posted.
void webhook_message(harness& h, args& a)
{
    const json data = json::parse(R"({"content":"from the hook"})");
    http::execute_webhook_options wait;
    wait.wait = true;
    a.values["message_id"] = str(
        h.run(http::execute_webhook(h.rest, a.of("webhook_id"), a.of("webhook_token"), data, wait))["id"]);
}

/// A message of the bot with a poll, and its first answer.
void poll_message(harness& h, args& a)
{
    const json body = json::parse(
        R"({"poll":{"question":{"text":"which?"},"answers":[{"poll_media":{"text":"this"}}]}})");
    a.values["message_id"] = str(h.run(h.rest.request("POST", "/channels/" + h.channel + "/messages", body))["id"]);
    a.values["answer_id"] = "1";
}

/// A sticker of the guild, uploaded with its file.
void sticker(harness& h, args& a)
{
    const json body = json::parse(R"({"name":"wave","tags":"wave"})");
    const cord::attachment png{"wave.png", "\x89PNG", "image/png", ""};
    const http::create_guild_sticker_options file{.file = &png};
    a.values["sticker_id"] = str(h.run(http::create_guild_sticker(h.rest, h.guild, body, file))["id"]);
}

/// The first standard sticker pack, and its first sticker.
void sticker_pack(harness& h, args& a)
{
    json pack = h.run(http::list_sticker_packs(h.rest))["sticker_packs"][0];
    a.values["pack_id"] = str(pack["id"]);
    a.values["sticker_id"] = str(pack["stickers"][0]["id"]);
}

const char* const emoji_body = R"({"name":"roundtrip","image":"data:image/png;base64,iVBORw0KGgo="})";

void emoji_body_of(harness&, args& a)
{
    a.body = json::parse(emoji_body);
}

void app_emoji(harness& h, args& a)
{
    const json body = json::parse(emoji_body);
    a.values["emoji_id"] = str(h.run(http::create_application_emoji(h.rest, a.of("application_id"), body))["id"]);
}

const std::map<std::string_view, preparation> preparations = {
    {"create-global-application-command", command_body},
    {"create-guild-application-command", command_body},
    {"delete-guild-application-command", guild_command},
    {"get-guild-application-command", guild_command},
    {"edit-guild-application-command", guild_command},
    {"get-application-command-permissions", guild_command},
    {"edit-application-command-permissions", guild_command},
    {"create-auto-moderation-rule", automod_body},
    {"delete-auto-moderation-rule", automod_rule},
    {"get-auto-moderation-rule", automod_rule},
    {"modify-auto-moderation-rule", automod_rule},
    {"get-guild-ban", banned_user},
    {"bulk-guild-ban", bulk_ban_body},
    {"create-guild-scheduled-event", event_body_of},
    {"delete-guild-scheduled-event", scheduled_event},
    {"get-guild-scheduled-event", scheduled_event},
    {"modify-guild-scheduled-event", scheduled_event},
    {"get-guild-scheduled-event-users", scheduled_event},
    {"create-interaction-response", interaction},
    {"create-followup-message", answered},
    {"delete-original-interaction-response", answered},
    {"get-original-interaction-response", answered},
    {"edit-original-interaction-response", answered},
    {"delete-followup-message", followup},
    {"get-followup-message", followup},
    {"edit-followup-message", followup},
    {"delete-invite", invite},
    {"get-invite", invite},
    {"get-target-users-job-status", invite},
    {"list-thread-members", thread},
    {"leave-thread", thread},
    {"join-thread", thread},
    {"remove-thread-member", thread},
    {"get-thread-member", thread},
    {"add-thread-member", thread},
    {"create-stage-instance", stage_body},
    {"delete-stage-instance", live_stage},
    {"get-stage-instance", live_stage},
    {"modify-stage-instance", live_stage},
    {"create-guild-template", template_body},
    {"get-guild-template", guild_template},
    {"delete-guild-template", guild_template},
    {"modify-guild-template", guild_template},
    {"sync-guild-template", guild_template},
    {"delete-webhook-message", webhook_message},
    {"get-webhook-message", webhook_message},
    {"edit-webhook-message", webhook_message},
    {"get-answer-voters", poll_message},
    {"end-poll", poll_message},
    {"delete-guild-sticker", sticker},
    {"get-guild-sticker", sticker},
    {"modify-guild-sticker", sticker},
    {"get-sticker-pack", sticker_pack},
    {"get-sticker", sticker_pack},
    {"create-application-emoji", emoji_body_of},
    {"delete-application-emoji", app_emoji},
    {"get-application-emoji", app_emoji},
    {"modify-application-emoji", app_emoji},
};

/// Where Discord itself refuses a bot, the round trip is its error: status and code.
const std::map<std::string_view, std::pair<int, int>> refusals = {
    // Command permissions are set with a user's Bearer token only; a command without any has none.
    {"edit-application-command-permissions", {403, 50001}},
    {"get-application-command-permissions", {404, 10066}},
    // A sticker is created from its file, which the generated call does not send: Discord's 50035.
    {"create-guild-sticker", {400, 50035}},
};

/// Answered 204 where the schema has a body: Discord's docs say an interaction response returns
/// nothing unless asked `with_response`, which the round trip does not.
const std::set<std::string_view> empty_by_docs = {"create-interaction-response"};

} // namespace

TEST_CASE("every generated function makes a round trip", "[http-roundtrip]")
{
    for (const auto& c : cord_test::roundtrip_cases()) {
        DYNAMIC_SECTION(c.name)
        {
            const cord::rest::route* r = cord::http::routes::find(c.name);
            REQUIRE(r != nullptr);
            harness h{r};
            auto a = held_ids(h);
            if (!c.body.empty())
                a.body = json::parse(c.body);
            if (auto p = preparations.find(c.name); p != preparations.end())
                p->second(h, a);
            if (auto refused = refusals.find(c.name); refused != refusals.end()) {
                expect_error(h, c.call(h, a), refused->second.first, refused->second.second);
                continue;
            }
            json answer;
            try {
                answer = h.run(c.call(h, a));
            } catch (const cord::http::discord_error& e) {
                FAIL(e.what());
            }
            CHECK(h.fake.requests().back().status / 100 == 2);
            if (c.status == 204 || empty_by_docs.count(c.name)) {
                CHECK(answer.is_null());
                continue;
            }
            if (c.fields.empty())
                continue;
            REQUIRE(answer.is_object());
            std::string missing;
            for (auto field : c.fields)
                if (!answer.contains(field))
                    missing += std::string{missing.empty() ? "" : " "} + std::string{field};
            INFO(answer.dump());
            CHECK(missing == "");   // every required field of Discord's answer, hand-written routes too
        }
    }
}

TEST_CASE("the shaped answers carry the request's ids", "[http-roundtrip]")
{
    harness h;
    // GET /guilds/{guild_id}/preview: the guild's own id.
    CHECK(h.run(http::get_guild_preview(h.rest, h.guild))["id"].as_string() == h.guild);
    // GET /guilds/{guild_id}/widget.json: the guild's id, nothing of the placeholder.
    CHECK(h.run(http::get_guild_widget(h.rest, h.guild))["id"].as_string() == h.guild);
    // POST /channels/{channel_id}/followers: the channel followed is the path's.
    json follow = h.run(
        http::follow_announcement_channel(h.rest, h.channel, json::parse(R"({"webhook_channel_id":"1"})")));
    CHECK(follow["channel_id"].as_string() == h.channel);
}

TEST_CASE("an unknown id on a shaped route is Discord's 404 and code, a wrong webhook token its 401",
          "[http-roundtrip]")
{
    harness h;
    const std::string nobody = "1400000000000000001";
    const std::string app = h.fake.application_id().str();
    expect_error(h, http::get_guild_preview(h.rest, nobody), 404, 10004);                 // Unknown Guild
    expect_error(h, http::crosspost_message(h.rest, nobody, h.user_message), 404, 10003); // Unknown Channel
    expect_error(h, http::crosspost_message(h.rest, h.channel, nobody), 404, 10008);      // Unknown Message
    expect_error(h, http::get_user_voice_state(h.rest, h.guild, nobody), 404, 10013);     // Unknown User
    expect_error(h, http::list_entitlements(h.rest, nobody), 404, 10002); // Unknown Application
    expect_error(h, http::execute_slack_compatible_webhook(h.rest, nobody, "tok", json::parse("{}")), 404,
                 10015);                                                            // Unknown Webhook
    expect_error(h, http::get_target_users_job_status(h.rest, "nope"), 404, 10006); // Unknown Invite
    // The application's own id passes where an unknown one did not.
    CHECK(h.run(http::list_entitlements(h.rest, app)).is_array());
    // A webhook the emulator holds, with another token: Discord's 401 (no Authorization is sent on
    // token routes, so the client keeps going).
    json hook = h.run(http::create_webhook(h.rest, h.channel, "hook", "", ""));
    expect_error(h,
                 http::execute_slack_compatible_webhook(h.rest, str(hook["id"]), "wrong", json::parse("{}")),
                 401, 50027);
    json ok = h.run(http::execute_slack_compatible_webhook(h.rest, str(hook["id"]), str(hook["token"]),
                                                           json::parse("{}")));
    CHECK(ok.is_string()); // the schema's answer: a string
}

TEST_CASE("a body without a required field on a shaped route is 50035", "[http-roundtrip]")
{
    harness h;
    // POST /applications/{application_id}/entitlements needs sku_id, owner_id and owner_type.
    auto e = h.run_error(http::create_test_entitlement(h.rest, h.fake.application_id().str(),
                                                       json::parse(R"({"sku_id":"1"})")));
    CHECK(e.http_code() == 400);
    CHECK(e.discord_code() == 50035);
    REQUIRE(e.field_errors().size() == 2);
    CHECK(e.field_errors()[0].path == "owner_id");
    CHECK(e.field_errors()[0].code == "BASE_TYPE_REQUIRED");
    CHECK(e.field_errors()[1].path == "owner_type");
    // An array where an object belongs.
    expect_error(h, http::send_soundboard_sound(h.rest, h.channel, json::parse("[1]")), 400, 50035);
    // An object where a list belongs (PUT .../role-connections/metadata takes an array).
    expect_error(h,
                 http::update_application_role_connection_metadata_records(
                     h.rest, h.fake.application_id().str(), json::parse("{}")),
                 400, 50035);
    // With every required field, the same calls go through.
    CHECK(h.run(http::create_test_entitlement(h.rest, h.fake.application_id().str(),
                                              json::parse(R"({"sku_id":"1","owner_id":"2","owner_type":1})")))
              .is_object());
    CHECK(
        h.run(http::send_soundboard_sound(h.rest, h.channel, json::parse(R"({"sound_id":"1"})"))).is_null());
}
