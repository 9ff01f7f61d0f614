// The echo bot's logic (racket-cord's README example), shared by samples/echo_bot.cpp and
// the demo: "!echo text" in a channel makes the bot answer "text". It never answers itself.
#pragma once

#include <cord/cord.hpp>

#include <string_view>

namespace sample {

inline void install_echo(cord::client& bot)
{
    bot.on_event("raw-message-create",
                 [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
                     // Bots (ourselves included) are ignored, so two echo bots cannot loop.
                     if (msg["author"].value_or("bot", false))
                         co_return;
                     std::string_view content = msg["content"].as_string();
                     constexpr std::string_view command = "!echo ";
                     if (!content.starts_with(command))
                         co_return;
                     co_await cord::http::create_message(c, msg["channel_id"].as_string(),
                                                         content.substr(command.size()));
                 });
}

} // namespace sample
