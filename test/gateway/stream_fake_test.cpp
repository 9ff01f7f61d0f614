// Fake tier: a stream of numbered MESSAGE_CREATE events with faults injected every few hundred
// events. While the session is resumable every event arrives exactly once and in order.
#include "fake_harness.hpp"

using namespace gwtest;

namespace {

void check_exactly_once_in_order(const harness& h, int total)
{
    std::vector<int> got;
    std::uint64_t last_seq = 0;
    bool seq_increasing = true;
    for (auto& e : h.events) {
        if (e.seq <= last_seq)
            seq_increasing = false;
        last_seq = e.seq;
        if (e.name == "MESSAGE_CREATE")
            got.push_back(std::stoi(e.content));
    }
    CHECK(seq_increasing);
    if (got.size() != static_cast<std::size_t>(total)) {
        std::vector<int> seen(static_cast<std::size_t>(total), 0);
        for (int n : got)
            if (n >= 0 && n < total)
                ++seen[static_cast<std::size_t>(n)];
        std::string missing;
        for (int i = 0; i < total && missing.size() < 200; ++i)
            if (seen[static_cast<std::size_t>(i)] != 1)
                missing += std::to_string(i) + "x" + std::to_string(seen[static_cast<std::size_t>(i)]) + " ";
        FAIL(got.size() << " events for " << total << "; not exactly once: " << missing);
    }
    for (int i = 0; i < total; ++i)
        if (got[static_cast<std::size_t>(i)] != i)
            FAIL("event " << i << " arrived as " << got[static_cast<std::size_t>(i)]);
}

void stream_with_faults(cord::compression mode)
{
    // Faults come faster than a session can last: every session counts as stable here, so that
    // the backoff stays short and each fault meets a live connection.
    harness h{fast_fake(), mode, [](cord::shard_config& c) { c.gateway.stable_after = 0ms; }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    const int total = 3000;
    int fault = 0;
    for (int i = 0; i < total; ++i) {
        h.post(std::to_string(i));
        if (i % 300 == 150) {
            switch (fault++ % 6) {
            case 0: h.fake.drop_connections(); break;
            case 1: h.fake.send_reconnect(); break;
            case 2: h.fake.send_invalid_session(true); break;
            case 3: h.fake.close_connections(4000); break;
            case 4: h.fake.send_malformed(); break;
            case 5: h.fake.close_connections(4008); break;
            }
        }
        if (i % 50 == 0)
            h.run_for(3ms);
    }
    CHECK(h.run_until([&] { return h.count("MESSAGE_CREATE") >= static_cast<std::size_t>(total); }, 30s));
    h.run_for(200ms);
    check_exactly_once_in_order(h, total);
    CHECK(h.fake.counters().identifies == 1);
    CHECK(h.fake.counters().resumes >= 5);
}

} // namespace

TEST_CASE("numbered stream with faults every 300 events: exactly once, in order (plain)", "[gateway-stream]")
{
    stream_with_faults(cord::compression::none);
}

TEST_CASE("numbered stream with faults every 300 events: exactly once, in order (zlib-stream)", "[gateway-stream]")
{
    stream_with_faults(cord::compression::zlib_stream);
}

TEST_CASE("numbered stream with faults every 300 events: exactly once, in order (zstd-stream)", "[gateway-stream]")
{
    stream_with_faults(cord::compression::zstd_stream);
}
