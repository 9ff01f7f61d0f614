// cord: the shard — one coroutine per gateway connection that keeps a session alive.
// Decisions come from session_fsm; bytes go through the transport (Beast lives there).
// SPDX-License-Identifier: BSL-1.0
#include "gateway/document_pool.hpp"
#include "gateway/envelope.hpp"
#include "gateway/inflater.hpp"
#include "gateway/payloads.hpp"
#include "gateway/send_limiter.hpp"
#include "gateway/session_fsm.hpp"
#include "gateway/transport.hpp"
#include "log/peer_text.hpp"
#include "net/url.hpp"

#include <cord/error.hpp>
#include <cord/logging.hpp>
#include <cord/shard.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>

namespace cord {

namespace asio = boost::asio;
using gateway::clock;
using gateway::step;
using gateway::step_kind;
using detail::quote_peer_text;
using std::chrono::milliseconds;

std::string_view to_string(shard_status status) noexcept
{
    switch (status) {
    case shard_status::disconnected: return "disconnected";
    case shard_status::connecting: return "connecting";
    case shard_status::identifying: return "identifying";
    case shard_status::resuming: return "resuming";
    case shard_status::ready: return "ready";
    case shard_status::stopped: return "stopped";
    }
    return "?";
}

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// A payload waiting for the sender; the awaiting operation owns it too.
struct pending_send {
    explicit pending_send(asio::any_io_executor ex, std::string t) : text(std::move(t)), done(ex) {}
    std::string text;
    asio::steady_timer done;
    bool finished = false;
    errc failure = errc::stopped;
};

// The chunks collected for one request_guild_members nonce.
struct member_request {
    explicit member_request(asio::any_io_executor ex) : done(ex) {}
    std::vector<json_fragment> members, presences, not_found;
    asio::steady_timer done;
    bool complete = false;
    bool failed = false;
};

std::string with_detail(std::string what, const std::string& detail)
{
    if (!detail.empty())
        what += " (" + detail + ")";
    return what;
}

std::string query_for(compression c)
{
    std::string q = "v=10&encoding=json";
    if (c == compression::zlib_stream)
        q += "&compress=zlib-stream";
    else if (c == compression::zstd_stream)
        q += "&compress=zstd-stream";
    return q;
}

gateway::fsm_config fsm_config_for(const gateway_options& g)
{
    return {.hello_timeout = g.hello_timeout,
            .ready_timeout = g.ready_timeout,
            .backoff_min = g.reconnect_backoff_min,
            .backoff_max = g.reconnect_backoff_max,
            .max_resume_attempts = g.max_resume_attempts,
            .stable_after = g.stable_after,
            .max_identify_attempts = g.max_identify_attempts,
            .max_connects_per_minute = g.max_connects_per_minute,
            .random = {}};
}

} // namespace

struct shard::impl {
    impl(shard& owner, asio::any_io_executor executor, shard_config cfg, shard_hooks h)
        : owner_(owner), ex_(std::move(executor)), config_(std::move(cfg)), hooks_(std::move(h)),
          component_(fmt::format("shard {}", config_.shard_id)), fsm_(fsm_config_for(config_.gateway)),
          docs_(std::max<std::size_t>(config_.gateway.pooled_documents, 1)), tick_timer_(ex_), write_timer_(ex_),
          sleep_timer_(ex_), read_gate_(ex_)
    {
        if (config_.shard_count < 1 || config_.shard_id < 0 || config_.shard_id >= config_.shard_count)
            throw error(errc::invalid_argument, fmt::format("shard id {} is not within a shard count of {}",
                                                            config_.shard_id, config_.shard_count));
        auto url = net::parse_url(config_.gateway.url);
        if (!url.tls && !config_.tls.allow_plaintext)
            throw error(errc::invalid_argument,
                        fmt::format("the gateway URL {} is not wss://: set tls_options::allow_plaintext to "
                                    "connect without TLS (an emulator on loopback)",
                                    config_.gateway.url));
        if (config_.resume_from && config_.resume_from->valid()) {
            fsm_.restore(*config_.resume_from);
            publish_session();
        }
    }

    // --- logging ----------------------------------------------------------------------------------
    template <class... Args>
    void log(log_level level, fmt::format_string<Args...> f, Args&&... args)
    {
        auto& l = discord_logger();
        if (l.enabled(level))
            l.log(level, component_, fmt::format(f, std::forward<Args>(args)...));
    }

    void emit(lifecycle_event e)
    {
        if (!hooks_.on_lifecycle)
            return;
        e.shard_id = config_.shard_id;
        try {
            hooks_.on_lifecycle(owner_, e);
        } catch (const std::exception& ex) {
            log(log_level::error, "on_lifecycle hook threw: {}", ex.what());
        }
    }

    // Backpressure from the consumer of the events (on the executor).
    void set_reading_paused(bool paused)
    {
        if (reading_paused_ == paused)
            return;
        reading_paused_ = paused;
        fsm_.on_reading_paused(paused);
        log(log_level::debug, "reading {}", paused ? "paused: handlers are behind" : "resumed");
        emit({.kind = paused ? lifecycle_kind::reading_paused : lifecycle_kind::reading_resumed});
        if (!paused)
            read_gate_.cancel();
    }

    // --- state visible to other threads --------------------------------------------------------
    void set_status(shard_status s)
    {
        if (status_.exchange(s) == s)
            return;
        log(log_level::debug, "status {}", to_string(s));
        if (hooks_.on_status) {
            try {
                hooks_.on_status(owner_, s);
            } catch (const std::exception& e) {
                log(log_level::error, "on_status hook threw: {}", e.what());
            }
        }
    }

    void publish_session()
    {
        std::lock_guard lock{session_mutex_};
        session_ = fsm_.session();
        seq_.store(session_.seq, std::memory_order_relaxed);
    }

    session_info session() const
    {
        std::lock_guard lock{session_mutex_};
        session_info s = session_;
        s.seq = seq_.load(std::memory_order_relaxed);
        return s;
    }

    // --- the long-running loop ----------------------------------------------------------------------
    awaitable<void> run()
    {
        if (running_)
            throw error(errc::invalid_argument, "shard::run() is already running");
        running_ = true;
        struct on_exit {
            impl& i;
            ~on_exit()
            {
                i.running_ = false;
                i.set_status(shard_status::stopped);
                i.fail_pending(errc::stopped);
            }
        } guard{*this};

        while (!stop_requested_) {
            if (!fsm_.will_resume() && hooks_.before_identify) {
                co_await hooks_.before_identify(config_.shard_id);
                if (stop_requested_)
                    break;
            }
            step s = co_await run_connection();
            publish_session();
            if (s.kind == step_kind::fail && s.never_ready) {
                auto e = gateway_error::never_ready(fsm_.identify_failures(), s.fatal_code, last_close_reason_);
                log(log_level::error, "{}", e.what());
                throw e;
            }
            if (s.kind == step_kind::fail) {
                log(log_level::error, "gateway closed with {}: {}", s.fatal_code,
                    describe_close_code(s.fatal_code));
                throw gateway_error::from_close_code(s.fatal_code, last_close_reason_);
            }
            if (stop_requested_)
                break;
            if (s.slow_down)
                ++penalties_;
            set_status(shard_status::disconnected);
            if (s.budget_wait)
                log(log_level::warning,
                    "{} connection attempts in the last minute: waiting {} ms before the next (a server that "
                    "keeps ending connections must not make cord flood it)",
                    config_.gateway.max_connects_per_minute, s.delay.count());
            log(log_level::info, "reconnecting in {} ms to {} ({})", s.delay.count(), s.resume ? "resume" : "identify",
                s.reason);
            emit({.kind = lifecycle_kind::reconnect_scheduled,
                  .will_resume = s.resume,
                  .delay = s.delay,
                  .reason = std::string{s.reason}});
            if (s.delay > milliseconds{0}) {
                sleep_timer_.expires_after(s.delay);
                co_await sleep_timer_.async_wait(tuple_awaitable);
            }
        }
        log(log_level::info, "stopped");
    }

    awaitable<step> run_connection()
    {
        end_.reset();
        closing_ = false;
        close_request_ = 0;
        hard_close_at_ = clock::time_point::max();
        handshake_payload_.clear();
        heartbeat_due_ = false;
        last_close_reason_.clear();
        last_read_error_ = {};
        auto window = config_.gateway.send_window;
        limiter_.emplace(config_.gateway.send_limit, window, 3,
                         std::max(window / 50, milliseconds{100}));   // arrival, not sending, counts
        for (int i = 0; i < penalties_; ++i)
            limiter_->slow_down();
        inflate_ = gateway::make_inflater(config_.gateway.compress, config_.gateway.max_frame_size);

        std::string url_text{fsm_.connect_url(config_.gateway.url)};
        net::url where;
        try {
            where = net::parse_url(url_text);
        } catch (const error& e) {
            log(log_level::warning, "{}", e.what());
            co_return fsm_.on_transport_error("unusable gateway URL", clock::now());
        }
        if (!where.tls && !config_.tls.allow_plaintext)
            co_return fsm_.on_transport_error("the resume URL is not wss://", clock::now());
        if (where.tls && !tls_context_)
            tls_context_ = gateway::make_gateway_tls_context(config_.tls);
        std::string target = where.path + "?" + query_for(config_.gateway.compress);

        set_status(shard_status::connecting);
        emit({.kind = lifecycle_kind::connecting});
        fsm_.on_connecting(clock::now());
        conn_ = gateway::make_transport(ex_, where.tls, tls_context_, config_.gateway.max_frame_size);
        log(log_level::debug, "connecting to {}://{}", where.scheme, where.host_header());
        auto ec = co_await conn_->connect(where, target, {config_.gateway.connect_timeout,
                                                          config_.gateway.handshake_timeout});
        if (ec || stop_requested_) {
            std::string detail = conn_->failure();
            conn_.reset();
            if (stop_requested_)
                co_return step{};
            log(log_level::warning, "cannot connect to {}: {}", where.host_header(),
                with_detail(ec.message(), detail));
            co_return fsm_.on_transport_error("connect failed", clock::now());
        }
        fsm_.on_connected(clock::now());
        fsm_.on_reading_paused(reading_paused_);

        using namespace asio::experimental::awaitable_operators;
        co_await (reader() || ticker() || writer());

        step result;
        if (end_) {
            result = *end_;
        } else if (auto code = conn_->peer_close_code()) {
            last_close_reason_ = conn_->peer_close_reason();
            log(gateway::policy_for_close(*code).our_bug ? log_level::error : log_level::info,
                "gateway closed the connection with {}: {}{}", *code, describe_close_code(*code),
                last_close_reason_.empty() ? std::string{}
                                           : fmt::format(" (server said: \"{}\")", quote_peer_text(last_close_reason_)));
            result = fsm_.on_closed(*code, clock::now());
        } else {
            log(log_level::info, "connection lost: {}", with_detail(last_read_error_.message(), conn_->failure()));
            result = fsm_.on_closed(std::nullopt, clock::now());
        }
        emit({.kind = lifecycle_kind::disconnected,
              .close_code = conn_->peer_close_code().value_or(0),
              .will_resume = result.kind == step_kind::reconnect && result.resume,
              .reason = std::string{result.reason}});
        conn_.reset();
        inflate_.reset();
        co_return result;
    }

    // --- the three sides of a connection ----------------------------------------------------------
    static awaitable<bool> cancelled()
    {
        auto cs = co_await asio::this_coro::cancellation_state;
        co_return cs.cancelled() != asio::cancellation_type::none;
    }

    // Tells the consumer that the events handed over since the last call form a batch.
    void end_batch()
    {
        if (std::exchange(batch_open_, false) && hooks_.on_batch_end)
            hooks_.on_batch_end(owner_);
    }

    awaitable<void> reader()
    {
        for (;;) {
            // The handshake is always read: pausing it would end in a missed HELLO or READY.
            while (reading_paused_ && fsm_.current_phase() == gateway::phase::ready) {
                end_batch();
                read_gate_.expires_at(clock::time_point::max());
                co_await read_gate_.async_wait(tuple_awaitable);
                if (co_await cancelled())
                    co_return;
            }
            // A message buffered already is taken without a suspension: most are, in a burst.
            if (auto bytes = conn_->read_buffered()) {
                handle_message(*bytes);
                continue;
            }
            // The next read waits for the socket: what the last ones brought goes out as a batch.
            if (!conn_->frame_buffered())
                end_batch();
            auto [ec, bytes] = co_await conn_->read();
            if (ec) {
                end_batch();
                last_read_error_ = ec;
                co_return;
            }
            handle_message(bytes);
        }
    }

    awaitable<void> ticker()
    {
        for (;;) {
            auto now = clock::now();
            if (closing_) {
                if (now >= hard_close_at_) {
                    log(log_level::debug, "closing handshake timed out: dropping the connection");
                    conn_->force_close();
                    hard_close_at_ = clock::time_point::max();
                }
            } else {
                step s = fsm_.on_tick(now);
                if (s.kind == step_kind::send_heartbeat) {
                    heartbeat_due_ = true;
                    wake_writer();
                } else if (s.kind == step_kind::reconnect) {
                    log(log_level::warning, "{}: reconnecting", s.reason);
                    if (s.zombie)
                        emit({.kind = lifecycle_kind::zombie});
                    end_with(s);
                }
            }
            tick_timer_.expires_at(closing_ ? hard_close_at_ : fsm_.next_wakeup());
            co_await tick_timer_.async_wait(tuple_awaitable);
            if (co_await cancelled())
                co_return;
        }
    }

    awaitable<void> writer()
    {
        for (;;) {
            auto wait_until = clock::time_point::max();
            if (close_request_ != 0) {
                int code = std::exchange(close_request_, 0);
                auto ec = co_await conn_->close(code);
                log(log_level::debug, "closed with {}{}", code, ec ? ": " + ec.message() : std::string{});
                conn_->force_close();
            } else if (closing_) {
                // Nothing more goes out on a closing connection.
            } else if (!handshake_payload_.empty()) {
                std::string text = std::move(handshake_payload_);
                handshake_payload_.clear();
                limiter_->acquire_heartbeat(clock::now());
                if (!co_await write(text))
                    continue;
                fsm_.on_handshake_sent(clock::now());
                emit({.kind = status_.load() == shard_status::resuming ? lifecycle_kind::resume_sent
                                                                       : lifecycle_kind::identify_sent});
                wake_ticker();
                continue;
            } else if (heartbeat_due_) {
                heartbeat_due_ = false;
                limiter_->acquire_heartbeat(clock::now());
                if (!co_await write(gateway::heartbeat_payload(fsm_.highest_seq())))
                    continue;
                continue;
            } else if (status_ == shard_status::ready && !outbox_.empty()) {
                auto now = clock::now();
                if (limiter_->try_acquire(now)) {
                    auto p = outbox_.front();
                    if (!co_await write(p->text))
                        continue;
                    if (!outbox_.empty() && outbox_.front() == p)
                        outbox_.pop_front();
                    p->finished = true;
                    p->done.cancel();
                    continue;
                }
                wait_until = limiter_->next_available(now);
            }
            write_timer_.expires_at(wait_until);
            co_await write_timer_.async_wait(tuple_awaitable);
            if (co_await cancelled())
                co_return;
        }
    }

    awaitable<bool> write(std::string_view text)
    {
        log(log_level::trace, "sending {} bytes", text.size());
        auto ec = co_await conn_->write(text);
        if (ec) {
            log(log_level::debug, "write failed: {}", ec.message());
            conn_->force_close();   // the reader sees it and ends the connection
            co_return false;
        }
        co_return true;
    }

    void wake_writer() { write_timer_.cancel(); }
    void wake_ticker() { tick_timer_.cancel(); }

    // Ends this connection for `s` (the first reason wins), closing with a non-1000 code unless
    // stop() asked for 1000.
    void end_with(step s, int close_code = 0)
    {
        if (end_)
            return;
        end_ = s;
        begin_close(close_code ? close_code : (s.close_code ? s.close_code : gateway::resumable_close_code));
    }

    void begin_close(int code)
    {
        if (closing_)
            return;
        closing_ = true;
        close_request_ = code;
        hard_close_at_ = clock::now() + config_.gateway.handshake_timeout;
        wake_writer();
        wake_ticker();
    }

    // --- incoming payloads -------------------------------------------------------------------------
    void handle_message(std::string_view bytes)
    {
        if (closing_)
            return;   // whatever follows is replayed on RESUME
        std::string_view text = bytes;
        bool padded = true;   // the transport keeps padding after each message
        if (inflate_) {
            try {
                if (!inflate_->feed(bytes))
                    return;
            } catch (const error& e) {
                log(log_level::warning, "{}", e.what());
                end_with(fsm_.on_malformed(clock::now()));
                return;
            }
            text = inflate_->output();
        }
        auto env = gateway::scan_envelope(text);
        json parsed;          // what `env` views when the scanner could not read the envelope
        std::string d_text;
        if (!env)
            env = envelope_by_parse(text, padded, parsed, d_text);
        if (!env) {
            log(log_level::warning, "malformed payload ({} bytes): resuming from seq {}", text.size(), fsm_.seq());
            end_with(fsm_.on_malformed(clock::now()));
            return;
        }
        if (env->op == 0) {
            on_dispatch(*env, text, padded, std::move(parsed));
            return;
        }
        auto now = clock::now();
        switch (env->op) {
        case 1:
            heartbeat_due_ = true;
            wake_writer();
            break;
        case 7:
            log(log_level::info, "op 7 Reconnect");
            end_with(fsm_.on_reconnect_request(now));
            break;
        case 9: {
            bool resumable = env->d == "true";
            log(log_level::info, "op 9 Invalid Session ({})", resumable ? "resumable" : "not resumable");
            emit({.kind = lifecycle_kind::invalid_session, .will_resume = resumable});
            end_with(fsm_.on_invalid_session(resumable, now));
            break;
        }
        case 10: on_hello(*env, now); break;
        case 11:
            fsm_.on_heartbeat_ack(now);
            latency_ms_.store(fsm_.latency().count(), std::memory_order_relaxed);
            break;
        default: log(log_level::debug, "ignoring op {}", env->op); break;
        }
    }

    void on_hello(const gateway::envelope& env, clock::time_point now)
    {
        std::int64_t sent = 0;
        try {
            sent = json::parse(env.d)["heartbeat_interval"].as_int();
        } catch (const error& e) {
            log(log_level::warning, "HELLO without an integer heartbeat_interval: {}", e.what());
            end_with(fsm_.on_malformed(now));
            return;
        }
        auto usable = gateway::usable_heartbeat_interval(sent);
        if (!usable) {
            if (fsm_.current_phase() == gateway::phase::awaiting_hello) {
                log(log_level::warning, "HELLO with heartbeat_interval {} ms: not positive, reconnecting", sent);
                end_with(fsm_.on_hello(milliseconds{0}, now));
            }
            return;
        }
        if (usable->count() != sent)
            log(log_level::warning, "HELLO with heartbeat_interval {} ms, outside [{}, {}] ms: beating every {} ms",
                sent, gateway::heartbeat_interval_min.count(), gateway::heartbeat_interval_max.count(),
                usable->count());
        auto interval = usable->count();
        if (fsm_.current_phase() == gateway::phase::awaiting_hello)
            emit({.kind = lifecycle_kind::hello});
        step s = fsm_.on_hello(*usable, now);
        limiter_->set_reserved(gateway::send_limiter::heartbeat_reserve(*usable, config_.gateway.send_window));
        if (s.kind == step_kind::send_identify) {
            publish_session();
            handshake_payload_ = gateway::identify_payload(
                {.token = config_.token,
                 .intents = config_.intents,
                 .shard_id = config_.shard_id,
                 .shard_count = config_.shard_count,
                 .large_threshold = config_.gateway.large_threshold,
                 .initial_presence = config_.gateway.initial_presence ? &*config_.gateway.initial_presence : nullptr,
                 .library_name = config_.gateway.library_name});
            set_status(shard_status::identifying);
            log(log_level::debug, "HELLO (heartbeat every {} ms): identifying", interval);
        } else if (s.kind == step_kind::send_resume) {
            auto info = fsm_.session();
            handshake_payload_ = gateway::resume_payload(config_.token, info.session_id, info.seq);
            set_status(shard_status::resuming);
            log(log_level::debug, "HELLO (heartbeat every {} ms): resuming at seq {}", interval, info.seq);
        }
        wake_writer();
        wake_ticker();
    }

    // The scanner refuses what it cannot read cheaply (an escape in a key or in `t`): a full
    // parse decides whether the payload is a valid envelope all the same. `env` views `doc`
    // and `d_text`.
    std::optional<gateway::envelope> envelope_by_parse(std::string_view text, bool padded, json& doc,
                                                       std::string& d_text)
    {
        try {
            doc = docs_.parse(text, padded);
            if (!doc.is_object())
                return std::nullopt;
            auto op = doc.find("op");
            if (!op || op->type() != json_type::integer || op->as_int() < 0 || op->as_int() > 255)
                return std::nullopt;
            gateway::envelope env;
            env.op = static_cast<int>(op->as_int());
            if (auto s = doc.find("s"); s && s->type() != json_type::null) {
                if (s->type() != json_type::integer || s->as_int() < 0)
                    return std::nullopt;   // as the scanner: `s` is a number or null
                env.seq = static_cast<std::uint64_t>(s->as_int());
            }
            if (auto t = doc.find("t"); t && t->is_string())
                env.event = t->as_string();
            if (auto d = doc.find("d")) {
                d_text = d->dump();
                env.d = d_text;
            }
            return env;
        } catch (const error&) {
            return std::nullopt;
        }
    }

    // `parsed`: the whole payload, when the scanner could not read its envelope (else null).
    void on_dispatch(const gateway::envelope& env, std::string_view text, bool padded, json parsed)
    {
        std::uint64_t seq = env.seq.value_or(0);
        std::string_view name = env.event;
        bool is_ready = name == "READY";
        bool is_resumed = name == "RESUMED";
        // Read only where it is used (the handshake): the clock costs about what scanning the
        // envelope does under kvm-clock (~30 ns), and a ready session's events need none.
        auto now = fsm_.dispatch_reads_clock() || is_ready || is_resumed ? clock::now() : clock::time_point{};
        auto verdict = fsm_.classify(seq);
        if (verdict == gateway::delivery::duplicate) {
            // The handshake's end is never a replay, whatever its seq says: dropping it
            // would leave the shard waiting for a READY / RESUMED it already had.
            if (is_resumed && fsm_.current_phase() == gateway::phase::handshaking) {
                on_resumed(now);
                return;
            }
            if (!is_ready) {
                log(log_level::debug, "dropping replayed seq {} (delivered before)", seq);
                return;
            }
        }
        log(log_level::trace, "{} seq {}", name, seq);
        bool chunk = !member_requests_.empty() && name == "GUILD_MEMBERS_CHUNK";
        bool wanted = (hooks_.on_dispatch || hooks_.on_event || hooks_.on_dispatch_text)
                      && (!hooks_.wants || hooks_.wants(name));
        // A consumer that takes the text parses it on its own thread; the shard reads only
        // what it needs itself.
        bool as_text = wanted && hooks_.on_dispatch_text && !is_ready && !is_resumed && !chunk;
        // The whole payload is parsed, so that a consumer gets `d` and the envelope as views
        // of one document (nothing re-serialised for a "*" handler).
        gateway_event ev{.name = name, .seq = seq, .bytes = text.size()};
        if (!as_text && (wanted || is_ready || chunk)) {
            try {
                ev.envelope = parsed.is_object() ? std::move(parsed) : docs_.parse(text, padded);
                if (auto d = ev.envelope.find("d"))
                    ev.d = std::move(*d);
                if (auto t = ev.envelope.find("t"); t && t->is_string())
                    ev.name = t->as_string();   // views the document, not the read buffer
            } catch (const error& e) {
                if (is_ready) {   // no session without it: connect again
                    log(log_level::warning, "malformed {} (seq {}): {}", name, seq, e.what());
                    end_with(fsm_.on_malformed(now));
                    return;
                }
                // Its envelope was read (op, s, t): only `d` is broken, and a resume would bring
                // the same bytes again. The seq counts; nobody gets the event.
                log(log_level::error, "{} (seq {}) is not valid JSON; no handler gets it: {}", name, seq, e.what());
                wanted = chunk = false;
            }
        }
        if (fsm_.on_dispatch(seq, now) == gateway::delivery::late)
            log(log_level::warning, "{} seq {} arrived after seq {}: delivering it late", name, seq,
                fsm_.highest_seq());
        seq_.store(fsm_.seq(), std::memory_order_relaxed);
        if (is_ready)
            on_ready(ev.d, now);
        else if (is_resumed)
            on_resumed(now);
        if (chunk)
            collect_members(ev.d);
        if (wanted) {
            try {
                batch_open_ = true;
                if (as_text)
                    hooks_.on_dispatch_text(owner_, gateway_dispatch_text{.name = name, .seq = seq, .text = text});
                else if (hooks_.on_event)
                    hooks_.on_event(owner_, ev);
                else if (hooks_.on_dispatch)
                    hooks_.on_dispatch(owner_, name, ev.d, seq);
            } catch (const std::exception& e) {
                log(log_level::error, "on_dispatch hook threw for {}: {}", name, e.what());
            }
        }
    }

    void on_ready(const json& d, clock::time_point now)
    {
        std::string session_id, resume_url;
        try {
            session_id = d["session_id"].as_string();
            resume_url = d["resume_gateway_url"].as_string();
        } catch (const error& e) {
            log(log_level::warning, "READY without a session: {}", e.what());
        }
        if (!resume_url.empty() && !usable_resume_url(resume_url)) {
            log(log_level::warning, "READY's resume_gateway_url \"{}\" is not a usable {} URL: resuming through {}",
                quote_peer_text(resume_url), config_.tls.allow_plaintext ? "ws(s)://" : "wss://",
                config_.gateway.url);
            resume_url = config_.gateway.url;
        }
        if (session_id.size() > 256) {   // Discord's are 32 hex digits
            log(log_level::warning, "READY's session_id is {} bytes long: not resumable", session_id.size());
            session_id.clear();
        }
        if (session_id.empty())
            resume_url.clear();
        fsm_.on_ready(std::move(session_id), std::move(resume_url), now);
        publish_session();
        set_status(shard_status::ready);
        log(log_level::info, "READY (session established)");
        emit({.kind = lifecycle_kind::ready});
        wake_writer();
    }

    // A URL from the server: parsed (and refused) here, not when a reconnect depends on it.
    bool usable_resume_url(const std::string& text) const
    {
        try {
            auto u = net::parse_url(text);
            return u.tls || config_.tls.allow_plaintext;
        } catch (const error&) {
            return false;
        }
    }

    void on_resumed(clock::time_point now)
    {
        fsm_.on_resumed(now);
        set_status(shard_status::ready);
        log(log_level::info, "RESUMED at seq {}", fsm_.seq());
        emit({.kind = lifecycle_kind::resumed});
        wake_writer();
    }

    // --- operations -----------------------------------------------------------------------------
    // Entry points from any executor: hop to the shard's, come back when done.
    static awaitable<void> send_from_anywhere(std::shared_ptr<impl> i, std::string text, int op)
    {
        gateway::check_payload_size(text, op);
        co_await asio::co_spawn(i->ex_, i->send(std::move(text)), asio::use_awaitable);
    }

    static awaitable<json> request_from_anywhere(std::shared_ptr<impl> i, snowflake guild_id,
                                                 request_guild_members_options o)
    {
        co_return co_await asio::co_spawn(i->ex_, i->request_members(guild_id, std::move(o)), asio::use_awaitable);
    }

    awaitable<void> send(std::string text)
    {
        if (stop_requested_)
            throw error(errc::stopped, "the shard is stopped");
        auto p = std::make_shared<pending_send>(ex_, std::move(text));
        p->done.expires_at(clock::time_point::max());
        outbox_.push_back(p);
        log(log_level::trace, "queued {} bytes ({} waiting)", p->text.size(), outbox_.size());
        wake_writer();
        co_await p->done.async_wait(tuple_awaitable);
        if (!p->finished) {
            std::erase(outbox_, p);
            throw error(p->failure, p->failure == errc::stopped ? "the shard stopped before the payload was sent"
                                                                 : "the payload was not sent");
        }
    }

    awaitable<json> request_members(snowflake guild_id, request_guild_members_options o)
    {
        gateway::check_member_request(config_.intents, o.query, o.limit, o.user_ids.size(), o.presences);
        std::string nonce = fmt::format("{}-{}", config_.shard_id, ++nonce_counter_);
        auto text = gateway::request_guild_members_payload(guild_id, o.query, o.limit, o.user_ids, o.presences,
                                                           nonce);
        gateway::check_payload_size(text, 8);
        auto req = std::make_shared<member_request>(ex_);
        req->done.expires_after(o.timeout);
        member_requests_[nonce] = req;
        struct forget {
            impl& i;
            std::string nonce;
            ~forget() { i.member_requests_.erase(nonce); }
        } guard{*this, nonce};
        co_await send(std::move(text));
        if (!req->complete && !req->failed)
            co_await req->done.async_wait(tuple_awaitable);
        if (req->failed)
            throw error(errc::stopped, "the shard stopped before the guild members arrived");
        if (!req->complete)
            throw error(errc::timeout,
                        fmt::format("request_guild_members: no last GUILD_MEMBERS_CHUNK for guild {} within {} ms",
                                    guild_id.value, o.timeout.count()));
        co_return json::object({{"members", json_fragment{req->members}},
                                {"presences", json_fragment{req->presences}},
                                {"not_found", json_fragment{req->not_found}}});
    }

    void collect_members(const json& d)
    {
        try {
            auto it = member_requests_.find(d.value_or("nonce", std::string_view{}));
            if (it == member_requests_.end())
                return;
            auto& req = *it->second;
            auto add = [&](std::string_view key, std::vector<json_fragment>& out) {
                if (auto list = d.find(key); list && list->is_array())
                    for (json item : list->items())
                        out.emplace_back(item);
            };
            add("members", req.members);
            add("presences", req.presences);
            add("not_found", req.not_found);
            if (d.value_or("chunk_index", std::int64_t{0}) + 1 >= d.value_or("chunk_count", std::int64_t{1})) {
                req.complete = true;
                req.done.cancel();
            }
        } catch (const error& e) {
            log(log_level::warning, "unreadable GUILD_MEMBERS_CHUNK: {}", e.what());
        }
    }

    void fail_pending(errc why)
    {
        for (auto& p : outbox_) {
            p->failure = why;
            p->done.cancel();
        }
        outbox_.clear();
        for (auto& [nonce, req] : member_requests_) {
            req->failed = true;
            req->done.cancel();
        }
    }

    // On the executor, after stop().
    void on_stop(stop_mode mode)
    {
        stop_mode_ = mode;
        sleep_timer_.cancel();
        if (conn_) {
            if (fsm_.current_phase() == gateway::phase::idle)
                conn_->force_close();   // still connecting
            else
                end_with(step{.reason = "stop"}, mode == stop_mode::close_session ? 1000
                                                                                   : gateway::resumable_close_code);
        }
        if (!running_)
            fail_pending(errc::stopped);
    }

    shard& owner_;
    asio::any_io_executor ex_;
    shard_config config_;
    shard_hooks hooks_;
    std::string component_;
    gateway::session_fsm fsm_;
    gateway::document_pool docs_;
    std::shared_ptr<asio::ssl::context> tls_context_;

    // Read from any thread.
    std::atomic<shard_status> status_{shard_status::disconnected};
    std::atomic<std::int64_t> latency_ms_{0};
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::uint64_t> seq_{0};
    mutable std::mutex session_mutex_;
    session_info session_;

    // The executor's alone.
    bool running_ = false;
    stop_mode stop_mode_ = stop_mode::close_session;
    int penalties_ = 0;
    std::unique_ptr<gateway::transport> conn_;
    std::unique_ptr<gateway::inflater> inflate_;
    std::optional<gateway::send_limiter> limiter_;
    asio::steady_timer tick_timer_, write_timer_, sleep_timer_;
    asio::steady_timer read_gate_;   // the reader waits here while reading is paused
    bool batch_open_ = false;        // events were handed over since the last on_batch_end
    bool reading_paused_ = false;
    std::optional<step> end_;
    bool closing_ = false;
    int close_request_ = 0;
    clock::time_point hard_close_at_ = clock::time_point::max();
    std::string handshake_payload_;
    bool heartbeat_due_ = false;
    std::string last_close_reason_;
    gateway::error_code last_read_error_;
    std::deque<std::shared_ptr<pending_send>> outbox_;
    std::map<std::string, std::shared_ptr<member_request>, std::less<>> member_requests_;
    std::uint64_t nonce_counter_ = 0;
};

shard::shard(asio::any_io_executor io, shard_config config, shard_hooks hooks)
    : impl_(std::make_shared<impl>(*this, std::move(io), std::move(config), std::move(hooks)))
{
}

shard::~shard() = default;

awaitable<void> shard::run()
{
    auto i = impl_;
    co_await asio::co_spawn(i->ex_, i->run(), asio::use_awaitable);
}

void shard::stop(stop_mode mode)
{
    impl_->stop_requested_ = true;
    asio::post(impl_->ex_, [i = impl_, mode] { i->on_stop(mode); });
}

session_info shard::session() const { return impl_->session(); }
int shard::id() const noexcept { return impl_->config_.shard_id; }
int shard::count() const noexcept { return impl_->config_.shard_count; }
shard_status shard::status() const noexcept { return impl_->status_.load(); }
std::chrono::milliseconds shard::latency() const noexcept
{
    return milliseconds{impl_->latency_ms_.load(std::memory_order_relaxed)};
}
asio::any_io_executor shard::get_executor() const { return impl_->ex_; }

// dispatch, not post: called from a hook on the shard's own executor, the pause takes effect
// before the next read.
void shard::pause_reading()
{
    asio::dispatch(impl_->ex_, [i = impl_] { i->set_reading_paused(true); });
}

void shard::resume_reading()
{
    asio::dispatch(impl_->ex_, [i = impl_] { i->set_reading_paused(false); });
}

// The public operations are plain functions that read their arguments at once (a caller's
// temporary may be gone by the time the awaitable starts) and hand values to a coroutine.
awaitable<void> shard::update_status(const presence& p)
{
    return impl::send_from_anywhere(impl_, gateway::presence_payload(p), 3);
}

awaitable<json> shard::request_guild_members(snowflake guild_id)
{
    const request_guild_members_options all;
    return request_guild_members(guild_id, all);
}

awaitable<json> shard::request_guild_members(snowflake guild_id, const request_guild_members_options& options)
{
    return impl::request_from_anywhere(impl_, guild_id, options);
}

awaitable<void> shard::update_voice_state(snowflake guild_id, std::optional<snowflake> channel_id, bool self_mute,
                                          bool self_deaf)
{
    return impl::send_from_anywhere(impl_, gateway::voice_state_payload(guild_id, channel_id, self_mute, self_deaf),
                                    4);
}

awaitable<void> shard::send(int op, const json& d)
{
    return impl::send_from_anywhere(impl_, gateway::generic_payload(op, d.dump()), op);
}

} // namespace cord
