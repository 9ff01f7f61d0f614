// The dispatcher's reused slots: a steady stream reuses them, a burst's are given back (no I/O).
// SPDX-License-Identifier: BSL-1.0
#include "events/reused_slots.hpp"

#include <catch2/catch.hpp>

#include <string>

using cord::detail::reused_slots;

namespace {

// Fills `n` slots, as a batch of `n` events would.
void use(reused_slots<std::string>& s, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        s.push().assign(100, 'x');
    s.clear();
}

} // namespace

TEST_CASE("a slot keeps what its last use grew", "[events-slots]")
{
    reused_slots<std::string> s;
    s.push().assign(5000, 'x');
    s.clear();
    auto& again = s.push();
    CHECK(again.size() == 5000);   // as the last use left it: the caller sets it
    CHECK(again.capacity() >= 5000);
    CHECK(s.size() == 1);
    CHECK(s.slots() == 1);
}

TEST_CASE("a steady stream of batches keeps its slots", "[events-slots]")
{
    reused_slots<std::string> s;
    for (std::size_t i = 0; i < 5 * reused_slots<std::string>::window; ++i)
        use(s, 100 + i % 50);
    CHECK(s.slots() == 149);
}

TEST_CASE("the slots a burst grew are given back once a window of uses did not need them", "[events-slots]")
{
    constexpr auto window = reused_slots<std::string>::window;
    reused_slots<std::string> s;
    use(s, 2000);
    CHECK(s.slots() == 2000);
    // The window the burst was in still counts it.
    for (std::size_t i = 1; i < window; ++i)
        use(s, 10);
    CHECK(s.slots() == 2000);
    // A whole window of small batches: back to what they need.
    for (std::size_t i = 0; i < window; ++i)
        use(s, 40);
    CHECK(s.slots() == 40);
    // Never below a few, however quiet.
    for (std::size_t i = 0; i < 2 * window; ++i)
        use(s, 1);
    CHECK(s.slots() == reused_slots<std::string>::kept_anyway);
}

TEST_CASE("slots in use are never given back", "[events-slots]")
{
    constexpr auto window = reused_slots<std::string>::window;
    reused_slots<std::string> s;
    use(s, 500);
    for (std::size_t i = 1; i < 2 * window; ++i)
        use(s, 2);
    REQUIRE(s.slots() == reused_slots<std::string>::kept_anyway);
    // Swapped with another sequence, each keeps its own history.
    reused_slots<std::string> other;
    for (int i = 0; i < 300; ++i)
        other.push().assign(10, 'y');
    s.swap(other);
    CHECK(s.size() == 300);
    CHECK(other.size() == 0);
    CHECK(other.slots() == reused_slots<std::string>::kept_anyway);
    for (auto& text : s)
        CHECK(text == std::string(10, 'y'));
}
