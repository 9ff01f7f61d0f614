// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/gateway_options.hpp>
#include <cord/intents.hpp>
#include <cord/interactions/router_options.hpp>
#include <cord/rest_options.hpp>
#include <cord/tls_options.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace cord {

/// Which shards of the total this process runs: ids in [first, last).
/// One bot can span processes or machines by giving each a different range.
struct shard_range {
    int first = 0;   ///< the first shard id run here
    int last = 0;    ///< one past the last shard id run here
};

/// Everything racket-cord's make-client takes, and what a production bot needs beside it.
struct client_options {
    /// Gateway intents sent in IDENTIFY (default: every intent that needs no approval).
    cord::intents intents = unprivileged_intents;
    /// bot (default), bearer (OAuth2) or client (a token sent as it is).
    cord::token_type token_type = token_type::bot;
    /// Ask Discord (GET /gateway/bot) how many shards to run. Bot tokens only.
    bool auto_shard = false;
    /// The total number of shards when not auto-sharding.
    int shard_count = 1;
    /// The shards this process runs (default: all of them).
    std::optional<cord::shard_range> shards{};
    /// Threads running the shards' and REST I/O; shards are spread over them. Named
    /// cord-io-0, cord-io-1, … (as top -H and gdb show them).
    unsigned worker_threads = 1;
    /// Threads running event handlers, apart from the I/O threads, so that a handler that
    /// blocks never stalls a shard's heartbeat. Named cord-handler-0, cord-handler-1, ….
    unsigned handler_threads = 1;
    /// TLS for REST and gateway: verification on; extra CAs; plaintext only when allowed.
    tls_options tls{};
    /// REST: base URL (default https://discord.com/api/v10), timeouts, retries, limits.
    /// Its `tls` member is replaced by the one above.
    rest_options rest{};
    /// Gateway: URL override (default: the URL Discord returns), compression, presence at
    /// IDENTIFY, large_threshold, phase timeouts.
    gateway_options gateway{};
    /// Sessions exported by client::sessions() of a previous run, indexed by shard id:
    /// those shards RESUME instead of identifying again.
    std::vector<session_info> resume_sessions{};
    /// client::run() stops the client on SIGINT and SIGTERM.
    bool handle_signals = true;
    /// How long stop() lets running coroutine handlers and spawned tasks finish before it
    /// cancels them (cord::sleep_for ends at stop() at once).
    std::chrono::milliseconds stop_grace{5000};
    /// Events waiting for handlers, over all shards, by count and by size: at either cap the
    /// shards stop reading their sockets (TCP backpressure) until the handlers are back under
    /// half of it. Nothing is dropped; memory stays bounded however slow the handlers are.
    /// Waiting events are held as their text (parsed just before their handlers run; a parsed
    /// event takes about ten times its size): the defaults keep a bot with lagging handlers
    /// under 16 MB (docs/benchmarks.md). Each time the cap is reached the shard's reading
    /// stops and starts again: a lower count costs throughput (at 256, about 5% of it).
    std::size_t max_queued_events = 512;
    std::size_t max_queued_bytes = std::size_t{4} << 20;   ///< see max_queued_events
    /// Run plain handlers on the shard's own thread, with no hand-over: the fastest delivery,
    /// for handlers that never block. A blocking one delays that shard's heartbeats; one that
    /// runs longer than slow_handler_warning is logged with its event. Handlers of different
    /// shards may then run at once when worker_threads > 1.
    bool inline_handlers = false;
    /// A plain handler running longer than this is logged with its event's name while it still
    /// runs, so that one that never returns is named too (it holds up every event behind it, and
    /// in inline mode its shard's heartbeats). A watchdog checks four times a threshold, from a
    /// thread that runs no plain handler; a handler costs it no clock read.
    std::chrono::milliseconds slow_handler_warning{100};
    /// Interactions (bot.command(...)): the auto-defer margin and the message a user sees when
    /// a handler fails.
    router_options interactions{};
};

} // namespace cord
