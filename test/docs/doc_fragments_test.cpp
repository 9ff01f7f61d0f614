// The coroutines of README.md's g++ 12 note (announce.hpp) and docs/racket-cord.md's example
// (tidy.hpp), as extracted from the documents, run against the fake Discord; each test checks
// what the example promises by what reached the emulator.
#include "announce.hpp"
#include "tidy.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using cord::testing::fake_discord;

cord::client_options options_for(const fake_discord& fake)
{
    cord::client_options o;
    o.rest.base_url = fake.rest_url();
    o.gateway.url = fake.gateway_url();
    o.tls.allow_plaintext = true;
    o.handle_signals = false;
    return o;
}

std::vector<cord::testing::recorded_request> requests_to(const fake_discord& fake, std::string_view method,
                                                          std::string_view path_part)
{
    std::vector<cord::testing::recorded_request> out;
    for (auto& r : fake.requests())
        if (r.method == method && r.path.find(path_part) != std::string::npos)
            out.push_back(r);
    return out;
}

} // namespace

TEST_CASE("README's announce posts once, with its embed, and not again", "[readme]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids().front());
    cord::client bot{"fake-bot-token", options_for(fake)};

    bot.sync_wait(announce(bot, channel, "release 1.0"));
    bot.sync_wait(announce(bot, channel, "release 1.0"));   // already the last message: nothing

    auto posts = requests_to(fake, "POST", "/channels/" + channel.str() + "/messages");
    REQUIRE(posts.size() == 1);
    auto body = cord::json::parse(posts[0].body);
    CHECK(body["content"].as_string() == "release 1.0");
    CHECK(body["embeds"][0]["title"].as_string() == "release 1.0");
    auto reads = requests_to(fake, "GET", "/channels/" + channel.str() + "/messages");
    REQUIRE(reads.size() == 2);
    CHECK(reads[0].query == "limit=1");

    bot.sync_wait(announce(bot, channel, "release 1.1"));   // a new text is posted
    CHECK(requests_to(fake, "POST", "/channels/" + channel.str() + "/messages").size() == 2);
}

TEST_CASE("docs/racket-cord.md's tidy posts, reacts, reads and deletes with its reason", "[racket-cord]")
{
    fake_discord fake;
    auto channel = fake.general_channel(fake.guild_ids().front());
    cord::client bot{"fake-bot-token", options_for(fake)};

    bot.sync_wait(tidy(bot, channel));

    auto base = "/api/v10/channels/" + channel.str() + "/messages";
    auto posts = requests_to(fake, "POST", base);
    REQUIRE(posts.size() == 1);
    CHECK(cord::json::parse(posts[0].body)["content"].as_string() == "hello");
    auto deletes = requests_to(fake, "DELETE", base + "/");
    REQUIRE(deletes.size() == 1);
    CHECK(deletes[0].status == 204);
    CHECK(deletes[0].headers["x-audit-log-reason"] == "tidying%20up");
    auto id = deletes[0].path.substr(base.size() + 1);
    CHECK_FALSE(fake.message(channel, cord::snowflake{std::stoull(id)}));   // gone

    auto reactions = requests_to(fake, "PUT", base + "/" + id + "/reactions/");
    REQUIRE(reactions.size() == 1);
    CHECK(reactions[0].status == 204);
    auto reads = requests_to(fake, "GET", base);
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].query == "before=" + id + "&limit=10");
}
