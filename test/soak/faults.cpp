// The chaos soak's faults: names, classes, weights, and their emulator calls.
#include "faults.hpp"

namespace soak {

namespace {

using enum fault_class;

// Codes from lib/gateway/close_policy.cpp: 4000-4002, 4005 and 4008 resume; 4003, 4007 and
// 4009 identify anew. The fatal ones (4004, 4010-4014) would end the client and are left out.
constexpr std::array<fault_info, fault_kinds> table{{
    {"TCP drop", resumable, 3},
    {"op 7 reconnect", resumable, 3},
    {"op 9 (resumable)", resumable, 3},
    {"close 4000", resumable, 3},
    {"close 4001", resumable, 3},
    {"close 4002", resumable, 3},
    {"close 4005", resumable, 3},
    {"close 4008", resumable, 3},
    {"malformed frame", resumable, 3},
    {"op 9 (not resumable)", new_session, 2},
    {"close 4003", new_session, 2},
    {"close 4007", new_session, 2},
    {"close 4009", new_session, 2},
    {"TCP drop, every shard", every_shard, 1},
    {"withheld heartbeat ACKs", every_shard, 1},
    {"REST 5xx burst", rest, 4},
    {"REST 429 storm (user)", rest, 3},
    {"REST 429 storm (global)", rest, 2},
}};

int between(std::mt19937_64& rng, int low, int high) { return std::uniform_int_distribution<int>{low, high}(rng); }

} // namespace

const fault_info& info(fault f) { return table[index(f)]; }

void apply(cord::testing::fake_discord& fake, fault f, std::span<const int> shards, std::mt19937_64& rng)
{
    using std::chrono::milliseconds;
    int shard = shards.empty() ? 0 : shards.front();
    switch (f) {
    case fault::tcp_drop: return fake.drop_connections(shard);
    case fault::op7_reconnect: return fake.send_reconnect(shard);
    case fault::op9_resumable: return fake.send_invalid_session(true, shard);
    case fault::close_4000: return fake.close_connections(4000, shard);
    case fault::close_4001: return fake.close_connections(4001, shard);
    case fault::close_4002: return fake.close_connections(4002, shard);
    case fault::close_4005: return fake.close_connections(4005, shard);
    case fault::close_4008: return fake.close_connections(4008, shard);
    case fault::malformed_frame: return fake.send_malformed(shard);
    case fault::op9_not_resumable: return fake.send_invalid_session(false, shard);
    case fault::close_4003: return fake.close_connections(4003, shard);
    case fault::close_4007: return fake.close_connections(4007, shard);
    case fault::close_4009: return fake.close_connections(4009, shard);
    case fault::drop_every_shard:
        for (int s : shards)
            fake.drop_connections(s);
        return;
    case fault::withhold_heartbeat_acks: return fake.withhold_heartbeat_acks(true);
    case fault::rest_5xx: {
        static constexpr int statuses[] = {500, 502, 503, 504};
        return fake.fail_rest(statuses[between(rng, 0, 3)], between(rng, 4, 40));
    }
    case fault::rest_429_user: return fake.rate_limit_rest(between(rng, 5, 40), milliseconds{between(rng, 20, 400)});
    case fault::rest_429_global:
        return fake.rate_limit_rest(between(rng, 5, 40), milliseconds{between(rng, 20, 400)}, true);
    }
}

} // namespace soak
