// A server that misbehaves on purpose, played by the emulator's fault switches: cord must never
// reconnect in a tight loop nor spend the identify budget on a session that never starts.
#include "fake_harness.hpp"

using namespace gwtest;

namespace {

// Slow enough backoff to tell a paced shard from a storm within seconds.
void paced(cord::shard_config& c)
{
    c.gateway.reconnect_backoff_min = 200ms;
    c.gateway.reconnect_backoff_max = 2s;
}

// Counts how often the shard entered `status`.
std::size_t entered(const harness& h, cord::shard_status status)
{
    return static_cast<std::size_t>(std::count(h.statuses.begin(), h.statuses.end(), status));
}

} // namespace

TEST_CASE("op 7 after every RESUMED is answered with a growing backoff, not a storm", "[gateway-hostile]")
{
    harness h{fast_fake(), cord::compression::none, paced};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    std::size_t answered = 0;
    auto storm = [&] {   // every time the shard is ready again, tell it to reconnect
        if (entered(h, cord::shard_status::ready) > answered) {
            answered = entered(h, cord::shard_status::ready);
            h.fake.send_reconnect();
        }
        return false;
    };
    h.run_until(storm, 6s);
    auto connections = h.fake.counters().gateway_connections;
    INFO("connections in 6 s: " << connections);
    CHECK(connections >= 3);    // it does follow op 7
    CHECK(connections <= 10);   // 200 ms doubling: about 7; a storm is thousands
    CHECK(h.fake.counters().identifies == 1);   // every one of them resumed
    CHECK(!h.done);
}

TEST_CASE("IDENTIFYs that keep ending before READY stop the shard with what to check", "[gateway-hostile]")
{
    // After the first session, every IDENTIFY is refused with op 9 (the identify window never
    // passes): whatever the reason, a shard must not identify forever.
    auto fo = fast_fake();
    fo.identify_window = 10min;
    harness h{fo, cord::compression::none, [](cord::shard_config& c) { c.gateway.max_identify_attempts = 3; }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    h.fake.send_invalid_session(false);
    REQUIRE(h.run_until([&] { return h.done; }, 30s));   // 3 waits of 1-5 s
    REQUIRE(h.error);
    try {
        std::rethrow_exception(h.error);
    } catch (const cord::gateway_error& e) {
        CHECK(std::string_view{e.what()}.find("3 IDENTIFYs in a row ended before READY") != std::string_view::npos);
        CHECK(std::string_view{e.what()}.find(h.config.token) == std::string_view::npos);
    }
    CHECK(h.fake.counters().gateway_connections == 4);   // the first session, then three refused IDENTIFYs
}
