// A user's bot, built in its own Meson project against cord from a wrap (or an installed cord.pc).
#include "bot.hpp"

#include <cstdio>
#include <cstdlib>

int main()
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token) {
        std::printf("cord %s is linked in; set DISCORD_TOKEN to run the bot\n", cord::version);
        return 0;
    }
    cord::client_options options;
    options.intents = cord::intents::guild_messages | cord::intents::message_content;
    cord::client bot{token, options};
    add_version_handler(bot);
    bot.run();
}
