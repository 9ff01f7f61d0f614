// SPDX-License-Identifier: BSL-1.0
#include "support/messages.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

namespace cord::bench {

cord::json documented_message()
{
    std::ifstream in(CORD_BENCH_DATA "/message_create.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return cord::json::parse(ss.str())["d"];
}

std::vector<cord::json> varied_messages(const cord::json& d, std::size_t count)
{
    static constexpr std::string_view words[] = {
        "the", "bot", "server", "ping", "pong", "hello", "world", "deploy", "merge", "branch", "coffee", "raid",
        "tonight", "anyone", "queue", "lag", "patch", "notes", "release", "cord", "gateway", "shard", "event",
        "thanks", "lol", "gg", "meeting", "at", "nine", "why", "does", "this", "crash", "again", "works", "now"};
    std::string base = d.dump();
    std::mt19937_64 rng{42};
    std::vector<cord::json> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::string content;
        auto n = 2 + rng() % 30;
        for (std::uint64_t w = 0; w < n; ++w) {
            if (w)
                content += ' ';
            content += words[rng() % std::size(words)];
        }
        std::string text = base;
        auto swap = [&](std::string_view from, const std::string& to) {
            if (auto at = text.find(from); at != std::string::npos)
                text.replace(at, from.size(), to);
        };
        swap("\"Supa Hot\"", "\"" + content + "\"");
        swap("334385199974967042", std::to_string(1000000000000000000ull + rng() % 999999999999999999ull));
        swap("53908099506183680", std::to_string(80351110224678912ull + rng() % 500));
        out.push_back(cord::json::parse(text));
    }
    return out;
}

std::size_t checksum_of(const cord::json& msg)
{
    return msg["content"].as_string().size() + msg["author"]["id"].as_string().size();
}

} // namespace cord::bench
