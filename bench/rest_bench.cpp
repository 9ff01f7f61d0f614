// cord REST core benchmark (never a timed test): against cord::testing::fake_discord.
//   rest_bench throughput [requests] [concurrency]   no limits: requests/s, client CPU µs/request
//   rest_bench limited [requests] [channels]         Discord-like limits (5 per 5 s per channel for
//                                                    POST messages, 50/s global): wall vs minimum, 429s
// SPDX-License-Identifier: BSL-1.0
#include "rest/access.hpp"

#include <cord/json.hpp>
#include <cord/logging.hpp>
#include <cord/rest_client.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace rest = cord::rest;

namespace {

constexpr rest::route get_channel{"get-channel", rest::http_method::get, "/channels/{channel_id}",
                                  rest::major_param::channel_id, rest::body_none, false, true};
constexpr rest::route create_message{"create-message", rest::http_method::post, "/channels/{channel_id}/messages",
                                     rest::major_param::channel_id, rest::body_multipart, false, true};

double thread_cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// `workers` coroutines each take the next request number until `total` are done.
cord::awaitable<void> worker(cord::rest_client& client, const rest::route& r, std::vector<std::string>& channels,
                             int& next, int total, int& failed, bool with_body)
{
    while (next < total) {
        int i = next++;
        rest::request req;
        req.target = &r;
        req.args = {channels[static_cast<std::size_t>(i) % channels.size()]};
        if (with_body)
            req.body = cord::json::object({{"content", "bench"}});
        try {
            co_await rest::access::execute(client, std::move(req));
        } catch (const std::exception& e) {
            if (failed++ < 5)
                fmt::print(stderr, "request {} failed: {}\n", i, e.what());
        }
    }
}

int run(cord::rest_client& client, const rest::route& r, std::vector<std::string> channels, int total, int workers,
        bool with_body, boost::asio::io_context& io)
{
    int next = 0, failed = 0;
    for (int w = 0; w < workers; ++w)
        boost::asio::co_spawn(io, worker(client, r, channels, next, total, failed, with_body), boost::asio::detached);
    io.run();
    return failed;
}

int throughput(int total, int concurrency)
{
    cord::testing::fake_discord fake{{.global_limit_per_second = 0, .rate_limits = false}};
    auto channel = fake.general_channel(fake.guild_ids()[0]).str();
    boost::asio::io_context io{1};
    cord::rest_options o;
    o.base_url = fake.rest_url();
    o.tls.allow_plaintext = true;
    o.global_requests_per_second = 0;
    o.max_connections = static_cast<std::size_t>(concurrency);
    cord::rest_client client{io.get_executor(), "fake-bot-token", o};
    // warm-up: connections open, route learned
    run(client, get_channel, {channel}, 200, concurrency, false, io);
    io.restart();
    auto cpu0 = thread_cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    int failed = run(client, get_channel, {channel}, total, concurrency, false, io);
    auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto cpu = thread_cpu_seconds() - cpu0;
    fmt::print("throughput: {} GET requests, {} in flight, {} connections: {:.2f} s wall, {:.0f} requests/s, "
               "client CPU {:.1f} µs/request, failed {}, connections opened {}\n",
               total, concurrency, concurrency, wall, total / wall, cpu * 1e6 / total, failed,
               client.metrics().connections_opened);
    return failed == 0 ? 0 : 1;
}

int limited(int total, int channel_count)
{
    cord::testing::fake_discord fake{{.guilds = 1}};
    auto guild = fake.guild_ids()[0];
    std::vector<std::string> channels{fake.general_channel(guild).str()};
    while (static_cast<int>(channels.size()) < channel_count)
        channels.push_back(fake.add_channel(guild, fmt::format("c{}", channels.size())).str());
    // Discord-like: the emulator's defaults are 5 per 5 s per channel for create-message and 50/s global.
    boost::asio::io_context io{1};
    cord::rest_options o;
    o.base_url = fake.rest_url();
    o.tls.allow_plaintext = true;
    o.max_rate_limit_wait = 3600s;
    cord::rest_client client{io.get_executor(), "fake-bot-token", o};
    auto t0 = std::chrono::steady_clock::now();
    int failed = run(client, create_message, channels, total, total, true, io);
    auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The minimum: each channel sends total/channels in windows of 5 per 5 s; globally 50 per second.
    double per_channel = std::ceil(static_cast<double>(total) / channel_count);
    double bucket_min = (std::ceil(per_channel / 5) - 1) * 5.0;
    double global_min = (std::ceil(total / 50.0) - 1) * 1.0;
    double minimum = std::max(bucket_min, global_min);
    auto m = client.metrics();
    fmt::print("limited: {} POST messages over {} channels: {:.1f} s wall, theoretical minimum {:.1f} s "
               "(ratio {:.3f}); 429s seen by the emulator {} (global {}), by cord user/global/shared {}/{}/{}; "
               "failed {}\n",
               total, channel_count, wall, minimum, wall / minimum, fake.counters().rate_limited,
               fake.counters().global_rate_limited, m.rate_limited_user, m.rate_limited_global,
               m.rate_limited_shared, failed);
    return failed == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    cord::discord_logger().set_level(cord::log_level::error);
    std::string mode = argc > 1 ? argv[1] : "throughput";
    if (mode == "throughput")
        return throughput(argc > 2 ? std::atoi(argv[2]) : 20000, argc > 3 ? std::atoi(argv[3]) : 4);
    if (mode == "limited")
        return limited(argc > 2 ? std::atoi(argv[2]) : 10000, argc > 3 ? std::atoi(argv[3]) : 50);
    fmt::print(stderr, "usage: rest_bench throughput [requests] [concurrency] | limited [requests] [channels]\n");
    return 2;
}
