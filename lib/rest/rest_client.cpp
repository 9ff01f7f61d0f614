// cord: rest_client, the REST half of cord. Every call runs as a coroutine on one strand
// that owns the limiter, the pool and the counters: bucket turn → connection → global
// turn → exchange → bookkeeping, retried where Discord's rules and safety allow.
// SPDX-License-Identifier: BSL-1.0
#include <cord/rest_client.hpp>

#include "net/url.hpp"
#include "rest/access.hpp"
#include "rest/prepared_request.hpp"
#include "rest/rate_limiter.hpp"
#include "rest/transport.hpp"
#include "rest/wait_queue.hpp"

#include <cord/error.hpp>
#include <cord/logging.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include <fmt/format.h>

#include <atomic>
#include <utility>

namespace cord {

namespace asio = boost::asio;
using asio::use_awaitable;
using namespace std::chrono_literals;
using rest::clock;
using rest::time_point;

namespace {

constexpr std::string_view component = "rest";

std::int64_t to_us(clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

std::string cloudflare_message(std::string_view call, clock::duration ban)
{
    return fmt::format("{}: Cloudflare bans this IP from Discord's API for {:.1f} s more (a 429 without Via or "
                       "Discord's JSON), longer than this call may wait",
                       call, std::chrono::duration<double>(ban).count());
}

/// "host:port" for errors and logs: a host alone does not say which service was unreachable.
std::string endpoint_of(const net::url& u)
{
    if (u.host.find(':') != std::string::npos)
        return fmt::format("[{}]:{}", u.host, u.port);
    return fmt::format("{}:{}", u.host, u.port);
}

std::string authorization_for(const std::string& token, token_type type)
{
    if (token.empty())
        return {};
    switch (type) {
    case token_type::bot: return "Bot " + token;
    case token_type::bearer: return "Bearer " + token;
    case token_type::client: return token;
    }
    return token;
}

// 502/503/504 mean the request never reached Discord's application; a 500 may come after
// it acted, so only calls that are safe to repeat are retried then.
bool retry_is_safe(int status, const rest::prepared_request& p)
{
    return status == 502 || status == 503 || status == 504 || p.idempotent;
}

struct counters {
    std::atomic<std::uint64_t> requests{0}, responses{0}, retries{0}, rate_limited_user{0},
        rate_limited_global{0}, rate_limited_shared{0}, cloudflare_blocked{0}, server_errors{0},
        transport_errors{0}, invalid_requests{0};
    std::atomic<std::int64_t> wait_us{0};
};

} // namespace

struct rest_client::impl : std::enable_shared_from_this<rest_client::impl> {
    impl(asio::any_io_executor ex, std::string token, rest_options opts, token_type type)
        : executor(asio::make_strand(std::move(ex))), options(std::move(opts)),
          authorization(authorization_for(token, type)), base(net::parse_url(options.base_url)),
          global(options.global_requests_per_second)
    {
        if (!token.empty())
            register_secret(token);
        if (!base.tls && !options.tls.allow_plaintext)
            throw error(errc::invalid_argument,
                        fmt::format("base_url \"{}\" is not https; set tls.allow_plaintext to use plain HTTP "
                                    "(an emulator on loopback)",
                                    options.base_url));
        base_path = base.path;
        while (!base_path.empty() && base_path.back() == '/')
            base_path.pop_back();
        if (options.max_connections == 0)
            options.max_connections = 1;
        transport = std::make_unique<rest::transport>(
            executor, rest::transport_options{base, options.tls, options.max_connections, options.max_response_size,
                                              options.request_timeout});
    }

    rest::request_context context() const { return {base_path, authorization}; }

    void check_open() const
    {
        if (stopped.load(std::memory_order_relaxed))
            throw error(errc::stopped, "the REST client was stopped");
        if (unauthorized.load(std::memory_order_relaxed))
            throw error(errc::unauthorized, "Discord refused the token (401) earlier; cord sends no more requests "
                                            "with it — check the token");
    }

    awaitable<json> run(rest::prepared_request p, std::optional<std::chrono::milliseconds> max_wait);

    struct bucket_turn {
        rest::bucket_state* bucket = nullptr;
        std::string key;
        std::uint64_t ticket = 0;
    };
    awaitable<bucket_turn> wait_bucket(const rest::prepared_request& p, time_point deadline, bool retry);
    awaitable<void> wait_global(time_point deadline, std::string_view call);
    awaitable<void> sleep(clock::duration d);
    void after_response(const rest::prepared_request& p, bucket_turn& turn, const rest::rate_limit_info& info);
    void count_invalid();
    void warn_clamped(unsigned causes, const std::string& route);
    void wake_everyone();
    void maybe_evict(time_point now);
    [[noreturn]] void fail_wait(const rest::prepared_request& p, clock::duration needed);
    void report(const rest::prepared_request& p, const bucket_turn& turn, int status, int attempt,
                clock::duration waited, clock::duration took);

    asio::strand<asio::any_io_executor> executor;
    rest_options options;
    std::string authorization;
    net::url base;
    std::string base_path;
    std::unique_ptr<rest::transport> transport;
    rest::rate_limiter limiter;
    rest::global_limiter global;
    rest::invalid_request_window invalid;
    std::vector<rest::waiter*> waiting;   ///< every call waiting on a turn: woken by stop()
    time_point last_eviction{};
    std::atomic<bool> stopped{false}, unauthorized{false};
    time_point banned_until{};    ///< end of a Cloudflare ban (on the strand)
    unsigned clamps_warned = 0;   ///< rest::clamp_cause bits already logged (on the strand)
    counters count;
};

namespace {

// Registers a waiter for stop(), and takes it out of its queue however the call ends.
struct queued_waiter {
    rest_client::impl& client;
    rest::waiter w;
    std::deque<rest::waiter*>* queue = nullptr;

    explicit queued_waiter(rest_client::impl& c) : client(c), w(c.executor) { client.waiting.push_back(&w); }
    ~queued_waiter()
    {
        leave();
        std::erase(client.waiting, &w);
    }
    queued_waiter(const queued_waiter&) = delete;
    queued_waiter& operator=(const queued_waiter&) = delete;

    void join(std::deque<rest::waiter*>& q, bool front)
    {
        if (queue == &q)
            return;
        leave();
        queue = &q;
        if (front)
            q.push_front(&w);
        else
            q.push_back(&w);
    }
    void leave()
    {
        if (queue)
            rest::remove_waiter(*queue, &w);
        queue = nullptr;
    }
    bool first_in(const std::deque<rest::waiter*>& q) const { return q.empty() || q.front() == &w; }
};

} // namespace

void rest_client::impl::fail_wait(const rest::prepared_request& p, clock::duration needed)
{
    throw error(errc::rate_limit_wait,
                fmt::format("{} {} would wait {:.1f} s for a rate limit, more than the allowed maximum; raise "
                            "max_rate_limit_wait to wait longer",
                            p.method, p.route_key.substr(p.route_key.find(' ') + 1),
                            std::chrono::duration<double>(needed).count()));
}

awaitable<rest_client::impl::bucket_turn> rest_client::impl::wait_bucket(const rest::prepared_request& p,
                                                                           time_point deadline, bool retry)
{
    queued_waiter q{*this};
    bucket_turn turn;
    for (;;) {
        check_open();
        auto now = clock::now();
        auto& b = limiter.bucket_for(p.route_key, p.major, turn.key);
        std::optional<time_point> until;
        if (q.first_in(b.waiters)) {
            auto d = b.try_acquire(now);
            if (d.granted) {
                q.leave();
                rest::poke_front(b.waiters);   // the next one may go in the same instant
                turn.bucket = &b;
                turn.ticket = d.ticket;
                co_return turn;
            }
            if (d.retry_at && *d.retry_at > deadline)
                fail_wait(p, *d.retry_at - now);   // fail fast: the wait is known to be too long
            until = d.retry_at;
            q.join(b.waiters, true);
        } else {
            q.join(b.waiters, retry);
            // A retry goes to the front: then it is its turn now, not after someone's poke.
            if (q.first_in(b.waiters))
                continue;
        }
        if (now >= deadline)
            fail_wait(p, now - deadline);
        co_await rest::wait_for_turn(q.w, until ? std::min(*until, deadline) : deadline);
    }
}

awaitable<void> rest_client::impl::wait_global(time_point deadline, std::string_view call)
{
    queued_waiter q{*this};
    for (;;) {
        check_open();
        auto now = clock::now();
        std::optional<time_point> until;
        if (q.first_in(global.waiters)) {
            until = global.try_acquire(now);
            if (!until) {
                q.leave();
                rest::poke_front(global.waiters);
                co_return;
            }
            if (*until > deadline && banned_until >= *until)
                throw error(errc::cloudflare_blocked, cloudflare_message(call, banned_until - now));
            if (*until > deadline)
                throw error(errc::rate_limit_wait,
                            fmt::format("the global rate limit would hold this call {:.1f} s, more than the "
                                        "allowed maximum",
                                        std::chrono::duration<double>(*until - now).count()));
            q.join(global.waiters, true);
        } else {
            q.join(global.waiters, false);
        }
        co_await rest::wait_for_turn(q.w, until ? std::min(*until, deadline) : deadline);
        if (clock::now() >= deadline && !q.first_in(global.waiters))
            throw error(errc::rate_limit_wait, "waited longer than allowed behind the global rate limit");
    }
}

awaitable<void> rest_client::impl::sleep(clock::duration d)
{
    queued_waiter q{*this};
    auto until = clock::now() + d;
    while (clock::now() < until) {
        check_open();
        co_await rest::wait_for_turn(q.w, until);
    }
    check_open();
}

void rest_client::impl::after_response(const rest::prepared_request& p, bucket_turn& turn,
                                       const rest::rate_limit_info& info)
{
    auto* old = turn.bucket;
    bool moved = limiter.on_response(p.route_key, p.major, *old, turn.ticket, clock::now(), info);
    turn.bucket = nullptr;
    if (moved)
        rest::poke_all(old->waiters);   // they find their real bucket
    else
        rest::poke_front(old->waiters);
    std::string key;
    rest::poke_front(limiter.bucket_for(p.route_key, p.major, key).waiters);
}

void rest_client::impl::count_invalid()
{
    auto now = clock::now();
    bool warn = invalid.add(now, options.invalid_request_warning);
    auto n = invalid.count(now);
    count.invalid_requests.store(n, std::memory_order_relaxed);
    if (warn && discord_logger().enabled(log_level::warning))
        discord_logger().log(log_level::warning, component,
                             fmt::format("{} invalid requests (401/403/429) in the last 10 minutes; Discord bans "
                                         "the IP at 10000",
                                         n));
}

// Once per cause for the client's life: a server that lies on every response must not
// flood the log.
void rest_client::impl::warn_clamped(unsigned causes, const std::string& route)
{
    unsigned fresh = causes & ~clamps_warned;
    clamps_warned |= causes;
    if (!fresh || !discord_logger().enabled(log_level::warning))
        return;
    auto pause = rest::max_server_pause.count();
    const std::pair<unsigned, std::string> what[] = {
        {rest::clamped_retry_after, fmt::format("a retry_after / Retry-After above {0} s: waiting {0} s", pause)},
        {rest::clamped_reset_after, fmt::format("an X-RateLimit-Reset-After above {0} s: using {0} s", pause)},
        {rest::clamped_limit, fmt::format("an X-RateLimit-Limit of 0 or above {0}: using 1..{0}", rest::max_bucket_limit)},
        {rest::clamped_remaining, std::string{"an X-RateLimit-Remaining above the limit: using the limit"}},
    };
    for (const auto& [bit, text] : what)
        if (fresh & bit)
            discord_logger().log(log_level::warning, component,
                                 fmt::format("{} answered {} (said once per client)", route, text));
}

void rest_client::impl::wake_everyone()
{
    for (auto* w : waiting)
        rest::poke(w);
}

void rest_client::impl::maybe_evict(time_point now)
{
    if (now - last_eviction < 10s)
        return;
    last_eviction = now;
    auto idle = std::chrono::duration_cast<clock::duration>(options.bucket_idle_timeout);
    limiter.evict_idle(now, idle);
    count.invalid_requests.store(invalid.count(now), std::memory_order_relaxed);
}

void rest_client::impl::report(const rest::prepared_request& p, const bucket_turn& turn, int status, int attempt,
                               clock::duration waited, clock::duration took)
{
    if (discord_logger().enabled(log_level::debug))
        discord_logger().log(log_level::debug, component,
                             fmt::format("{} [bucket {}] → {} in {:.1f} ms (rate-limit wait {:.1f} ms, attempt {})",
                                         p.route_key, turn.key, status, to_us(took) / 1000.0,
                                         to_us(waited) / 1000.0, attempt));
    if (options.on_metrics) {
        rest_event ev;
        ev.method = p.method;
        ev.route = p.route_key.substr(p.route_key.find(' ') + 1);
        ev.bucket = turn.key;
        ev.status = status;
        ev.attempt = attempt;
        ev.rate_limit_wait = std::chrono::duration_cast<std::chrono::microseconds>(waited);
        ev.duration = std::chrono::duration_cast<std::chrono::microseconds>(took);
        try {
            options.on_metrics(ev);
        } catch (...) {
            // a metrics hook must not break a call
        }
    }
}

awaitable<json> rest_client::impl::run(rest::prepared_request p, std::optional<std::chrono::milliseconds> max_wait)
{
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    auto self = shared_from_this();
    // Clamped so that "wait forever" (a huge maximum) cannot overflow the clock.
    auto deadline = clock::now() + std::min<clock::duration>(max_wait.value_or(options.max_rate_limit_wait), 24h * 365);
    int failures = 0, limited = 0, attempt = 0, stale_retries = 0;
    bool retry = false;
    for (;; ++attempt) {
        maybe_evict(clock::now());
        auto wait_start = clock::now();
        auto turn = co_await wait_bucket(p, deadline, retry);
        // Whatever happens next, the bucket hears how this request ended.
        struct settle {
            impl& c;
            bucket_turn& t;
            ~settle()
            {
                if (t.bucket) {
                    t.bucket->on_no_response(t.ticket);
                    rest::poke_front(t.bucket->waiters);
                }
            }
        } settle_guard{*this, turn};

        auto [cec, conn] = co_await transport->acquire();
        if (cec) {
            count.transport_errors.fetch_add(1, std::memory_order_relaxed);
            check_open();
            if (failures >= options.max_retries)
                throw error(errc::transport, fmt::format("cannot connect to {}: {}", endpoint_of(base), cec.message()));
            auto backoff = std::min<clock::duration>(options.backoff_max, options.backoff_min * (1 << std::min(failures, 20)));
            ++failures;
            count.retries.fetch_add(1, std::memory_order_relaxed);
            if (discord_logger().enabled(log_level::warning))
                discord_logger().log(log_level::warning, component,
                                     fmt::format("cannot connect to {} ({}); retry {} in {} ms", endpoint_of(base),
                                                 cec.message(), failures, to_us(backoff) / 1000));
            turn.bucket->on_no_response(turn.ticket);
            rest::poke_front(turn.bucket->waiters);
            turn.bucket = nullptr;
            co_await sleep(backoff);
            retry = true;
            continue;
        }
        // The connection goes back to the pool when the attempt ends, and before any backoff:
        // a call waiting to retry must not hold one of max_connections from other routes.
        struct give_back {
            rest::transport& t;
            std::shared_ptr<rest::connection> c;
            bool reusable = false;
            void now()
            {
                if (c)
                    t.release(std::exchange(c, nullptr), reusable);
            }
            ~give_back() { now(); }
        } conn_guard{*transport, conn, true};

        if (p.global_limit)   // interaction-token routes are outside the global limit (rate-limits.md)
            co_await wait_global(deadline, p.route_key);
        auto waited = clock::now() - wait_start;
        count.wait_us.fetch_add(to_us(waited), std::memory_order_relaxed);

        count.requests.fetch_add(1, std::memory_order_relaxed);
        auto sent_at = clock::now();
        auto res = co_await transport->exchange(*conn, p);
        auto took = clock::now() - sent_at;
        conn_guard.reusable = res.reusable;

        if (res.ec) {
            turn.bucket->on_no_response(turn.ticket);
            rest::poke_front(turn.bucket->waiters);
            turn.bucket = nullptr;
            report(p, turn, 0, attempt, waited, took);
            check_open();
            auto cs = co_await asio::this_coro::cancellation_state;
            if (cs.cancelled() != asio::cancellation_type::none || res.ec == asio::error::operation_aborted)
                throw error(errc::cancelled, fmt::format("{} cancelled", p.route_key));
            if (res.timed_out)
                throw error(errc::timeout, fmt::format("{} got no response within {} ms", p.route_key,
                                                       options.request_timeout.count()));
            if (res.too_large)
                throw error(errc::payload_too_large,
                            fmt::format("{}: the response is larger than max_response_size ({} bytes)", p.route_key,
                                        options.max_response_size));
            // A reused keep-alive connection the server had closed: send again on a new one.
            if (res.reused_connection && !res.response_started && stale_retries++ < 2) {
                retry = true;
                continue;
            }
            count.transport_errors.fetch_add(1, std::memory_order_relaxed);
            bool safe = p.idempotent;   // a POST may have been carried out before the failure
            if (!safe || failures >= options.max_retries)
                throw error(errc::transport, fmt::format("{} failed: {}{}", p.route_key, res.ec.message(),
                                                         safe ? " (after retries)" : " (not retried: not idempotent)"));
            auto backoff = std::min<clock::duration>(options.backoff_max, options.backoff_min * (1 << std::min(failures, 20)));
            ++failures;
            count.retries.fetch_add(1, std::memory_order_relaxed);
            if (discord_logger().enabled(log_level::warning))
                discord_logger().log(log_level::warning, component,
                                     fmt::format("{} failed ({}); retry {} in {} ms", p.route_key, res.ec.message(),
                                                 failures, to_us(backoff) / 1000));
            conn_guard.now();
            co_await sleep(backoff);
            retry = true;
            continue;
        }

        count.responses.fetch_add(1, std::memory_order_relaxed);
        auto cls = rest::classify(res.response);
        std::string key = turn.key;
        after_response(p, turn, cls.limits);
        report(p, bucket_turn{nullptr, key, 0}, res.response.status, attempt, waited, took);
        if (cls.counts_as_invalid)
            count_invalid();
        if (cls.clamped)
            warn_clamped(cls.clamped, p.route_key);
        auto status = res.response.status;
        auto route_name = p.method + " " + p.route_key.substr(p.route_key.find(' ') + 1);

        switch (cls.kind) {
        case rest::response_kind::ok: {
            if (status == 204 || res.response.body.empty())
                co_return json{};
            try {
                co_return json::parse(res.response.body);
            } catch (const error& e) {
                throw error(errc::invalid_response,
                            fmt::format("{} answered {} with a body that is not valid JSON: {}", route_name, status,
                                        e.what()));
            }
        }
        case rest::response_kind::rate_limited: {
            auto ra = std::chrono::duration_cast<clock::duration>(*cls.limits.retry_after);
            auto scope = cls.limits.scope;
            (scope == rate_limit_scope::global   ? count.rate_limited_global
             : scope == rate_limit_scope::shared ? count.rate_limited_shared
                                                 : count.rate_limited_user)
                .fetch_add(1, std::memory_order_relaxed);
            if (cls.limits.global) {
                global.pause_until(clock::now() + ra);
                rest::poke_all(global.waiters);
            }
            if (discord_logger().enabled(log_level::warning))
                discord_logger().log(log_level::warning, component,
                                     fmt::format("429 on {} [bucket {}, scope {}]: retry after {:.3f} s", route_name,
                                                 key,
                                                 scope == rate_limit_scope::global   ? "global"
                                                 : scope == rate_limit_scope::shared ? "shared"
                                                                                     : "user",
                                                 std::chrono::duration<double>(ra).count()));
            if (++limited > options.max_rate_limit_retries)
                throw http::discord_error::from_response(status, res.response.body, route_name);
            if (clock::now() + ra > deadline)
                fail_wait(p, ra);
            count.retries.fetch_add(1, std::memory_order_relaxed);
            retry = true;
            continue;
        }
        case rest::response_kind::cloudflare: {
            // The IP is banned: any request before the ban ends extends it, so every route waits.
            count.cloudflare_blocked.fetch_add(1, std::memory_order_relaxed);
            auto ban = std::chrono::duration_cast<clock::duration>(*cls.limits.retry_after);
            auto until = clock::now() + ban;
            if (until > banned_until) {
                banned_until = until;
                global.pause_until(until);
                rest::poke_all(global.waiters);
                if (discord_logger().enabled(log_level::error))
                    discord_logger().log(log_level::error, component,
                                         fmt::format("{} got a 429 from Cloudflare, not Discord's API (no Via, no JSON "
                                                     "retry_after): this IP is banned, usually after too many invalid "
                                                     "requests; every REST call pauses {:.1f} s",
                                                     route_name, std::chrono::duration<double>(ban).count()));
            }
            if (until > deadline || ++limited > options.max_rate_limit_retries)
                throw error(errc::cloudflare_blocked, cloudflare_message(route_name, ban));
            count.retries.fetch_add(1, std::memory_order_relaxed);
            retry = true;
            continue;
        }
        case rest::response_kind::server_error: {
            count.server_errors.fetch_add(1, std::memory_order_relaxed);
            if (!retry_is_safe(status, p) || failures >= options.max_retries)
                throw http::discord_error::from_response(status, res.response.body, route_name);
            auto backoff = std::min<clock::duration>(options.backoff_max, options.backoff_min * (1 << std::min(failures, 20)));
            ++failures;
            count.retries.fetch_add(1, std::memory_order_relaxed);
            if (discord_logger().enabled(log_level::warning))
                discord_logger().log(log_level::warning, component,
                                     fmt::format("{} answered {}; retry {} in {} ms", route_name, status, failures,
                                                 to_us(backoff) / 1000));
            conn_guard.now();
            co_await sleep(backoff);
            retry = true;
            continue;
        }
        case rest::response_kind::unauthorized:
            // Only a refused token stops the client: a 401 on a route sent without
            // Authorization (a bad webhook token) says nothing about the bot token.
            if (p.authorization.empty())
                throw http::discord_error::from_response(status, res.response.body, route_name);
            if (!unauthorized.exchange(true)) {
                discord_logger().log(log_level::error, component,
                                     "Discord refused the token (401): cord sends no more REST requests");
                wake_everyone();
            }
            throw http::discord_error::from_response(status, res.response.body, route_name);
        case rest::response_kind::client_error:
            throw http::discord_error::from_response(status, res.response.body, route_name);
        }
    }
}

rest_client::rest_client(asio::any_io_executor executor, std::string token, rest_options options, token_type type)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(token), std::move(options), type))
{
}

rest_client::~rest_client() { stop(); }

void rest_client::stop()
{
    if (impl_->stopped.exchange(true))
        return;
    // Runs on the strand: wake every waiting call (it sees `stopped`) and close connections.
    asio::dispatch(impl_->executor, [self = impl_] {
        self->wake_everyone();
        rest::poke_all(self->global.waiters);
        self->transport->close_all();
    });
}

const rest_options& rest_client::options() const noexcept { return impl_->options; }

asio::any_io_executor rest_client::get_executor() const noexcept { return impl_->executor; }

rest_metrics rest_client::metrics() const
{
    auto& c = impl_->count;
    auto get = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    rest_metrics m;
    m.requests = get(c.requests);
    m.responses = get(c.responses);
    m.retries = get(c.retries);
    m.rate_limited_user = get(c.rate_limited_user);
    m.rate_limited_global = get(c.rate_limited_global);
    m.rate_limited_shared = get(c.rate_limited_shared);
    m.cloudflare_blocked = get(c.cloudflare_blocked);
    m.server_errors = get(c.server_errors);
    m.transport_errors = get(c.transport_errors);
    m.invalid_requests = get(c.invalid_requests);
    m.connections_opened = impl_->transport->connections_opened();
    m.rate_limit_wait = std::chrono::microseconds{c.wait_us.load(std::memory_order_relaxed)};
    return m;
}

namespace {

/// A failure from below cord (Beast, OpenSSL, simdjson, the standard library) becomes a
/// cord::error naming the call; only cord's own errors and bad_alloc pass as they are.
[[noreturn]] void rethrow_as_cord(std::string_view what, std::string_view context)
{
    try {
        throw;
    } catch (const error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const boost::system::system_error& e) {
        // An Asio operation refused to start because the call was cancelled.
        if (e.code() == asio::error::operation_aborted)
            throw error(errc::cancelled, fmt::format("{} cancelled", context));
        throw error(errc::transport, fmt::format("{} {}: {}", context, what, e.what()));
    } catch (const std::logic_error& e) {
        // e.g. Beast's "field value too large": a value no HTTP message can carry
        throw error(errc::invalid_argument, fmt::format("{} {}: {}", context, what, e.what()));
    } catch (const std::exception& e) {
        throw error(errc::transport, fmt::format("{} {}: {}", context, what, e.what()));
    }
}

awaitable<json> start(std::shared_ptr<rest_client::impl> c, rest::prepared_request p,
                      std::optional<std::chrono::milliseconds> max_wait)
{
    c->check_open();
    auto context = p.route_key;
    try {
        co_return co_await asio::co_spawn(c->executor, c->run(std::move(p), max_wait), use_awaitable);
    } catch (...) {
        rethrow_as_cord("failed", context);
    }
}

template <class F>
rest::prepared_request prepare_guarded(std::string_view context, F&& f)
{
    try {
        return f();
    } catch (...) {
        rethrow_as_cord("could not be prepared", context);
    }
}

} // namespace

awaitable<json> rest_client::request(std::string_view method, std::string_view path, std::optional<json> body,
                                     const request_options& options)
{
    rest::request req;
    req.body = std::move(body);
    req.query = options.query;
    req.files = options.files;
    req.reason = options.reason;
    auto p = prepare_guarded(method, [&] { return rest::prepare_raw(method, path, req, impl_->context()); });
    return start(impl_, std::move(p), options.max_rate_limit_wait);
}

awaitable<json> rest_client::request(std::string_view method, std::string_view path, std::optional<json> body)
{
    const request_options none;
    return request(method, path, std::move(body), none);
}

awaitable<json> rest::access::execute(rest_client& client, request req)
{
    auto p = prepare_guarded(req.target ? req.target->name : "request",
                             [&] { return prepare(req, client.impl_->context()); });
    return start(client.impl_, std::move(p), req.max_rate_limit_wait);
}

} // namespace cord
