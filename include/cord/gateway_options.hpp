// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace cord {

/// Transport compression of a gateway connection (the `compress` query parameter).
enum class compression {
    none,          ///< plain JSON text frames
    zlib_stream,   ///< one zlib context per connection; a payload ends at 00 00 FF FF (default)
    zstd_stream,   ///< one zstd stream per connection; one payload per WebSocket message
};

/// A bot's presence: IDENTIFY's `presence` and op 3 Presence Update.
struct presence {
    /// Unix time in ms when the bot went idle; empty when not idle.
    std::optional<std::int64_t> since{};
    /// An array of activities (bots may set name, state, type, url). A null json sends [].
    cord::json activities{};
    /// "online", "dnd", "idle", "invisible" or "offline".
    std::string status = "online";
    bool afk = false;   ///< whether the bot is AFK
};

/// What a shard needs to RESUME its session on a new connection, possibly in a new process:
/// export it with shard::session() after stop and pass it as shard_config::resume_from.
struct session_info {
    std::string session_id{};   ///< READY's session_id
    std::uint64_t seq = 0;     ///< the last sequence number received
    std::string resume_url{};  ///< READY's resume_gateway_url

    /// True when there is a session to resume (a session id and a resume URL).
    bool valid() const noexcept { return !session_id.empty() && !resume_url.empty(); }
};

/// How a shard connects to the gateway and keeps its session alive.
struct gateway_options {
    /// The gateway URL (GET /gateway/bot returns it). `ws://` needs tls_options::allow_plaintext.
    std::string url = "wss://gateway.discord.gg";
    /// Transport compression (default zlib-stream).
    compression compress = compression::zlib_stream;
    /// Presence sent in IDENTIFY.
    std::optional<presence> initial_presence{};
    /// 50–250: member count above which Discord leaves offline members out of GUILD_CREATE.
    int large_threshold = 50;

    // Every phase of a connection has a deadline: a stuck handshake is retried, never
    // waited on forever.
    std::chrono::milliseconds connect_timeout{10000};     ///< DNS + TCP + TLS
    std::chrono::milliseconds handshake_timeout{10000};   ///< WebSocket upgrade (and closing handshake)
    std::chrono::milliseconds hello_timeout{20000};       ///< from the upgrade to op 10 HELLO
    /// From IDENTIFY / RESUME to READY / RESUMED; each replayed dispatch extends it.
    std::chrono::milliseconds ready_timeout{30000};

    /// Reconnect backoff after failures: doubles from min up to max, with jitter.
    std::chrono::milliseconds reconnect_backoff_min{1000};
    std::chrono::milliseconds reconnect_backoff_max{60000};   ///< see reconnect_backoff_min
    /// A resume that fails this many connections in a row falls back to a fresh IDENTIFY.
    int max_resume_attempts = 5;
    /// A session that ends sooner than this after READY / RESUMED counts as a failed
    /// connection for the backoff: a server that ends every session at once is not reconnected
    /// to in a tight loop.
    std::chrono::milliseconds stable_after{30000};
    /// IDENTIFYs in a row that end before READY (whatever the close code) after which the shard
    /// stops with a gateway_error instead of spending the daily identify budget.
    int max_identify_attempts = 4;
    /// Connection attempts one shard may make in any 60 s; beyond it the next one waits (and
    /// says so in the log). Discord treats connection floods as abuse.
    int max_connects_per_minute = 12;

    /// Messages (after decompression) above this size close the connection as malformed.
    std::size_t max_frame_size = 64u << 20;
    /// Parsed documents kept for reuse once their events are handled: a steady stream parses
    /// without allocating while no more than this many events are held at once. cord::client
    /// sets it from client_options::max_queued_events with inline_handlers (otherwise its
    /// handler strand parses events into pools of its own).
    std::size_t pooled_documents = 64;

    /// Discord's send limit per connection (120 payloads per 60 s); cord keeps room for
    /// heartbeats inside it. Lower it only to test against an emulator.
    int send_limit = 120;
    std::chrono::milliseconds send_window{60000};   ///< the window of send_limit

    /// IDENTIFY `properties.browser` / `device`.
    std::string library_name = "cord";
};

} // namespace cord
