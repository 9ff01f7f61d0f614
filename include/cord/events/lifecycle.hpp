// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace cord {

/// What happened to a shard's connection: a bot observes it without parsing log text.
enum class lifecycle_kind {
    connecting,            ///< a connection attempt begins
    hello,                 ///< op 10 arrived
    identify_sent,         ///< IDENTIFY was written
    resume_sent,           ///< RESUME was written
    ready,                 ///< READY: a new session
    resumed,               ///< RESUMED: the session goes on
    invalid_session,       ///< op 9 (`will_resume`: its `d`)
    zombie,                ///< no heartbeat ACK in time: the connection is given up
    disconnected,          ///< the connection ended (`close_code`, 0 for a drop; `will_resume`)
    reconnect_scheduled,   ///< the next attempt comes after `delay` (`will_resume`, `reason`)
    reading_paused,        ///< handlers are behind: the shard stopped reading (backpressure)
    reading_resumed,       ///< the shard reads again
};

/// "connecting", "identify-sent"…
std::string_view to_string(lifecycle_kind k) noexcept;

/// One lifecycle step of one shard.
struct lifecycle_event {
    lifecycle_kind kind = lifecycle_kind::connecting;   ///< what happened
    int shard_id = 0;                    ///< which shard
    int close_code = 0;                  ///< disconnected: the server's close code (0: none)
    bool will_resume = false;            ///< disconnected, invalid_session, reconnect_scheduled
    std::chrono::milliseconds delay{0};  ///< reconnect_scheduled
    std::string reason{};                ///< why, for disconnected and reconnect_scheduled
};

} // namespace cord
