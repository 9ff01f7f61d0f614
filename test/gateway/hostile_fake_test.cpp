// A server that misbehaves on purpose, played by the emulator's fault switches: cord must never
// reconnect in a tight loop nor spend the identify budget on a session that never starts.
#include "fake_harness.hpp"
#include "raw_gateway.hpp"
#include "security/log_capture.hpp"

#include <cord/logging.hpp>

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
