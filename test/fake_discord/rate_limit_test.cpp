// fake_discord rate limits: per-route buckets keyed by major parameter, shared bucket
// hashes, the global limit, X-RateLimit-* headers and 429 bodies, counters.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

using cord::testing::bucket_config;
using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

std::string post_to(cord::snowflake channel) { return "/api/v10/channels/" + channel.str() + "/messages"; }

} // namespace

TEST_CASE("fake rate limit: a 429 comes exactly when the bucket is overrun, with Discord's headers", "[ratelimit]")
{
    fake_discord fake;
    fake.set_route_limit("POST", "/channels/{channel_id}/messages", {3, std::chrono::milliseconds{60000}, "msgs"});
    http_client http{fake.port()};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    for (int i = 0; i < 3; ++i) {
        auto r = http.request("POST", post_to(channel), R"({"content":"x"})");
        REQUIRE(r.status == 200);
        CHECK(r.header("x-ratelimit-limit") == "3");
        CHECK(r.header("x-ratelimit-remaining") == std::to_string(2 - i));
        CHECK(r.header("x-ratelimit-bucket") == "msgs");
        auto reset_after = std::stod(r.header("x-ratelimit-reset-after"));
        CHECK(reset_after > 0.0);
        CHECK(reset_after <= 60.0);
        auto reset = std::stod(r.header("x-ratelimit-reset"));
        auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        CHECK(reset == Approx(now + reset_after).margin(2.0));
        CHECK(r.header("x-ratelimit-scope").empty());   // only on 429s
    }
    auto limited = http.request("POST", post_to(channel), R"({"content":"x"})");
    REQUIRE(limited.status == 429);
    auto body = limited.json();
    CHECK_FALSE(body["global"].as_bool());
    CHECK(body["message"].as_string() == "You are being rate limited.");
    double retry = body["retry_after"].as_double();
    CHECK(retry > 0.0);
    CHECK(limited.header("retry-after") == std::to_string(static_cast<long>(std::ceil(retry))));
    CHECK(limited.header("x-ratelimit-scope") == "user");
    CHECK(limited.header("x-ratelimit-remaining") == "0");
    CHECK(limited.header("x-ratelimit-bucket") == "msgs");
    CHECK(limited.header("x-ratelimit-global").empty());
    auto c = fake.counters();
    CHECK(c.rate_limited == 1);
    CHECK(c.global_rate_limited == 0);
    CHECK(c.invalid_requests == 1);
    CHECK(c.requests == 4);
    // The refused request did not create a message.
    CHECK(http.request("GET", post_to(channel) + "?limit=100").json().size() == 3);
}

TEST_CASE("fake rate limit: buckets are per major parameter and reset after their window", "[ratelimit]")
{
    fake_discord fake;
    fake.set_route_limit("POST", "/channels/{channel_id}/messages", {1, std::chrono::milliseconds{300}, "m"});
    http_client http{fake.port()};
    auto a = fake.general_channel(fake.guild_ids().at(0));
    auto b = fake.general_channel(fake.guild_ids().at(1));
    CHECK(http.request("POST", post_to(a), R"({"content":"1"})").status == 200);
    CHECK(http.request("POST", post_to(a), R"({"content":"2"})").status == 429);
    CHECK(http.request("POST", post_to(b), R"({"content":"3"})").status == 200);   // another channel
    std::this_thread::sleep_for(std::chrono::milliseconds{350});
    auto again = http.request("POST", post_to(a), R"({"content":"4"})");
    CHECK(again.status == 200);
    CHECK(again.header("x-ratelimit-remaining") == "0");
}

TEST_CASE("fake rate limit: routes with the same bucket hash share one limit", "[ratelimit]")
{
    fake_discord fake;
    bucket_config shared{2, std::chrono::milliseconds{60000}, "shared-hash"};
    fake.set_route_limit("GET", "/channels/{channel_id}", shared);
    fake.set_route_limit("GET", "/channels/{channel_id}/messages", shared);
    http_client http{fake.port()};
    auto ch = "/api/v10/channels/" + fake.general_channel(fake.guild_ids().at(0)).str();
    auto first = http.request("GET", ch);
    CHECK(first.header("x-ratelimit-bucket") == "shared-hash");
    CHECK(http.request("GET", ch + "/messages").header("x-ratelimit-remaining") == "0");
    CHECK(http.request("GET", ch).status == 429);
    CHECK(http.request("GET", ch + "/messages").status == 429);
    // A route with its own (default) bucket is not affected.
    CHECK(http.request("GET", "/api/v10/users/@me").status == 200);
}

TEST_CASE("fake rate limit: the global limit answers 429 with global true and scope global", "[ratelimit]")
{
    fake_discord_options o;
    o.global_limit_per_second = 5;
    fake_discord fake{o};
    http_client http{fake.port()};
    int ok = 0;
    http_reply refused;
    // 5 fit in one second; the 6th is refused unless a second boundary passed meanwhile.
    for (int i = 0; i < 6; ++i) {
        auto r = http.request("GET", "/api/v10/users/@me");
        if (r.status == 200)
            ++ok;
        else
            refused = r;
    }
    if (refused.status == 0) {
        WARN("a second boundary passed during the burst; the global window restarted");
        return;
    }
    CHECK(ok == 5);
    REQUIRE(refused.status == 429);
    CHECK(refused.json()["global"].as_bool());
    CHECK(refused.header("x-ratelimit-global") == "true");
    CHECK(refused.header("x-ratelimit-scope") == "global");
    CHECK_FALSE(refused.header("retry-after").empty());
    CHECK(fake.counters().global_rate_limited == 1);
    // /gateway without a token is not counted against the bot's global limit.
    CHECK(http.request("GET", "/api/v10/gateway", {}, "").status == 200);
    fake.set_global_limit(0);
    CHECK(http.request("GET", "/api/v10/users/@me").status == 200);
}

TEST_CASE("fake rate limit: rate_limits = false removes the per-route buckets and their headers", "[ratelimit]")
{
    fake_discord_options o;
    o.rate_limits = false;
    fake_discord fake{o};
    http_client http{fake.port()};
    auto channel = fake.general_channel(fake.guild_ids().at(0));
    for (int i = 0; i < 8; ++i) {
        auto r = http.request("POST", post_to(channel), R"({"content":"x"})");
        REQUIRE(r.status == 200);
        CHECK(r.header("x-ratelimit-bucket").empty());
    }
}
