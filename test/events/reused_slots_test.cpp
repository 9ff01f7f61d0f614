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

TEST_CASE("a burst used while nothing waits behind it gives its room back at once", "[events-slots]")
{
    constexpr auto window = reused_slots<std::string>::window;
    reused_slots<std::string> s;
    for (int i = 0; i < 10; ++i)
        use(s, 30);
    CHECK(s.slots() == 30);
    // The first time round, what the uses before needed.
    for (int j = 0; j < 1000; ++j)
        s.push().assign(100, 'x');
    s.clear(true);
    CHECK(s.slots() == 60);   // twice that: a use that merely varies is not taken for a burst
    // Once a window has ended, what it needed: a burst that came in several batches (more was
    // waiting behind the first) goes when the lane has caught up.
    for (std::size_t i = 0; i < 2 * window; ++i)   // the window with the burst in it, then one without
        use(s, 30);
    for (int k = 0; k < 3; ++k) {
        for (int j = 0; j < 500; ++j)
            s.push().assign(100, 'x');
        s.clear(k == 2);
        CHECK(s.slots() == (k == 2 ? 60u : 500u));
    }
    // Batches alike keep their slots, idle or not.
    for (std::size_t i = 0; i < 2 * window; ++i) {
        for (int j = 0; j < 40 + static_cast<int>(i % 3) * 40; ++j)
            s.push().assign(100, 'x');
        s.clear(i % 2 == 0);
    }
    CHECK(s.slots() == 120);
}
