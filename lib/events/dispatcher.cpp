// cord: the dispatcher — delivery to handlers, wait_for, tasks, draining at stop.
// SPDX-License-Identifier: BSL-1.0
#include "events/dispatcher.hpp"

#include "events/event_intents.hpp"
#include "log/component_log.hpp"

#include <cord/error.hpp>
#include <cord/event_name.hpp>
#include <cord/logging.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cord::detail {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr component_log log{"client"};

} // namespace

// A handler coroutine or a spawned task, cancellable by drain() once its grace has passed.
struct running_task {
    explicit running_task(asio::any_io_executor e) : strand(std::move(e)) {}
    asio::any_io_executor strand;   // where it runs, and where it is cancelled
    asio::cancellation_signal cancel;
};

// A one-shot wait_for() registration. Events (on the handler strand), close() and the timeout
// settle it from any thread; the first wins. The channel is thread-safe and holds the outcome
// until the waiting coroutine takes it, so it may settle before that coroutine even starts.
struct waiter {
    waiter(const asio::any_io_executor& ex, std::string n, std::function<bool(const json&)> p)
        : name(std::move(n)), predicate(std::move(p)), outcome(ex, 1)
    {
    }

    void settle(boost::system::error_code ec, const json& value)
    {
        if (!settled.exchange(true))
            outcome.try_send(ec, value);
    }

    std::string name;   // Discord's form
    std::function<bool(const json&)> predicate;
    std::atomic<bool> settled{false};
    asio::experimental::concurrent_channel<void(boost::system::error_code, json)> outcome;
};

dispatcher::dispatcher(client& owner, asio::io_context& handlers, asio::any_io_executor waits, settings s)
    : owner_(owner), handlers_(handlers), waits_(std::move(waits)), settings_(s),
      handler_strand_(handlers.get_executor())
{
}

dispatcher::~dispatcher() = default;

// --- registration ------------------------------------------------------------------------------

client::subscription dispatcher::add(std::string_view name, client::handler plain,
                                     client::coroutine_handler coroutine)
{
    auto id = registry_.add(name, std::move(plain), std::move(coroutine));
    warn_if_undeliverable(name);
    return id;
}

void dispatcher::remove(client::subscription id) { registry_.remove(id); }

// At registration, and again for every handler at start(): the most common silent failure of
// a bot is an event its intents never let Discord send.
void dispatcher::warn_if_undeliverable(std::string_view name) const
{
    auto key = handler_key(name);
    if (auto warning = missing_intent_warning(key, settings_.intents); !warning.empty())
        log(log_level::warning, "{}", warning);
}

void dispatcher::warn_about_intents() const
{
    auto table = registry_.snapshot();
    for (const auto& [name, entries] : table->by_name)
        warn_if_undeliverable(name);
}

// --- delivery ----------------------------------------------------------------------------------

bool dispatcher::wants(std::string_view name) const
{
    if (registry_.wants(name))
        return true;
    if (waiter_count_.load(std::memory_order_acquire) == 0)
        return false;
    std::lock_guard lock{waiters_mutex_};
    return std::any_of(waiters_.begin(), waiters_.end(), [&](const auto& w) { return w->name == name; });
}

void dispatcher::deliver(shard& s, std::string_view name, const json& d, std::uint64_t seq)
{
    auto table = registry_.snapshot();
    auto it = table->by_name.find(name);
    const std::vector<event_registry::entry>* named = it == table->by_name.end() ? nullptr : &it->second;
    std::vector<std::shared_ptr<waiter>> woken;
    if (waiter_count_.load(std::memory_order_acquire) != 0) {
        std::lock_guard lock{waiters_mutex_};
        for (auto& w : waiters_)
            if (w->name == name)
                woken.push_back(w);
    }
    if (!named && table->any.empty() && woken.empty())
        return;
    // Catch-all handlers get the envelope, so that they know which event it is.
    json envelope;
    if (!table->any.empty())
        envelope = json::object({{"t", name}, {"s", seq}, {"d", d}});
    ++in_flight_;
    asio::post(handler_strand_, [this, &s, event = std::string{name}, d, named, table, envelope,
                                 woken = std::move(woken)] {
        struct done {
            std::atomic<int>& n;
            ~done() { --n; }
        } guard{in_flight_};
        if (named)
            for (const auto& e : *named)
                invoke(e, event, s, d);
        for (const auto& e : table->any)
            invoke(e, event, s, envelope);
        for (const auto& w : woken)
            offer(*w, d);
    });
}

void dispatcher::invoke(const event_registry::entry& e, const std::string& event, shard& s, const json& d)
{
    if (e.plain) {
        try {
            e.plain(s, owner_, d);
        } catch (...) {
            report_handler_failure(event, std::current_exception());
        }
        return;
    }
    launch(run_coroutine_handler(e.coroutine, event, s, d));
}

awaitable<void> dispatcher::run_coroutine_handler(client::coroutine_handler h, std::string event, shard& s, json d)
{
    try {
        co_await h(s, owner_, std::move(d));
    } catch (...) {
        report_handler_failure(event, std::current_exception());
    }
}

// Names the event, in Discord's form and racket-cord's, so that a bot with many handlers knows which.
void dispatcher::report_handler_failure(std::string_view event, std::exception_ptr e) const
{
    report_failure(fmt::format("a handler of {} ({})", event, racket_event_name(event)), e);
}

void dispatcher::report_failure(std::string_view who, std::exception_ptr e) const
{
    bool stopping = stopping_.load();
    try {
        std::rethrow_exception(e);
    } catch (const error& ex) {
        bool ended_by_stop = ex.code() == errc::stopped || ex.code() == errc::cancelled;
        log(ended_by_stop && stopping ? log_level::debug : log_level::error, "{} threw: {}", who, ex.what());
    } catch (const boost::system::system_error& ex) {
        bool ended_by_stop = ex.code() == asio::error::operation_aborted;
        log(ended_by_stop && stopping ? log_level::debug : log_level::error, "{} threw: {}", who, ex.what());
    } catch (const std::exception& ex) {
        log(log_level::error, "{} threw: {}", who, ex.what());
    } catch (...) {
        log(log_level::error, "{} threw a non-standard exception", who);
    }
}

// --- tasks -------------------------------------------------------------------------------------

void dispatcher::launch(awaitable<void> body)
{
    auto task = std::make_shared<running_task>(asio::make_strand(handlers_));
    {
        std::lock_guard lock{tasks_mutex_};
        tasks_.push_back(task);
    }
    ++in_flight_;
    asio::co_spawn(task->strand, std::move(body),
                   asio::bind_cancellation_slot(task->cancel.slot(), [this, task](std::exception_ptr) {
                       {
                           std::lock_guard lock{tasks_mutex_};
                           tasks_.remove(task);
                       }
                       --in_flight_;
                   }));
}

void dispatcher::cancel_tasks()
{
    std::lock_guard lock{tasks_mutex_};
    for (auto& t : tasks_)
        asio::post(t->strand, [t] { t->cancel.emit(asio::cancellation_type::terminal); });
}

// --- wait_for ----------------------------------------------------------------------------------

// Runs on the handler strand, so a predicate is never called twice at once.
void dispatcher::offer(waiter& w, const json& d)
{
    if (w.settled)
        return;
    try {
        if (w.predicate && !w.predicate(d))
            return;
    } catch (const std::exception& ex) {
        log(log_level::error, "wait_for predicate threw: {}", ex.what());
        return;
    }
    w.settle({}, d);
}

// Keeps a waiter registered for as long as the wait_for() awaitable lives: until the wait ends,
// or until an awaitable that was never awaited is destroyed.
class dispatcher::waiter_ticket {
public:
    waiter_ticket(dispatcher& owner, std::shared_ptr<waiter> w) : owner_(&owner), waiter_(std::move(w))
    {
        std::lock_guard lock{owner_->waiters_mutex_};
        owner_->waiters_.push_back(waiter_);
        owner_->waiter_count_.store(owner_->waiters_.size(), std::memory_order_release);
    }
    waiter_ticket(waiter_ticket&& other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)), waiter_(std::move(other.waiter_))
    {
    }
    waiter_ticket& operator=(waiter_ticket&&) = delete;
    ~waiter_ticket() { release(); }

    waiter& get() const { return *waiter_; }
    const std::shared_ptr<waiter>& shared() const { return waiter_; }
    void release()
    {
        if (!owner_)
            return;
        std::lock_guard lock{owner_->waiters_mutex_};
        std::erase(owner_->waiters_, waiter_);
        owner_->waiter_count_.store(owner_->waiters_.size(), std::memory_order_release);
        owner_ = nullptr;
    }

private:
    dispatcher* owner_;
    std::shared_ptr<waiter> waiter_;
};

awaitable<json> dispatcher::wait_for(std::string_view name, std::function<bool(const json&)> predicate,
                                     std::chrono::milliseconds timeout)
{
    auto w = std::make_shared<waiter>(waits_, handler_key(name), std::move(predicate));
    warn_if_undeliverable(w->name);
    return wait(waiter_ticket{*this, std::move(w)}, std::string{name}, timeout);
}

awaitable<json> dispatcher::wait(waiter_ticket ticket, std::string what, std::chrono::milliseconds timeout)
{
    asio::steady_timer timer{co_await asio::this_coro::executor, timeout};
    // Weak: a timer handler left queued on the caller's executor must not keep the waiter (and
    // its channel, a service of the client's io_context) alive past the wait.
    timer.async_wait([weak = std::weak_ptr<waiter>{ticket.shared()}](boost::system::error_code ec) {
        if (auto w = weak.lock(); w && !ec)
            w->settle(asio::error::timed_out, json{});
    });
    auto [ec, value] = co_await ticket.get().outcome.async_receive(asio::as_tuple(asio::use_awaitable));
    timer.cancel();
    ticket.release();
    if (!ec)
        co_return std::move(value);
    if (ec == asio::error::timed_out)
        throw error(errc::timeout, fmt::format("no {} event within {} ms", what, timeout.count()));
    if (ec == asio::error::shut_down)
        throw error(errc::stopped, fmt::format("client stopped while waiting for {}", what));
    throw error(errc::cancelled, fmt::format("wait for {} cancelled: {}", what, ec.message()));
}

// --- lifecycle ---------------------------------------------------------------------------------

void dispatcher::open() { stopping_ = false; }

void dispatcher::close()
{
    stopping_ = true;
    std::lock_guard lock{waiters_mutex_};
    for (auto& w : waiters_)
        w->settle(asio::error::shut_down, json{});
}

awaitable<bool> dispatcher::wait_for_handlers(std::chrono::milliseconds limit)
{
    asio::steady_timer tick{co_await asio::this_coro::executor};
    auto end = std::chrono::steady_clock::now() + limit;
    while (in_flight_ > 0 && std::chrono::steady_clock::now() < end) {
        tick.expires_after(10ms);
        co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return in_flight_ == 0;
}

// Handlers already running may finish within stop_grace (cord::sleep_for ends at once); then
// the rest are cancelled: whatever they wait on ends with operation_aborted.
awaitable<void> dispatcher::drain()
{
    // Named, not in the if: g++ 12 crashes (SIGILL or SIGSEGV) on a co_await in the condition of
    // a coroutine's first statement when no local variable comes before it.
    bool ended = co_await wait_for_handlers(settings_.stop_grace);
    if (!ended) {
        log(log_level::info, "cancelling {} handler(s) and task(s) still running {} ms after stop", in_flight_.load(),
            settings_.stop_grace.count());
        cancel_tasks();
        ended = co_await wait_for_handlers(1s);
    }
    if (!ended)
        log(log_level::warning,
            "{} handler(s) still running after stop and cancellation (a plain handler blocking its thread?)",
            in_flight_.load());
}

} // namespace cord::detail
