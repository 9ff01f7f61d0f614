// Unit tier: the padded buffer a queued event's text waits in — the padding simdjson reads,
// and the room a huge payload grew given back when the buffer is reused.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/padded_buffer.hpp"

#include <catch2/catch.hpp>

#include <string>

using cord::gateway::padded_buffer;

TEST_CASE("padded buffer: contents, zeroed padding after the capacity, doubling growth", "[gateway-documents]")
{
    padded_buffer b{1024};
    CHECK(b.capacity() == 0);
    b.assign(std::string(1200, 'x'));
    CHECK(b.size() == 1200);
    CHECK(b.capacity() == 2048);
    for (std::size_t i = 0; i < cord::gateway::parse_padding; ++i)
        REQUIRE(b.data()[b.capacity() + i] == '\0');
    b.append("yz");
    CHECK(b.view().substr(1198) == "xxyz");
}

TEST_CASE("padded buffer: reused, it keeps an ordinary event's room and gives a huge one's back",
          "[gateway-documents]")
{
    constexpr std::size_t limit = 64 * 1024;
    padded_buffer b{1024};
    b.assign(std::string(1500, 'a'));
    auto* ordinary = b.data();
    b.clear_and_shrink(limit);
    CHECK(b.size() == 0);
    CHECK(b.capacity() == 2048);   // kept: the next event of this size allocates nothing
    b.assign(std::string(1800, 'b'));
    CHECK(b.data() == ordinary);

    b.assign(std::string(300 * 1024, 'c'));   // one huge event
    CHECK(b.capacity() >= 300 * 1024);
    b.clear_and_shrink(limit);
    CHECK(b.capacity() == 0);
    CHECK(b.size() == 0);
    b.assign("{}");
    CHECK(b.capacity() == 1024);   // grown again from the first capacity, not from the huge one
    CHECK(b.view() == "{}");
}
