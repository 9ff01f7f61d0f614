// The consumer bot's behaviour, shared by its program and its test: answers !version.
#pragma once
#include <cord/cord.hpp>

inline void add_version_handler(cord::client& bot)
{
    bot.on_event("raw-message-create", [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
        if (msg["content"].as_string() == "!version")
            co_await cord::http::create_message(c, msg["channel_id"].as_snowflake(), cord::version);
    });
}
