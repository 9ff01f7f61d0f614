// docs/testing.md's example, compiled and run as it is written there (bot.hpp inlined).
#include <optional>
// bot.hpp
#include <cord/cord.hpp>

inline void add_ping_handler(cord::client& bot)
{
    bot.on_event("raw-message-create",
        [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
            if (msg["content"].as_string() == "!ping")
                co_await cord::http::create_message(c, msg["channel_id"].as_snowflake(), "pong");
        });
}

// bot_test.cpp

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;

TEST_CASE("the bot answers !ping with pong", "[docs-example]")
{
    cord::testing::fake_discord fake{{.tls = true}};   // https/wss with a generated certificate

    cord::client_options options;
    options.intents = cord::intents::guilds | cord::intents::guild_messages | cord::intents::message_content;
    options.rest.base_url = fake.rest_url();
    options.gateway.url = fake.gateway_url();
    options.tls.extra_ca_pem = fake.ca_pem();            // trust the emulator's certificate
    cord::client bot{"fake-bot-token", options};          // the token fake_discord accepts by default
    add_ping_handler(bot);
    bot.start_no_wait();

    auto guild = fake.guild_ids().front();
    auto channel = fake.general_channel(guild);
    // Wait (bounded) until the bot's shard is READY.
    for (int i = 0; i < 200 && fake.counters().identifies == 0; ++i)
        std::this_thread::sleep_for(10ms);
    REQUIRE(fake.open_gateway_connections() == 1);

    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);
    fake.post_message_as(alice, channel, "!ping");       // arrives at the bot as MESSAGE_CREATE

    // The bot's reply is a REST call: find it in the request log (bounded wait).
    std::optional<cord::testing::recorded_request> reply;
    for (int i = 0; i < 300 && !reply; ++i) {
        for (auto& r : fake.requests())
            if (r.method == "POST" && r.path.ends_with("/channels/" + channel.str() + "/messages"))
                reply = r;
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(reply);
    CHECK(cord::json::parse(reply->body)["content"].as_string() == "pong");
    CHECK(reply->status == 200);
    CHECK(reply->headers.at("authorization") == "Bot fake-bot-token");

    bot.stop();
    bot.wait_stopped();
}
