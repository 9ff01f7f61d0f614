// echo_bot: racket-cord's README example in cord. "!echo hello" → "hello".
//
//   DISCORD_TOKEN=... ./echo_bot
//
// Needs the MESSAGE_CONTENT privileged intent switched on in the Developer Portal.
#include "echo.hpp"

#include <cstdio>
#include <cstdlib>

int main()
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token) {
        std::fprintf(stderr, "set DISCORD_TOKEN to your bot token\n");
        return 2;
    }
    try {
        cord::client bot{token, {.intents = cord::intents::guild_messages | cord::intents::direct_messages |
                                            cord::intents::message_content}};
        sample::install_echo(bot);
        bot.run();   // until Ctrl-C
    } catch (const std::exception& e) {
        std::fprintf(stderr, "echo_bot: %s\n", e.what());
        return 1;
    }
}
