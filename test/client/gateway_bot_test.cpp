// Unit tests of reading GET /gateway/bot: every number from the server within range.
#include "client/gateway_bot.hpp"

#include <cord/error.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using cord::json;
using cord::detail::read_gateway_bot;

namespace {

struct reading {
    std::vector<std::string> warnings;
    cord::detail::gateway_bot read(std::string_view text, bool plaintext = false)
    {
        return read_gateway_bot(json::parse(text), plaintext,
                                [this](std::string_view w) { warnings.emplace_back(w); });
    }
    std::string refusal(std::string_view text, bool plaintext = false)
    {
        try {
            read(text, plaintext);
        } catch (const cord::error& e) {
            CHECK(e.code() == cord::errc::invalid_response);
            return e.what();
        }
        return "accepted";
    }
};

} // namespace

TEST_CASE("gateway/bot: Discord's answer is read as it is", "[client-gateway-bot]")
{
    reading r;
    auto g = r.read(R"({"url":"wss://gateway.discord.gg","shards":9,"session_start_limit":
                       {"total":1000,"remaining":999,"reset_after":14400000,"max_concurrency":16}})");
    CHECK(g.url == "wss://gateway.discord.gg");
    CHECK(g.shards == 9);
    CHECK(g.max_concurrency == 16);
    CHECK(g.total == 1000);
    CHECK(g.remaining == 999);
    CHECK(g.reset_after == std::chrono::milliseconds{14400000});
    CHECK(r.warnings.empty());
}

TEST_CASE("gateway/bot: a shard count out of range is refused", "[client-gateway-bot]")
{
    reading r;
    for (auto text : {R"({"shards":100000})", R"({"shards":0})", R"({"shards":-3})", R"({"shards":2.5})",
                      R"({"shards":"9"})", R"({"shards":18446744073709551615})"}) {
        INFO(text);
        CHECK(r.refusal(text).find("shards, outside [1, 65536]") != std::string::npos);
    }
}

TEST_CASE("gateway/bot: session_start_limit numbers are clamped with a warning", "[client-gateway-bot]")
{
    reading r;
    auto g = r.read(R"({"shards":1,"session_start_limit":{"total":1000,"remaining":-5,"reset_after":9e99,
                       "max_concurrency":200000000}})");
    CHECK(g.max_concurrency == 1024);
    CHECK(g.remaining == 0);
    CHECK(g.reset_after == std::chrono::milliseconds{0});   // not an integer: absent
    CHECK(r.warnings.size() == 2);
    auto h = r.read(R"({"shards":1,"session_start_limit":{"max_concurrency":2147483647,"reset_after":1e3}})");
    CHECK(h.max_concurrency == 1024);
    auto k = r.read(R"({"shards":1,"session_start_limit":{"max_concurrency":0,"reset_after":99999999999}})");
    CHECK(k.max_concurrency == 1);
    CHECK(k.reset_after == std::chrono::hours{24});
}

TEST_CASE("gateway/bot: a URL cord would not connect to is refused, quoted escaped", "[client-gateway-bot]")
{
    reading r;
    auto plain = r.refusal(R"({"url":"ws://gateway.example","shards":1})");
    CHECK(plain.find("plaintext gateway URL") != std::string::npos);
    CHECK(plain.find("allow_plaintext") == std::string::npos);   // not the bot author's setting to change
    CHECK(r.read(R"({"url":"ws://127.0.0.1:9","shards":1})", true).url == "ws://127.0.0.1:9");
    CHECK(r.refusal(R"({"url":"https://gateway.example","shards":1})").find("not ws(s)://") != std::string::npos);
    auto broken = r.refusal(R"({"url":"wss://gate\r\nway","shards":1})");
    CHECK(broken.find('\n') == std::string::npos);
    CHECK(r.refusal(R"({"url":7})").find("not a string") != std::string::npos);
}
