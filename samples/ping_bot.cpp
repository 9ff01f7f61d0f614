// ping_bot: the smallest cord bot. "!ping" → "pong".
//
//   DISCORD_TOKEN=... ./ping_bot
#include <cord/cord.hpp>

#include <cstdio>
#include <cstdlib>

namespace http = cord::http;

int main()
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token) {
        std::fprintf(stderr, "set DISCORD_TOKEN to your bot token\n");
        return 2;
    }
    cord::client bot{token, {.intents = cord::intents::guild_messages | cord::intents::message_content,
                             .auto_shard = true}};
    bot.on_event("raw-message-create",
                 [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
                     if (msg["content"].as_string() == "!ping")
                         co_await http::create_message(c, msg["channel_id"].as_string(), "pong");
                 });
    bot.run();   // blocking; inside a coroutine: co_await bot.start();
}
