// When and where the soak injects faults. Faults are drawn at random (seeded) while events
// flow; the schedule only holds back a fault that would make the exactly-once check unfair:
// a session-ending fault is injected on a shard that is READY and quiet, and that shard gets no
// events until its new session is READY, because Discord does not replay into a new session.
#pragma once

#include "faults.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace soak {

using clock = std::chrono::steady_clock;

/// What the driver knows about a shard at a tick.
struct shard_view {
    bool ready = false;            ///< cord::shard::status() is ready
    std::uint64_t readies = 0;     ///< READY events its handlers have seen
    std::uint32_t dispatched = 0;  ///< numbered events sent to it so far
};

class chaos_schedule {
public:
    chaos_schedule(cord::testing::fake_discord& fake, std::uint64_t seed, std::chrono::milliseconds heartbeat,
                   int shards);

    /// Called on every tick while events flow: ends what is over, injects what is due (with
    /// `inject`; without, it only ends what is over).
    void step(clock::time_point now, const std::vector<shard_view>& shards, bool inject = true);
    /// After the last event: lets withheld ACKs go.
    void finish();
    /// No shard waits for a new session.
    bool settled() const;

    /// A shard waiting for the new session a session-ending fault forced: send it nothing.
    bool paused(int shard) const { return episodes_[static_cast<std::size_t>(shard)].has_value(); }

    std::uint64_t injected(fault f) const { return injected_[index(f)]; }
    std::uint64_t injected_total() const;
    std::uint64_t new_sessions_forced() const { return new_sessions_; }
    std::chrono::milliseconds longest_pause() const { return longest_pause_; }
    /// Where things stand, for a failure message.
    std::string describe(clock::time_point now) const;

private:
    struct episode {
        fault cause;
        std::uint64_t readies_before = 0;
        std::uint32_t last_event_before = 0;   ///< events 0 .. this - 1 went to the ended session
        clock::time_point since;
    };

    bool may_end_session(int shard, clock::time_point now, const shard_view& v) const;
    /// Injects `f` (on `shard` for the one-shard classes) unless that would be unfair now.
    bool try_inject(fault f, int shard, clock::time_point now, const std::vector<shard_view>& shards);
    bool episode_began_since(clock::time_point t) const;

    cord::testing::fake_discord& fake_;
    std::mt19937_64 rng_;
    std::chrono::milliseconds heartbeat_;
    clock::time_point next_fault_{};
    std::optional<clock::time_point> acks_back_at_;   ///< withheld ACKs are let go then
    clock::time_point quiet_until_{};                 ///< no session-ending fault before
    std::vector<clock::time_point> last_fault_on_;
    std::vector<std::optional<episode>> episodes_;
    std::array<std::uint64_t, fault_kinds> injected_{};
    std::uint64_t new_sessions_ = 0;
    std::chrono::milliseconds longest_pause_{0};
    std::vector<fault> deck_;   ///< kinds still to come, drawn from the back
};

} // namespace soak
