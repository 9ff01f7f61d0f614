// cord: private. The dispatcher: which events a client wants (so a shard can skip parsing the
// rest), delivery to handlers in event order, wait_for, the work that runs beside handlers,
// and draining it all at stop. cord::client owns one and hands shards only its `wants` and
// `deliver` (through shard_hooks); threads, lifecycle and supervision stay in the client.
//
// The data path: each shard gathers its events in a lane of its own (no lock, no wake-up, no
// shared counter touched per event); when the shard is about to wait for its socket it ends
// the batch: one lock hands it over, and the handler strand, woken once, takes it whole.
// Queued events travel as the payload's text, copied off the shard's read buffer, and are
// parsed on the handler strand just before their handlers run: the shard's thread spends
// nothing on parsing them, and the documents handlers read were made on the thread that reads
// them (inline handlers get the shard's parsed event instead).
// Events waiting for handlers are counted per batch on both sides; at the cap the producing
// shards pause reading their sockets, and resume when the handlers are back under half of it.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "events/event_registry.hpp"
#include "events/handler_watch.hpp"
#include "gateway/document_pool.hpp"

#include <cord/client.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <list>
#include <map>
#include <optional>
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
        std::size_t max_queued_events;          ///< client_options::max_queued_events
        std::size_t max_queued_bytes;           ///< client_options::max_queued_bytes
        bool inline_handlers;                   ///< client_options::inline_handlers
        std::chrono::milliseconds slow_handler; ///< client_options::slow_handler_warning
    };
    class lane;

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
    /// The lane of shard `shard_id`, made on first use (before its shard runs). Lives as long
    /// as the dispatcher.
    lane& lane_for(int shard_id);
    /// Whether anybody (a handler or a waiter) wants the event: asked by lane `l`'s shard.
    bool wants(lane& l, std::string_view discord_name);
    /// Queues an event in its shard's lane (or, inline, runs its plain handlers at once). Its
    /// document moves into the lane: the shard is done with it.
    void deliver(lane& l, shard& s, gateway_event& ev);
    /// Queues an event the shard did not parse (never inline): its text is copied.
    void deliver_text(lane& l, shard& s, const gateway_dispatch_text& text);
    /// The shard is about to wait: what it delivered since its last batch goes to the handler
    /// strand with one wake-up.
    void end_batch(lane& l);
    client::subscription add_lifecycle(client::lifecycle_handler h);
    /// Hands a shard's lifecycle step to the lifecycle handlers (on the handler strand).
    void lifecycle(shard& s, const lifecycle_event& e);
    /// The slots lane `l` holds in its three hands (gathering, handed over, being handled), in
    /// use or not: what its bursts grew and it has not given back. Only while neither its shard
    /// nor the handler strand runs (tests).
    std::size_t slots_held(lane& l);
    /// The seq of the first event of shard `shard_id` that stop() left undelivered, if any:
    /// a successor that resumes before it receives the rest.
    std::optional<std::uint64_t> first_undelivered(int shard_id);

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
    struct queued;
    void warn_if_undeliverable(std::string_view name) const;
    void waiters_of(std::string_view name, std::vector<std::shared_ptr<waiter>>& woken);
    bool route(lane& l, std::string_view name, const std::vector<event_registry::entry>*& named,
               std::vector<std::shared_ptr<waiter>>& woken);
    queued& enqueue(lane& l, shard& s, const std::vector<event_registry::entry>* named,
                    std::vector<std::shared_ptr<waiter>>& woken);
    void queued_one(lane& l, shard& s, std::size_t bytes);
    void drain_lane(lane& l);
    bool parse_text(lane& l, queued& q);
    void run_named(const std::vector<event_registry::entry>& named, gateway_event& ev, bool take_last, shard& s,
                   handler_watch& watch, std::uint16_t event);
    void hand_over(shard& s, gateway_event& ev, const event_registry::table& table,
                   const std::vector<event_registry::entry>* named, std::vector<std::shared_ptr<waiter>>& woken,
                   handler_watch& watch, std::uint16_t event);
    void invoke(const event_registry::entry& e, std::string_view name, json& payload, bool last, shard& s,
                handler_watch& watch, std::uint16_t event);
    awaitable<void> watch_handlers(std::uint64_t generation);
    void warn_slow(std::uint16_t event, std::optional<int> shard_id) const;
    void release(std::size_t events, std::size_t bytes);
    // The handlers of `name` in the registry as it is now (l.table is refreshed to it).
    const std::vector<event_registry::entry>* handlers_of(lane& l, std::string_view name);
    const std::vector<event_registry::entry>* look_up(lane& l, std::string_view name);
    void pause(lane& l, shard& s, std::size_t events, std::size_t bytes);
    void maybe_resume();
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
    // Where every lane's queued text is parsed, on the handler strand: a document a handler let
    // go of is used again. Handlers that keep events (coroutines among them) make it grow to
    // what they hold, up to one cap's worth for the whole client, not one per shard.
    gateway::document_pool documents_;

    std::atomic<bool> stopping_{false};
    // The handler strand's stamp (handlers not inline), and the watchdog of this run.
    handler_watch strand_watch_;
    std::atomic<std::uint64_t> watch_generation_{0};
    // Events in lanes, not yet handed to a handler; any_paused_: some shard was asked to pause.
    std::atomic<std::size_t> queued_events_{0};
    std::atomic<std::size_t> queued_bytes_{0};
    std::atomic<bool> any_paused_{false};
    std::mutex lanes_mutex_;   // only to make a lane, and to resume paused shards
    std::map<int, std::unique_ptr<lane>> lanes_;   // between close() and open(): failures of ending work are not errors
    std::atomic<int> in_flight_{0};   // posted batches + running coroutine handlers and tasks

    // Waiters are rare: a count lets delivery skip their lock when there are none.
    std::mutex lifecycle_mutex_;   // registration only: delivery copies the list's pointer
    std::shared_ptr<const std::vector<std::pair<client::subscription, client::lifecycle_handler>>> lifecycle_ =
        std::make_shared<const std::vector<std::pair<client::subscription, client::lifecycle_handler>>>();

    mutable std::mutex waiters_mutex_;
    std::vector<std::shared_ptr<waiter>> waiters_;
    std::atomic<std::size_t> waiter_count_{0};

    std::mutex tasks_mutex_;
    std::list<std::shared_ptr<running_task>> tasks_;
};

} // namespace cord::detail
