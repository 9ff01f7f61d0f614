// cord: private. The dispatcher: which events a client wants (so a shard can skip parsing the
// rest), delivery to handlers in event order, wait_for, the work that runs beside handlers,
// and draining it all at stop. cord::client owns one and hands shards only its `wants` and
// `deliver` (through shard_hooks); threads, lifecycle and supervision stay in the client.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "events/event_registry.hpp"

#include <cord/client.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace cord::detail {

struct waiter;
struct running_task;

class dispatcher {
public:
    struct settings {
        cord::intents intents;                  ///< what the shards identify with
        std::chrono::milliseconds stop_grace;   ///< client_options::stop_grace
    };

    /// Handlers run on `handlers`; wait_for's outcomes are held on `waits` (any thread).
    dispatcher(client& owner, boost::asio::io_context& handlers, boost::asio::any_io_executor waits,
               settings s);
    ~dispatcher();
    dispatcher(const dispatcher&) = delete;
    dispatcher& operator=(const dispatcher&) = delete;

    // --- registration (any thread) ---------------------------------------------------------------
    client::subscription add(std::string_view name, client::handler plain, client::coroutine_handler coroutine);
    void remove(client::subscription id);
    awaitable<json> wait_for(std::string_view name, std::function<bool(const json&)> predicate,
                             std::chrono::milliseconds timeout);

    // --- the shards' side (their I/O threads) ----------------------------------------------------
    bool wants(std::string_view discord_name) const;
    void deliver(shard& s, std::string_view discord_name, const json& d, std::uint64_t seq);

    // --- work beside the handlers -----------------------------------------------------------------
    /// Runs `body` on a strand of its own, counted and cancellable by drain().
    void launch(awaitable<void> body);
    /// Logs a failure of `who`: ERROR, or DEBUG for work that stop() ended.
    void report_failure(std::string_view who, std::exception_ptr e) const;

    // --- lifecycle --------------------------------------------------------------------------------
    /// A new run begins: waits and work may start again.
    void open();
    /// Ends every wait_for with errc::stopped.
    void close();
    /// Lets running handlers and tasks finish within stop_grace, then cancels the rest.
    awaitable<void> drain();
    /// Warns about every registered handler whose event the intents cannot deliver.
    void warn_about_intents() const;

private:
    void warn_if_undeliverable(std::string_view name) const;
    void invoke(const event_registry::entry& e, const std::string& event, shard& s, const json& d);
    void report_handler_failure(std::string_view event, std::exception_ptr e) const;
    awaitable<void> run_coroutine_handler(client::coroutine_handler h, std::string event, shard& s, json d);
    awaitable<bool> wait_for_handlers(std::chrono::milliseconds limit);
    void cancel_tasks();
    class waiter_ticket;
    static awaitable<json> wait(waiter_ticket ticket, std::string what, std::chrono::milliseconds timeout);
    static void offer(waiter& w, const json& d);

    client& owner_;
    boost::asio::io_context& handlers_;
    boost::asio::any_io_executor waits_;
    settings settings_;
    event_registry registry_;
    // Plain handlers run here, one at a time, in event order.
    boost::asio::strand<boost::asio::io_context::executor_type> handler_strand_;

    std::atomic<bool> stopping_{false};   // between close() and open(): failures of ending work are not errors
    std::atomic<int> in_flight_{0};   // posted batches + running coroutine handlers and tasks

    // Waiters are rare: a count lets delivery skip their lock when there are none.
    mutable std::mutex waiters_mutex_;
    std::vector<std::shared_ptr<waiter>> waiters_;
    std::atomic<std::size_t> waiter_count_{0};

    std::mutex tasks_mutex_;
    std::list<std::shared_ptr<running_task>> tasks_;
};

} // namespace cord::detail
