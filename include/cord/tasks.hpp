// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Concurrency for bot code without Asio's headers: run calls side by side (when_all), start
// work that outlives a handler (spawn), and wait (sleep_for) in a way that ends at stop().
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace cord {

/// Runs `task` on the client's handler executor, apart from the caller. Its exception is
/// logged (ERROR), never lost. stop() treats it as a running handler: it may finish within
/// client_options::stop_grace, then it is cancelled.
void spawn(client& bot, awaitable<void> task);

/// Waits `d`; on a cord::client's executor (in a handler, or in work given to spawn) it ends
/// at once when the client stops, throwing cord::error (errc::stopped).
awaitable<void> sleep_for(std::chrono::steady_clock::duration d);
/// As sleep_for, until `t`.
awaitable<void> sleep_until(std::chrono::steady_clock::time_point t);

namespace detail {

// Runs every task concurrently on the caller's executor and waits for all of them; then
// rethrows the first failure, if any. Cancelling the caller cancels each task.
awaitable<void> run_together(std::vector<awaitable<void>> tasks);

template <class T>
using result_of_task = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
awaitable<void> store_result(awaitable<T> task, std::optional<result_of_task<T>>* out)
{
    if constexpr (std::is_void_v<T>) {
        co_await std::move(task);
        out->emplace();
    } else {
        out->emplace(co_await std::move(task));
    }
}

template <class... T, std::size_t... I>
awaitable<std::tuple<result_of_task<T>...>> when_all_of(std::index_sequence<I...>, awaitable<T>... tasks)
{
    std::tuple<std::optional<result_of_task<T>>...> results;
    std::vector<awaitable<void>> group;
    group.reserve(sizeof...(T));
    (group.push_back(store_result(std::move(tasks), &std::get<I>(results))), ...);
    co_await run_together(std::move(group));
    co_return std::tuple<result_of_task<T>...>{std::move(*std::get<I>(results))...};
}

} // namespace detail

/// Runs the calls concurrently and waits for all: `auto [a, b] = co_await cord::when_all(
/// http::get_channel(bot, x), http::get_channel(bot, y));`. A call returning void gives a
/// std::monostate. Every call runs to its end; then the first failure is rethrown.
template <class... T>
awaitable<std::tuple<detail::result_of_task<T>...>> when_all(awaitable<T>... tasks)
{
    return detail::when_all_of(std::index_sequence_for<T...>{}, std::move(tasks)...);
}

/// As above for a list of calls of one type: the results in the list's order.
template <class T>
awaitable<std::vector<detail::result_of_task<T>>> when_all(std::vector<awaitable<T>> tasks)
{
    std::vector<std::optional<detail::result_of_task<T>>> results(tasks.size());
    std::vector<awaitable<void>> group;
    group.reserve(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i)
        group.push_back(detail::store_result(std::move(tasks[i]), &results[i]));
    co_await detail::run_together(std::move(group));
    std::vector<detail::result_of_task<T>> out;
    out.reserve(results.size());
    for (auto& r : results)
        out.push_back(std::move(*r));
    co_return out;
}

} // namespace cord
