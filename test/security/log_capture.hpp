// Every record of cord's logger, at trace level, for the lifetime of one test; then the level
// and the stderr sink are put back. Records come from every thread (shards, REST, emulator).
#pragma once

#include <cord/logging.hpp>

#include <mutex>
#include <string_view>
#include <string>
#include <vector>

namespace sectest {

class log_capture {
public:
    log_capture()
    {
        log_.set_stderr_sink(false);   // trace output would drown the test's own report
        log_.set_level(cord::log_level::trace);
        id_ = log_.subscribe([this](const cord::log_record& r) {
            std::lock_guard lock{mutex_};
            lines_.push_back(std::string{cord::to_string(r.level)} + " [" + std::string{r.component} + "] " +
                             std::string{r.message});
        });
    }
    ~log_capture()
    {
        log_.unsubscribe(id_);
        log_.set_level(old_level_);
        log_.set_stderr_sink(true);
    }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    /// "level [component] message" for each record so far.
    std::vector<std::string> lines() const
    {
        std::lock_guard lock{mutex_};
        return lines_;
    }

    /// Whether some line so far contains `text`.
    bool contains(std::string_view text) const
    {
        std::lock_guard lock{mutex_};
        for (const auto& l : lines_)
            if (l.find(text) != std::string::npos)
                return true;
        return false;
    }

private:
    cord::logger& log_ = cord::discord_logger();
    cord::log_level old_level_ = log_.level();
    cord::logger::subscription id_{};
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

} // namespace sectest
