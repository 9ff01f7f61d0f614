// The faults the chaos soak injects, what each allows the client to keep, and how each is
// made to happen in the emulator.
#pragma once

#include <cord/testing/fake_discord.hpp>

#include <array>
#include <random>
#include <span>
#include <string_view>

namespace soak {

enum class fault {
    // One shard; the session survives (RESUME replays what was missed).
    tcp_drop, op7_reconnect, op9_resumable, close_4000, close_4001, close_4002, close_4005, close_4008,
    malformed_frame,
    // One shard; Discord ends the session and the client must IDENTIFY anew.
    op9_not_resumable, close_4003, close_4007, close_4009,
    // Every shard at once (but one making a new session); sessions survive.
    drop_every_shard, withhold_heartbeat_acks,
    // REST calls, whoever makes them next.
    rest_5xx, rest_429_user, rest_429_global,
};
inline constexpr std::size_t fault_kinds = 18;

enum class fault_class { resumable, new_session, every_shard, rest };

struct fault_info {
    std::string_view name;
    fault_class kind;
    int weight;   ///< how often it is drawn, relative to the others
};

const fault_info& info(fault f);
inline std::size_t index(fault f) { return static_cast<std::size_t>(f); }

/// Makes `f` happen in the emulator, on `shards` (one for the one-shard classes; withheld ACKs
/// and REST faults ignore them). REST faults draw their size from `rng`; withheld ACKs stay
/// withheld until the caller lets them go.
void apply(cord::testing::fake_discord& fake, fault f, std::span<const int> shards, std::mt19937_64& rng);

} // namespace soak
