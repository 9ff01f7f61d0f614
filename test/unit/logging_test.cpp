// Unit tests of the logger and of token redaction.
#include <cord/error.hpp>
#include <cord/logging.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

// Captures records of the global logger for one test, and restores it after.
struct capture {
    cord::logger& log = cord::discord_logger();
    cord::log_level old_level = log.level();
    std::vector<std::string> lines;
    std::vector<cord::log_level> levels;
    cord::logger::subscription id;

    capture()
    {
        log.set_stderr_sink(false);
        id = log.subscribe([this](const cord::log_record& r) {
            lines.emplace_back(r.message);
            levels.push_back(r.level);
        });
    }
    ~capture()
    {
        log.unsubscribe(id);
        log.set_level(old_level);
        log.set_stderr_sink(true);
    }
};

constexpr const char* fake_token = "ODAzNTExMTAyMjQ2Nzg5MTI4.GhJkLm.aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";

} // namespace

TEST_CASE("logger filters by level before sinks see a record", "[logging]")
{
    capture c;
    c.log.set_level(cord::log_level::warning);
    CHECK_FALSE(c.log.enabled(cord::log_level::info));
    CHECK(c.log.enabled(cord::log_level::error));
    c.log.log(cord::log_level::debug, "test", "dropped");
    c.log.log(cord::log_level::info, "test", "dropped too");
    c.log.log(cord::log_level::warning, "test", "kept");
    c.log.log(cord::log_level::error, "test", "kept too");
    CHECK(c.lines == std::vector<std::string>{"kept", "kept too"});

    c.log.set_level(cord::log_level::off);
    c.log.log(cord::log_level::error, "test", "silenced");
    CHECK(c.lines.size() == 2);
}

TEST_CASE("logger delivers to every sink and survives a throwing sink", "[logging]")
{
    capture c;
    c.log.set_level(cord::log_level::trace);
    int second = 0;
    auto bad = c.log.subscribe([](const cord::log_record&) { throw std::runtime_error("sink failure"); });
    auto good = c.log.subscribe([&](const cord::log_record& r) {
        ++second;
        CHECK(r.component == "rest");
    });
    c.log.log(cord::log_level::trace, "rest", "one");
    c.log.unsubscribe(good);
    c.log.log(cord::log_level::trace, "rest", "two");
    c.log.unsubscribe(bad);
    CHECK(second == 1);
    CHECK(c.lines == std::vector<std::string>{"one", "two"});
}

TEST_CASE("the stderr format has a timestamp, level and component", "[logging]")
{
    cord::log_record r{cord::log_level::warning, std::chrono::system_clock::time_point{std::chrono::milliseconds{1462015105796}},
                       "gateway", "resuming"};
    CHECK(cord::logger::format(r) == "2016-04-30T11:18:25.796Z WARN  [gateway] resuming");
}

TEST_CASE("no log line can contain a token, at any level", "[logging]")
{
    capture c;
    c.log.set_level(cord::log_level::trace);
    cord::register_secret("a-registered-webhook-secret-1234");
    const std::vector<std::string> leaks = {
        std::string{"connecting with "} + fake_token,
        std::string{"Authorization: Bot "} + fake_token,
        "authorization: Bearer abcdefghijklmnopqrstuvwxyz0123",
        R"(sending {"op":2,"d":{"token":"some-opaque-token-value","intents":513}})",
        "POST /webhooks/223704706495545344/3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11 -> 204",
        "value a-registered-webhook-secret-1234 seen",
    };
    for (auto level : {cord::log_level::trace, cord::log_level::debug, cord::log_level::error})
        for (const auto& line : leaks)
            c.log.log(level, "test", line);
    REQUIRE(c.lines.size() == leaks.size() * 3);
    for (const auto& line : c.lines) {
        INFO(line);
        CHECK(line.find("[redacted]") != std::string::npos);
        CHECK(line.find("GhJkLm") == std::string::npos);
        CHECK(line.find("abcdefghijklmnop") == std::string::npos);
        CHECK(line.find("some-opaque-token") == std::string::npos);
        CHECK(line.find("3d89bb7572e0fb30") == std::string::npos);
        CHECK(line.find("a-registered-webhook") == std::string::npos);
    }
    // What is not a secret stays readable.
    CHECK(c.lines[4].find("/webhooks/223704706495545344/") != std::string::npos);
    CHECK(cord::redact("Bot ready on shard 0, 12.5 ms") == "Bot ready on shard 0, 12.5 ms");
    CHECK(cord::redact("version 1.2.3 of 2026.11.27") == "version 1.2.3 of 2026.11.27");
}

TEST_CASE("exception messages are redacted too", "[logging]")
{
    cord::error e{cord::errc::invalid_argument, std::string{"bad request with token "} + fake_token};
    CHECK(std::string{e.what()}.find("GhJkLm") == std::string::npos);
    CHECK(std::string{e.what()}.find("[redacted]") != std::string::npos);
}

TEST_CASE("a fragment of a registered secret is redacted wherever a server cut it", "[logging]")
{
    const std::string secret = "Qz7-registered-fragment-secret-XyWv9_8765";
    cord::register_secret(secret);
    // A server (or a proxy) that echoes the token and cuts it at some length.
    for (std::size_t cut : {8, 9, 17, 30}) {
        for (std::size_t from : {std::size_t{0}, std::size_t{5}, secret.size() - cut}) {
            std::string piece = secret.substr(from, cut);
            INFO(piece);
            std::string line = cord::redact("server said: bad token " + piece + "... (truncated)");
            CHECK(line.find(piece) == std::string::npos);
            CHECK(line.find("[redacted]") != std::string::npos);
            CHECK(line.find("server said: bad token ") == 0);
        }
    }
    // Text that merely shares a short run with it is left alone.
    CHECK(cord::redact("Qz7-reg is fine") == "Qz7-reg is fine");
}

TEST_CASE("a log line holds no raw control character, whatever the message carried", "[logging]")
{
    capture c;
    c.log.set_level(cord::log_level::trace);
    c.log.log(cord::log_level::info, "test", "closed: \"bye\r\nERROR forged line\x1b[31m\"");
    REQUIRE(c.lines.size() == 1);
    CHECK(c.lines[0].find('\n') == std::string::npos);
    CHECK(c.lines[0].find('\r') == std::string::npos);
    CHECK(c.lines[0].find('\x1b') == std::string::npos);
    CHECK(c.lines[0].find("\\x0D\\x0AERROR forged line\\x1B") != std::string::npos);
}

TEST_CASE("an error body cut after a token never keeps a piece of it", "[logging]")
{
    const std::string token = "MTA5ODc2NTQzMjEwOTg3NjU0.GhJkLm.unit-test-token-abcdefghijklmnopqrstu";
    cord::register_secret(token);
    // The token straddles the 200-byte excerpt: redaction must come before the cut.
    for (std::size_t at : {150u, 180u, 195u, 199u}) {
        std::string body = std::string(at, 'x') + token + " trailing";
        auto e = cord::http::discord_error::from_response(502, body, "GET /x");
        std::string what = e.what();
        INFO(what);
        for (std::size_t i = 0; i + 8 <= token.size(); ++i)
            REQUIRE(what.find(token.substr(i, 8)) == std::string::npos);
    }
}
