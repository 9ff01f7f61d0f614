// slow_handler: a coroutine handler that makes several REST calls. While it waits on the
// network (and on rate limits), other events keep flowing: coroutine handlers run
// concurrently, and the shard's heartbeat never waits behind them.
//
//   DISCORD_TOKEN=... ./slow_handler      then type "!report" in a channel
#include <cord/cord.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace http = cord::http;

int main()
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token) {
        std::fprintf(stderr, "set DISCORD_TOKEN to your bot token\n");
        return 2;
    }
    cord::client bot{token, {.intents = cord::intents::guild_messages | cord::intents::message_content}};
    bot.on_event("raw-message-create",
                 [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
                     if (msg["content"].as_string() != "!report")
                         co_return;
                     auto channel_id = msg["channel_id"].as_string();
                     co_await http::trigger_typing_indicator(c, channel_id);
                     // Each call is rate limited by cord; this coroutine just waits its turn.
                     auto channel = co_await http::get_channel(c, channel_id);
                     // Options in a named variable: g++ 12 miscompiles aggregate temporaries
                     // written inside a co_await expression (see README).
                     http::get_messages_options last_50{.limit = 50};
                     auto history = co_await http::get_channel_messages(c, channel_id, last_50);
                     std::string report = "#" + std::string{channel["name"].as_string()} + ": " +
                                          std::to_string(history.size()) + " recent messages";
                     co_await http::create_message(c, channel_id, report);
                 });
    try {
        bot.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "slow_handler: %s\n", e.what());
        return 1;
    }
}
