// Must not compile with g++ below 13: an option temporary inside co_await, which g++ 12 would
// destroy twice. tools/check-compile.sh expects the refusal's message.
#include <cord/cord.hpp>

cord::awaitable<void> set_idle(cord::client& bot)
{
    co_await bot.update_status({.status = "idle"});
}
