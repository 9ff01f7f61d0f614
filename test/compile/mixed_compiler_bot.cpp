// A bot built by another compiler than libcord (tools/check-mixed-compilers.sh): it must link
// and run. It uses what crosses the boundary most: Asio's co_spawn on its own io_context with a
// coroutine calling cord, a coroutine handler, cord::when_all, and the fake Discord. Exit 0 when
// the round trip worked; 1 with a message otherwise.
#include <cord/cord.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

namespace http = cord::http;

namespace {

// Runs on the bot's own io_context, not on one of the client's threads.
cord::awaitable<std::string> channel_names(cord::client& bot, cord::snowflake a, cord::snowflake b)
{
    auto [first, second] = co_await cord::when_all(http::get_channel(bot, a), http::get_channel(bot, b));
    co_return std::string{first["name"].as_string()} + "," + std::string{second["name"].as_string()};
}

} // namespace

int main()
try {
    cord::testing::fake_discord fake;
    auto guild = fake.guild_ids().front();
    auto channel = fake.general_channel(guild);
    auto other = fake.add_channel(guild, "other");
    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);

    cord::client_options options;
    options.intents = cord::intents::guilds | cord::intents::guild_messages | cord::intents::message_content;
    options.rest.base_url = fake.rest_url();
    options.gateway.url = fake.gateway_url();
    options.tls.allow_plaintext = true;
    options.handle_signals = false;
    cord::client bot{"fake-bot-token", options};
    bot.on_event("raw-message-create",
        [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
            if (msg["content"].as_string() == "!ping")
                co_await http::create_message(c, msg["channel_id"].as_snowflake(), "pong");
        });

    auto ready = bot.wait_for("READY");
    bot.start_no_wait();
    bot.sync_wait(std::move(ready));

    boost::asio::io_context io;
    auto names = boost::asio::co_spawn(io, channel_names(bot, channel, other), boost::asio::use_future);
    io.run();
    if (auto got = names.get(); got != "general,other") {
        std::fprintf(stderr, "co_spawn: channel names %s, not general,other\n", got.c_str());
        return 1;
    }

    auto reply = bot.wait_for("MESSAGE_CREATE", [](const cord::json& m) { return m["content"].as_string() == "pong"; },
                              std::chrono::seconds{20});
    fake.post_message_as(alice, channel, "!ping");
    auto pong = bot.sync_wait(std::move(reply));
    bot.stop();
    bot.wait_stopped();
    if (pong["channel_id"].as_snowflake() != channel) {
        std::fprintf(stderr, "pong in the wrong channel\n");
        return 1;
    }
    std::puts("mixed compilers: co_spawn, when_all and a coroutine handler work");
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "mixed compilers: %s\n", e.what());
    return 1;
}
