// The numbered-stream ledger of the chaos soak.
#include "stream_ledger.hpp"

namespace soak {

stream_ledger::stream_ledger(int shards) : lanes_(std::make_unique<lane[]>(static_cast<std::size_t>(shards))), shards_(shards)
{
}

void stream_ledger::on_event(int received_on, int numbered_for, std::uint32_t number)
{
    if (received_on < 0 || received_on >= shards_)
        return record({received_on, 0, number, "arrived on a shard the client does not run"});
    auto& l = lanes_[static_cast<std::size_t>(received_on)];
    l.delivered.fetch_add(1, std::memory_order_relaxed);
    if (numbered_for != received_on)
        return record({received_on, l.next.load(), number,
                       "was numbered for shard " + std::to_string(numbered_for)});
    auto expected = l.next.load(std::memory_order_relaxed);
    if (number == expected) {
        l.next.store(expected + 1, std::memory_order_release);
        return;
    }
    if (number < expected)
        return record({received_on, expected, number, "repeated or out of order"});
    // A gap: the numbers in between never came. Later events are checked from here on, so
    // that one loss is reported once, not as every event after it.
    l.next.store(number + 1, std::memory_order_release);
    record({received_on, expected, number, "skipped " + std::to_string(number - expected) + " event(s)"});
}

void stream_ledger::record(anomaly a)
{
    anomaly_count_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock{mutex_};
    if (anomalies_.size() < kept)
        anomalies_.push_back(std::move(a));
}

std::uint32_t stream_ledger::next_expected(int shard) const
{
    return lanes_[static_cast<std::size_t>(shard)].next.load(std::memory_order_acquire);
}

std::uint64_t stream_ledger::delivered(int shard) const
{
    return lanes_[static_cast<std::size_t>(shard)].delivered.load(std::memory_order_relaxed);
}

std::uint64_t stream_ledger::delivered() const
{
    std::uint64_t n = 0;
    for (int s = 0; s < shards_; ++s)
        n += delivered(s);
    return n;
}

std::uint64_t stream_ledger::anomaly_count() const { return anomaly_count_.load(std::memory_order_relaxed); }

std::vector<stream_ledger::anomaly> stream_ledger::anomalies() const
{
    std::lock_guard lock{mutex_};
    return anomalies_;
}

} // namespace soak
