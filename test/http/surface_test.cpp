// Fake tier: every generated cord::http function (tools/gen/rest_surface.py) against fake_discord:
// what reached the wire (method, path with encoded ids, query, body, X-Audit-Log-Reason,
// Authorization or none, multipart parts) whatever the emulator answered — the sample ids name
// nothing it holds, so many calls fail (404), which the request log records all the same. What
// the emulator answers is roundtrip_test.cpp's business.
#include "surface_cases.hpp"

#include "http/routes.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

namespace routes = cord::http::routes;

namespace cord_test {

const surface_case* find_surface_case(std::string_view name)
{
    for (const auto& c : surface_cases())
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace cord_test

using cord_test::harness;

TEST_CASE("every generated function sends its request", "[http-surface]")
{
    for (const auto& c : cord_test::surface_cases()) {
        DYNAMIC_SECTION(c.name)
        {
            const cord::rest::route* r = routes::find(c.name);
            REQUIRE(r != nullptr);
            harness h{r};
            try {
                (void)h.run(c.call(h));
            } catch (const cord::http::discord_error& e) {
                // An id the emulator does not know, or a body it refuses: the
                // request was still made, and that is what this test checks.
                INFO(e.what());
                CHECK(e.http_code() >= 400);
            }
            h.expect(c.expected(h));
        }
    }
}

TEST_CASE("the generated cases name routes, each once, and no seed function", "[http-surface]")
{
    std::set<std::string_view> seen;
    for (const auto& c : cord_test::surface_cases()) {
        INFO(c.name);
        const cord::rest::route* r = routes::find(c.name);
        REQUIRE(r != nullptr);
        CHECK(seen.insert(c.name).second);
        CHECK(r->removed.empty());
    }
    CHECK(seen.size() > 100);
}
