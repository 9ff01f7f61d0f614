// cord demo — README's first command.
//
// Without DISCORD_TOKEN: starts cord's fake Discord in this process, connects the echo bot
// (samples/echo.hpp) to it, and plays a short scripted conversation: a user posts
// "!echo hello", the bot answers, the connection drops and the shard resumes, and the bot
// still answers; then the same as a slash command: the bot's /echo is registered (synced: the
// second sync writes nothing), alice runs it, and the bot's reply is the interaction's answer.
// With DISCORD_TOKEN set: runs the same echo bot against real Discord.
#include "echo.hpp"

#include <cord/testing/fake_discord.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace std::chrono_literals;

namespace {

void say(const char* who, const std::string& what) { std::printf("%-8s %s\n", who, what.c_str()); }

int run_real(const char* token)
{
    cord::client bot{token, {.intents = cord::intents::guild_messages | cord::intents::direct_messages |
                                        cord::intents::message_content}};
    sample::install_echo(bot);
    auto commands = sample::echo_commands();
    auto synced = bot.sync_wait(cord::sync_commands(bot, commands));
    say("cord", synced.in_sync() ? "/echo is registered already" : "/echo registered");
    bot.on_event("raw-ready", [](cord::shard& s, cord::client& c, cord::json) {
        say("cord", "shard " + std::to_string(s.id()) + " ready as " + std::string{c.user()["username"].as_string()} +
                        " — type \"!echo hello\" in a channel the bot can see; Ctrl-C stops");
    });
    bot.run();
    return 0;
}

int run_fake()
{
    cord::discord_logger().set_level(cord::log_level::warning);
    cord::testing::fake_discord discord{{.heartbeat_interval = 1000ms}};
    say("fake", "Discord emulator on " + discord.rest_url() + " and " + discord.gateway_url());

    cord::client_options options{.intents = cord::intents::guilds | cord::intents::guild_messages |
                                            cord::intents::message_content};
    options.tls.allow_plaintext = true;   // the emulator speaks plain HTTP/WebSocket on loopback
    options.rest.base_url = discord.rest_url();
    options.gateway.url = discord.gateway_url();
    options.handle_signals = false;
    cord::client bot{"fake-bot-token", options};
    sample::install_echo(bot);

    auto guild = discord.guild_ids().at(0);
    auto channel = discord.general_channel(guild);
    auto alice = discord.add_user("alice");
    auto bot_said = [&](std::string_view text) {
        return bot.wait_for(
            "raw-message-create",
            [&, text](const cord::json& m) {
                return m["author"]["id"].as_snowflake() == discord.bot_user_id() && m["content"].as_string() == text;
            },
            10s);
    };

    // Each wait begins before the action that causes its event, so the event cannot slip by.
    auto ready_event = bot.wait_for("raw-ready", {}, 10s);
    bot.start_no_wait();
    auto ready = bot.sync_wait(std::move(ready_event));
    say("cord", "shard 0 READY as " + std::string{ready["user"]["username"].as_string()} + ", session " +
                    std::string{ready["session_id"].as_string()});

    say("alice", "!echo hello");
    auto reply = bot_said("hello");
    discord.post_message_as(alice, channel, "!echo hello");
    auto answer = bot.sync_wait(std::move(reply));
    say("bot", std::string{answer["content"].as_string()});

    say("fake", "drops the gateway connection (fault injection)");
    auto resumed = bot.wait_for("raw-resumed", {}, 15s);
    discord.drop_connections();
    bot.sync_wait(std::move(resumed));
    say("cord", "shard 0 reconnected and RESUMED the session (no new IDENTIFY: " +
                    std::to_string(discord.counters().identifies) + " in total)");

    say("alice", "!echo still here?");
    auto second_reply = bot_said("still here?");
    discord.post_message_as(alice, channel, "!echo still here?");
    answer = bot.sync_wait(std::move(second_reply));
    say("bot", std::string{answer["content"].as_string()});

    auto commands = sample::echo_commands();
    auto first_sync = bot.sync_wait(cord::sync_commands(bot, commands));
    auto second_sync = bot.sync_wait(cord::sync_commands(bot, commands));
    say("cord", std::string{"/echo "} + (first_sync.written ? "registered" : "unchanged") + "; synced again: " +
                    (second_sync.written ? "written again (wrong)" : "nothing to write"));
    say("alice", "/echo text:hello, slash");
    cord::testing::interaction_actor as_alice;
    as_alice.user = alice;
    auto invoked = discord.invoke_command("echo", cord::json::object({{"text", "hello, slash"}}), as_alice);
    auto answers = discord.wait_for_answers(invoked.id, 1, 10s);
    if (answers.empty() || answers[0].callback_type != 4)
        throw std::runtime_error("the bot did not answer /echo");
    say("bot", std::string{answers[0].body["data"]["content"].as_string()} + "   (interaction response, type 4)");

    bot.stop();
    bot.wait_stopped();
    auto c = discord.counters();
    say("cord", "stopped cleanly: " + std::to_string(c.requests) + " REST requests, " +
                    std::to_string(c.rate_limited) + " rate limited, " + std::to_string(c.resumes) + " resume(s)");
    return 0;
}

} // namespace

int main()
{
    std::printf("cord %s demo\n", cord::version);
    try {
        if (const char* token = std::getenv("DISCORD_TOKEN"); token && *token)
            return run_real(token);
        return run_fake();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "demo failed: %s\n", e.what());
        return 1;
    }
}
