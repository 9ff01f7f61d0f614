// Unit tests of gateway intents.
#include <cord/intents.hpp>

#include <catch2/catch.hpp>

using cord::intents;

TEST_CASE("intents carry Discord's bit values", "[intents]")
{
    CHECK(cord::to_bits(intents::guilds) == 1);
    CHECK(cord::to_bits(intents::guild_messages) == 512);
    CHECK(cord::to_bits(intents::message_content) == 32768);
    CHECK(cord::to_bits(intents::guild_scheduled_events) == 1u << 16);
    CHECK(cord::to_bits(intents::auto_moderation_configuration) == 1u << 20);
    CHECK(cord::to_bits(intents::direct_message_polls) == 1u << 25);
    // Discord's IDENTIFY example: GUILDS | GUILD_MESSAGES = 513.
    CHECK(cord::to_bits(intents::guilds | intents::guild_messages) == 513);
    CHECK(intents::guild_bans == intents::guild_moderation);
}

TEST_CASE("intents combine, test and name", "[intents]")
{
    auto set = intents::guild_messages | intents::message_content;
    CHECK(cord::has_intents(set, intents::message_content));
    CHECK_FALSE(cord::has_intents(set, intents::guilds));
    CHECK(cord::to_string(set) == "GUILD_MESSAGES|MESSAGE_CONTENT");
    CHECK(cord::to_string(intents::none) == "NONE");
    CHECK(cord::to_string(static_cast<intents>(1u << 17)) == "UNDEFINED(131072)");
    set &= ~intents::message_content;
    CHECK(set == intents::guild_messages);
}

TEST_CASE("privileged and valid intent sets", "[intents]")
{
    CHECK(cord::to_bits(cord::privileged_intents) == ((1u << 1) | (1u << 8) | (1u << 15)));
    CHECK(cord::to_bits(cord::all_intents) == 0x0331'FFFFu);   // bits 0-16, 20, 21, 24, 25
    CHECK((cord::unprivileged_intents & cord::privileged_intents) == intents::none);
    CHECK(cord::valid_intents(cord::all_intents));
    CHECK_FALSE(cord::valid_intents(static_cast<intents>(1u << 18)));
    CHECK_FALSE(cord::valid_intents(static_cast<intents>(1u << 22)));
}
