// cord interactions benchmark: the round trip of an interaction through cord::client and the
// emulator — INTERACTION_CREATE sent on the gateway → router → handler → responder → the
// callback received by the emulator — for N interactions delivered at once (default 1,000):
// p50 / p99 / max latency, callbacks per second, and how many missed Discord's 3 s.
//
//   interactions_bench [interactions] [rounds]
#include <cord/client.hpp>
#include <cord/interactions/commands.hpp>
#include <cord/logging.hpp>
#include <cord/testing/fake_discord.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

double ms(clock_type::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void round(cord::testing::fake_discord& fake, std::size_t n)
{
    auto act = cord::json::parse(R"({"type":"command","command":"ping"})");
    std::vector<cord::testing::fake_interaction> made;
    made.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        made.push_back(fake.create_interaction(act));
    std::vector<clock_type::time_point> sent(n);
    auto start = clock_type::now();
    for (std::size_t i = 0; i < n; ++i) {
        sent[i] = clock_type::now();
        fake.deliver(made[i].id);
    }
    std::vector<double> latency;
    latency.reserve(n);
    std::size_t late = 0, missing = 0;
    clock_type::time_point last = start;
    for (std::size_t i = 0; i < n; ++i) {
        auto a = fake.wait_for_answers(made[i].id, 1, 20s);
        if (a.empty()) {
            ++missing;
            continue;
        }
        if (a[0].error_code != 0)
            ++late;   // 10062: later than 3 s
        latency.push_back(ms(a[0].at - sent[i]));
        last = std::max(last, a[0].at);
    }
    std::sort(latency.begin(), latency.end());
    auto at = [&](double q) { return latency.empty() ? 0.0 : latency[static_cast<std::size_t>(q * (latency.size() - 1))]; };
    std::printf("%zu interactions at once: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f callbacks/s; %zu refused "
                "(later than 3 s), %zu unanswered\n",
                n, at(0.5), at(0.99), latency.empty() ? 0.0 : latency.back(),
                static_cast<double>(latency.size()) / std::chrono::duration<double>(last - start).count(), late,
                missing);
}

} // namespace

int main(int argc, char** argv)
{
    cord::discord_logger().set_level(cord::log_level::warning);
    std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000;
    int rounds = argc > 2 ? std::atoi(argv[2]) : 3;

    cord::testing::fake_discord fake{{.rate_limits = false}};
    cord::client_options o;
    o.intents = cord::intents::guilds;
    o.tls.allow_plaintext = true;
    o.rest.base_url = fake.rest_url();
    o.gateway.url = fake.gateway_url();
    o.handle_signals = false;
    cord::client bot{"fake-bot-token", o};
    bot.command("ping", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("pong");
    });
    auto commands = std::vector<cord::command_spec>{cord::command_spec::slash("ping", "Pong")};
    bot.sync_wait(cord::sync_commands(bot, commands));
    auto ready = bot.wait_for("raw-ready", {}, 20s);
    bot.start_no_wait();
    bot.sync_wait(std::move(ready));

    round(fake, 50);   // warm-up: connections, pools
    for (int r = 0; r < rounds; ++r)
        round(fake, n);
    bot.stop();
    bot.wait_stopped();
    return 0;
}
