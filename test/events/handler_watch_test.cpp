// The slow-handler watch: stamps written by the thread running handlers, read by a watchdog
// (no I/O, no clock: the readings are fed by hand).
// SPDX-License-Identifier: BSL-1.0
#include "events/event_intents.hpp"
#include "events/handler_watch.hpp"

#include <catch2/catch.hpp>

#include <optional>

using cord::detail::handler_sampler;
using cord::detail::handler_watch;

TEST_CASE("a call seen running at N readings in a row is named once; shorter calls are not", "[events-watch]")
{
    handler_watch watch;
    handler_sampler sampler{3};
    auto message_create = cord::detail::event_number("MESSAGE_CREATE");
    REQUIRE(message_create != 0);

    CHECK_FALSE(sampler.sample(watch.read()));   // nothing runs
    watch.begin(message_create);
    CHECK_FALSE(sampler.sample(watch.read()));   // first seen
    CHECK_FALSE(sampler.sample(watch.read()));   // second
    auto named = sampler.sample(watch.read());   // third: named
    REQUIRE(named);
    CHECK(cord::detail::event_name_of(*named) == "MESSAGE_CREATE");
    CHECK_FALSE(sampler.sample(watch.read()));   // once a call
    CHECK_FALSE(sampler.sample(watch.read()));
    watch.end();
    CHECK_FALSE(sampler.sample(watch.read()));

    // Calls that each end between two readings are never taken for one long call.
    for (int i = 0; i < 10; ++i) {
        watch.begin(message_create);
        CHECK_FALSE(sampler.sample(watch.read()));
        watch.end();
        watch.begin(message_create);
        CHECK_FALSE(sampler.sample(watch.read()));
        watch.end();
    }

    // A new long call after a short one is named again, with its own event.
    auto typing = cord::detail::event_number("TYPING_START");
    watch.begin(typing);
    CHECK_FALSE(sampler.sample(watch.read()));
    CHECK_FALSE(sampler.sample(watch.read()));
    auto again = sampler.sample(watch.read());
    REQUIRE(again);
    CHECK(cord::detail::event_name_of(*again) == "TYPING_START");
    watch.end();
}

TEST_CASE("event numbers name every Discord event and nothing else", "[events-watch]")
{
    for (const auto& gate : cord::detail::event_gates()) {
        auto n = cord::detail::event_number(gate.name);
        REQUIRE(n != 0);
        CHECK(cord::detail::event_name_of(n) == gate.name);
    }
    CHECK(cord::detail::event_number("NOT_AN_EVENT") == 0);
    CHECK(cord::detail::event_number("") == 0);
    CHECK(cord::detail::event_name_of(0).empty());
    CHECK(cord::detail::event_name_of(60000).empty());
}
