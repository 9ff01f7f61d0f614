// sharded_bot: one process of a bot spread over several. This process runs shards
// [FIRST, LAST) of TOTAL and shows a presence on each.
//
//   DISCORD_TOKEN=... ./sharded_bot TOTAL FIRST LAST
//   e.g. machine A: ./sharded_bot 16 0 8   machine B: ./sharded_bot 16 8 16
#include <cord/cord.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    const char* token = std::getenv("DISCORD_TOKEN");
    if (!token || argc != 4) {
        std::fprintf(stderr, "usage: DISCORD_TOKEN=... %s TOTAL FIRST LAST\n", argv[0]);
        return 2;
    }
    int total = std::stoi(argv[1]), first = std::stoi(argv[2]), last = std::stoi(argv[3]);

    cord::presence watching;
    watching.status = "online";
    watching.activities = cord::json::array({cord::json::object(
        {{"name", "shards " + std::to_string(first) + "-" + std::to_string(last - 1)}, {"type", 3}})});

    try {
        cord::client_options options{.intents = cord::intents::guilds,
                                     .shard_count = total,
                                     .shards = cord::shard_range{first, last},
                                     .worker_threads = 2};
        options.gateway.initial_presence = watching;   // sent in IDENTIFY
        cord::client bot{token, options};
        bot.on_event("raw-guild-create", [](cord::shard& s, cord::client&, cord::json guild) {
            std::printf("shard %d/%d: guild %s (%s)\n", s.id(), s.count(),
                        std::string{guild["name"].as_string()}.c_str(), std::string{guild["id"].as_string()}.c_str());
        });
        bot.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sharded_bot: %s\n", e.what());
        return 1;
    }
}
