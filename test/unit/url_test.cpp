// Unit tests of URL parsing for connection targets.
#include "net/url.hpp"

#include <cord/error.hpp>

#include <catch2/catch.hpp>

using cord::net::parse_url;

TEST_CASE("URLs of Discord and of the emulator parse into their parts", "[url]")
{
    auto api = parse_url("https://discord.com/api/v10");
    CHECK(api.tls);
    CHECK(api.host == "discord.com");
    CHECK(api.port == 443);
    CHECK(api.path == "/api/v10");
    CHECK(api.host_header() == "discord.com");

    auto gw = parse_url("wss://gateway.discord.gg/?v=10&encoding=json");
    CHECK(gw.tls);
    CHECK(gw.scheme == "wss");
    CHECK(gw.path == "/");
    CHECK(gw.query == "v=10&encoding=json");

    auto local = parse_url("ws://127.0.0.1:40123");
    CHECK_FALSE(local.tls);
    CHECK(local.port == 40123);
    CHECK(local.path == "/");
    CHECK(local.host_header() == "127.0.0.1:40123");

    auto v6 = parse_url("http://[::1]:8080/api#frag");
    CHECK(v6.host == "::1");
    CHECK(v6.port == 8080);
    CHECK(v6.path == "/api");
    CHECK(v6.host_header() == "[::1]:8080");
}

TEST_CASE("bad URLs are refused with the reason", "[url]")
{
    auto why = [](const char* text) {
        try {
            parse_url(text);
        } catch (const cord::error& e) {
            return std::string{e.what()};
        }
        return std::string{"accepted"};
    };
    CHECK(why("discord.com/api").find("no scheme") != std::string::npos);
    CHECK(why("ftp://x").find("unsupported scheme") != std::string::npos);
    CHECK(why("https://user:secret@discord.com").find("credentials") != std::string::npos);
    CHECK(why("https://:443/").find("no host") != std::string::npos);
    CHECK(why("https://discord.com:99999/").find("bad port") != std::string::npos);
    CHECK(why("https://discord.com:0/").find("bad port") != std::string::npos);
    CHECK(why("https://[::1/").find("not a URL") != std::string::npos);
    CHECK(why("https://exa%41mple.com/").find("not a DNS name") != std::string::npos);
    CHECK(why("https://exa mple.com/").find("not a URL") != std::string::npos);
}

TEST_CASE("a refused URL is quoted escaped, never raw", "[url]")
{
    // A URL from a server: a line break in it must not forge a second log line.
    std::string text = "wss://gateway.example\r\nINFO forged line";
    try {
        parse_url(text);
        FAIL("accepted");
    } catch (const cord::error& e) {
        std::string what = e.what();
        CHECK(what.find('\r') == std::string::npos);
        CHECK(what.find('\n') == std::string::npos);
        CHECK(what.find("\\x0D\\x0A") != std::string::npos);
    }
    std::string huge(100000, 'a');
    try {
        parse_url("wss://" + huge);
        FAIL("accepted");
    } catch (const cord::error& e) {
        CHECK(std::string_view{e.what()}.size() < 400);
    }
}
