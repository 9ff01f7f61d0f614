// Must compile everywhere: trivially destructible option temporaries inside co_await are safe
// on g++ 12 (measured), so cord accepts them.
#include <cord/cord.hpp>

cord::awaitable<void> last_50(cord::client& bot, cord::snowflake channel, cord::snowflake before)
{
    auto page = co_await cord::http::get_channel_messages(bot, channel, {.before = before, .limit = 50});
    (void)page;
}
