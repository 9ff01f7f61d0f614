// Fake tier: the pagination helpers (<cord/http/paginate.hpp>) against fake_discord's messages and
// members: every item once, in Discord's order, pages chained by their cursor, and stops at a
// short page or at max_items.
#include "harness.hpp"

#include "http/routes.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

namespace http = cord::http;
namespace routes = cord::http::routes;
using cord::json;
using cord_test::harness;

namespace {

std::vector<std::string> ids_of(const json& list, const char* key = "id")
{
    std::vector<std::string> out;
    for (json item : list.items())
        out.emplace_back(key[0] == 'u' ? item["user"]["id"].as_string() : item[key].as_string());
    return out;
}

/// The value of `key` in a recorded query ("" when absent).
std::string query_value(const std::string& query, const std::string& key)
{
    auto at = ("&" + query).find("&" + key + "=");
    if (at == std::string::npos)
        return {};
    auto start = at + key.size() + 1;
    return query.substr(start, query.find('&', start) - start);
}

bool ascending(const std::string& a, const std::string& b)
{
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

} // namespace

TEST_CASE("all_channel_messages reads every page with before, newest first", "[http-paginate]")
{
    harness h;
    auto alice = cord::snowflake::parse(h.user);
    auto channel = cord::snowflake::parse(h.channel);
    for (int i = 0; i < 5; ++i)
        h.fake.post_message_as(alice, channel, "m" + std::to_string(i));
    auto expected = ids_of(h.run(http::get_channel_messages(h.rest, h.channel, {.limit = 100})));
    REQUIRE(expected.size() == 7);
    h.mark();

    json all = h.run(http::all_channel_messages(h.rest, h.channel, {.page_size = 2}));
    CHECK(ids_of(all) == expected);
    auto reqs = h.fake.requests();
    REQUIRE(reqs.size() == 4);   // 2 + 2 + 2 + 1: the short page ends it
    CHECK(query_value(reqs[0].query, "before").empty());
    for (std::size_t i = 1; i < reqs.size(); ++i) {
        INFO(reqs[i].query);
        CHECK(query_value(reqs[i].query, "limit") == "2");
        CHECK(query_value(reqs[i].query, "before") == expected[2 * i - 1]);
    }

    SECTION("max_items cuts the last page")
    {
        h.mark();
        json three = h.run(http::all_channel_messages(h.rest, h.channel, {.max_items = 3, .page_size = 2}));
        CHECK(ids_of(three) == std::vector<std::string>(expected.begin(), expected.begin() + 3));
        auto r = h.fake.requests();
        REQUIRE(r.size() == 2);
        CHECK(query_value(r[1].query, "limit") == "1");
    }
    SECTION("a start cursor")
    {
        json older = h.run(http::all_channel_messages(h.rest, h.channel, {.start = expected[3]}));
        CHECK(ids_of(older) == std::vector<std::string>(expected.begin() + 4, expected.end()));
    }
}

TEST_CASE("all_guild_members reads every page with after, by user id", "[http-paginate]")
{
    harness h;
    auto guild = cord::snowflake::parse(h.guild);
    for (int i = 0; i < 4; ++i)
        h.fake.add_member(guild, h.fake.add_user("member" + std::to_string(i)));
    auto expected = ids_of(h.run(http::list_guild_members(h.rest, h.guild, {.limit = 1000})), "user");
    REQUIRE(expected.size() >= 6);
    h.mark();

    json all = h.run(http::all_guild_members(h.rest, h.guild, {.page_size = 2}));
    auto got = ids_of(all, "user");
    CHECK(got == expected);
    CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size());
    CHECK(std::is_sorted(got.begin(), got.end(), ascending));
    auto reqs = h.fake.requests();
    CHECK(reqs.size() == expected.size() / 2 + 1);
    for (std::size_t i = 1; i < reqs.size(); ++i)
        CHECK(query_value(reqs[i].query, "after") == expected[2 * i - 1]);
}

TEST_CASE("pagination refuses a bad page size or start before sending", "[http-paginate]")
{
    harness h;
    auto refused = [&](auto make) {
        try {
            (void)make();
            FAIL("no cord::error");
        } catch (const cord::error& e) {
            CHECK(static_cast<cord::errc>(e.code().value()) == cord::errc::invalid_argument);
        }
        CHECK(h.fake.requests().empty());
    };
    refused([&] { return http::all_channel_messages(h.rest, h.channel, {.page_size = 101}); });
    refused([&] { return http::all_guild_bans(h.rest, h.guild, {.page_size = -1}); });
    refused([&] { return http::all_guild_members(h.rest, h.guild, {.start = "yesterday"}); });
}
