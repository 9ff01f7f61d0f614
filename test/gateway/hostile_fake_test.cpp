// A server that misbehaves on purpose, played by the emulator's fault switches: cord must never
// reconnect in a tight loop nor spend the identify budget on a session that never starts.
#include "fake_harness.hpp"
#include "raw_gateway.hpp"
#include "security/log_capture.hpp"
#include "soak/memory_samples.hpp"

#include <cord/logging.hpp>

#include <boost/asio/write.hpp>

#include <limits>

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

// --- against a raw server ------------------------------------------------------------------------

namespace {

using gwtest::raw_gateway;
namespace asio = boost::asio;

std::string ready_payload(const raw_gateway& g)
{
    return raw_gateway::dispatch("READY", 1,
                                 R"({"session_id":"s1","resume_gateway_url":")" + g.url()
                                     + R"(","user":{"id":"1","username":"bot"},"guilds":[]})");
}

// A harness whose shard connects to `g` in plain JSON.
void to_raw(cord::shard_config& c, const raw_gateway& g)
{
    c.gateway.url = g.url();
    c.gateway.compress = cord::compression::none;
    c.gateway.reconnect_backoff_min = 10ms;
    c.gateway.reconnect_backoff_max = 50ms;
}

} // namespace

TEST_CASE("an event that overtook another is delivered late, a true replay is not", "[gateway-hostile]")
{
    raw_gateway g{[&g](raw_gateway::ws& s, int) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);   // IDENTIFY
        co_await raw_gateway::send(s, ready_payload(g));
        // Encoded concurrently: seq 3 goes out before seq 2; then seq 3 again.
        co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 3, R"({"id":"30"})"));
        co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 2, R"({"id":"20"})"));
        co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 3, R"({"id":"30"})"));
        co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 4, R"({"id":"40"})"));
        co_await raw_gateway::drain(s);
    }};
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return h.count("GUILD_CREATE") >= 3; }));
    h.run_for(200ms);
    std::vector<std::uint64_t> seqs;
    for (auto& e : h.events)
        if (e.name == "GUILD_CREATE")
            seqs.push_back(e.seq);
    CHECK(seqs == std::vector<std::uint64_t>{3, 2, 4});
    CHECK(h.shard->session().seq == 4);
}

TEST_CASE("a RESUMED that repeats a seq still ends the handshake", "[gateway-hostile]")
{
    raw_gateway g{[&g](raw_gateway::ws& s, int n) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);   // IDENTIFY, then RESUME
        if (n == 1) {
            co_await raw_gateway::send(s, ready_payload(g));
            co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 2, R"({"id":"20"})"));
            s.next_layer().close();   // a drop: the shard resumes
            co_return;
        }
        co_await raw_gateway::send(s, raw_gateway::dispatch("RESUMED", 2, "{}"));
        co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 3, R"({"id":"30"})"));
        co_await raw_gateway::drain(s);
    }};
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return h.count("GUILD_CREATE") == 2; }));
    CHECK(g.connections() == 2);
    CHECK(h.ready());
    CHECK(entered(h, cord::shard_status::ready) == 2);
}

TEST_CASE("a HELLO without a positive interval ends that connection, not the shard", "[gateway-hostile]")
{
    raw_gateway g{[&g](raw_gateway::ws& s, int n) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello(n == 1 ? 0 : n == 2 ? -5 : 41250));
        co_await raw_gateway::read(s);   // the close (1, 2), IDENTIFY (3)
        if (n >= 3)
            co_await raw_gateway::send(s, ready_payload(g));
        co_await raw_gateway::drain(s);
    }};
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    CHECK(g.connections() == 3);
}

TEST_CASE("a close reason that echoes a piece of the token never reaches the error", "[gateway-hostile]")
{
    const std::string token = "MTA5ODc2NTQzMjEwOTg3NjU0.GhJkLm.raw-gateway-token-abcdefghijklmn";
    cord::register_secret(token);   // as cord::client does
    raw_gateway g{[&](raw_gateway::ws& s, int) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);
        // Cut by the 123-byte limit of a close reason, and with a forged log line in it.
        std::string reason = "bad token\r\nINFO forged " + token.substr(3, 40);
        boost::beast::websocket::close_reason why{static_cast<boost::beast::websocket::close_code>(4004), reason};
        co_await s.async_close(why, asio::use_awaitable);
    }};
    sectest::log_capture logs;   // every line, at trace level
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) {
                  to_raw(c, g);
                  c.token = token;
              }};
    h.start();
    REQUIRE(h.run_until([&] { return h.done; }));
    REQUIRE(h.error);
    try {
        std::rethrow_exception(h.error);
    } catch (const cord::gateway_error& e) {
        std::string what = e.what();
        INFO(what);
        CHECK(e.close_code() == 4004);
        CHECK(what.find("bad token") != std::string::npos);
        CHECK(what.find('\n') == std::string::npos);
        for (std::size_t i = 0; i + 8 <= token.size(); ++i)
            REQUIRE(what.find(token.substr(i, 8)) == std::string::npos);
    }
    CHECK(logs.contains("4004"));
    CHECK(!logs.contains("\n"));
    for (std::size_t i = 0; i + 8 <= token.size(); ++i)
        REQUIRE(!logs.contains(token.substr(i, 8)));
}

TEST_CASE("a HELLO interval past any clock beats every 10 min and never fakes a zombie", "[gateway-hostile]")
{
    // 2^63-1 ms overflowed the deadline arithmetic; 1e12 ms was taken as it is (no heartbeat
    // for 31 years). Both are clamped to 10 min with a warning; the session lives on.
    raw_gateway g{[&g](raw_gateway::ws& s, int n) -> asio::awaitable<void> {
        // Named: g++ 12 destroys a conditional's temporary inside co_await twice.
        std::string hello = raw_gateway::hello(n == 1 ? std::numeric_limits<long>::max() : 1'000'000'000'000);
        co_await raw_gateway::send(s, hello);
        co_await raw_gateway::read(s);   // IDENTIFY
        co_await raw_gateway::send(s, ready_payload(g));
        if (n == 1) {
            co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_CREATE", 2, R"({"id":"20"})"));
            s.next_layer().close();   // the second connection gets the other value
            co_return;
        }
        co_await raw_gateway::drain(s);
    }};
    sectest::log_capture logs;
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return g.connections() == 2 && h.ready(); }));
    h.run_for(500ms);   // a false zombie would end the connection at once
    CHECK(h.ready());
    CHECK(g.connections() == 2);
    CHECK(h.count("GUILD_CREATE") == 1);
    CHECK(logs.contains("heartbeat_interval 9223372036854775807 ms, outside [100, 600000] ms: beating every 600000 ms"));
    CHECK(logs.contains("heartbeat_interval 1000000000000 ms, outside [100, 600000] ms: beating every 600000 ms"));
}

namespace {

/// Server-to-client text frame header (unmasked) that claims `length` bytes of payload.
std::string frame_header(std::uint64_t length)
{
    std::string h{"\x81\x7f", 2};
    for (int shift = 56; shift >= 0; shift -= 8)
        h.push_back(static_cast<char>((length >> shift) & 0xff));
    return h;
}

} // namespace

TEST_CASE("a frame that claims a gigabyte is refused from its header, and costs no memory", "[gateway-hostile]")
{
    raw_gateway g{[&g](raw_gateway::ws& s, int n) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);   // IDENTIFY, then RESUME
        if (n > 1) {
            co_await raw_gateway::send(s, raw_gateway::dispatch("RESUMED", 2, "{}"));
            co_await raw_gateway::drain(s);
            co_return;
        }
        co_await raw_gateway::send(s, ready_payload(g));
        // Then, under the WebSocket layer: a header for 1 GiB and the first MiB of it.
        std::string bytes = frame_header(std::uint64_t{1} << 30) + std::string(1 << 20, 'a');
        co_await asio::async_write(s.next_layer(), asio::buffer(bytes), asio::use_awaitable);
        co_await raw_gateway::drain(s);
    }};
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    auto heap_before = soak::heap_kib();
    REQUIRE(h.run_until([&] { return g.connections() == 2 && h.ready(); }));
    auto grown = soak::heap_kib() - std::min(heap_before, soak::heap_kib());
    INFO("heap grown by " << grown << " KiB");
    if (soak::memory_measurable)
        CHECK(grown < 16 * 1024);   // not the claimed gigabyte, nor the MiB that followed it
    CHECK(h.fake.counters().gateway_connections == 0);   // the emulator was never asked
}

TEST_CASE("a flood of 1 MiB events goes through one at a time, in bounded memory", "[gateway-hostile]")
{
    constexpr int events = 150;
    const std::string big = R"({"id":"9","filler":")" + std::string(1 << 20, 'x') + R"("})";
    raw_gateway g{[&](raw_gateway::ws& s, int) -> asio::awaitable<void> {
        co_await raw_gateway::send(s, raw_gateway::hello());
        co_await raw_gateway::read(s);   // IDENTIFY
        co_await raw_gateway::send(s, ready_payload(g));
        for (int i = 0; i < events; ++i)
            co_await raw_gateway::send(s, raw_gateway::dispatch("GUILD_UPDATE", i + 2, big));
        co_await raw_gateway::drain(s);
    }};
    std::uint64_t peak = 0;
    harness h{fast_fake(), cord::compression::none, [&](cord::shard_config& c) { to_raw(c, g); }};
    h.start();
    REQUIRE(h.run_until([&] { return h.ready(); }));
    auto heap_before = soak::heap_kib();
    REQUIRE(h.run_until([&] {
        peak = std::max(peak, soak::heap_kib());
        return h.count("GUILD_UPDATE") == events;
    }, 60s));
    auto grown = peak - std::min(peak, heap_before);
    INFO("peak heap growth " << grown << " KiB over " << events << " MiB of events");
    if (soak::memory_measurable)
        CHECK(grown < 48 * 1024);   // a few events' buffers, never the stream
    CHECK(h.shard->session().seq == events + 1);
    CHECK(g.connections() == 1);
}
