// cord-fake-discord: the emulator as a standalone program, for trying a bot (or curl)
// against a local Discord. Prints its URLs, serves the /_fake/ control routes, and runs
// until interrupted.
// SPDX-License-Identifier: BSL-1.0
#include <cord/testing/fake_discord.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int) { stop_requested = 1; }

void usage()
{
    std::puts("usage: cord-fake-discord [--port N] [--tls] [--token T] [--guilds N] [--shards N]\n"
              "                         [--max-concurrency N] [--heartbeat-ms N] [--no-rate-limits]\n"
              "                         [--identify-window-ms N] [--ca-out FILE]");
}

} // namespace

int main(int argc, char** argv)
{
    cord::testing::fake_discord_options o;
    o.control_endpoint = true;
    std::string ca_out;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port")
            o.port = static_cast<std::uint16_t>(std::atoi(next()));
        else if (a == "--tls")
            o.tls = true;
        else if (a == "--token")
            o.token = next();
        else if (a == "--guilds")
            o.guilds = static_cast<std::size_t>(std::atoi(next()));
        else if (a == "--shards")
            o.recommended_shards = std::atoi(next());
        else if (a == "--max-concurrency")
            o.max_concurrency = std::atoi(next());
        else if (a == "--heartbeat-ms")
            o.heartbeat_interval = std::chrono::milliseconds{std::atoi(next())};
        else if (a == "--identify-window-ms")
            o.identify_window = std::chrono::milliseconds{std::atoi(next())};
        else if (a == "--no-rate-limits")
            o.rate_limits = false;
        else if (a == "--ca-out")
            ca_out = next();
        else {
            usage();
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    cord::testing::fake_discord fake{o};
    if (!ca_out.empty()) {
        if (FILE* f = std::fopen(ca_out.c_str(), "w")) {
            auto pem = fake.ca_pem();
            std::fwrite(pem.data(), 1, pem.size(), f);
            std::fclose(f);
        }
    }
    std::string base = fake.rest_url();
    base.resize(base.size() - std::strlen("/api/v10"));
    std::printf("rest     %s\n", fake.rest_url().c_str());
    std::printf("gateway  %s/?v=10&encoding=json\n", fake.gateway_url().c_str());
    std::printf("control  %s/_fake/  (POST fault/drop, fault/reconnect, fault/invalid-session?resumable=,\n"
                "         fault/close?code=, fault/withhold-acks?on=, fault/stall?ms=, fault/malformed,\n"
                "         fault/delay-rest?ms=, fault/fail-rest?status=&count=, fault/invalidate-sessions,\n"
                "         dispatch with body {\"t\":..., \"d\":{...}}; ?shard=N narrows;\n"
                "         messages with body {\"channel_id\":..., \"content\":..., \"username\":...};\n"
                "         interactions with a user's act, GET interactions/ID for the bot's answers;\n"
                "         polls/votes, scheduled-events/interest, thread-clock?minutes=: docs/testing.md)\n",
                base.c_str());
    std::printf("token    %s\n", o.token.c_str());
    if (!o.tls)   // any cord::client then talks to this emulator, without a code change
        std::printf("bot      export CORD_API_BASE=%s DISCORD_TOKEN=%s\n", fake.rest_url().c_str(), o.token.c_str());
    for (auto g : fake.guild_ids())
        std::printf("guild    %s  #general %s\n", g.str().c_str(), fake.general_channel(g).str().c_str());
    if (auto guilds = fake.guild_ids(); !guilds.empty() && !o.tls)   // a user says something the bot hears
        std::printf("say      curl -s -X POST %s/_fake/messages -d '{\"channel_id\":\"%s\",\"username\":\"alice\","
                    "\"content\":\"!ping\"}'\n",
                    base.c_str(), fake.general_channel(guilds.front()).str().c_str());
    if (!o.tls) {   // a user runs a slash command the bot registered (here /ping), then reads its answers
        std::printf("interact curl -s -X POST %s/_fake/interactions -d '{\"type\":\"command\",\"command\":\"ping\","
                    "\"username\":\"alice\"}'\n",
                    base.c_str());
        std::printf("answers  curl -s %s/_fake/interactions/ID   (ID from the line above's answer)\n", base.c_str());
    }
    std::fflush(stdout);
    while (!stop_requested)
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    fake.stop();
    return 0;
}
