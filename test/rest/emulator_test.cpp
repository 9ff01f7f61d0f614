// The REST core against cord::testing::fake_discord: pacing under real rate-limit headers,
// buckets per major parameter and per shared hash, global and route 429s, the request log
// (JSON, multipart, audit-log reason) and TLS verification.
// SPDX-License-Identifier: BSL-1.0
#include "run_helpers.hpp"

#include "rest/access.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>
#include <cord/rest_client.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace std::chrono_literals;
using cord::errc;
using cord::json;
using cord::snowflake;
using cord::test::error_of;
using cord::test::run_call;
using cord::testing::fake_discord;
using cord::testing::recorded_request;

namespace {

using rest_route = cord::rest::route;
constexpr rest_route create_message{"create-message", cord::rest::http_method::post, "/channels/{channel_id}/messages",
                                    cord::rest::major_param::channel_id, cord::rest::body_multipart, false, true};
constexpr rest_route get_channel{"get-channel", cord::rest::http_method::get, "/channels/{channel_id}",
                                 cord::rest::major_param::channel_id, cord::rest::body_none, false, true};
constexpr rest_route get_messages{"get-channel-messages", cord::rest::http_method::get,
                                  "/channels/{channel_id}/messages", cord::rest::major_param::channel_id,
                                  cord::rest::body_query, false, true};
constexpr rest_route modify_channel{"modify-channel", cord::rest::http_method::patch, "/channels/{channel_id}",
                                    cord::rest::major_param::channel_id, cord::rest::body_json, true, true};

cord::rest_options options_for(const fake_discord& fake)
{
    cord::rest_options o;
    o.base_url = fake.rest_url();
    o.tls.allow_plaintext = true;
    o.backoff_min = 10ms;
    o.backoff_max = 40ms;
    return o;
}

cord::rest::request call(const rest_route& r, std::vector<std::string> args, std::optional<json> body = {})
{
    cord::rest::request req;
    req.target = &r;
    req.args = std::move(args);
    req.body = std::move(body);
    return req;
}

// Runs every call concurrently; returns how many failed (bounded in time).
int run_all(boost::asio::io_context& io, std::vector<cord::awaitable<json>> calls,
            std::chrono::seconds limit = 60s)
{
    std::size_t done = 0;
    int failed = 0;
    for (auto& c : calls)
        boost::asio::co_spawn(io, std::move(c), [&](std::exception_ptr e, json) {
            ++done;
            failed += e != nullptr;
        });
    io.restart();
    auto until = std::chrono::steady_clock::now() + limit;
    while (done < calls.size() && std::chrono::steady_clock::now() < until)
        io.run_one_for(100ms);
    REQUIRE(done == calls.size());
    return failed;
}

std::vector<recorded_request> requests_to(const fake_discord& fake, std::string_view method, std::string_view path)
{
    std::vector<recorded_request> out;
    for (auto& r : fake.requests())
        if (r.method == method && r.path == path)
            out.push_back(r);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

// The emulator's windows: one opens at the first arrival after the previous one ended.
// Returns the largest number of arrivals any window saw.
int busiest_window(const std::vector<recorded_request>& arrivals, std::chrono::milliseconds window)
{
    int most = 0, in_window = 0;
    std::chrono::steady_clock::time_point end{};
    for (const auto& r : arrivals) {
        if (r.at >= end) {
            end = r.at + window;
            in_window = 0;
        }
        most = std::max(most, ++in_window);
    }
    return most;
}

std::string path_of(snowflake channel, std::string_view tail = {})
{
    return "/api/v10/channels/" + channel.str() + std::string{tail};
}

} // namespace

TEST_CASE("200 concurrent messages to one channel: paced by the bucket, zero 429s", "[rest-pacing]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids()[0]);
    const auto window = 200ms;
    fake.set_route_limit("POST", "/channels/{channel_id}/messages", {5, window, "msgs"});
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
    std::vector<cord::awaitable<json>> calls;
    for (int i = 0; i < 200; ++i)
        calls.push_back(cord::rest::access::execute(
            client, call(create_message, {channel.str()}, json::object({{"content", "n" + std::to_string(i)}}))));
    CHECK(run_all(io, std::move(calls)) == 0);

    auto arrivals = requests_to(fake, "POST", path_of(channel, "/messages"));
    CHECK(arrivals.size() == 200);
    CHECK(fake.counters().rate_limited == 0);
    CHECK(client.metrics().rate_limited_user == 0);
    CHECK(busiest_window(arrivals, window) <= 5);
    // 200 requests at 5 per window take at least 39 windows: pacing really happened
    CHECK(arrivals.back().at - arrivals.front().at >= 39 * window);
    // FIFO per bucket: every message of a window was asked for before any of the next window
    // (inside one window the connections may reorder them).
    std::vector<std::pair<int, int>> windows;   // (lowest, highest) message number per window
    std::chrono::steady_clock::time_point end{};
    for (const auto& r : arrivals) {
        int n = std::stoi(std::string{json::parse(r.body)["content"].as_string().substr(1)});
        if (r.at >= end) {
            end = r.at + window;
            windows.emplace_back(n, n);
        }
        windows.back().first = std::min(windows.back().first, n);
        windows.back().second = std::max(windows.back().second, n);
    }
    for (std::size_t w = 1; w < windows.size(); ++w)
        CHECK(windows[w - 1].second < windows[w].first);
}

TEST_CASE("two channels proceed in parallel; routes sharing a bucket hash share one limit", "[rest-buckets]")
{
    fake_discord fake;
    auto guild = fake.guild_ids()[0];
    auto a = fake.general_channel(guild);
    auto b = fake.add_channel(guild, "second");
    const auto window = 1000ms;

    SECTION("per channel")
    {
        fake.set_route_limit("GET", "/channels/{channel_id}", {2, window, "chan"});
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
        std::vector<cord::awaitable<json>> calls;
        for (int i = 0; i < 4; ++i) {
            calls.push_back(cord::rest::access::execute(client, call(get_channel, {a.str()})));
            calls.push_back(cord::rest::access::execute(client, call(get_channel, {b.str()})));
        }
        CHECK(run_all(io, std::move(calls)) == 0);
        auto in_a = requests_to(fake, "GET", path_of(a));
        auto in_b = requests_to(fake, "GET", path_of(b));
        REQUIRE((in_a.size() == 4 && in_b.size() == 4));
        CHECK(fake.counters().rate_limited == 0);
        // each channel's third request waits for its window; the other channel's first two do not
        CHECK(in_a[2].at - in_a[0].at >= window);
        CHECK(in_b[2].at - in_b[0].at >= window);
        CHECK(in_b[1].at < in_a[2].at);
        CHECK(in_a[1].at < in_b[2].at);
    }
    SECTION("shared hash")
    {
        fake.set_route_limit("GET", "/channels/{channel_id}", {3, window, "shared"});
        fake.set_route_limit("GET", "/channels/{channel_id}/messages", {3, window, "shared"});
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
        // A route's first request is how cord learns its hash; after that both share a limit.
        run_call(io, cord::rest::access::execute(client, call(get_channel, {a.str()})));
        run_call(io, cord::rest::access::execute(client, call(get_messages, {a.str()})));
        std::vector<cord::awaitable<json>> calls;
        for (int i = 0; i < 3; ++i) {
            calls.push_back(cord::rest::access::execute(client, call(get_channel, {a.str()})));
            calls.push_back(cord::rest::access::execute(client, call(get_messages, {a.str()})));
        }
        CHECK(run_all(io, std::move(calls)) == 0);
        CHECK(fake.counters().rate_limited == 0);
        auto both = requests_to(fake, "GET", path_of(a));
        auto msgs = requests_to(fake, "GET", path_of(a, "/messages"));
        both.insert(both.end(), msgs.begin(), msgs.end());
        std::sort(both.begin(), both.end(), [](const auto& x, const auto& y) { return x.at < y.at; });
        REQUIRE(both.size() == 8);
        CHECK(busiest_window(both, window) <= 3);
        CHECK(both[7].at - both[0].at >= 2 * window);   // 8 requests at 3 per window: three windows
    }
}

TEST_CASE("routes discovered in parallel that turn out to share a hash: every call completes", "[rest-buckets]")
{
    // Before the first answers nobody knows the two routes share a limit, so a 429 may
    // happen; what must not happen is a call left waiting for an answer that never comes.
    fake_discord fake;
    auto a = fake.general_channel(fake.guild_ids()[0]);
    fake.set_route_limit("GET", "/channels/{channel_id}", {3, 1000ms, "shared"});
    fake.set_route_limit("GET", "/channels/{channel_id}/messages", {3, 1000ms, "shared"});
    boost::asio::io_context io;
    auto o = options_for(fake);
    o.max_rate_limit_wait = 30s;
    cord::rest_client client{io.get_executor(), "fake-bot-token", o};
    for (int round = 0; round < 2; ++round) {
        std::vector<cord::awaitable<json>> calls;
        for (int i = 0; i < 4; ++i) {
            calls.push_back(cord::rest::access::execute(client, call(get_channel, {a.str()})));
            calls.push_back(cord::rest::access::execute(client, call(get_messages, {a.str()})));
        }
        CHECK(run_all(io, std::move(calls), 25s) == 0);
    }
    CHECK(requests_to(fake, "GET", path_of(a)).size() + requests_to(fake, "GET", path_of(a, "/messages")).size()
          >= 16);
}

TEST_CASE("a global 429 pauses every bucket until retry_after", "[rest-global-429]")
{
    fake_discord fake;
    fake.set_global_limit(3);   // below cord's own pacing, so the emulator answers global 429s
    auto guild = fake.guild_ids()[0];
    std::vector<snowflake> channels{fake.general_channel(guild)};
    for (int i = 0; i < 5; ++i)
        channels.push_back(fake.add_channel(guild, "c" + std::to_string(i)));
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
    std::vector<cord::awaitable<json>> calls;
    for (auto ch : channels)
        calls.push_back(cord::rest::access::execute(client, call(get_channel, {ch.str()})));
    CHECK(run_all(io, std::move(calls)) == 0);

    auto all = fake.requests();
    std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.at < y.at; });
    CHECK(fake.counters().global_rate_limited >= 1);
    // Six requests, three per global window: at most the three refused in the first window
    // are 429s. A client that retried without pausing everything would collect more.
    CHECK(fake.counters().global_rate_limited <= 3);
    CHECK(client.metrics().rate_limited_global >= 1);
    // The emulator's global window opens at its first arrival and lasts a second; a global
    // 429 tells to wait for its end. After the client heard the first one, nothing (of any
    // channel) may arrive before that end.
    auto window_end = all.front().at + 1s;
    auto first_429 = std::find_if(all.begin(), all.end(), [](const auto& r) { return r.status == 429; });
    REQUIRE(first_429 != all.end());
    int after = 0;
    for (auto it = first_429; it != all.end(); ++it) {
        if (it->status == 429)
            continue;   // in flight together with the first one
        CHECK(it->at >= window_end - 1ms);
        ++after;
    }
    CHECK(after >= 3);
}

TEST_CASE("a route 429 pauses only its bucket, and the retry waits for retry_after", "[rest-route-429]")
{
    fake_discord fake;
    auto guild = fake.guild_ids()[0];
    auto a = fake.general_channel(guild);
    auto b = fake.add_channel(guild, "other");
    const auto window = 1000ms;
    fake.set_route_limit("GET", "/channels/{channel_id}", {2, window, "chan"});
    boost::asio::io_context io;
    // Another program with the same token has used channel a's bucket up.
    cord::rest_client other{io.get_executor(), "fake-bot-token", options_for(fake)};
    run_call(io, cord::rest::access::execute(other, call(get_channel, {a.str()})));
    run_call(io, cord::rest::access::execute(other, call(get_channel, {a.str()})));

    cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
    std::vector<cord::awaitable<json>> calls;
    calls.push_back(cord::rest::access::execute(client, call(get_channel, {a.str()})));
    calls.push_back(cord::rest::access::execute(client, call(get_channel, {b.str()})));
    CHECK(run_all(io, std::move(calls)) == 0);

    auto in_a = requests_to(fake, "GET", path_of(a));
    auto in_b = requests_to(fake, "GET", path_of(b));
    REQUIRE(in_a.size() == 4);   // two of the other program, the 429, the retry
    REQUIRE(in_b.size() == 1);
    CHECK(in_a[2].status == 429);
    CHECK(in_a[3].status == 200);
    CHECK(client.metrics().rate_limited_user == 1);
    // channel b did not wait for a's pause
    CHECK(in_b[0].at < in_a[3].at);
    // the retry came after the window the 429 named had ended
    CHECK(in_a[3].at >= in_a[0].at + window - 1ms);
}

TEST_CASE("5xx from the emulator is retried; persistent 503 is an error", "[rest-retry]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids()[0]);
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};
    fake.fail_rest(500, 1);
    fake.fail_rest(502, 1);
    auto j = run_call(io, cord::rest::access::execute(client, call(get_channel, {channel.str()})));
    CHECK(j["id"].as_string() == channel.str());
    fake.fail_rest(503, 10);
    try {
        run_call(io, cord::rest::access::execute(client, call(get_channel, {channel.str()})));
        FAIL("no error");
    } catch (const cord::http::discord_error& e) {
        CHECK(e.http_code() == 503);
    }
}

TEST_CASE("a call backing off after a 5xx gives its connection back to the pool", "[rest-retry]")
{
    constexpr rest_route get_me{"get-current-user", cord::rest::http_method::get, "/users/@me",
                                cord::rest::major_param::none, cord::rest::body_none, false, true};
    fake_discord fake;
    auto first = fake.general_channel(fake.guild_ids()[0]);
    auto second = fake.general_channel(fake.guild_ids()[1]);
    boost::asio::io_context io;
    auto o = options_for(fake);
    o.max_connections = 2;
    o.backoff_min = 400ms;   // both channel calls back off while the third call runs
    o.backoff_max = 400ms;
    cord::rest_client client{io.get_executor(), "fake-bot-token", o};
    fake.fail_rest(503, 2);
    std::vector<std::chrono::steady_clock::time_point> channel_done;
    std::optional<std::chrono::steady_clock::time_point> me_done;
    int failed = 0;
    for (auto channel : {first, second})
        boost::asio::co_spawn(io, cord::rest::access::execute(client, call(get_channel, {channel.str()})),
                              [&](std::exception_ptr e, json) {
                                  failed += e != nullptr;
                                  channel_done.push_back(std::chrono::steady_clock::now());
                              });
    // Once both have had their 503 (and hold, or not, both connections), a call on another route.
    auto until = std::chrono::steady_clock::now() + 10s;
    while (fake.requests().size() < 2 && std::chrono::steady_clock::now() < until)
        io.run_one_for(10ms);
    REQUIRE(fake.requests().size() == 2);
    boost::asio::co_spawn(io, cord::rest::access::execute(client, call(get_me, {})), [&](std::exception_ptr e, json) {
        failed += e != nullptr;
        me_done = std::chrono::steady_clock::now();
    });
    while ((channel_done.size() < 2 || !me_done) && std::chrono::steady_clock::now() < until)
        io.run_one_for(10ms);
    REQUIRE(channel_done.size() == 2);
    REQUIRE(me_done);
    CHECK(failed == 0);
    // Had the backing-off calls kept both connections, /users/@me would wait for their retries.
    CHECK(*me_done < std::min(channel_done[0], channel_done[1]));
}

TEST_CASE("JSON, multipart and audit-log reason reach the emulator as Discord expects", "[rest-wire]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids()[0]);
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), "fake-bot-token", options_for(fake)};

    auto msg = run_call(io, cord::rest::access::execute(
                                client, call(create_message, {channel.str()}, json::object({{"content", "hello"}}))));
    CHECK(msg["content"].as_string() == "hello");

    auto upload = call(create_message, {channel.str()}, json::object({{"content", "with file"}}));
    upload.files = {{"report.txt", "file body", "text/plain", "a report"}};
    auto up = run_call(io, cord::rest::access::execute(client, std::move(upload)));
    CHECK(up["attachments"].size() == 1);
    CHECK(up["attachments"][0]["filename"].as_string() == "report.txt");

    auto rename = call(modify_channel, {channel.str()}, json::object({{"name", "renamed"}}));
    rename.reason = "tidy: names/é";
    auto ch = run_call(io, cord::rest::access::execute(client, std::move(rename)));
    CHECK(ch["name"].as_string() == "renamed");

    auto posts = requests_to(fake, "POST", path_of(channel, "/messages"));
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].headers.at("content-type") == "application/json");
    CHECK(posts[0].headers.at("authorization") == "Bot fake-bot-token");
    CHECK(posts[0].headers.at("user-agent").starts_with("DiscordBot ("));
    CHECK(json::parse(posts[0].body)["content"].as_string() == "hello");
    CHECK(posts[1].headers.at("content-type").starts_with("multipart/form-data; boundary="));
    CHECK(posts[1].body.find("name=\"payload_json\"") != std::string::npos);
    CHECK(posts[1].body.find("name=\"files[0]\"; filename=\"report.txt\"") != std::string::npos);
    CHECK(posts[1].body.find("file body") != std::string::npos);
    auto patches = requests_to(fake, "PATCH", path_of(channel));
    REQUIRE(patches.size() == 1);
    CHECK(patches[0].headers.at("x-audit-log-reason") == "tidy%3A%20names%2F%C3%A9");
    CHECK(fake.counters().rate_limited == 0);
}

TEST_CASE("TLS: a trusted certificate for another host name is refused", "[rest-tls]")
{
    fake_discord fake{{.tls = true, .tls_names = "DNS:discord.example"}};
    boost::asio::io_context io;
    auto o = options_for(fake);
    o.tls.allow_plaintext = false;
    o.tls.extra_ca_pem = fake.ca_pem();   // the chain is trusted: only the name is wrong
    o.max_retries = 0;
    cord::rest_client client{io.get_executor(), "fake-bot-token", o};
    std::string msg;
    CHECK(error_of([&] { run_call(io, client.request("GET", "/users/@me")); }, &msg) == errc::transport);
    CHECK(fake.requests().empty());
}

TEST_CASE("TLS: the emulator's CA is accepted, without it the connection is refused", "[rest-tls]")
{
    fake_discord fake{{.tls = true}};
    REQUIRE(fake.rest_url().starts_with("https://"));
    boost::asio::io_context io;
    auto o = options_for(fake);
    o.tls.allow_plaintext = false;
    o.max_retries = 0;
    {
        auto trusted = o;
        trusted.tls.extra_ca_pem = fake.ca_pem();
        cord::rest_client client{io.get_executor(), "fake-bot-token", trusted};
        auto me = run_call(io, client.request("GET", "/users/@me"));
        CHECK(me["id"].as_snowflake() == fake.bot_user_id());
    }
    {
        cord::rest_client client{io.get_executor(), "fake-bot-token", o};
        std::string msg;
        CHECK(error_of([&] { run_call(io, client.request("GET", "/users/@me")); }, &msg) == errc::transport);
        CHECK_THAT(msg, Catch::Contains("certificate"));
    }
    CHECK(fake.requests().size() == 1);
}
