// cord: when_all's engine. The tasks run on one strand of the caller's executor, so that
// their completions and a cancellation from the caller never race.
// SPDX-License-Identifier: BSL-1.0
#include <cord/tasks.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>

namespace cord::detail {

namespace asio = boost::asio;

namespace {

struct group_state {
    explicit group_state(const asio::strand<asio::any_io_executor>& s, std::size_t n)
        : all_done(s, asio::steady_timer::time_point::max()), signals(n), remaining(n)
    {
    }
    asio::steady_timer all_done;
    std::vector<asio::cancellation_signal> signals;
    std::size_t remaining;
    std::exception_ptr first_failure;
};

// Runs on the strand: every completion below lands there too.
awaitable<void> run_on_strand(std::vector<awaitable<void>> tasks, asio::strand<asio::any_io_executor> strand)
{
    // A cancellation from the caller is passed on to the tasks, and the group still waits for
    // them: none may outlive the frames whose results it writes into.
    co_await asio::this_coro::throw_if_cancelled(false);
    auto state = std::make_shared<group_state>(strand, tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i)
        asio::co_spawn(strand, std::move(tasks[i]),
                       asio::bind_cancellation_slot(state->signals[i].slot(), [state](std::exception_ptr e) {
                           if (e && !state->first_failure)
                               state->first_failure = e;
                           if (--state->remaining == 0)
                               state->all_done.cancel();
                       }));
    bool passed_on = false;
    while (state->remaining > 0) {
        co_await state->all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        auto cs = co_await asio::this_coro::cancellation_state;
        if (state->remaining > 0 && cs.cancelled() != asio::cancellation_type::none && !passed_on) {
            passed_on = true;
            for (auto& s : state->signals)
                s.emit(asio::cancellation_type::terminal);
            co_await asio::this_coro::reset_cancellation_state();
        }
    }
    if (state->first_failure)
        std::rethrow_exception(state->first_failure);
}

} // namespace

awaitable<void> run_together(std::vector<awaitable<void>> tasks)
{
    if (tasks.empty())
        co_return;
    auto strand = asio::make_strand(co_await asio::this_coro::executor);
    co_await asio::co_spawn(strand, run_on_strand(std::move(tasks), strand), asio::use_awaitable);
}

} // namespace cord::detail
