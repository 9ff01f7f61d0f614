// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/detail/temporary_guard.hpp>
#include <cord/events/gateway_event.hpp>
#include <cord/events/lifecycle.hpp>
#include <cord/gateway_options.hpp>
#include <cord/intents.hpp>
#include <cord/json.hpp>
#include <cord/snowflake.hpp>
#include <cord/tls_options.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cord {

class shard;

/// Where a shard is in its connection's life (shard::status()).
enum class shard_status : std::uint8_t {
    disconnected,   ///< between connections (waiting to reconnect) or not started
    connecting,     ///< TCP, TLS, WebSocket handshake, waiting for HELLO
    identifying,    ///< IDENTIFY sent, waiting for READY
    resuming,       ///< RESUME sent, waiting for RESUMED
    ready,          ///< receiving dispatches
    stopped,        ///< run() has returned (or will not start)
};

/// The enumerator's name: "disconnected", "connecting", "identifying", "resuming", "ready", "stopped".
std::string_view to_string(shard_status status) noexcept;

/// What a shard is and where it connects.
struct shard_config {
    std::string token{}; ///< the bot token, without "Bot "
    cord::intents intents = cord::intents::none;   ///< sent in IDENTIFY
    int shard_id = 0;                              ///< this shard's id, 0 to shard_count - 1
    int shard_count = 1;                           ///< the bot's total number of shards
    gateway_options gateway{};                     ///< URL, compression, timeouts, limits
    tls_options tls{};                             ///< peer verification; allow_plaintext for ws://
    /// A session exported by shard::session() of an earlier shard: RESUME it instead of
    /// identifying (falls back to IDENTIFY when Discord refuses).
    std::optional<session_info> resume_from{};
};

/// How a shard hands events to whoever runs it (cord::client, or a bot using shards directly).
struct shard_hooks {
    /// Asked once per dispatch with Discord's name ("MESSAGE_CREATE"): false means nobody
    /// listens, and the payload's `d` is not parsed at all. Empty: every dispatch is parsed.
    std::function<bool(std::string_view discord_event_name)> wants{};
    /// Each dispatch (READY and RESUMED included), on the shard's executor, in order, exactly
    /// once per sequence number. Must not block: hand long work to another executor.
    std::function<void(shard&, std::string_view discord_event_name, const json& d, std::uint64_t seq)>
        on_dispatch{};
    /// The same dispatch whole, for a consumer that queues events: name, seq, `d` and the
    /// envelope as views of one document, and its size. When set, called instead of on_dispatch.
    /// The shard is done with the event: the consumer may move `d` and `envelope` out of it
    /// (a handler taking `const gateway_event&` fits too).
    std::function<void(shard&, gateway_event&)> on_event{};
    /// Each dispatch the shard need not read itself (all but READY, RESUMED and the member
    /// chunks it collects), unparsed, when set: called instead of on_event, for a consumer that
    /// copies the text and parses it on the thread that handles it. The shard's thread then
    /// spends nothing on parsing; a `d` that is not valid JSON is the consumer's to report.
    std::function<void(shard&, const gateway_dispatch_text&)> on_dispatch_text{};
    /// After events were handed over, when the shard is about to wait (for the socket, for
    /// resumed reading, or at the end of a connection): the events since the last call form a
    /// batch a consumer may hand on with one wake-up. On the shard's executor.
    std::function<void(shard&)> on_batch_end{};
    /// Awaited before every IDENTIFY (not before RESUME): the identify pacing gate for
    /// max_concurrency. May be empty. An exception from it ends run() with that exception.
    std::function<awaitable<void>(int shard_id)> before_identify{};
    /// Each status change, on the shard's executor.
    std::function<void(shard&, shard_status)> on_status{};
    /// Each lifecycle step (connecting, hello, identify sent, ready, disconnected…), on the
    /// shard's executor.
    std::function<void(shard&, const lifecycle_event&)> on_lifecycle{};
};

/// Arguments of op 8 Request Guild Members (besides the guild).
struct request_guild_members_options {
    /// Username prefix; "" with limit 0 asks for every member (needs GUILD_MEMBERS).
    std::string query{};
    int limit = 0;   ///< the most members to return; 0 with an empty query: every member
    /// Ask for these users instead of a query (at most 100).
    std::vector<snowflake> user_ids{};
    bool presences = false;   ///< needs GUILD_PRESENCES
    /// How long to wait for the last GUILD_MEMBERS_CHUNK.
    std::chrono::milliseconds timeout{30000};
};

/// How stop() ends the session.
enum class stop_mode {
    close_session,   ///< close with 1000: Discord ends the session (the bot goes offline)
    keep_session,    ///< close with a code that keeps the session resumable, for a hand-over
};

/// One gateway connection of a bot, kept alive through every recoverable fault: the
/// counterpart of a Boost.Redis connection's async_run. Thread-safe where stated; the hooks
/// run on the shard's executor.
class shard {
public:
    /// A shard that runs on `io` (not connected until run()).
    shard(boost::asio::any_io_executor io, shard_config config, shard_hooks hooks);
    ~shard();
    shard(const shard&) = delete;
    shard& operator=(const shard&) = delete;

    /// Connects and keeps the session alive until stop(). Returns after stop(); throws
    /// cord::gateway_error on a close code that reconnecting cannot fix (4004, 4010–4014),
    /// naming the code and what to change. Runs on the shard's executor.
    awaitable<void> run();

    /// Thread-safe. Closes the connection (1000 by default) and makes run() return.
    /// session() stays readable; with stop_mode::keep_session it can be resumed elsewhere.
    void stop(stop_mode mode = stop_mode::close_session);

    /// Thread-safe. The session to hand to a new shard (valid once READY was received).
    session_info session() const;

    int id() const noexcept;      ///< shard_config::shard_id
    int count() const noexcept;   ///< shard_config::shard_count
    /// Thread-safe.
    shard_status status() const noexcept;
    /// Thread-safe. The last heartbeat's round trip (zero before the first ACK).
    std::chrono::milliseconds latency() const noexcept;
    /// The executor the shard runs on.
    boost::asio::any_io_executor get_executor() const;

    /// Flow control for a consumer that queues events (cord::client's dispatcher does, at its
    /// cap): while paused, a ready shard reads nothing from its socket, so TCP makes the server
    /// wait instead of memory growing. Heartbeats still go out, and a missing ACK is not taken
    /// for a zombie (it may sit unread). The handshake is always read. Thread-safe.
    void pause_reading();
    /// Ends a pause_reading(). Thread-safe.
    void resume_reading();

    /// op 3 Presence Update. Callable from any coroutine; completes once the payload is
    /// written (it waits for a ready connection and the send limit). Throws cord::error
    /// (payload_too_large) for a payload over 4096 bytes, (stopped) when the shard stops.
    awaitable<void> update_status(const presence& p);
#if CORD_REFUSE_OPTION_TEMPORARIES
    /// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
    template <class Refused = void>
    awaitable<void> update_status(presence&&)
    {
        static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
        return {};
    }
#endif

    /// op 8 Request Guild Members: resolves with {members:[...], presences:[...], not_found:[...]}
    /// collected from every GUILD_MEMBERS_CHUNK with this request's nonce. Throws cord::error
    /// (timeout) when the last chunk does not arrive in time, and (invalid_argument) at once for a
    /// request Discord would leave unanswered: every member without GUILD_MEMBERS, presences
    /// without GUILD_PRESENCES, over 100 user_ids, a negative limit.
    awaitable<json> request_guild_members(snowflake guild_id, const request_guild_members_options& options);
#if CORD_REFUSE_OPTION_TEMPORARIES
    /// g++ 12 only: refuses temporary options (<cord/detail/temporary_guard.hpp>).
    template <class Refused = void>
    awaitable<json> request_guild_members(snowflake, request_guild_members_options&&)
    {
        static_assert(cord::detail::refused_temporary<Refused>, CORD_OPTION_TEMPORARY_REFUSED);
        return {};
    }
#endif
    /// The same with default options (every member). An overload rather than a default
    /// argument: g++ 12 miscompiles aggregate temporaries created inside a co_await expression.
    awaitable<json> request_guild_members(snowflake guild_id);

    /// op 4 Voice State Update: join (channel), move, or leave (no channel).
    awaitable<void> update_voice_state(snowflake guild_id, std::optional<snowflake> channel_id,
                                       bool self_mute = false, bool self_deaf = false);

    /// Sends any gateway payload `{"op":op,"d":d}` through the shard's sender (send limit,
    /// 4096-byte check). For opcodes cord has no helper for (31, 43…).
    awaitable<void> send(int op, const json& d);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

} // namespace cord
