// The echo bot's logic (racket-cord's README example), shared by samples/echo_bot.cpp and
// the demo: "!echo text" in a channel makes the bot answer "text". It never answers itself.
// The same as a slash command: /echo text:<...> answers "text" (see echo_commands()).
#pragma once

#include <cord/cord.hpp>

#include <string>
#include <string_view>
#include <vector>

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
    bot.command("echo", [](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply(std::string{in.option("text")->as_string()});
    });
}

/// The commands the echo bot declares (cord::sync_commands writes them only when they changed).
inline std::vector<cord::command_spec> echo_commands()
{
    return {cord::command_spec::slash("echo", "Says it back").option(
        cord::command_option{cord::option_type::string, "text", "What to say"}.required())};
}

} // namespace sample
