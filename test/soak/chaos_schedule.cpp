// The chaos soak's fault schedule (chaos_schedule.hpp).
#include "chaos_schedule.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

namespace soak {

using namespace std::chrono_literals;

namespace {

// Between two faults: a few per second, so that every shard meets several of each class.
constexpr std::chrono::milliseconds gap_min{200}, gap_max{600};

} // namespace

chaos_schedule::chaos_schedule(cord::testing::fake_discord& fake, std::uint64_t seed,
                               std::chrono::milliseconds heartbeat, int shards)
    : fake_(fake), rng_(seed), heartbeat_(heartbeat), last_fault_on_(static_cast<std::size_t>(shards)),
      episodes_(static_cast<std::size_t>(shards))
{
}

bool chaos_schedule::episode_began_since(clock::time_point t) const
{
    for (const auto& e : episodes_)
        if (e && e->since >= t)
            return true;
    return false;
}

// A session-ending fault is fair only on a connection that is READY and not already being
// torn down by an earlier fault: otherwise events the old session still owed could be lost in a
// way no client can prevent, and the exactly-once check would blame cord for it.
bool chaos_schedule::may_end_session(int shard, clock::time_point now, const shard_view& v) const
{
    auto i = static_cast<std::size_t>(shard);
    return v.ready && !episodes_[i] && !acks_back_at_ && now >= quiet_until_ && now - last_fault_on_[i] >= 1s;
}

bool chaos_schedule::settled() const
{
    return std::none_of(episodes_.begin(), episodes_.end(), [](const auto& e) { return e.has_value(); });
}

void chaos_schedule::step(clock::time_point now, const std::vector<shard_view>& shards, bool inject)
{
    // Withheld ACKs go back to normal after a few heartbeats: by then every shard has found its
    // connection a zombie. Heartbeats sent meanwhile may still go unanswered on a new
    // connection, so session-ending faults wait two more intervals.
    if (acks_back_at_ && now >= *acks_back_at_) {
        fake_.withhold_heartbeat_acks(false);
        acks_back_at_.reset();
        quiet_until_ = now + 2 * heartbeat_;
    }
    for (std::size_t i = 0; i < episodes_.size(); ++i) {
        auto& e = episodes_[i];
        if (e && shards[i].readies > e->readies_before) {
            longest_pause_ = std::max(longest_pause_, std::chrono::duration_cast<std::chrono::milliseconds>(now - e->since));
            e.reset();
            // The new session's first moments are quiet too: a fault now would hit a handshake.
            last_fault_on_[i] = now;
        }
    }
    if (!inject || now < next_fault_)
        return;
    next_fault_ = now + std::chrono::milliseconds{
                            std::uniform_int_distribution<std::chrono::milliseconds::rep>{gap_min.count(), gap_max.count()}(rng_)};

    // Cards are drawn from a shuffled deck holding each kind `weight` times, so that every kind
    // comes up in every deck; one that may not be played now goes back, further down.
    for (int tries = 0; tries < 4; ++tries) {
        if (deck_.empty()) {
            for (std::size_t k = 0; k < fault_kinds; ++k)
                deck_.insert(deck_.end(), static_cast<std::size_t>(info(static_cast<fault>(k)).weight),
                             static_cast<fault>(k));
            std::shuffle(deck_.begin(), deck_.end(), rng_);
        }
        auto f = deck_.back();
        deck_.pop_back();
        int shard = std::uniform_int_distribution<int>{0, static_cast<int>(shards.size()) - 1}(rng_);
        if (try_inject(f, shard, now, shards))
            return;
        auto back = std::uniform_int_distribution<std::size_t>{0, deck_.size()}(rng_);
        deck_.insert(deck_.begin() + static_cast<std::ptrdiff_t>(back), f);
    }
}

bool chaos_schedule::try_inject(fault f, int shard, clock::time_point now, const std::vector<shard_view>& shards)
{
    auto s = static_cast<std::size_t>(shard);
    switch (info(f).kind) {
    case fault_class::resumable:
        if (episodes_[s])
            return false;   // that shard's new session is being made; leave it be
        last_fault_on_[s] = now;
        break;
    case fault_class::new_session:
        if (!may_end_session(shard, now, shards[s]))
            return false;
        episodes_[s] = episode{f, shards[s].readies, shards[s].dispatched, now};
        last_fault_on_[s] = now;
        ++new_sessions_;
        break;
    case fault_class::every_shard: {
        // A shard making a new session is left out of drops, and a session-ending fault of the
        // last second may not have reached its client yet: its old connection still owes events.
        if (acks_back_at_ || episode_began_since(now - 1s))
            return false;
        if (f == fault::withhold_heartbeat_acks)
            acks_back_at_ = now + 5 * heartbeat_ / 2;
        std::vector<int> targets;
        for (std::size_t i = 0; i < episodes_.size(); ++i)
            if (!episodes_[i]) {
                targets.push_back(static_cast<int>(i));
                last_fault_on_[i] = now;
            }
        apply(fake_, f, targets, rng_);
        ++injected_[index(f)];
        return true;
    }
    case fault_class::rest: break;
    }
    apply(fake_, f, std::span<const int>{&shard, 1}, rng_);
    ++injected_[index(f)];
    return true;
}

void chaos_schedule::finish()
{
    if (acks_back_at_) {
        fake_.withhold_heartbeat_acks(false);
        acks_back_at_.reset();
    }
}

std::uint64_t chaos_schedule::injected_total() const
{
    std::uint64_t n = 0;
    for (auto c : injected_)
        n += c;
    return n;
}

std::string chaos_schedule::describe(clock::time_point now) const
{
    std::ostringstream out;
    for (std::size_t i = 0; i < episodes_.size(); ++i)
        if (const auto& e = episodes_[i])
            out << "shard " << i << " has waited "
                << std::chrono::duration_cast<std::chrono::milliseconds>(now - e->since).count()
                << " ms for a new READY after " << info(e->cause).name << " (its first " << e->last_event_before
                << " events went before it); ";
    if (acks_back_at_)
        out << "heartbeat ACKs are withheld; ";
    return out.str();
}

} // namespace soak
