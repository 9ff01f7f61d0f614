// Unit tests of the rate-limit bookkeeping, with the clock injected.
// SPDX-License-Identifier: BSL-1.0
#include "rest/rate_limiter.hpp"
#include "rest/response.hpp"
#include "rest/response_headers.hpp"

#include <catch2/catch.hpp>

#include <climits>
#include <map>
#include <random>
#include <vector>

using namespace cord::rest;
using namespace std::chrono_literals;

namespace {

const time_point t0 = time_point{} + 1000h;

rate_limit_info headers(int limit, int remaining, std::chrono::microseconds reset_after, std::string bucket = "h")
{
    rate_limit_info i;
    i.limit = limit;
    i.remaining = remaining;
    i.reset_after = reset_after;
    i.bucket = std::move(bucket);
    return i;
}

} // namespace

TEST_CASE("a new bucket lets one request out until a response tells its limit", "[rest-bucket]")
{
    bucket_state b;
    auto first = b.try_acquire(t0);
    REQUIRE(first.granted);
    auto second = b.try_acquire(t0);
    CHECK_FALSE(second.granted);
    CHECK_FALSE(second.retry_at);   // wait for the response, not for a time

    b.on_response(first.ticket, t0 + 10ms, headers(5, 4, 1000ms));
    for (int i = 0; i < 4; ++i)
        CHECK(b.try_acquire(t0 + 10ms).granted);
    auto full = b.try_acquire(t0 + 10ms);
    CHECK_FALSE(full.granted);
    REQUIRE(full.retry_at);
    CHECK(*full.retry_at == t0 + 1012ms);   // Reset-After counted from when we heard it, + 2 ms rounding margin
}

TEST_CASE("a bucket reopens at its reset, counting requests still in flight", "[rest-bucket]")
{
    bucket_state b;
    auto first = b.try_acquire(t0);
    b.on_response(first.ticket, t0, headers(3, 2, 1000ms));
    auto a = b.try_acquire(t0);
    auto c = b.try_acquire(t0);
    REQUIRE((a.granted && c.granted));
    CHECK_FALSE(b.try_acquire(t0 + 999ms).granted);
    // `a` answered, `c` still flying when the window ends: it may land in the next window.
    b.on_response(a.ticket, t0 + 5ms, headers(3, 1, 995ms));
    CHECK(b.try_acquire(t0 + 1002ms).granted);
    CHECK(b.try_acquire(t0 + 1002ms).granted);
    auto over = b.try_acquire(t0 + 1002ms);
    CHECK_FALSE(over.granted);
    CHECK_FALSE(over.retry_at);   // the new window's end comes with its first response
    CHECK(b.used() == 3);
}

TEST_CASE("a full bucket whose requests all came back from the old window never waits forever", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0, headers(2, 1, 1000ms));
    auto a = b.try_acquire(t0 + 990ms);
    REQUIRE(a.granted);
    // the window ends with `a` in flight: it counts in the next one, whose end is unknown
    auto c = b.try_acquire(t0 + 1003ms);
    REQUIRE(c.granted);
    CHECK_FALSE(b.try_acquire(t0 + 1003ms).granted);
    // `c` fails on the wire, `a` turns out to have landed in the old window (short Reset-After)
    b.on_no_response(c.ticket);
    b.on_response(a.ticket, t0 + 1004ms, headers(2, 0, 10ms));
    auto d = b.try_acquire(t0 + 1005ms);
    CHECK(d.granted);   // `a` no longer counts in the new window
    b.on_no_response(d.ticket);
    // full again, nothing in flight, end unknown: a time to retry, not an endless wait
    auto e = b.try_acquire(t0 + 1006ms);
    CHECK_FALSE(e.granted);
    REQUIRE(e.retry_at);
    CHECK(*e.retry_at > t0 + 1006ms);
    CHECK(b.try_acquire(*e.retry_at).granted);
}

TEST_CASE("responses out of order never lower the count below what was sent", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0, headers(5, 4, 1000ms));
    std::vector<bucket_state::decision> d;
    for (int i = 0; i < 4; ++i)
        d.push_back(b.try_acquire(t0));
    // the earliest-arrived request answers last with the highest remaining
    b.on_response(d[3].ticket, t0 + 1ms, headers(5, 0, 999ms));
    b.on_response(d[0].ticket, t0 + 2ms, headers(5, 3, 998ms));
    CHECK(b.used() == 5);
    CHECK_FALSE(b.try_acquire(t0 + 3ms).granted);
}

TEST_CASE("the server's count wins when others share the bucket", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0, headers(5, 1, 1000ms));   // someone else used three
    CHECK(b.try_acquire(t0).granted);
    CHECK_FALSE(b.try_acquire(t0).granted);
}

TEST_CASE("a response from a newer server window starts that window", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0 + 100ms, headers(2, 1, 900ms));   // our reset: t0 + 1000ms
    auto a = b.try_acquire(t0 + 990ms);
    REQUIRE(a.granted);
    // the server's window ended earlier than we thought: `a` opened its next one
    b.on_response(a.ticket, t0 + 995ms, headers(2, 1, 1000ms));
    REQUIRE(b.reset_at());
    CHECK(*b.reset_at() == t0 + 1997ms);
    CHECK(b.try_acquire(t0 + 1001ms).granted);
    auto full = b.try_acquire(t0 + 1001ms);
    CHECK_FALSE(full.granted);
    CHECK(*full.retry_at == t0 + 1997ms);
}

TEST_CASE("a route 429 pauses its bucket for retry_after", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0, headers(5, 4, 1000ms));
    auto a = b.try_acquire(t0);
    auto limited = headers(5, 0, 1000ms);
    limited.retry_after = 3000ms;
    b.on_response(a.ticket, t0 + 1ms, limited);
    auto d = b.try_acquire(t0 + 2ms);
    CHECK_FALSE(d.granted);
    CHECK(*d.retry_at == t0 + 3003ms);
    CHECK_FALSE(b.try_acquire(t0 + 3002ms).granted);
    CHECK(b.try_acquire(t0 + 3003ms).granted);
}

TEST_CASE("a huge X-RateLimit-Limit never overflows the count into an open bucket (fuzz regression)", "[rest-bucket]")
{
    // Caught by fuzz/rest_response_fuzz under UBSan: the server's count plus our requests in
    // flight passed INT_MAX, and the wrapped, negative count let requests out of a bucket with
    // none remaining.
    bucket_state b;
    auto first = b.try_acquire(t0);
    b.on_response(first.ticket, t0, headers(5, 4, 1000ms));
    REQUIRE(b.try_acquire(t0 + 1ms).granted);   // one in flight
    // Another route sharing the bucket tells of a newer window with nothing left.
    b.observe_foreign(t0 + 2s, headers(INT_MAX, 0, 10s));
    CHECK(b.used() == INT_MAX);
    auto refused = b.try_acquire(t0 + 2s);
    CHECK_FALSE(refused.granted);
    REQUIRE(refused.retry_at);
    CHECK(*refused.retry_at > t0 + 2s);
    b.observe_foreign(t0 + 3s, headers(INT_MAX, 0, 9s));
    CHECK(b.used() == INT_MAX);
}

TEST_CASE("a route without rate-limit headers is limited only globally", "[rest-bucket]")
{
    bucket_state b;
    auto p = b.try_acquire(t0);
    b.on_response(p.ticket, t0, rate_limit_info{});
    for (int i = 0; i < 100; ++i)
        CHECK(b.try_acquire(t0).granted);
}

TEST_CASE("pacing against a fixed-window server with jittery latency gives no 429", "[rest-bucket]")
{
    // A server that, like Discord's, opens a window of `limit` per `window` at the first
    // request after the previous one ended, and answers with the headers of that moment.
    const int limit = 5;
    const auto window = 1000ms;
    std::mt19937 rng{7};
    std::uniform_int_distribution<int> latency_us(200, 40000);
    struct flight {
        time_point arrive, answer;
        std::uint64_t ticket;
        rate_limit_info info;
        bool arrived = false;
    };
    bucket_state b;
    std::vector<flight> flying;
    int used = 0, rejected = 0, sent = 0, answered = 0;
    time_point server_reset{};
    for (auto now = t0; now < t0 + 20s; now += 1ms) {
        // server side: arrivals in time order
        for (auto& f : flying)
            if (!f.arrived && f.arrive <= now) {
                f.arrived = true;
                if (f.arrive >= server_reset) {
                    used = 0;
                    server_reset = f.arrive + window;
                }
                bool ok = used < limit;
                used += ok;
                f.info = headers(limit, limit - used, std::chrono::duration_cast<std::chrono::microseconds>(
                                                          server_reset - f.arrive));
                if (!ok) {
                    ++rejected;
                    f.info.retry_after = f.info.reset_after;
                }
            }
        // client side: answers, then as many sends as the bucket allows
        for (auto it = flying.begin(); it != flying.end();) {
            if (it->arrived && it->answer <= now) {
                b.on_response(it->ticket, now, it->info);
                ++answered;
                it = flying.erase(it);
            } else {
                ++it;
            }
        }
        for (auto d = b.try_acquire(now); d.granted; d = b.try_acquire(now)) {
            auto up = std::chrono::microseconds{latency_us(rng)};
            auto down = std::chrono::microseconds{latency_us(rng)};
            flying.push_back({now + up, now + up + down, d.ticket, {}});
            ++sent;
        }
    }
    CHECK(rejected == 0);
    // and the limiter is not needlessly slow: close to 5 per window over 20 s
    CHECK(sent >= 5 * 17);
}

TEST_CASE("the global limiter allows N per second plus margin, and a global 429 pauses it", "[rest-global]")
{
    global_limiter g{3, 20ms};
    CHECK_FALSE(g.try_acquire(t0));
    CHECK_FALSE(g.try_acquire(t0 + 100ms));
    CHECK_FALSE(g.try_acquire(t0 + 200ms));
    auto wait = g.try_acquire(t0 + 300ms);
    REQUIRE(wait);
    CHECK(*wait == t0 + 1020ms);
    CHECK(g.try_acquire(t0 + 1019ms));
    CHECK_FALSE(g.try_acquire(t0 + 1020ms));
    g.pause_until(t0 + 5s);
    CHECK(*g.try_acquire(t0 + 4s) == t0 + 5s);
    CHECK_FALSE(g.try_acquire(t0 + 5s));

    global_limiter off{0};
    for (int i = 0; i < 1000; ++i)
        CHECK_FALSE(off.try_acquire(t0));
}

TEST_CASE("invalid requests are counted over a sliding 10 minutes", "[rest-global]")
{
    invalid_request_window w;
    int warnings = 0;
    for (int i = 0; i < 25; ++i)
        warnings += w.add(t0 + std::chrono::seconds{i}, 10);
    CHECK(warnings == 2);
    CHECK(w.count(t0 + 30s) == 25);
    CHECK(w.count(t0 + 600s) == 24);   // the first one left the window
    CHECK(w.count(t0 + 623s) == 1);
    CHECK(w.count(t0 + 624s) == 0);
}

TEST_CASE("routes move to the bucket named by X-RateLimit-Bucket, keyed with the major", "[rest-limiter]")
{
    rate_limiter rl;
    std::string key;
    const std::string create = "POST /channels/{channel_id}/messages";
    const std::string edit = "PATCH /channels/{channel_id}/messages/{message_id}";
    auto& prov = rl.bucket_for(create, "1", key);
    CHECK(key == create + "|1");
    auto d = prov.try_acquire(t0);
    CHECK(rl.on_response(create, "1", prov, d.ticket, t0, headers(5, 4, 5000ms, "msgs")));
    auto& shared = rl.bucket_for(create, "1", key);
    CHECK(key == "msgs:1");
    CHECK(shared.used() == 1);   // the provisional request counts in its real bucket

    // another route with the same hash shares that limit once learned
    auto& prov2 = rl.bucket_for(edit, "1", key);
    auto d2 = prov2.try_acquire(t0);
    rl.on_response(edit, "1", prov2, d2.ticket, t0, headers(5, 3, 5000ms, "msgs"));
    CHECK(&rl.bucket_for(edit, "1", key) == &shared);
    CHECK(shared.used() == 2);
    CHECK(shared.try_acquire(t0).granted);
    CHECK(shared.try_acquire(t0).granted);
    CHECK(shared.try_acquire(t0).granted);
    CHECK_FALSE(shared.try_acquire(t0).granted);

    // another channel has its own bucket of the same hash
    auto& other = rl.bucket_for(create, "2", key);
    CHECK(key == "msgs:2");
    CHECK(&other != &shared);
    CHECK(rl.hash_of(create) == "msgs");
}

TEST_CASE("idle buckets are forgotten, busy ones kept", "[rest-limiter]")
{
    rate_limiter rl;
    std::string key;
    for (int ch = 0; ch < 100; ++ch) {
        auto& b = rl.bucket_for("GET /channels/{channel_id}", std::to_string(ch), key);
        auto d = b.try_acquire(t0);
        rl.on_response("GET /channels/{channel_id}", std::to_string(ch), b, d.ticket, t0, headers(5, 4, 1000ms));
    }
    auto& busy = rl.bucket_for("GET /channels/{channel_id}", "7", key);
    REQUIRE(busy.try_acquire(t0 + 2s).granted);
    // one provisional bucket (the first channel's; the others knew the hash), one per channel
    CHECK(rl.bucket_count() == 101);
    CHECK(rl.evict_idle(t0 + 10s, 5s) == 100);
    CHECK(rl.bucket_count() == 1);
    CHECK(&rl.bucket_for("GET /channels/{channel_id}", "7", key) == &busy);
}

TEST_CASE("responses are classified by status, scope and origin", "[rest-response]")
{
    raw_response ok{200, R"({"id":"1"})", "application/json", true};
    CHECK(classify(ok).kind == response_kind::ok);
    raw_response no_content{204, "", "", true};
    CHECK(classify(no_content).kind == response_kind::ok);

    raw_response user{429, R"({"message":"You are being rate limited.","retry_after":1.5,"global":false})",
                      "application/json", true, "5", "0", "1.5", "abc", "", "user", "2"};
    auto u = classify(user);
    CHECK(u.kind == response_kind::rate_limited);
    CHECK(*u.limits.retry_after == 1500ms);
    CHECK_FALSE(u.limits.global);
    CHECK(u.limits.scope == cord::rate_limit_scope::user);
    CHECK(u.counts_as_invalid);
    CHECK(*u.limits.limit == 5);
    CHECK(u.limits.bucket == "abc");

    raw_response global{429, R"({"message":"x","retry_after":0.25,"global":true})", "application/json", true};
    global.global = "true";
    auto g = classify(global);
    CHECK(g.limits.global);
    CHECK(g.limits.scope == cord::rate_limit_scope::global);

    raw_response shared = user;
    shared.scope = "shared";
    auto s = classify(shared);
    CHECK(s.limits.scope == cord::rate_limit_scope::shared);
    CHECK_FALSE(s.counts_as_invalid);

    raw_response cloudflare{429, "<html><body>You are being rate limited</body></html>", "text/html", false};
    cloudflare.retry_after = "3600";
    auto c = classify(cloudflare);
    CHECK(c.kind == response_kind::cloudflare);
    CHECK(c.counts_as_invalid);

    CHECK(classify(raw_response{500, "{}", "", true}).kind == response_kind::server_error);
    CHECK(classify(raw_response{502, "<html>", "", false}).kind == response_kind::server_error);
    auto unauthorized = classify(raw_response{401, R"({"message":"401: Unauthorized","code":0})", "", true});
    CHECK(unauthorized.kind == response_kind::unauthorized);
    CHECK(unauthorized.counts_as_invalid);
    auto forbidden = classify(raw_response{403, R"({"code":50013})", "", true});
    CHECK(forbidden.kind == response_kind::client_error);
    CHECK(forbidden.counts_as_invalid);
    auto missing = classify(raw_response{404, R"({"code":10008})", "", true});
    CHECK(missing.kind == response_kind::client_error);
    CHECK_FALSE(missing.counts_as_invalid);

    CHECK(*parse_seconds("0.001") == 1000us);
    CHECK(*parse_seconds("64.57") == 64570000us);
    CHECK_FALSE(parse_seconds("-1"));
    CHECK_FALSE(parse_seconds("abc"));
    CHECK_FALSE(parse_seconds("nan"));
}

TEST_CASE("response headers are read by case-insensitive name, the first of a repeated one counting", "[rest-response]")
{
    raw_response r;
    std::vector<header_field> fields{{"content-type", "application/json"},
                                     {"X-RATELIMIT-LIMIT", "5"},
                                     {"x-ratelimit-remaining", "4"},
                                     {"X-RateLimit-Reset-After", "1.5"},
                                     {"X-RateLimit-Bucket", "abc"},
                                     {"X-RateLimit-Bucket", "second"},
                                     {"x-ratelimit-global", "true"},
                                     {"X-RateLimit-Scope", "shared"},
                                     {"retry-after", "2"},
                                     {"X-RateLimit-Limit-Extra", "9"},
                                     {"Set-Cookie", "x=y"}};
    read_headers(r, fields);
    CHECK(r.content_type == "application/json");
    CHECK(r.limit == "5");
    CHECK(r.remaining == "4");
    CHECK(r.reset_after == "1.5");
    CHECK(r.bucket == "abc");
    CHECK(r.global == "true");
    CHECK(r.scope == "shared");
    CHECK(r.retry_after == "2");
    CHECK_FALSE(r.has_via);

    raw_response via;
    std::vector<header_field> proxied{{"VIA", "1.1 google"}};
    read_headers(via, proxied);
    CHECK(via.has_via);
    CHECK(via.limit.empty());
}
