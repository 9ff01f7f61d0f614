// Unit tests of the gateway send limiter (120 per 60 s, heartbeats always through).
#include "gateway/send_limiter.hpp"

#include <catch2/catch.hpp>

using cord::gateway::send_limiter;
using namespace std::chrono_literals;

namespace {
const send_limiter::clock::time_point t0 = send_limiter::clock::time_point{} + 1000h;
}

TEST_CASE("limiter: 120 per 60 s minus the heartbeat reserve, then waits for the window", "[gateway-limiter]")
{
    send_limiter limiter{120, 60s, 3};
    CHECK(limiter.budget() == 117);
    int sent = 0;
    for (int i = 0; i < 200; ++i)
        if (limiter.try_acquire(t0 + std::chrono::milliseconds{i}))
            ++sent;
    CHECK(sent == 117);
    CHECK(limiter.next_available(t0 + 1s) == t0 + 60s);
    CHECK(!limiter.try_acquire(t0 + 59999ms));
    CHECK(limiter.try_acquire(t0 + 60s));
    CHECK(!limiter.try_acquire(t0 + 60s));
    CHECK(limiter.next_available(t0 + 60s) == t0 + 60001ms);
}

TEST_CASE("limiter: heartbeats always get through and never exceed Discord's limit", "[gateway-limiter]")
{
    auto interval = 41250ms;
    int reserve = send_limiter::heartbeat_reserve(interval, 60s);
    CHECK(reserve == 4);
    send_limiter limiter{120, 60s, reserve};
    // Saturate with normal payloads while beating on schedule for 10 minutes; count what
    // went out in every 60 s window.
    std::vector<send_limiter::clock::time_point> all;
    auto next_beat = t0 + 1s;
    for (auto now = t0; now < t0 + 600s; now += 100ms) {
        if (now >= next_beat) {
            limiter.acquire_heartbeat(now);
            all.push_back(now);
            next_beat += interval;
        }
        while (limiter.try_acquire(now))
            all.push_back(now);
    }
    std::size_t start = 0;
    for (std::size_t end = 0; end < all.size(); ++end) {
        while (all[start] + 60s <= all[end])
            ++start;
        REQUIRE(end - start + 1 <= 120);
    }
    CHECK(all.size() > 1000);   // the limiter does let traffic through
}

TEST_CASE("limiter: the reserve follows the heartbeat interval", "[gateway-limiter]")
{
    CHECK(send_limiter::heartbeat_reserve(60s, 60s) == 3);
    CHECK(send_limiter::heartbeat_reserve(1s, 60s) == 62);
    CHECK(send_limiter::heartbeat_reserve(0ms, 60s) == 3);
}

TEST_CASE("limiter: a margin lengthens the window", "[gateway-limiter]")
{
    send_limiter limiter{10, 1000ms, 0, 100ms};
    for (int i = 0; i < 10; ++i)
        REQUIRE(limiter.try_acquire(t0));
    CHECK(!limiter.try_acquire(t0 + 1000ms));
    CHECK(limiter.next_available(t0 + 1000ms) == t0 + 1100ms);
    CHECK(limiter.try_acquire(t0 + 1100ms));
}

TEST_CASE("limiter: 4008 halves the budget, never below one", "[gateway-limiter]")
{
    send_limiter limiter{120, 60s, 3};
    limiter.slow_down();
    CHECK(limiter.budget() < 117);
    CHECK(limiter.budget() >= 58);
    for (int i = 0; i < 20; ++i)
        limiter.slow_down();
    CHECK(limiter.budget() == 1);
    CHECK(limiter.try_acquire(t0));
    CHECK(!limiter.try_acquire(t0));
}

TEST_CASE("limiter: a very short heartbeat interval never reserves more than half the limit",
          "[gateway-limiter]")
{
    send_limiter limiter{120, 60s, send_limiter::heartbeat_reserve(250ms, 60s)};
    CHECK(limiter.budget() == 60);
    // Heartbeats do not eat the normal budget.
    for (int i = 0; i < 200; ++i)
        limiter.acquire_heartbeat(t0);
    CHECK(limiter.try_acquire(t0));
}
