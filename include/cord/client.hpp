// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/client_options.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/interactions/router.hpp>
#include <cord/json.hpp>
#include <cord/rest_client.hpp>
#include <cord/shard.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cord {

/// racket-cord's client: a token, the shards it runs, the REST half, and the event handlers.
///
/// Executor rules: the client owns its threads. Shards and REST I/O run on
/// `worker_threads` I/O threads; event handlers run on `handler_threads` other threads, so
/// a handler that blocks delays only other handlers, never a heartbeat. Plain handlers of a
/// client run one at a time, in event order; coroutine handlers are started in event order
/// and then run concurrently. Every public member is safe to call from any thread.
class client {
public:
    /// A plain handler: `void(shard&, client&, json)`.
    using handler = std::function<void(shard&, client&, json)>;
    /// A coroutine handler: `awaitable<void>(shard&, client&, json)`.
    using coroutine_handler = std::function<awaitable<void>(shard&, client&, json)>;
    /// A handle from on_event(), for off().
    using subscription = std::uint64_t;

    /// make-client. Throws cord::error (invalid_argument) for an empty or malformed token,
    /// a shard count below 1, a shard range outside the total, or intents Discord does not define.
    /// CORD_API_BASE and CORD_GATEWAY_URL, when set, replace the REST base URL and the gateway
    /// URL that `options` left at their defaults (plaintext only to this machine): they point
    /// any bot at cord-fake-discord without a code change.
    explicit client(std::string token, client_options options = {});
    /// As above, for a token from std::getenv: a null pointer (the variable is unset) is refused
    /// with a cord::error that says what to set, instead of undefined behaviour.
    explicit client(const char* token, client_options options = {});
    ~client();   ///< stops the client and joins its threads
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // --- lifecycle -----------------------------------------------------------------------------

    /// start-client: connects every shard and returns when stop() is called, or rethrows the
    /// first fatal error (a cord::gateway_error for 4004, 4010-4014; a cord::error when
    /// Discord's identify budget would run out). Fetches /gateway/bot first (shard count when
    /// auto-sharding, the gateway URL, max_concurrency for identify pacing).
    awaitable<void> start();
    /// Blocking start(): for a plain main(). Stops on SIGINT/SIGTERM (client_options::handle_signals).
    void run();
    /// start-client-no-wait: starts in the background and returns at once. Errors are logged;
    /// wait_stopped() reports them.
    void start_no_wait();
    /// stop-client: closes every shard with code 1000 and lets start()/run() return, after
    /// handlers already running have finished. With stop_mode::keep_session the sessions stay
    /// resumable: pass sessions() to a new client (client_options::resume_sessions).
    void stop(stop_mode mode = stop_mode::close_session);
    /// Blocks until a start_no_wait() run has ended; rethrows its fatal error, if any. Returns at
    /// once when start_no_wait() was never called.
    void wait_stopped();

    /// update-status: sends a presence update (op 3) on every shard.
    awaitable<void> update_status(const presence& status);
#if CORD_REFUSE_OPTION_TEMPORARIES
    /// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
    template <class Refused = void>
    awaitable<void> update_status(presence&&)
    {
        static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
        return {};
    }
#endif

    // --- events --------------------------------------------------------------------------------

    /// on-event: `name` in racket-cord's form ("raw-message-create") or Discord's
    /// ("MESSAGE_CREATE"); "*" receives every dispatch. Returns a handle for off().
    subscription on_event(std::string_view name, handler h);
    /// The same for a coroutine handler. Both throw cord::error (invalid_argument) for an empty handler.
    subscription on_event(std::string_view name, coroutine_handler h);
    /// Any callable of (shard&, client&, json) returning void or awaitable<void>.
    template <class F>
        requires std::invocable<F&, shard&, client&, json>
    subscription on_event(std::string_view name, F f)
    {
        using result = std::invoke_result_t<F&, shard&, client&, json>;
        if constexpr (std::is_same_v<result, awaitable<void>>)
            return on_event(name, coroutine_handler{std::move(f)});
        else
            return on_event(name, handler{std::move(f)});
    }
    /// Removes the handler on_event() returned `id` for (an unknown id changes nothing).
    void off(subscription id);

    /// A lifecycle handler: `void(shard&, const lifecycle_event&)`.
    using lifecycle_handler = std::function<void(shard&, const lifecycle_event&)>;
    /// Observes every shard's lifecycle (connecting, ready, disconnected with its close code,
    /// reconnect scheduled, zombie, backpressure…) instead of parsing logs. Handlers run on the
    /// handler strand, one at a time, in each shard's order. off() removes it too.
    subscription on_lifecycle(lifecycle_handler h);

    /// Waits for the next event `name` whose data satisfies `predicate` (any, when empty);
    /// throws cord::error (errc::timeout) after `timeout`, errc::stopped when the client stops.
    /// The wait begins when wait_for() is called, not when it is awaited, so an event that the
    /// caller itself causes cannot slip by:
    ///     auto reply = bot.wait_for("raw-message-create", is_reply);
    ///     co_await cord::http::create_message(bot, channel, "ping");
    ///     cord::json m = co_await std::move(reply);
    /// The timeout counts from the co_await. Dropping the awaitable unawaited ends the wait.
    awaitable<json> wait_for(std::string_view name, std::function<bool(const json&)> predicate = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds{30});

    // --- interactions (see <cord/interactions/router.hpp>) ----------------------------------------

    /// A slash or context-menu command by name and subcommand path ("ping", "admin ban").
    void command(std::string_view path, interaction_handler h) { interactions().command(path, std::move(h)); }
    /// Buttons and selects whose custom_id starts with `prefix`.
    void on_component(std::string_view prefix, interaction_handler h)
    {
        interactions().on_component(prefix, std::move(h));
    }
    /// Modal submits whose custom_id starts with `prefix`.
    void on_modal(std::string_view prefix, interaction_handler h) { interactions().on_modal(prefix, std::move(h)); }
    /// Autocomplete of `option` of the command at `path`.
    void on_autocomplete(std::string_view path, std::string_view option, interaction_handler h)
    {
        interactions().on_autocomplete(path, option, std::move(h));
    }
    /// The router INTERACTION_CREATE dispatches go to (one per client).
    interaction_router& interactions() noexcept;

    // --- state (racket-cord's client struct) --------------------------------------------------

    /// The bot user from READY (null json before the first READY).
    json user() const;
    /// The shards this process runs (empty before start()).
    std::vector<shard*> shards() const;
    /// The total shard count in use (after auto-sharding: Discord's recommendation).
    int shard_count() const;
    /// The token, for code that must send it elsewhere. cord never logs it.
    const std::string& token() const noexcept;
    /// The intents sent in IDENTIFY (client_options::intents).
    cord::intents intents() const noexcept;
    /// True while a run (start(), run() or start_no_wait()) is under way.
    bool running() const noexcept;
    /// Per-shard sessions, for handing over to a new client (client_options::resume_sessions).
    std::vector<session_info> sessions() const;
    /// A snapshot for diagnostics (log it, print it, serve it): `shard_count`, `running`,
    /// `intents` (bits and names), `gateway_url` (the one in use once started), `rest_base_url`,
    /// and per shard `id`, `status`, `seq`, `session` (whether one exists), `latency_ms`.
    /// Never the token nor a session id: safe to show anywhere.
    json describe() const;

    // --- REST and executors --------------------------------------------------------------------

    /// The REST half: every cord::http function takes it, and a client converts to it.
    rest_client& rest() noexcept;
    /// rest(): lets a client be passed to every cord::http function.
    operator rest_client&() noexcept { return rest(); }
    /// The executor event handlers run on; co_spawn your own work here.
    boost::asio::any_io_executor executor() const;
    /// Runs `task` on the handler executor and blocks until it completes; rethrows its error.
    /// For plain code outside coroutines (a main() making REST calls). From a handler (any of
    /// this client's threads) it throws cord::error (invalid_argument) instead of deadlocking.
    template <class T>
    T sync_wait(awaitable<T> task)
    {
        if constexpr (std::is_void_v<T>) {
            sync_wait_impl([&]() -> awaitable<void> { co_await std::move(task); });
        } else {
            std::optional<T> out;
            sync_wait_impl([&]() -> awaitable<void> { out.emplace(co_await std::move(task)); });
            return std::move(*out);
        }
    }

private:
    friend void spawn(client& bot, awaitable<void> task);
    void sync_wait_impl(std::function<awaitable<void>()> body);
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace cord
