// The soak's ledger of numbered events: per shard, event n must arrive right after n - 1,
// exactly once. Checked as events arrive, so that its memory does not grow with the run.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace soak {

class stream_ledger {
public:
    struct anomaly {
        int shard = 0;
        std::uint32_t expected = 0;
        std::uint32_t got = 0;
        std::string what;
    };

    explicit stream_ledger(int shards);

    /// Event `number` of shard `numbered_for`, received by shard `received_on`. Called by one
    /// thread at a time (cord's plain handlers run one at a time, in event order).
    void on_event(int received_on, int numbered_for, std::uint32_t number);

    /// The next number a shard waits for. With no anomaly, 0 .. next - 1 arrived once each, in order.
    std::uint32_t next_expected(int shard) const;
    std::uint64_t delivered(int shard) const;   ///< events received by the shard, anomalies included
    std::uint64_t delivered() const;
    std::uint64_t anomaly_count() const;
    /// The first anomalies (at most `kept`): what arrived where something else was expected.
    std::vector<anomaly> anomalies() const;

    static constexpr std::size_t kept = 64;

private:
    struct lane {
        std::atomic<std::uint32_t> next{0};
        std::atomic<std::uint64_t> delivered{0};
    };
    void record(anomaly a);

    std::unique_ptr<lane[]> lanes_;
    int shards_;
    std::atomic<std::uint64_t> anomaly_count_{0};
    mutable std::mutex mutex_;   // guards anomalies_
    std::vector<anomaly> anomalies_;
};

} // namespace soak
