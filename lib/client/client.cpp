// cord: the client — threads, lifecycle and supervision of shards; delivery is lib/events'.
// SPDX-License-Identifier: BSL-1.0
#include "client/environment.hpp"
#include "client/gateway_bot.hpp"
#include "client/identify_gate.hpp"
#include "events/dispatcher.hpp"
#include "interactions/gateway_hook.hpp"
#include "log/component_log.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/logging.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <list>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace cord {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr detail::component_log log{"client"};

constexpr std::size_t max_token_size = 512;

// "cord-io-0", "cord-handler-0": what top -H, perf and gdb show for the client's threads
// (Linux keeps 15 characters).
void name_this_thread(const char* role, unsigned index)
{
    auto name = fmt::format("{}-{}", role, index);
    name.resize(std::min<std::size_t>(name.size(), 15));
    pthread_setname_np(pthread_self(), name.c_str());
}

void check_token(std::string_view token)
{
    if (token.empty())
        throw error(errc::invalid_argument, "the token is empty: pass the bot token from the Developer Portal");
    // Discord's tokens are well under 100 characters; a huge one would only fail later, in
    // every request header, with an error that is not cord's.
    if (token.size() > max_token_size)
        throw error(errc::invalid_argument,
                    fmt::format("the token is {} bytes long, more than the {} any Discord token needs: pass the bot "
                                "token from the Developer Portal",
                                token.size(), max_token_size));
    for (std::string_view prefix : {"Bot ", "Bearer "})
        if (token.starts_with(prefix))
            throw error(errc::invalid_argument,
                        fmt::format("pass the token without the \"{}\" prefix: cord adds it from "
                                    "client_options::token_type",
                                    prefix.substr(0, prefix.size() - 1)));
    for (char c : token)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            throw error(errc::invalid_argument,
                        "the token contains spaces, line breaks or non-ASCII characters: it is malformed");
}

void check_options(const client_options& o)
{
    if (o.shard_count < 1)
        throw error(errc::invalid_argument,
                    fmt::format("shard_count must be at least 1 (got {})", o.shard_count));
    if (o.shards) {
        auto [first, last] = *o.shards;
        if (first < 0 || last <= first)
            throw error(errc::invalid_argument,
                        fmt::format("shard range [{}, {}) is empty or negative", first, last));
        if (!o.auto_shard && last > o.shard_count)
            throw error(errc::invalid_argument,
                        fmt::format("shard range [{}, {}) lies outside the {} shard(s) in total", first, last,
                                    o.shard_count));
    }
    if (!valid_intents(o.intents))
        throw error(errc::invalid_argument,
                    fmt::format("intents {} contain bits Discord does not define (it would close with 4013)",
                                to_string(o.intents)));
    if (o.worker_threads < 1 || o.handler_threads < 1)
        throw error(errc::invalid_argument, "worker_threads and handler_threads must be at least 1");
    if (o.auto_shard && o.token_type != token_type::bot)
        throw error(errc::invalid_argument, "auto_shard needs a bot token (GET /gateway/bot)");
}

// The client whose I/O or handler thread this is: sync_wait() there would wait for itself.
thread_local const void* current_client = nullptr;

} // namespace

// Tells cord::sleep_for which client, if any, owns the executor it runs on. One is made on each
// of a client's io_contexts; it lives (and dies) with them.
struct client_link : asio::execution_context::service {
    using key_type = client_link;
    using sleeper = std::function<awaitable<bool>(std::chrono::steady_clock::time_point)>;
    static inline asio::execution_context::id id;
    explicit client_link(asio::execution_context& ctx) : service(ctx) {}   // needed by use_service
    client_link(asio::execution_context& ctx, sleeper s) : service(ctx), sleep_until(std::move(s)) {}
    void shutdown() override {}
    sleeper sleep_until;   // the client's: false when it stopped first
};

struct client::impl {
    client& self;
    std::string token;
    client_options options;

    // Declared first: destroyed last, after everything that holds their executors.
    asio::io_context io;
    asio::io_context handlers;
    asio::executor_work_guard<asio::io_context::executor_type> io_work{io.get_executor()};
    asio::executor_work_guard<asio::io_context::executor_type> handler_work{handlers.get_executor()};
    // run_all() and the shard group's bookkeeping in supervise_all(): with worker_threads > 1,
    // shards that end together would otherwise update it from two threads at once.
    asio::strand<asio::io_context::executor_type> run_strand{io.get_executor()};

    std::unique_ptr<rest_client> rest;
    detail::dispatcher events;
    interaction_router router;

    mutable std::mutex mutex;   // guards everything below
    std::vector<std::unique_ptr<shard>> shards;
    std::vector<asio::any_io_executor> shard_executors;   // where each shard runs (shard_executor())
    std::list<std::pair<asio::any_io_executor, asio::steady_timer*>> sleepers;   // cancelled by stop()
    json bot_user;
    int total_shards = 0;
    std::string gateway_url;   // what the shards connect to, once start() has asked Discord
    bool stopping = false;
    // Set when a start_no_wait run ends; set (to no error) while none was ever started.
    std::optional<std::exception_ptr> background_result{std::exception_ptr{}};
    std::condition_variable background_done;
    std::atomic<bool> running{false};

    std::vector<std::thread> threads;

    impl(client& c, std::string t, client_options o)
        : self(c), token(std::move(t)), options(std::move(o)), io(static_cast<int>(options.worker_threads)),
          handlers(static_cast<int>(options.handler_threads)),
          events(c, handlers, io.get_executor(),
                 {.intents = options.intents,
                  .stop_grace = options.stop_grace,
                  .max_queued_events = std::max<std::size_t>(options.max_queued_events, 1),
                  .max_queued_bytes = std::max<std::size_t>(options.max_queued_bytes, 1),
                  .inline_handlers = options.inline_handlers,
                  .slow_handler = options.slow_handler_warning}),
          router(options.interactions)
    {
        options.rest.tls = options.tls;
        auto sleeper = [this](std::chrono::steady_clock::time_point until) { return sleep_until(until); };
        asio::make_service<client_link>(io, sleeper);
        asio::make_service<client_link>(handlers, sleeper);
        rest = std::make_unique<rest_client>(io.get_executor(), token, options.rest, options.token_type);
        events.add("INTERACTION_CREATE", {},
                   detail::interactions::gateway_handler(router.core(), *rest, io.get_executor()));
        for (unsigned i = 0; i < options.worker_threads; ++i)
            threads.emplace_back([this, i] {
                name_this_thread("cord-io", i);
                current_client = this;
                io.run();
            });
        for (unsigned i = 0; i < options.handler_threads; ++i)
            threads.emplace_back([this, i] {
                name_this_thread("cord-handler", i);
                current_client = this;
                handlers.run();
            });
    }

    ~impl()
    {
        io_work.reset();
        handler_work.reset();
        io.stop();
        handlers.stop();
        for (auto& t : threads)
            t.join();
    }

    bool is_stopping()
    {
        std::lock_guard lock{mutex};
        return stopping;
    }

    // Sleeps until `until` unless stop() comes first; returns false when stopped.
    awaitable<bool> sleep_until(std::chrono::steady_clock::time_point until)
    {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer timer{ex, until};
        std::list<std::pair<asio::any_io_executor, asio::steady_timer*>>::iterator me;
        {
            std::lock_guard lock{mutex};
            if (stopping)
                co_return false;
            me = sleepers.emplace(sleepers.end(), ex, &timer);
        }
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        bool stopped;
        {
            std::lock_guard lock{mutex};
            sleepers.erase(me);
            stopped = stopping;
        }
        // stop() may have posted a cancel for this timer just before the erase: let it run
        // while the timer is still alive.
        co_await asio::this_coro::throw_if_cancelled(false);
        co_await asio::post(ex, asio::as_tuple(asio::use_awaitable));
        auto cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            throw error(errc::cancelled, "the wait was cancelled");
        co_return !stopped;
    }

    awaitable<json> fetch_gateway()
    {
        if (options.token_type == token_type::bot)
            co_return co_await rest->request("GET", "/gateway/bot");
        co_return co_await rest->request("GET", "/gateway");
    }

    bool wants(detail::dispatcher::lane& lane, std::string_view name)
    {
        return name == "READY" || events.wants(lane, name);
    }

    void deliver(detail::dispatcher::lane& lane, shard& s, gateway_event& ev)
    {
        if (ev.name == "READY" && ev.d.is_object()) {
            if (auto u = ev.d.find("user")) {
                std::lock_guard lock{mutex};
                bot_user = *u;
            }
        }
        events.deliver(lane, s, ev);
    }

    awaitable<void> before_identify(detail::identify_schedule& schedule, int shard_id)
    {
        auto slot = schedule.reserve(shard_id, std::chrono::steady_clock::now());
        if (slot > std::chrono::steady_clock::now())
            log(log_level::debug, "shard {} identifies in {} ms (max_concurrency {})", shard_id,
                std::chrono::duration_cast<std::chrono::milliseconds>(slot - std::chrono::steady_clock::now())
                    .count(),
                schedule.max_concurrency());
        if (!co_await sleep_until(slot))
            throw error(errc::stopped, "client stopped before the shard identified");
    }

    // Runs one shard until stop() or a fatal error; restarts it after anything else.
    awaitable<void> supervise(shard& s)
    {
        auto backoff = 1s;
        for (;;) {
            std::exception_ptr failure;
            try {
                co_await s.run();
                co_return;
            } catch (const gateway_error&) {
                throw;
            } catch (const std::exception& e) {
                if (is_stopping())
                    co_return;
                log(log_level::error, "shard {} failed: {}; restarting in {} s", s.id(), e.what(), backoff.count());
            }
            if (!co_await sleep_until(std::chrono::steady_clock::now() + backoff))
                co_return;
            backoff = std::min(backoff * 2, std::chrono::seconds{60});
        }
    }

    awaitable<void> run_all()
    {
        if (running.exchange(true))
            throw error(errc::invalid_argument, "the client is already running");
        struct reset_running {
            impl& i;
            ~reset_running() { i.running = false; }
        } guard{*this};
        {
            std::lock_guard lock{mutex};
            stopping = false;
        }

        events.open();
        events.warn_about_intents();
        auto info = detail::read_gateway_bot(co_await fetch_gateway(), options.tls.allow_plaintext,
                                             [](std::string_view warning) { log(log_level::warning, "{}", warning); });
        if (options.auto_shard && !info.shards)
            throw error(errc::invalid_response, "/gateway/bot recommended no shard count: cannot auto-shard");
        int total = options.auto_shard ? *info.shards : options.shard_count;
        shard_range range = options.shards.value_or(shard_range{0, total});
        if (range.last > total)
            throw error(errc::invalid_argument,
                        fmt::format("shard range [{}, {}) lies outside the {} shard(s) Discord recommends",
                                    range.first, range.last, total));

        int max_concurrency = info.max_concurrency;
        int identifies = 0;
        for (int id = range.first; id < range.last; ++id)
            if (!resumable(id))
                ++identifies;
        if (identifies > info.remaining)
            throw error(errc::rate_limit_wait,
                        fmt::format("Discord allows {} more identifies until its daily limit resets in {}; "
                                    "starting {} shard(s) would exceed it (and reset the token)",
                                    info.remaining, std::chrono::duration_cast<std::chrono::minutes>(info.reset_after),
                                    identifies));

        gateway_options gw = options.gateway;
        if (gw.url == gateway_options{}.url && info.url)
            gw.url = *info.url;
        // Inline, the shard's documents go to the handlers (coroutines may hold up to about the
        // cap of them), and they all come back to its pool. Otherwise the shard parses only
        // READY and member chunks; the handler strand parses the rest into pools of its own.
        if (options.inline_handlers)
            gw.pooled_documents = std::max(gw.pooled_documents, options.max_queued_events + 16);

        detail::identify_schedule schedule{max_concurrency};
        {
            std::lock_guard lock{mutex};
            if (stopping)
                co_return;
            total_shards = total;
            gateway_url = gw.url;
            shards.clear();
            shard_executors.clear();
            for (int id = range.first; id < range.last; ++id) {
                shard_config config{token, options.intents, id, total, gw, options.tls, resume_from(id)};
                shard_hooks hooks;
                hooks.wants = [this, lane = &events.lane_for(id)](std::string_view name) { return wants(*lane, name); };
                hooks.on_event = [this, lane = &events.lane_for(id)](shard& s, gateway_event& ev) {
                    deliver(*lane, s, ev);
                };
                if (!options.inline_handlers)   // parsed on the handler strand, not on the shard's thread
                    hooks.on_dispatch_text = [this, lane = &events.lane_for(id)](shard& s, const gateway_dispatch_text& t) {
                        events.deliver_text(*lane, s, t);
                    };
                hooks.on_batch_end = [this, lane = &events.lane_for(id)](shard&) { events.end_batch(*lane); };
                hooks.on_lifecycle = [this](shard& s, const lifecycle_event& e) { events.lifecycle(s, e); };
                hooks.before_identify = [this, &schedule](int shard_id) {
                    return before_identify(schedule, shard_id);
                };
                auto ex = shard_executor();
                shard_executors.push_back(ex);
                shards.push_back(std::make_unique<shard>(ex, std::move(config), std::move(hooks)));
            }
        }
        log(log_level::info, "starting shards [{}, {}) of {} (max_concurrency {})", range.first, range.last, total,
            max_concurrency);

        std::exception_ptr failure;
        try {
            co_await supervise_all();
        } catch (...) {
            failure = std::current_exception();
        }
        co_await events.drain();
        if (failure)
            std::rethrow_exception(failure);
    }

    // One I/O thread serialises all it runs: a strand per shard would only add a hand-off to
    // every completion of the shard's reads (what the bare shard does not pay).
    asio::any_io_executor shard_executor()
    {
        if (options.worker_threads == 1)
            return io.get_executor();
        return asio::make_strand(io);
    }

    bool resumable(int id) const
    {
        auto i = static_cast<std::size_t>(id);
        return i < options.resume_sessions.size() && options.resume_sessions[i].valid();
    }
    std::optional<session_info> resume_from(int id) const
    {
        if (!resumable(id))
            return std::nullopt;
        return options.resume_sessions[static_cast<std::size_t>(id)];
    }

    // The task group: every shard supervised concurrently; the first fatal error stops the
    // others and is rethrown once all have ended.
    awaitable<void> supervise_all()
    {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer all_done{ex, asio::steady_timer::time_point::max()};
        std::size_t remaining;
        std::exception_ptr first_error;
        std::vector<std::pair<shard*, asio::any_io_executor>> group;
        {
            std::lock_guard lock{mutex};
            for (std::size_t i = 0; i < shards.size(); ++i)
                group.emplace_back(shards[i].get(), shard_executors[i]);
        }
        remaining = group.size();
        for (auto [s, shard_ex] : group) {
            asio::co_spawn(shard_ex, supervise(*s), [&, ex](std::exception_ptr e) {
                asio::post(ex, [&, e] {
                    if (e && !first_error) {
                        first_error = e;
                        self.stop();
                    }
                    if (--remaining == 0)
                        all_done.cancel();
                });
            });
        }
        if (remaining > 0)
            co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        log(log_level::info, "all shards stopped");
        if (first_error)
            std::rethrow_exception(first_error);
    }
};

client::client(std::string token, client_options options)
{
    check_token(token);
    detail::apply_environment(options, detail::process_environment(),
                              [](std::string_view notice) { log(log_level::warning, "{}", notice); });
    check_options(options);
    register_secret(token);
    impl_ = std::make_unique<impl>(*this, std::move(token), std::move(options));
}

client::client(const char* token, client_options options)
    : client(token ? std::string{token}
                   : throw error(errc::invalid_argument,
                                 "the token is a null pointer (std::getenv found no such variable?): set "
                                 "DISCORD_TOKEN to the bot token from the Developer Portal, or run "
                                 "cord-fake-discord and follow what it prints"),
             std::move(options))
{
}

client::~client()
{
    stop();
    // Give running shards a moment to close cleanly before the threads are stopped.
    for (int i = 0; i < 200 && impl_->running; ++i)
        std::this_thread::sleep_for(10ms);
}

awaitable<void> client::start() { co_await asio::co_spawn(impl_->run_strand, impl_->run_all(), asio::use_awaitable); }

void client::run()
{
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::exception_ptr failure;
    asio::signal_set signals{impl_->io};
    if (impl_->options.handle_signals) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([this](boost::system::error_code ec, int sig) {
            if (!ec) {
                log(log_level::info, "signal {} received: stopping", sig);
                stop();
            }
        });
    }
    asio::co_spawn(impl_->run_strand, impl_->run_all(), [&](std::exception_ptr e) {
        std::lock_guard lock{m};
        failure = e;
        done = true;
        cv.notify_all();
    });
    {
        std::unique_lock lock{m};
        cv.wait(lock, [&] { return done; });
    }
    asio::post(impl_->io, [&signals] { signals.cancel(); });
    // The signal handler must be gone before `signals` is destroyed.
    std::promise<void> flushed;
    asio::post(impl_->io, [&flushed] { flushed.set_value(); });
    flushed.get_future().wait();
    if (failure)
        std::rethrow_exception(failure);
}

void client::start_no_wait()
{
    {
        std::lock_guard lock{impl_->mutex};
        impl_->background_result.reset();
    }
    asio::co_spawn(impl_->run_strand, impl_->run_all(), [i = impl_.get()](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log(log_level::error, "client stopped with an error: {}", ex.what());
            }
        }
        std::lock_guard lock{i->mutex};
        i->background_result = e;
        i->background_done.notify_all();
    });
}

void client::wait_stopped()
{
    std::unique_lock lock{impl_->mutex};
    impl_->background_done.wait(lock, [&] { return impl_->background_result.has_value(); });
    if (*impl_->background_result)
        std::rethrow_exception(*impl_->background_result);
}

void client::stop(stop_mode mode)
{
    std::lock_guard lock{impl_->mutex};
    impl_->stopping = true;
    for (auto& s : impl_->shards)
        s->stop(mode);
    for (auto& [ex, timer] : impl_->sleepers)
        asio::post(ex, [t = timer] { t->cancel(); });
    impl_->events.close();
}

namespace {
// By value: the caller's presence may be gone by the time the returned awaitable runs.
awaitable<void> update_every_shard(std::vector<shard*> shards, presence status)
{
    for (shard* s : shards)
        co_await s->update_status(status);
}
} // namespace

awaitable<void> client::update_status(const presence& status)
{
    return update_every_shard(shards(), status);
}

client::subscription client::on_event(std::string_view name, handler h)
{
    if (!h)
        throw error(errc::invalid_argument, "on_event: empty handler");
    return impl_->events.add(name, std::move(h), {});
}

client::subscription client::on_event(std::string_view name, coroutine_handler h)
{
    if (!h)
        throw error(errc::invalid_argument, "on_event: empty handler");
    return impl_->events.add(name, {}, std::move(h));
}

void client::off(subscription id) { impl_->events.remove(id); }

interaction_router& client::interactions() noexcept { return impl_->router; }

client::subscription client::on_lifecycle(lifecycle_handler h)
{
    if (!h)
        throw error(errc::invalid_argument, "on_lifecycle: empty handler");
    return impl_->events.add_lifecycle(std::move(h));
}

awaitable<json> client::wait_for(std::string_view name, std::function<bool(const json&)> predicate,
                                 std::chrono::milliseconds timeout)
{
    return impl_->events.wait_for(name, std::move(predicate), timeout);
}

json client::user() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->bot_user;
}

std::vector<shard*> client::shards() const
{
    std::lock_guard lock{impl_->mutex};
    std::vector<shard*> out;
    for (auto& s : impl_->shards)
        out.push_back(s.get());
    return out;
}

int client::shard_count() const
{
    std::lock_guard lock{impl_->mutex};
    return impl_->total_shards;
}

const std::string& client::token() const noexcept { return impl_->token; }
cord::intents client::intents() const noexcept { return impl_->options.intents; }
bool client::running() const noexcept { return impl_->running; }

std::vector<session_info> client::sessions() const
{
    std::lock_guard lock{impl_->mutex};
    std::vector<session_info> out(static_cast<std::size_t>(std::max(0, impl_->total_shards)));
    for (auto& s : impl_->shards) {
        if (static_cast<std::size_t>(s->id()) >= out.size())
            continue;
        auto session = s->session();
        // Events that stop() kept from the handlers are replayed to whoever resumes.
        if (auto first = impl_->events.first_undelivered(s->id()); first && *first > 0)
            session.seq = std::min(session.seq, *first - 1);
        out[static_cast<std::size_t>(s->id())] = session;
    }
    return out;
}

json client::describe() const
{
    std::lock_guard lock{impl_->mutex};
    std::vector<json_fragment> shards;
    for (auto& s : impl_->shards) {
        auto session = s->session();
        shards.emplace_back(json::object({{"id", s->id()},
                                          {"status", to_string(s->status())},
                                          {"seq", session.seq},
                                          {"session", !session.session_id.empty()},
                                          {"latency_ms", s->latency().count()}}));
    }
    const auto& o = impl_->options;
    // URLs are the user's or Discord's text: redacted, in case one carries a secret in its query.
    std::string gateway = impl_->gateway_url.empty() ? o.gateway.url : impl_->gateway_url;
    return json::object({{"shard_count", impl_->total_shards},
                         {"running", impl_->running.load()},
                         {"intents", json::object({{"bits", to_bits(o.intents)}, {"names", to_string(o.intents)}})},
                         {"gateway_url", redact(gateway)},
                         {"rest_base_url", redact(o.rest.base_url)},
                         {"shards", shards}});
}

rest_client& client::rest() noexcept { return *impl_->rest; }
boost::asio::any_io_executor client::executor() const { return impl_->handlers.get_executor(); }

void spawn(client& bot, awaitable<void> task)
{
    auto& events = bot.impl_->events;
    events.launch([](detail::dispatcher& d, awaitable<void> body) -> awaitable<void> {
        try {
            co_await std::move(body);
        } catch (...) {
            d.report_failure("a task given to cord::spawn", std::current_exception());
        }
    }(events, std::move(task)));
}

awaitable<void> sleep_until(std::chrono::steady_clock::time_point t)
{
    auto ex = co_await asio::this_coro::executor;
    auto& ctx = asio::query(ex, asio::execution::context);
    if (asio::has_service<client_link>(ctx) && asio::use_service<client_link>(ctx).sleep_until) {
        if (!co_await asio::use_service<client_link>(ctx).sleep_until(t))
            throw error(errc::stopped, "the client stopped during sleep_for");
        co_return;
    }
    asio::steady_timer timer{ex, t};
    co_await timer.async_wait(asio::use_awaitable);
}

awaitable<void> sleep_for(std::chrono::steady_clock::duration d)
{
    return sleep_until(std::chrono::steady_clock::now() + d);
}

void client::sync_wait_impl(std::function<awaitable<void>()> body)
{
    if (current_client == impl_.get())
        throw error(errc::invalid_argument,
                    "sync_wait() called on one of this client's own threads (from a handler?): it would wait for "
                    "itself forever; co_await the call instead");
    std::promise<void> done;
    asio::co_spawn(impl_->handlers.get_executor(), body(), [&](std::exception_ptr e) {
        if (e)
            done.set_exception(e);
        else
            done.set_value();
    });
    done.get_future().get();
}

} // namespace cord
