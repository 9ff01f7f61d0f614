// A user's bot, built in its own Meson project against cord from a wrap.
#include <cord/cord.hpp>

#include <cstdio>
#include <cstdlib>

int main()
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token) {
        std::printf("cord %s is linked in; set DISCORD_TOKEN to run the bot\n", cord::version);
        return 0;
    }
    cord::client bot{token, {.intents = cord::intents::guild_messages | cord::intents::message_content}};
    bot.on_event("raw-message-create", [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
        if (msg["content"].as_string() == "!version")
            co_await cord::http::create_message(c, msg["channel_id"].as_string(), cord::version);
    });
    bot.run();
}
