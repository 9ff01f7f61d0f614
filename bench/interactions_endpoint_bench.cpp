// cord HTTP interactions endpoint benchmark (never a timed test), against the fake Discord:
//   interactions_endpoint_bench [requests]
// The fake signs each interaction with its application key (Ed25519) and POSTs it over one
// kept-alive connection; the endpoint, on one thread, verifies the signature, parses, routes to
// a handler that answers type 4 in the HTTP response. Prints the wall-clock rate and latency
// percentiles of that sequential client, the endpoint thread's CPU per request (so the rate one
// core sustains: 1 / CPU per request), and the bare Ed25519 verification rate for comparison.
// SPDX-License-Identifier: BSL-1.0
#include "interactions/ed25519_verifier.hpp"
#include "testing/interaction_signer.hpp"

#include <cord/interactions/endpoint.hpp>
#include <cord/json.hpp>
#include <cord/logging.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using cord::json;
using steady = std::chrono::steady_clock;

double cpu_seconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A slash command as Discord sends it (about 900 bytes, member and all).
std::string command_body(int i)
{
    return fmt::format(
        R"({{"app_permissions":"562949953421311","application_id":"1200000000000000001","authorizing_integration_owners":{{"0":"1100000000000000001"}},)"
        R"("channel":{{"id":"1100000000000000002","name":"general","type":0,"guild_id":"1100000000000000001"}},"channel_id":"1100000000000000002","context":0,)"
        R"("data":{{"id":"1250000000000000001","name":"ping","type":1,"options":[{{"name":"text","type":3,"value":"hello {}"}}]}},)"
        R"("entitlements":[],"guild":{{"id":"1100000000000000001","locale":"en-US","features":[]}},"guild_id":"1100000000000000001","guild_locale":"en-US",)"
        R"("id":"{}","locale":"en-GB","member":{{"avatar":null,"deaf":false,"flags":0,"joined_at":"2024-01-01T00:00:00.000000+00:00","mute":false,)"
        R"("nick":null,"pending":false,"permissions":"562949953421311","premium_since":null,"roles":[],"user":{{"avatar":null,"discriminator":"0",)"
        R"("global_name":"Ada","id":"1000000000000000009","public_flags":0,"username":"ada"}}}},"token":"aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg-{}",)"
        R"("type":2,"version":1}})",
        i, 1300000000000000000ull + static_cast<unsigned>(i), i);
}

} // namespace

int main(int argc, char** argv)
{
    int total = argc > 1 ? std::atoi(argv[1]) : 20000;
    if (total < 1)
        total = 1;
    cord::discord_logger().set_level(cord::log_level::warning);

    cord::testing::fake_discord fake{{.rate_limits = false}};
    cord::interactions::endpoint_options options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.public_key = fake.public_key_hex();
    boost::asio::io_context ioc{1};
    cord::interactions::endpoint endpoint{ioc.get_executor(), options};
    endpoint.on_interaction([](json interaction) -> cord::awaitable<json> {
        auto text = interaction["data"]["options"][0]["value"].as_string();
        co_return json::object({{"type", 4}, {"data", json::object({{"content", text}})}});
    });
    boost::asio::co_spawn(ioc, endpoint.run(), boost::asio::detached);
    std::thread io([&] { ioc.run(); });
    clockid_t io_clock{};
    pthread_getcpuclockid(io.native_handle(), &io_clock);
    auto url = fmt::format("http://127.0.0.1:{}/interactions", endpoint.port());

    std::vector<std::string> bodies;
    bodies.reserve(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i)
        bodies.push_back(command_body(i));
    for (int i = 0; i < std::min(total, 500); ++i)   // warm-up: connection, allocator, caches
        fake.post_to_endpoint(url, bodies[static_cast<std::size_t>(i)]);

    std::vector<double> latency_us;
    latency_us.reserve(static_cast<std::size_t>(total));
    int failed = 0;
    double cpu0 = cpu_seconds(io_clock);
    auto t0 = steady::now();
    for (int i = 0; i < total; ++i) {
        auto start = steady::now();
        auto a = fake.post_to_endpoint(url, bodies[static_cast<std::size_t>(i)]);
        latency_us.push_back(std::chrono::duration<double, std::micro>(steady::now() - start).count());
        if (a.status != 200 && failed++ < 5)
            fmt::print(stderr, "request {}: status {} {}\n", i, a.status, a.error);
    }
    double wall = std::chrono::duration<double>(steady::now() - t0).count();
    double cpu = cpu_seconds(io_clock) - cpu0;
    std::sort(latency_us.begin(), latency_us.end());
    auto pct = [&](double p) { return latency_us[static_cast<std::size_t>(p * static_cast<double>(total - 1))]; };

    // The floor of the endpoint's work: Ed25519 verification of the same bodies alone.
    cord::testing::detail::interaction_signer signer;
    cord::detail::interactions::ed25519_verifier verifier{signer.public_key_hex()};
    std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
    int verify_n = std::min(total, 20000);
    std::vector<std::string> sigs;
    for (int i = 0; i < verify_n; ++i)
        sigs.push_back(signer.sign(ts, bodies[static_cast<std::size_t>(i)]));
    double v0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    int ok = 0;
    for (int i = 0; i < verify_n; ++i)
        ok += verifier.verify_hex(sigs[static_cast<std::size_t>(i)], ts, bodies[static_cast<std::size_t>(i)]);
    double verify_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - v0;

    auto c = endpoint.counters();
    fmt::print("interactions endpoint: {} signed POSTs over one kept-alive connection, ~{} bytes each\n", total,
               bodies[0].size());
    fmt::print("  failed: {}; interactions handled: {}; connections: {}\n", failed, c.interactions, c.connections);
    fmt::print("  wall: {:.0f} requests/s (sequential client: sign, POST, wait for the answer)\n", total / wall);
    fmt::print("  latency µs: p50 {:.0f}  p90 {:.0f}  p99 {:.0f}  max {:.0f}\n", pct(0.50), pct(0.90), pct(0.99),
               latency_us.back());
    fmt::print("  endpoint thread CPU: {:.1f} µs/request -> {:.0f} verified requests/s on one core\n",
               cpu / total * 1e6, total / cpu);
    fmt::print("  Ed25519 verification alone: {:.1f} µs -> {:.0f}/s ({} of {} verified)\n", verify_cpu / verify_n * 1e6,
               verify_n / verify_cpu, ok, verify_n);

    endpoint.stop();
    io.join();
    return failed == 0 && ok == verify_n ? 0 : 1;
}
