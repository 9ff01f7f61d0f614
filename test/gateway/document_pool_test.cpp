// Unit tier: the shard's pooled documents — reuse, documents still held, and memory a huge
// payload grew given back.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/document_pool.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace {

// A JSON array of `n` short strings: about 12 bytes of input each.
std::string array_of(std::size_t n)
{
    std::string text = "[";
    for (std::size_t i = 0; i < n; ++i)
        text += i ? ",\"item-" + std::to_string(i % 1000) + "\"" : "\"first\"";
    text += "]";
    return text;
}

} // namespace

TEST_CASE("document pool: a document nobody holds is parsed into again; a held one is not", "[gateway-documents]")
{
    cord::gateway::document_pool pool{4};
    {
        auto a = pool.parse(R"({"n":1})", false);
        CHECK(a["n"].as_int() == 1);
    }
    auto b = pool.parse(R"({"n":2})", false);
    CHECK(pool.pooled() == 1);   // the first one came back
    auto c = pool.parse(R"({"n":3})", false);
    CHECK(pool.pooled() == 2);   // `b` is still held
    CHECK(b["n"].as_int() == 2);
    CHECK(c["n"].as_int() == 3);
    CHECK_THROWS_AS(pool.parse(R"({"n":)", false), cord::error);
}

TEST_CASE("document pool: the memory a huge payload grew goes back at the next small one", "[gateway-documents]")
{
    cord::gateway::document_pool pool{4};
    auto huge = array_of(300'000);   // about 3.6 MB
    {
        auto doc = pool.parse(huge, false);
        REQUIRE(doc.size() == 300'000);
        CHECK(pool.reserved_capacity() >= 2 * huge.size());   // the document and the parser
    }
    auto small = pool.parse(R"({"op":0,"d":{"content":"hi"}})", false);
    CHECK(small["d"]["content"].as_string() == "hi");
    CHECK(pool.reserved_capacity() < (std::size_t{1} << 20));

    // A payload of ordinary size keeps its room: the next one parses without allocating.
    cord::gateway::document_pool ordinary{4};
    auto medium = array_of(20'000);   // about 240 KB
    {
        auto doc = ordinary.parse(medium, false);
        REQUIRE(doc.size() == 20'000);
    }
    auto next = ordinary.parse(R"([1])", false);
    CHECK(next.size() == 1);
    CHECK(ordinary.reserved_capacity() >= medium.size());
}

TEST_CASE("document pool: a huge document passed over while it was held still gives its memory back",
          "[gateway-documents]")
{
    cord::gateway::document_pool pool{4};
    auto huge = array_of(300'000);
    {
        auto a = pool.parse("[1]", false);
        auto b = pool.parse("[2]", false);
    }
    REQUIRE(pool.pooled() == 2);
    {
        auto held = pool.parse(huge, false);
        REQUIRE(held.size() == 300'000);
        // Parsed while the huge one is held: the pool hands out another document, and
        // would keep on handing out that one (the last, still in cache) once it is free.
        CHECK(pool.parse(R"([0])", false).size() == 1);
    }
    REQUIRE(pool.reserved_capacity() >= huge.size());   // the document (the parser gave its room back)
    for (int i = 0; i < 1000 && pool.reserved_capacity() >= (std::size_t{1} << 20); ++i)
        CHECK(pool.parse(R"({"n":1})", false)["n"].as_int() == 1);
    CHECK(pool.reserved_capacity() < (std::size_t{1} << 20));
    CHECK(pool.pooled() == 2);
}

