// Warnings for handlers whose events the configured intents cannot deliver (no I/O).
// SPDX-License-Identifier: BSL-1.0
#include "events/event_intents.hpp"
#include "security/log_capture.hpp"

#include <cord/client.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using cord::intents;
using cord::detail::missing_intent_warning;

TEST_CASE("the gate table is Discord's, sorted, and found by name", "[events-intents]")
{
    auto gates = cord::detail::event_gates();
    CHECK(gates.size() >= 79);
    CHECK(std::is_sorted(gates.begin(), gates.end(), [](auto& a, auto& b) { return a.name < b.name; }));
    auto message = cord::detail::gate_of("MESSAGE_CREATE");
    REQUIRE(message);
    CHECK(message->any_of == cord::to_bits(intents::guild_messages | intents::direct_messages));
    CHECK(message->content_needs_intent);
    CHECK(cord::detail::gate_of("READY")->any_of == 0);
    CHECK_FALSE(cord::detail::gate_of("NOT_AN_EVENT"));
}

TEST_CASE("a handler its intents can never feed is named, with the intent it needs", "[events-intents]")
{
    auto w = missing_intent_warning("PRESENCE_UPDATE", intents::guilds);
    CHECK_THAT(w, Catch::Contains("a handler of PRESENCE_UPDATE (raw-presence-update) will never run")
                      && Catch::Contains("needs GUILD_PRESENCES") && Catch::Contains("(GUILDS) lacks")
                      && Catch::Contains("Developer Portal"));
    auto typing = missing_intent_warning("TYPING_START", intents::guilds);
    CHECK_THAT(typing, Catch::Contains("GUILD_MESSAGE_TYPING or DIRECT_MESSAGE_TYPING"));
    CHECK_THAT(typing, !Catch::Contains("privileged"));   // neither is
    CHECK(missing_intent_warning("TYPING_START", intents::direct_message_typing).empty());
    CHECK(missing_intent_warning("READY", intents::none).empty());
    CHECK(missing_intent_warning("SOMETHING_NEW", intents::none).empty());   // unknown: no opinion
}

TEST_CASE("a message handler without MESSAGE_CONTENT is told why content is empty", "[events-intents]")
{
    auto w = missing_intent_warning("MESSAGE_CREATE", intents::guild_messages);
    CHECK_THAT(w, Catch::Contains("gets empty content") && Catch::Contains("intents::message_content")
                      && Catch::Contains("MESSAGE_CONTENT is privileged"));
    CHECK(missing_intent_warning("MESSAGE_CREATE", intents::guild_messages | intents::message_content).empty());
    CHECK(missing_intent_warning("MESSAGE_DELETE", intents::guild_messages).empty());   // no content in it
}

TEST_CASE("an event Discord partly sends without its intent says so", "[events-intents]")
{
    auto w = missing_intent_warning("GUILD_MEMBER_UPDATE", intents::guilds);
    CHECK_THAT(w, Catch::Contains("needs GUILD_MEMBERS") && Catch::Contains("for the bot itself"));
    CHECK_THAT(w, !Catch::Contains("never run"));
}

TEST_CASE("the client warns at on_event and wait_for, naming the handler's event", "[events-intents]")
{
    sectest::log_capture logs;
    cord::client bot{"a.b.c", {.intents = intents::guilds}};
    bot.on_event("raw-message-create", [](cord::shard&, cord::client&, cord::json) {});
    CHECK(logs.contains("a handler of MESSAGE_CREATE (raw-message-create) will never run"));
    auto never = bot.wait_for("GUILD_BAN_ADD");
    CHECK(logs.contains("a handler of GUILD_BAN_ADD (raw-guild-ban-add) will never run"));
    bot.on_event("raw-guild-create", [](cord::shard&, cord::client&, cord::json) {});
    CHECK_FALSE(logs.contains("GUILD_CREATE"));
}
