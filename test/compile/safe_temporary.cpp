// Must compile everywhere: trivially destructible option temporaries inside co_await are safe
// on g++ 12 (measured), so cord accepts them.
#include <cord/cord.hpp>

cord::awaitable<void> last_50(cord::client& bot, cord::snowflake channel, cord::snowflake before)
{
    auto page = co_await cord::http::get_channel_messages(bot, channel, {.before = before, .limit = 50});
    (void)page;
}

// The generated functions' options hold only ids, numbers, flags, views and spans: a temporary
// (or the default argument) inside co_await is safe too.
cord::awaitable<void> thread_admin(cord::client& bot, cord::snowflake channel, cord::snowflake message)
{
    auto thread = co_await cord::http::start_thread_from_message(bot, channel, message,
                                                                 cord::json::parse(R"({"name":"t"})"),
                                                                 {.reason = "housekeeping"});
    auto members = co_await cord::http::list_thread_members(bot, thread["id"], {.with_member = true, .limit = 10});
    auto all = co_await cord::http::list_thread_members(bot, thread["id"]);
    auto history = co_await cord::http::all_channel_messages(bot, channel, {.max_items = 200});
    (void)members, (void)all, (void)history;
}
