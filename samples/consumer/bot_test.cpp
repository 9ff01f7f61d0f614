// The consumer bot's test, against cord-testing's fake Discord.
#define CATCH_CONFIG_MAIN
#include "bot.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

TEST_CASE("the bot answers !version with cord's version")
{
    cord::testing::fake_discord fake;
    cord::client_options options;
    options.intents = cord::intents::guilds | cord::intents::guild_messages | cord::intents::message_content;
    options.rest.base_url = fake.rest_url();
    options.gateway.url = fake.gateway_url();
    options.tls.allow_plaintext = true;   // the emulator on loopback
    options.handle_signals = false;
    cord::client bot{"fake-bot-token", options};
    add_version_handler(bot);

    auto ready = bot.wait_for("READY");
    bot.start_no_wait();
    bot.sync_wait(std::move(ready));

    auto guild = fake.guild_ids().front();
    auto channel = fake.general_channel(guild);
    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);
    auto reply = bot.wait_for("MESSAGE_CREATE", [](const cord::json& m) { return m["content"].as_string() == cord::version; });
    fake.post_message_as(alice, channel, "!version");
    auto answer = bot.sync_wait(std::move(reply));
    CHECK(answer["channel_id"].as_snowflake() == channel);

    bot.stop();
    bot.wait_stopped();
}
