// cord::json lookups beside simdjson's own DOM on the same documents: what a handler pays to
// read fields of an event once it is parsed. The same ~1.2 KB MESSAGE_CREATEs as client_bench,
// each read as a handler would (`content`, `author.id`, `channel_id`, and `member.roles` as an
// array), round after round, single-threaded, the two interleaved.
//
//   json_bench [rounds] [messages]
//       messages: 16 by default, so that the documents stay in cache, as a handler finds one
//       just parsed; 1024 puts them out of cache
#include <cord/json.hpp>

#include "support/messages.hpp"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

std::size_t read_cord(const cord::json& msg)
{
    std::size_t n = msg["content"].as_string().size() + msg["author"]["id"].as_string().size();
    n += msg["channel_id"].as_string().size();
    if (auto member = msg.find("member"))
        if (auto roles = member->find("roles"))
            n += roles->size();
    return n;
}

std::size_t read_simdjson(simdjson::dom::element msg)
{
    std::string_view content, id, channel;
    simdjson::dom::element author, member, roles;
    std::size_t n = 0;
    if (!msg["content"].get(content))
        n += content.size();
    if (!msg["author"].get(author) && !author["id"].get(id))
        n += id.size();
    if (!msg["channel_id"].get(channel))
        n += channel.size();
    simdjson::dom::array list;
    if (!msg["member"].get(member) && !member["roles"].get(list))
        n += list.size();
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int count = argc > 2 ? std::atoi(argv[2]) : 16;
    auto messages = cord::bench::varied_messages(cord::bench::documented_message(), count > 0 ? count : 16);
    // The same texts, parsed by simdjson into documents of their own.
    std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
    std::vector<simdjson::dom::element> raw;
    for (const auto& m : messages) {
        parsers.push_back(std::make_unique<simdjson::dom::parser>());
        raw.push_back(parsers.back()->parse(m.dump()).value());
    }
    std::size_t a = 0, b = 0;
    for (const auto& m : messages)
        a += read_cord(m);
    for (auto e : raw)
        b += read_simdjson(e);
    if (a != b) {
        std::printf("mismatch: cord %zu, simdjson %zu\n", a, b);
        return 1;
    }
    // Interleaved: each round of each, so that a machine's drift hits both alike.
    std::chrono::nanoseconds cord_time{}, raw_time{};
    std::size_t sink = 0;
    for (int r = 0; r < rounds; ++r) {
        auto t0 = clock_type::now();
        for (const auto& m : messages)
            sink += read_cord(m);
        auto t1 = clock_type::now();
        for (auto e : raw)
            sink += read_simdjson(e);
        auto t2 = clock_type::now();
        cord_time += t1 - t0;
        raw_time += t2 - t1;
    }
    double events = double(rounds) * double(messages.size());
    double cord_ns = double(cord_time.count()) / events, raw_ns = double(raw_time.count()) / events;
    std::printf("%zu messages x %d rounds (checksum %zu)\n", messages.size(), rounds, sink);
    std::printf("cord::json      %7.1f ns per event (6 lookups, 1 size)\n", cord_ns);
    std::printf("simdjson's DOM  %7.1f ns per event\n", raw_ns);
    std::printf("cord / simdjson %7.2fx\n", cord_ns / raw_ns);
}
