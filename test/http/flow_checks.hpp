// cord tests: the small checks the fake-tier flow tests share.
#pragma once

#include "harness.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace cord_test {

/// A JSON string's text.
inline std::string str(const cord::json& j)
{
    return std::string{j.as_string()};
}

/// The call fails with this Discord status and code.
inline void expect_error(harness& h, cord::awaitable<cord::json> call, int status, int code)
{
    auto e = h.run_error(std::move(call));
    CHECK(e.http_code() == status);
    CHECK(e.discord_code() == code);
}

} // namespace cord_test
