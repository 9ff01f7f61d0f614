// The soak's count of REST calls made from event handlers: each one started must end as a
// success or as a cord error that says what went wrong; nothing may stay pending or end otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace soak {

class rest_tally {
public:
    void started() { started_.fetch_add(1, std::memory_order_relaxed); }
    void succeeded(std::chrono::milliseconds took)
    {
        ok_.fetch_add(1, std::memory_order_relaxed);
        note(took);
    }
    /// A cord error: counted by `kind` ("HTTP 503", "rate_limit_wait"…), one message kept per kind.
    void failed(const std::string& kind, const std::string& message, std::chrono::milliseconds took)
    {
        note(took);
        std::lock_guard lock{mutex_};
        auto& f = failures_[kind];
        if (f.count++ == 0)
            f.example = message;
        failed_.fetch_add(1, std::memory_order_relaxed);
    }
    /// Anything that is not a cord::error: a call that failed without saying why in cord's terms.
    void unclear(const std::string& message)
    {
        std::lock_guard lock{mutex_};
        if (unclear_.fetch_add(1, std::memory_order_relaxed) == 0)
            unclear_example_ = message;
    }

    std::uint64_t started_count() const { return started_.load(); }
    std::uint64_t ok_count() const { return ok_.load(); }
    std::uint64_t failed_count() const { return failed_.load(); }
    std::uint64_t unclear_count() const { return unclear_.load(); }
    std::uint64_t ended_count() const { return ok_count() + failed_count() + unclear_count(); }
    /// The longest a call took, retries and rate-limit waits included.
    std::chrono::milliseconds longest() const { return std::chrono::milliseconds{longest_ms_.load()}; }

    struct failure {
        std::uint64_t count = 0;
        std::string example;
    };
    std::map<std::string, failure> failures() const
    {
        std::lock_guard lock{mutex_};
        return failures_;
    }
    std::string unclear_example() const
    {
        std::lock_guard lock{mutex_};
        return unclear_example_;
    }

private:
    void note(std::chrono::milliseconds took)
    {
        auto ms = took.count();
        auto seen = longest_ms_.load(std::memory_order_relaxed);
        while (ms > seen && !longest_ms_.compare_exchange_weak(seen, ms, std::memory_order_relaxed)) {
        }
    }

    std::atomic<std::uint64_t> started_{0}, ok_{0}, failed_{0}, unclear_{0};
    std::atomic<std::chrono::milliseconds::rep> longest_ms_{0};
    mutable std::mutex mutex_;   // guards failures_ and unclear_example_
    std::map<std::string, failure> failures_;
    std::string unclear_example_;
};

} // namespace soak
