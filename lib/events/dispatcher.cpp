// cord: the dispatcher — delivery to handlers, wait_for, tasks, draining at stop.
// SPDX-License-Identifier: BSL-1.0
#include "events/dispatcher.hpp"

#include "events/event_intents.hpp"
#include "events/handler_watch.hpp"
#include "events/reused_slots.hpp"
#include "gateway/padded_buffer.hpp"
#include "log/component_log.hpp"

#include <cord/error.hpp>
#include <cord/event_name.hpp>
#include <cord/logging.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <string>
#include <type_traits>

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
      handler_strand_(handlers.get_executor()), documents_(s.max_queued_events + 16)
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

void dispatcher::remove(client::subscription id)
{
    registry_.remove(id);
    std::lock_guard lock{lifecycle_mutex_};
    auto next = std::make_shared<std::vector<std::pair<client::subscription, client::lifecycle_handler>>>(*lifecycle_);
    std::erase_if(*next, [id](const auto& e) { return e.first == id; });
    lifecycle_ = std::move(next);
}

client::subscription dispatcher::add_lifecycle(client::lifecycle_handler h)
{
    auto id = registry_.reserve_id();
    std::lock_guard lock{lifecycle_mutex_};
    auto next = std::make_shared<std::vector<std::pair<client::subscription, client::lifecycle_handler>>>(*lifecycle_);
    next->emplace_back(id, std::move(h));
    lifecycle_ = std::move(next);
    return id;
}

void dispatcher::lifecycle(shard& s, const lifecycle_event& e)
{
    std::shared_ptr<const std::vector<std::pair<client::subscription, client::lifecycle_handler>>> handlers;
    {
        std::lock_guard lock{lifecycle_mutex_};
        handlers = lifecycle_;
    }
    if (handlers->empty())
        return;
    ++in_flight_;
    asio::post(handler_strand_, [this, &s, e, handlers] {
        struct done {
            std::atomic<int>& n;
            ~done() { --n; }
        } guard{in_flight_};
        for (const auto& [id, h] : *handlers) {
            try {
                h(s, e);
            } catch (...) {
                report_failure(fmt::format("a lifecycle handler ({})", to_string(e.kind)), std::current_exception());
            }
        }
    });
}

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

// An event on its way to the handlers, with what it needs there: the registry as it was when
// the event arrived (registration order is event order), and the waiters it may satisfy. Its
// slot is used again for a later event (reused_slots): `text` keeps its capacity.
struct dispatcher::queued {
    shard* s = nullptr;
    // Parsed by the shard (READY, member chunks, anything a bot's own hooks parsed), or only
    // its name (viewing `text`), seq and size until the handler strand parses `text`.
    gateway_event ev;
    gateway::padded_buffer text{1024};   // the payload, when the shard handed it over unparsed
    const event_registry::table* table = nullptr;
    // `table`, on the first event queued after it changed: the handler strand keeps it from
    // there on (events behind it use the same table), so no event pays a reference count.
    std::shared_ptr<const event_registry::table> keep;
    const std::vector<event_registry::entry>* named = nullptr;
    std::uint16_t event = 0;   // event_number(name), for the watchdog
    std::vector<std::shared_ptr<waiter>> woken;

    // Lets go of the event (its document goes back to its pool now); keeps the slot's buffers,
    // but not one a huge event grew.
    void release()
    {
        ev = gateway_event{};
        keep.reset();
        woken.clear();
        text.clear_and_shrink(64 * 1024);
    }
};

// One shard's events in order, in three hands: the shard gathers a batch without any lock,
// hands it over under the lock once per batch, and the handler strand swaps the handed-over
// events out under it once per batch. Each hand's fields have a cache line of their own.
class dispatcher::lane {
public:
    explicit lane(int id) : shard_id(id) {}
    const int shard_id;
    // Slots move when a sequence of them gives back what a burst grew: never a copy of a buffer.
    static_assert(std::is_nothrow_move_constructible_v<queued>);

    // --- the shard's thread --------------------------------------------------------------------
    reused_slots<queued> gathering;   // this batch so far
    std::size_t gathering_bytes = 0;
    // The registry as this lane's shard last saw it: no lock per event.
    std::shared_ptr<const event_registry::table> table;
    std::uint64_t table_version = 0;
    bool table_queued = false;   // an event queued since `table` changed carries it (queued::keep)
    // The last name looked up and its handlers in `table`: a run of one event looks up once.
    std::array<char, 48> last_name{};
    std::size_t last_name_size = 0;
    bool has_last = false;
    const std::vector<event_registry::entry>* last_named = nullptr;
    std::uint16_t last_event = 0;   // event_number() of the name last looked up, cached or not
    handler_watch watch;            // inline: the handlers this shard's thread runs
    bool is_last(std::string_view name) const noexcept
    {
        return has_last && name.size() == last_name_size
               && std::char_traits<char>::compare(name.data(), last_name.data(), name.size()) == 0;
    }

    // --- handed over ---------------------------------------------------------------------------
    alignas(64) std::mutex mutex;
    reused_slots<queued> incoming;   // (under mutex)
    bool scheduled = false;         // a drain is posted (under mutex)
    std::optional<std::uint64_t> first_dropped;   // the first event stop() left undelivered (under mutex)
    shard* paused = nullptr;        // this lane's shard was asked to pause (under the lanes' lock)

    // --- the handler strand --------------------------------------------------------------------
    alignas(64) reused_slots<queued> batch;   // being handled
    std::shared_ptr<const event_registry::table> handled_table;   // the table of the events being handled
};

// Asked twice an event (wants, then deliver), and most often for the event before's name: the
// answer is kept, and this check is all a repeat costs.
inline const std::vector<event_registry::entry>* dispatcher::handlers_of(lane& l, std::string_view name)
{
    if (l.table_version == registry_.version() && l.is_last(name))
        return l.last_named;
    return look_up(l, name);
}

const std::vector<event_registry::entry>* dispatcher::look_up(lane& l, std::string_view name)
{
    if (auto v = registry_.version(); v != l.table_version) {
        l.table = registry_.snapshot();   // at least as new as `v`
        l.table_version = v;
        l.table_queued = false;
    }
    auto it = l.table->by_name.find(name);
    const auto* named = it == l.table->by_name.end() ? nullptr : &it->second;
    // Only an event somebody handles needs naming to the watchdog: the many nobody wants skip it.
    l.last_event = named || !l.table->any.empty() ? event_number(name) : 0;
    l.has_last = name.size() <= l.last_name.size();
    if (l.has_last) {
        std::char_traits<char>::copy(l.last_name.data(), name.data(), name.size());
        l.last_name_size = name.size();
        l.last_named = named;
    }
    return named;
}

bool dispatcher::wants(lane& l, std::string_view name)
{
    if (handlers_of(l, name) || !l.table->any.empty())   // handlers_of refreshed l.table
        return true;
    if (waiter_count_.load(std::memory_order_acquire) == 0)
        return false;
    std::lock_guard lock{waiters_mutex_};
    return std::any_of(waiters_.begin(), waiters_.end(), [&](const auto& w) { return w->name == name; });
}

dispatcher::lane& dispatcher::lane_for(int shard_id)
{
    std::lock_guard lock{lanes_mutex_};
    auto& l = lanes_[shard_id];
    if (!l)
        l = std::make_unique<lane>(shard_id);
    return *l;
}

std::size_t dispatcher::slots_held(lane& l)
{
    std::lock_guard lock{l.mutex};
    return l.gathering.slots() + l.incoming.slots() + l.batch.slots();
}

std::optional<std::uint64_t> dispatcher::first_undelivered(int shard_id)
{
    std::lock_guard lock{lanes_mutex_};
    auto it = lanes_.find(shard_id);
    if (it == lanes_.end())
        return std::nullopt;
    std::lock_guard lane_lock{it->second->mutex};
    return it->second->first_dropped;
}

// Who gets an event named `name`: its named handlers (or none) and the waiters it may
// satisfy; false when nobody does. Inline in every event's path; waiters are rare.
inline bool dispatcher::route(lane& l, std::string_view name, const std::vector<event_registry::entry>*& named,
                              std::vector<std::shared_ptr<waiter>>& woken)
{
    named = handlers_of(l, name);
    if (waiter_count_.load(std::memory_order_acquire) != 0)
        waiters_of(name, woken);
    return named || !l.table->any.empty() || !woken.empty();
}

void dispatcher::waiters_of(std::string_view name, std::vector<std::shared_ptr<waiter>>& woken)
{
    std::lock_guard lock{waiters_mutex_};
    for (auto& w : waiters_)
        if (w->name == name)
            woken.push_back(w);
}

// An event's named handlers, in registration order; with `take_last`, the last one may take
// `d` rather than a copy (nobody after it needs it).
inline void dispatcher::run_named(const std::vector<event_registry::entry>& named, gateway_event& ev, bool take_last,
                                  shard& s, handler_watch& watch, std::uint16_t event)
{
    for (std::size_t i = 0; i < named.size(); ++i)
        invoke(named[i], ev.name, ev.d, take_last && i + 1 == named.size(), s, watch, event);
}

void dispatcher::deliver(lane& l, shard& s, gateway_event& ev)
{
    // Inline, and only named handlers to serve (the common bot): straight to them.
    if (settings_.inline_handlers && waiter_count_.load(std::memory_order_acquire) == 0) {
        const auto* named = handlers_of(l, ev.name);
        if (l.table->any.empty()) {
            if (named)
                run_named(*named, ev, true, s, l.watch, l.last_event);
            return;
        }
    }
    const std::vector<event_registry::entry>* named = nullptr;
    std::vector<std::shared_ptr<waiter>> woken;
    if (!route(l, ev.name, named, woken))
        return;
    if (settings_.inline_handlers) {
        // At once, on this thread, the event as the shard holds it: the lane's table outlives the call.
        hand_over(s, ev, *l.table, named, woken, l.watch, l.last_event);
        return;
    }
    auto bytes = ev.bytes;
    auto& q = enqueue(l, s, named, woken);
    q.ev = std::move(ev);
    q.text.clear();
    queued_one(l, s, bytes);
}

void dispatcher::deliver_text(lane& l, shard& s, const gateway_dispatch_text& t)
{
    const std::vector<event_registry::entry>* named = nullptr;
    std::vector<std::shared_ptr<waiter>> woken;
    if (!route(l, t.name, named, woken))
        return;
    auto& q = enqueue(l, s, named, woken);
    q.text.assign(t.text);
    q.ev.seq = t.seq;
    q.ev.bytes = t.text.size();
    // The name views the copy until the document replaces it (a shard's name views its text).
    auto name_at = reinterpret_cast<std::uintptr_t>(t.name.data());
    auto text_at = reinterpret_cast<std::uintptr_t>(t.text.data());
    bool inside = name_at >= text_at && name_at - text_at + t.name.size() <= t.text.size();
    q.ev.name = inside ? std::string_view{q.text.data() + (name_at - text_at), t.name.size()} : std::string_view{};
    queued_one(l, s, t.text.size());
}

// In every queued event's path: inline, in both callers.
[[gnu::always_inline]] inline dispatcher::queued&
dispatcher::enqueue(lane& l, shard& s, const std::vector<event_registry::entry>* named,
                    std::vector<std::shared_ptr<waiter>>& woken)
{
    auto& q = l.gathering.push();
    q.s = &s;
    q.table = l.table.get();
    q.named = named;
    q.event = l.last_event;   // route() looked the name up
    q.woken.clear();          // (released empty)
    if (!woken.empty())
        q.woken.swap(woken);
    if (!std::exchange(l.table_queued, true))
        q.keep = l.table;
    return q;
}

// After an event joined the lane's batch: counts it, and pauses the shard at the cap.
void dispatcher::queued_one(lane& l, shard& s, std::size_t bytes)
{
    l.gathering_bytes += bytes;
    // The cap counts every lane's handed-over events and this lane's batch so far.
    auto events = queued_events_.load(std::memory_order_relaxed) + l.gathering.size();
    auto total_bytes = queued_bytes_.load(std::memory_order_relaxed) + l.gathering_bytes;
    if (events >= settings_.max_queued_events || total_bytes >= settings_.max_queued_bytes)
        pause(l, s, events, total_bytes);
}

void dispatcher::pause(lane& l, shard& s, std::size_t events, std::size_t bytes)
{
    end_batch(l);   // what the shard gathered goes to the handlers, and counts for every lane
    {
        std::lock_guard lock{lanes_mutex_};
        if (!l.paused) {
            l.paused = &s;
            any_paused_ = true;
            s.pause_reading();
            log(log_level::debug, "shard {} pauses reading: {} events ({} bytes) wait for handlers", l.shard_id,
                events, bytes);
        }
    }
    // The handlers may have caught up between the count above and the pause, and their
    // last release() seen no pause yet: nobody else would resume this shard.
    maybe_resume();
}

void dispatcher::end_batch(lane& l)
{
    if (l.gathering.empty())
        return;
    // Counted before a handler can see them: release() never takes a count below zero.
    queued_events_.fetch_add(l.gathering.size());
    queued_bytes_.fetch_add(std::exchange(l.gathering_bytes, 0));
    bool schedule;
    {
        std::lock_guard lock{l.mutex};
        if (l.incoming.empty())
            l.incoming.swap(l.gathering);   // the slots circulate: nothing allocates
        else
            for (auto& q : l.gathering)
                std::swap(l.incoming.push(), q);
        schedule = !std::exchange(l.scheduled, true);
    }
    l.gathering.clear();
    if (schedule) {
        ++in_flight_;
        asio::post(handler_strand_, [this, &l] { drain_lane(l); });
    }
}

// On the handler strand: one batch, then the strand's other work (other shards' lanes) before
// the next batch of this lane.
void dispatcher::drain_lane(lane& l)
{
    struct done {
        std::atomic<int>& n;
        ~done() { --n; }
    } guard{in_flight_};
    {
        std::lock_guard lock{l.mutex};
        l.batch.swap(l.incoming);
    }
    // Counted out in steps, not per event: the counts are shared with the shards' threads.
    const std::size_t step = std::max<std::size_t>(1, settings_.max_queued_events / 4);
    std::size_t dropped = 0, released = 0, released_bytes = 0;
    for (auto& q : l.batch) {
        if (q.keep)
            l.handled_table = std::move(q.keep);
        if (stopping_) {
            // stop(): what no handler has seen yet is not run; a successor resumes before it.
            std::lock_guard lock{l.mutex};
            if (!l.first_dropped || q.ev.seq < *l.first_dropped)
                l.first_dropped = q.ev.seq;
            ++dropped;
        } else if (q.text.size() == 0 || parse_text(l, q)) {
            if (q.woken.empty() && q.table->any.empty()) {   // only named handlers (the common bot)
                if (q.named)
                    run_named(*q.named, q.ev, true, *q.s, strand_watch_, q.event);
            } else {
                hand_over(*q.s, q.ev, *q.table, q.named, q.woken, strand_watch_, q.event);
            }
        }
        released_bytes += q.ev.bytes;
        q.release();   // now, not after the whole batch
        if (++released == step) {
            release(released, released_bytes);
            released = released_bytes = 0;
        }
    }
    if (released)
        release(released, released_bytes);
    if (dropped)
        log(log_level::info, "stop: {} event(s) of shard {} not handed to handlers", dropped, l.shard_id);
    bool more;
    {
        std::lock_guard lock{l.mutex};
        more = !l.incoming.empty();
        l.scheduled = more;
    }
    // Keeps its slots (a steady stream allocates no batch), but not all of a burst's when the
    // lane has caught up.
    l.batch.clear(!more);
    if (more) {
        ++in_flight_;
        asio::post(handler_strand_, [this, &l] { drain_lane(l); });
    }
}

// On the handler strand, just before the event's handlers run. The shard checked the envelope
// (op, s, t) but not inside `d`: a `d` that is not JSON is reported with the event and
// skipped (the same bytes would come again on a resume).
bool dispatcher::parse_text(lane& l, queued& q)
{
    try {
        q.ev.envelope = documents_.parse(q.text.view(), true);
    } catch (const error& e) {
        log(log_level::error, "shard {}: {} (seq {}) is not valid JSON; no handler gets it: {}", l.shard_id,
            q.ev.name, q.ev.seq, e.what());
        return false;
    }
    if (auto d = q.ev.envelope.find("d"))
        q.ev.d = std::move(*d);
    // The name views `text` (alive until the slot is released, after the handlers), unless
    // the shard had to parse an unusual envelope to read it.
    if (q.ev.name.empty())
        if (auto t = q.ev.envelope.find("t"); t && t->is_string())
            q.ev.name = t->as_string();   // views the document, which the handlers keep alive
    return true;
}

// Counts events out of the lanes; under half of both caps, paused shards read again.
void dispatcher::release(std::size_t events, std::size_t bytes)
{
    queued_events_.fetch_sub(events);
    queued_bytes_.fetch_sub(bytes);
    maybe_resume();
}

// Sequentially consistent with deliver()'s pause: of a release() that empties the queue and a
// pause that comes at the same time, at least one sees the other, so a paused shard is always
// resumed once its handlers are back under half of the cap.
void dispatcher::maybe_resume()
{
    if (!any_paused_.load() || queued_events_.load() > settings_.max_queued_events / 2
        || queued_bytes_.load() > settings_.max_queued_bytes / 2)
        return;
    std::lock_guard lock{lanes_mutex_};
    for (auto& [id, l] : lanes_) {
        if (l->paused) {
            std::exchange(l->paused, nullptr)->resume_reading();
            log(log_level::debug, "shard {} reads again", id);
        }
    }
    any_paused_ = false;
}

// The event is the dispatcher's from here (the shard is done with it): the last handler to get
// `d` takes it rather than a copy. The envelope is only ever copied: it keeps the document, and
// with it the event's name, alive until the event is done.
void dispatcher::hand_over(shard& s, gateway_event& ev, const event_registry::table& table,
                           const std::vector<event_registry::entry>* named,
                           std::vector<std::shared_ptr<waiter>>& woken, handler_watch& watch, std::uint16_t event)
{
    if (named)
        run_named(*named, ev, woken.empty(), s, watch, event);
    for (std::size_t i = 0; i < table.any.size(); ++i)
        invoke(table.any[i], ev.name, ev.envelope, false, s, watch, event);
    if (woken.empty())
        return;
    if (settings_.inline_handlers) {   // predicates run one at a time, on the strand
        asio::post(handler_strand_, [woken = std::move(woken), d = ev.d] {
            for (const auto& w : woken)
                offer(*w, d);
        });
        return;
    }
    for (const auto& w : woken)
        offer(*w, ev.d);
}

// Catch-all handlers get the envelope (so that they know which event it is), the others `d`;
// the last one to get it may take it. A plain handler's call is stamped on `watch`, which the
// watchdog reads (watch_handlers).
void dispatcher::invoke(const event_registry::entry& e, std::string_view name, json& payload, bool last, shard& s,
                        handler_watch& watch, std::uint16_t event)
{
    if (!e.plain) {
        launch(run_coroutine_handler(e.coroutine, std::string{name}, s, last ? std::move(payload) : payload));
        return;
    }
    watch.begin(event);
    try {
        if (last)
            e.plain(s, owner_, std::move(payload));
        else
            e.plain(s, owner_, payload);
    } catch (...) {
        report_handler_failure(name, std::current_exception());
    }
    watch.end();
}

// Reads the stamps of the threads that run plain handlers (each shard's, inline; else the
// handler strand's) every quarter of slow_handler_warning (5 ms at least): a call found running
// at enough readings in a row has run for the threshold at least, and one that runs about 1.25
// times it (1.5 times under 20 ms) is always found, while it still runs. Runs where no watched handler does (the handler thread
// when handlers are inline, else the I/O context), until close() or the next open().
awaitable<void> dispatcher::watch_handlers(std::uint64_t generation)
{
    using namespace std::chrono;
    auto period = std::clamp<milliseconds>(settings_.slow_handler / 4, 5ms, milliseconds{hours{1}});
    auto readings = static_cast<int>(std::clamp<std::int64_t>(settings_.slow_handler / period, 1, 1000)) + 1;
    std::map<int, handler_sampler> lanes;   // by shard id
    handler_sampler strand{readings};
    asio::steady_timer timer{co_await asio::this_coro::executor};
    for (;;) {
        timer.expires_after(period);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (stopping_ || watch_generation_.load() != generation)
            co_return;
        if (!settings_.inline_handlers) {
            if (auto event = strand.sample(strand_watch_.read()))
                warn_slow(*event, std::nullopt);
            continue;
        }
        std::lock_guard lock{lanes_mutex_};
        for (auto& [id, l] : lanes_)
            if (auto event = lanes.try_emplace(id, readings).first->second.sample(l->watch.read()))
                warn_slow(*event, id);
    }
}

void dispatcher::warn_slow(std::uint16_t event, std::optional<int> shard_id) const
{
    auto name = event_name_of(event);
    auto who = name.empty() ? std::string{"an event cord does not know"}
                            : fmt::format("{} ({})", name, racket_event_name(name));
    if (shard_id)
        log(log_level::warning,
            "a handler of {} has run over {} ms on shard {}'s thread, delaying its heartbeats: move slow work to a "
            "coroutine handler or cord::spawn",
            who, settings_.slow_handler.count(), *shard_id);
    else
        log(log_level::warning, "a handler of {} has run over {} ms: every event behind it waits", who,
            settings_.slow_handler.count());
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
    std::list<std::shared_ptr<running_task>>::iterator at;
    {
        std::lock_guard lock{tasks_mutex_};
        at = tasks_.insert(tasks_.end(), task);
    }
    ++in_flight_;
    // Erased by its position: a batch of coroutine handlers puts hundreds in the list at once.
    // The handler's copy of `task` keeps the signal its slot belongs to until the handler is done.
    asio::co_spawn(task->strand, std::move(body),
                   asio::bind_cancellation_slot(task->cancel.slot(), [this, task, at](std::exception_ptr) {
                       {
                           std::lock_guard lock{tasks_mutex_};
                           tasks_.erase(at);
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

void dispatcher::open()
{
    stopping_ = false;
    auto generation = ++watch_generation_;
    if (settings_.inline_handlers)
        asio::co_spawn(asio::make_strand(handlers_), watch_handlers(generation), asio::detached);
    else
        asio::co_spawn(waits_, watch_handlers(generation), asio::detached);
    std::lock_guard lock{lanes_mutex_};
    for (auto& [id, l] : lanes_) {   // the shards of the last run are gone
        l->paused = nullptr;
        // A batch a shard of the last run gathered but never handed over (it ended without
        // waiting for its socket again) names a shard that is gone: it was never counted.
        for (auto& q : l->gathering)
            q.release();
        l->gathering.clear();
        l->gathering_bytes = 0;
        l->table_queued = false;
        std::lock_guard lane_lock{l->mutex};
        l->first_dropped.reset();
    }
    any_paused_ = false;
}

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
