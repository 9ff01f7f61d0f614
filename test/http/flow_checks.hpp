// cord tests: the small checks the fake-tier flow tests share.
#pragma once

#include "harness.hpp"
#include "json_text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace cord_test {

/// The call fails with this Discord status and code.
inline void expect_error(harness& h, cord::awaitable<cord::json> call, int status, int code)
{
    auto e = h.run_error(std::move(call));
    INFO(e.what());
    CHECK(e.http_code() == status);
    CHECK(e.discord_code() == code);
}

} // namespace cord_test
