// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cord {

/// How important a log record is, lowest first; `off` as a level drops every record.
enum class log_level : std::uint8_t { trace, debug, info, warning, error, off };

/// "trace", "debug", "info", "warning", "error" or "off".
std::string_view to_string(log_level level) noexcept;

/// One log line as delivered to sinks. The views are valid only during the sink call.
struct log_record {
    log_level level{};                              ///< the record's level
    std::chrono::system_clock::time_point time{};   ///< when it was logged
    std::string_view component{}; ///< "rest", "gateway", "shard 3", "client"…
    std::string_view message{};   ///< already redacted: never contains a token
};

/// A receiver of log records (logger::subscribe()).
using log_sink = std::function<void(const log_record&)>;

/// racket-cord's discord-logger: levelled records, any number of subscribed sinks,
/// a stderr sink by default. Records below the level cost one relaxed atomic load.
/// Thread-safe: sinks may be added or removed while other threads log.
class logger {
public:
    /// A handle from subscribe(), for unsubscribe().
    using subscription = std::uint64_t;

    logger();
    ~logger();
    logger(const logger&) = delete;
    logger& operator=(const logger&) = delete;

    /// Records below `level` are dropped before any formatting. Default: info
    /// (or the value of the CORD_LOG_LEVEL environment variable: trace…error, off).
    void set_level(log_level level) noexcept { level_.store(level, std::memory_order_relaxed); }
    /// The current level.
    log_level level() const noexcept { return level_.load(std::memory_order_relaxed); }
    /// True when a record of `level` would be emitted.
    bool enabled(log_level level) const noexcept
    {
        return level >= level_.load(std::memory_order_relaxed) && level != log_level::off;
    }

    /// Adds a sink; returns a handle for unsubscribe(). Sinks run on the logging thread,
    /// in subscription order; a sink that throws is skipped for that record.
    subscription subscribe(log_sink sink);
    /// Removes the sink subscribe() returned `id` for.
    void unsubscribe(subscription id);

    /// Turns the built-in stderr sink on or off (on by default).
    void set_stderr_sink(bool on) noexcept { stderr_on_.store(on, std::memory_order_relaxed); }

    /// Emits a record (if enabled) after redacting secrets from `message`.
    void log(log_level level, std::string_view component, std::string_view message);

    /// The stderr sink's format: "2026-11-27T21:50:56.123Z WARN  [rest] message".
    static std::string format(const log_record& record);

private:
    struct impl;
    std::atomic<log_level> level_;
    std::atomic<bool> stderr_on_{true};
    impl* impl_;
};

/// The process-wide logger every cord component writes to.
logger& discord_logger();

/// Registers a secret (a token) so that redact() replaces it wherever it appears.
/// cord::client registers its token; call it for webhook tokens you log yourself.
void register_secret(std::string_view secret);

/// Returns `text` with every registered secret, anything shaped like a Discord token,
/// and the value of any `Authorization:` header replaced by "[redacted]".
std::string redact(std::string_view text);

} // namespace cord
