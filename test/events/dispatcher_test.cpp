// The dispatcher on its own, driven by hand (no socket): the test thread plays the shard, and
// polls the handler context to run the handler strand.
// SPDX-License-Identifier: BSL-1.0
#include "events/dispatcher.hpp"
#include "events/reused_slots.hpp"

#include <cord/client.hpp>
#include <cord/shard.hpp>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

cord::client_options quiet_options()
{
    cord::client_options o;
    o.handle_signals = false;
    o.intents = cord::intents::guild_messages | cord::intents::message_content;
    return o;
}

cord::detail::dispatcher::settings queued_settings()
{
    return {.intents = cord::intents::guild_messages | cord::intents::message_content,
            .stop_grace = 1s,
            .max_queued_events = 100'000,
            .max_queued_bytes = std::size_t{1} << 30,
            .inline_handlers = false,
            .slow_handler = 10s};
}

// One batch of MESSAGE_CREATEs numbered [from, from + n), handed over as the shard hands its
// text over, then run on the handler strand until it is idle.
void batch(cord::detail::dispatcher& d, cord::detail::dispatcher::lane& lane, cord::shard& s,
           asio::io_context& handlers, std::uint64_t from, std::uint64_t n)
{
    for (auto seq = from; seq < from + n; ++seq) {
        auto text = fmt::format(R"({{"t":"MESSAGE_CREATE","s":{},"op":0,"d":{{"n":{}}}}})", seq, seq);
        auto name = std::string_view{text}.substr(6, 14);
        d.deliver_text(lane, s, cord::gateway_dispatch_text{.name = name, .seq = seq, .text = text});
    }
    d.end_batch(lane);
    handlers.restart();
    handlers.poll();
}

} // namespace

TEST_CASE("a lane that caught up gives back at once the slots a burst grew; a steady stream keeps its own",
          "[events-dispatcher]")
{
    asio::io_context io, handlers;
    cord::client owner{"unused-token", quiet_options()};
    cord::detail::dispatcher d{owner, handlers, io.get_executor(), queued_settings()};
    std::vector<std::int64_t> seen;
    d.add("MESSAGE_CREATE", [&](cord::shard&, cord::client&, cord::json ev) { seen.push_back(ev["n"].as_int()); },
          {});
    cord::shard s{io.get_executor(), cord::shard_config{.token = "unused-token"}, {}};
    auto& lane = d.lane_for(0);

    // A burst: one batch of 5,000 events. The handlers are done with it and nothing waits
    // behind it, so the lane keeps only a few slots, not 5,000 until 64 batches have passed.
    batch(d, lane, s, handlers, 1, 5000);
    REQUIRE(seen.size() == 5000);
    CHECK(seen.front() == 1);
    CHECK(seen.back() == 5000);
    auto kept = cord::detail::reused_slots<int>::kept_anyway;
    CHECK(d.slots_held(lane) <= 3 * 2 * kept);

    // A steady stream of 200-event batches: their slots stay for the next (nothing allocates).
    for (int i = 0; i < 10; ++i)
        batch(d, lane, s, handlers, 5001 + 200 * static_cast<std::uint64_t>(i), 200);
    REQUIRE(seen.size() == 7000);
    CHECK(d.slots_held(lane) >= 200);
    for (std::size_t i = 0; i < seen.size(); ++i)
        REQUIRE(seen[i] == static_cast<std::int64_t>(i + 1));   // in order, each once
}
