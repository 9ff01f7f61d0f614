// cord: private. A plain handler that runs too long, seen from another thread while it still
// runs. The thread running handlers stamps each call (two stores, no clock); a watchdog reads
// the stamp every period and names a call it found running at enough readings in a row. A
// handler that never returns is named too, which timing each call afterwards could not do.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

namespace cord::detail {

/// The stamp: written by the one thread that runs the handlers it watches.
class handler_watch {
public:
    /// A handler of event number `event` (event_number()) starts.
    void begin(std::uint16_t event) noexcept
    {
        event_.store(event, std::memory_order_relaxed);
        calls_.store(calls_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }
    /// It returned (or threw).
    void end() noexcept { calls_.store(calls_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

    struct reading {
        std::uint64_t call;    ///< odd while a handler runs; each call has its own value
        std::uint16_t event;   ///< the event of that call
    };
    /// What runs now, from any thread.
    reading read() const noexcept
    {
        for (;;) {
            auto before = calls_.load(std::memory_order_acquire);
            auto event = event_.load(std::memory_order_relaxed);
            std::atomic_thread_fence(std::memory_order_acquire);
            if (calls_.load(std::memory_order_relaxed) == before)   // no call began in between
                return {before, event};
        }
    }

private:
    std::atomic<std::uint64_t> calls_{0};
    std::atomic<std::uint16_t> event_{0};
};

/// The watchdog's side, one per watched thread (the watchdog's own state: no other thread
/// touches it). Fed a reading every period, it answers with the event of a call it has now
/// seen running at `readings` readings in a row (so for at least readings - 1 periods), once
/// a call.
class handler_sampler {
public:
    explicit handler_sampler(int readings) noexcept : readings_(readings < 2 ? 2 : readings) {}

    std::optional<std::uint16_t> sample(handler_watch::reading r) noexcept
    {
        if ((r.call & 1) == 0 || r.call != call_) {
            call_ = r.call;
            seen_ = r.call & 1;   // the first reading of a running call
            return std::nullopt;
        }
        if (++seen_ != readings_)
            return std::nullopt;
        return r.event;
    }

private:
    int readings_;
    std::uint64_t call_ = 0;
    int seen_ = 0;
};

} // namespace cord::detail
