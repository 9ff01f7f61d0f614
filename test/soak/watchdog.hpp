// The soak's bound on time. Every wait of the test checks expired() and fails with what is
// still missing; should the test itself hang (a stop that never returns), a thread ends the
// process after a grace period, printing the same account.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace soak {

class watchdog {
public:
    using clock = std::chrono::steady_clock;

    watchdog(std::chrono::seconds limit, std::chrono::seconds grace, std::function<std::string()> account)
        : deadline_(clock::now() + limit), account_(std::move(account))
    {
        thread_ = std::thread([this, limit, grace] {
            std::unique_lock lock{mutex_};
            if (cv_.wait_until(lock, deadline_ + grace, [this] { return disarmed_; }))
                return;
            std::fprintf(stderr, "soak watchdog: not finished %lld s after the start; still missing: %s\n",
                         static_cast<long long>((limit + grace).count()), account_().c_str());
            std::fflush(stderr);
            std::_Exit(EXIT_FAILURE);
        });
    }
    ~watchdog()
    {
        disarm();
        thread_.join();
    }
    watchdog(const watchdog&) = delete;
    watchdog& operator=(const watchdog&) = delete;

    bool expired() const { return clock::now() >= deadline_; }
    void disarm()
    {
        std::lock_guard lock{mutex_};
        disarmed_ = true;
        cv_.notify_all();
    }

private:
    clock::time_point deadline_;
    std::function<std::string()> account_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool disarmed_ = false;
    std::thread thread_;
};

} // namespace soak
