// cord: the discord logger.
// SPDX-License-Identifier: BSL-1.0
#include <cord/logging.hpp>

#include "log/peer_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace cord {

namespace {

log_level level_from_env()
{
    const char* v = std::getenv("CORD_LOG_LEVEL");
    if (!v)
        return log_level::info;
    std::string_view s{v};
    for (auto l : {log_level::trace, log_level::debug, log_level::info, log_level::warning, log_level::error,
                   log_level::off})
        if (s == to_string(l))
            return l;
    if (s == "warn")
        return log_level::warning;
    return log_level::info;
}

} // namespace

std::string_view to_string(log_level level) noexcept
{
    switch (level) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
    case log_level::off: return "off";
    }
    return "?";
}

struct logger::impl {
    using sink_list = std::vector<std::pair<subscription, log_sink>>;
    std::mutex mutex;
    std::shared_ptr<const sink_list> sinks = std::make_shared<sink_list>();   // copy on write
    subscription next_id = 1;

    std::shared_ptr<const sink_list> snapshot()
    {
        std::lock_guard lock{mutex};
        return sinks;
    }
};

logger::logger() : level_(level_from_env()), impl_(new impl) {}
logger::~logger() { delete impl_; }

logger::subscription logger::subscribe(log_sink sink)
{
    std::lock_guard lock{impl_->mutex};
    auto next = std::make_shared<impl::sink_list>(*impl_->sinks);
    auto id = impl_->next_id++;
    next->emplace_back(id, std::move(sink));
    impl_->sinks = std::move(next);
    return id;
}

void logger::unsubscribe(subscription id)
{
    std::lock_guard lock{impl_->mutex};
    auto next = std::make_shared<impl::sink_list>(*impl_->sinks);
    std::erase_if(*next, [id](const auto& entry) { return entry.first == id; });
    impl_->sinks = std::move(next);
}

void logger::log(log_level level, std::string_view component, std::string_view message)
{
    if (!enabled(level))
        return;
    // Redacted, and on one line whatever a peer put in it (no forged log lines).
    std::string clean = detail::escape_controls(redact(message));
    log_record record{level, std::chrono::system_clock::now(), component, clean};
    if (stderr_on_.load(std::memory_order_relaxed)) {
        std::string line = format(record);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
    auto sinks = impl_->snapshot();
    for (const auto& [id, sink] : *sinks) {
        try {
            sink(record);
        } catch (...) {
            // A faulty sink must not take the logging component down with it.
        }
    }
}

std::string logger::format(const log_record& r)
{
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.time.time_since_epoch()).count() % 1000;
    std::string_view tag;
    switch (r.level) {
    case log_level::trace: tag = "TRACE"; break;
    case log_level::debug: tag = "DEBUG"; break;
    case log_level::info: tag = "INFO "; break;
    case log_level::warning: tag = "WARN "; break;
    case log_level::error: tag = "ERROR"; break;
    case log_level::off: tag = "OFF  "; break;
    }
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z {} [{}] {}",
                       fmt::gmtime(std::chrono::system_clock::to_time_t(r.time)), ms, tag, r.component,
                       r.message);
}

logger& discord_logger()
{
    static logger instance;
    return instance;
}

} // namespace cord
