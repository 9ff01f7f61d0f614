// Helpers for the REST core's I/O tests: run a call to completion, bounded in time.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <optional>

namespace cord::test {

/// Runs `a` on `io` until it completes (at most `limit`); rethrows its exception.
template <class T>
T run_call(boost::asio::io_context& io, boost::asio::awaitable<T> a,
           std::chrono::seconds limit = std::chrono::seconds{20})
{
    std::optional<T> result;
    std::exception_ptr failure;
    bool done = false;
    boost::asio::co_spawn(io, std::move(a), [&](std::exception_ptr e, T v) {
        done = true;
        failure = e;
        if (!e)
            result = std::move(v);
    });
    io.restart();
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done && std::chrono::steady_clock::now() < until)
        io.run_one_for(std::chrono::milliseconds{100});
    REQUIRE(done);
    if (failure)
        std::rethrow_exception(failure);
    return std::move(*result);
}

/// The errc of the cord::error a call throws (fails the test when it does not throw one).
template <class F>
cord::errc error_of(F&& f, std::string* message = nullptr)
{
    try {
        f();
    } catch (const cord::error& e) {
        if (message)
            *message = e.what();
        return static_cast<cord::errc>(e.code().value());
    }
    FAIL("no cord::error thrown");
    return cord::errc::invalid_argument;
}

} // namespace cord::test
