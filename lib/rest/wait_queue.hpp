// cord: private. How a coroutine waits on the REST strand for its turn (a bucket, the
// global limit, a pooled connection): a timer that a state change "pokes" early.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/bucket_state.hpp"

#include <cord/awaitable.hpp>
#include <cord/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <optional>

namespace cord::rest {

/// One waiting call. Everything touching it runs on the REST strand.
struct waiter {
    explicit waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    bool woken = false;   ///< poked since it last looked
};

/// Wakes `w` now (or makes its next wait return at once).
inline void poke(waiter* w)
{
    if (!w)
        return;
    w->woken = true;
    w->timer.cancel();
}

inline void poke_front(const std::deque<waiter*>& queue)
{
    if (!queue.empty())
        poke(queue.front());
}

inline void poke_all(const std::deque<waiter*>& queue)
{
    for (auto* w : queue)
        poke(w);
}

inline void remove_waiter(std::deque<waiter*>& queue, waiter* w)
{
    auto it = std::find(queue.begin(), queue.end(), w);
    if (it == queue.end())
        return;
    bool was_front = it == queue.begin();
    queue.erase(it);
    if (was_front)
        poke_front(queue);   // the next one may go now
}

/// Waits until `until` (forever when nullopt) or a poke. Throws cord::error (cancelled)
/// when the calling coroutine is cancelled.
inline awaitable<void> wait_for_turn(waiter& w, std::optional<time_point> until)
{
    if (w.woken) {
        w.woken = false;
        co_return;
    }
    w.timer.expires_at(until.value_or(time_point::max()));
    auto [ec] = co_await w.timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    bool poked = w.woken;
    w.woken = false;
    if (ec && !poked)
        throw error(errc::cancelled, "REST call cancelled while waiting for its turn");
}

} // namespace cord::rest
