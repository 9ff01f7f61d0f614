// CORD_API_BASE / CORD_GATEWAY_URL (no I/O: the environment is passed in).
// SPDX-License-Identifier: BSL-1.0
#include "client/environment.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace {

cord::detail::environment env_of(std::map<std::string, std::string, std::less<>> vars)
{
    return [vars](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

std::vector<std::string> apply(cord::client_options& o, std::map<std::string, std::string, std::less<>> vars)
{
    std::vector<std::string> notices;
    cord::detail::apply_environment(o, env_of(std::move(vars)),
                                    [&](std::string_view n) { notices.emplace_back(n); });
    return notices;
}

} // namespace

TEST_CASE("CORD_API_BASE and CORD_GATEWAY_URL point a default client at a local stand-in", "[client-environment]")
{
    cord::client_options o;
    auto notices = apply(o, {{"CORD_API_BASE", "http://127.0.0.1:8080/api/v10"},
                             {"CORD_GATEWAY_URL", "ws://localhost:8080"}});
    CHECK(o.rest.base_url == "http://127.0.0.1:8080/api/v10");
    CHECK(o.gateway.url == "ws://localhost:8080");
    CHECK(o.tls.allow_plaintext);   // loopback only
    REQUIRE(notices.size() == 2);
    CHECK(notices[0].find("not Discord") != std::string::npos);
}

TEST_CASE("a URL set in code wins over the environment", "[client-environment]")
{
    cord::client_options o;
    o.rest.base_url = "https://proxy.example/api/v10";
    auto notices = apply(o, {{"CORD_API_BASE", "http://127.0.0.1:8080/api/v10"}});
    CHECK(o.rest.base_url == "https://proxy.example/api/v10");
    CHECK_FALSE(o.tls.allow_plaintext);
    CHECK(notices.empty());
}

TEST_CASE("without the variables nothing changes", "[client-environment]")
{
    cord::client_options o;
    CHECK(apply(o, {}).empty());
    CHECK(o.rest.base_url == cord::rest_options{}.base_url);
    CHECK(o.gateway.url == cord::gateway_options{}.url);
    CHECK_FALSE(o.tls.allow_plaintext);
}

TEST_CASE("plaintext to another host, or a URL that does not parse, is refused", "[client-environment]")
{
    cord::client_options o;
    CHECK_THROWS_WITH(apply(o, {{"CORD_API_BASE", "http://10.0.0.5/api/v10"}}),
                      Catch::Contains("CORD_API_BASE is plaintext") && Catch::Contains("not this machine"));
    cord::client_options p;
    CHECK_THROWS_WITH(apply(p, {{"CORD_GATEWAY_URL", "gopher://x"}}), Catch::Contains("CORD_GATEWAY_URL"));
    cord::client_options q;   // TLS to anywhere is fine
    apply(q, {{"CORD_API_BASE", "https://stand-in.example/api/v10"}});
    CHECK(q.rest.base_url == "https://stand-in.example/api/v10");
    CHECK_FALSE(q.tls.allow_plaintext);
}

TEST_CASE("a null token (an unset DISCORD_TOKEN) is a clear error, not a crash", "[client-environment]")
{
    const char* unset = nullptr;
    CHECK_THROWS_WITH(cord::client(unset), Catch::Contains("DISCORD_TOKEN") && Catch::Contains("cord-fake-discord"));
}
