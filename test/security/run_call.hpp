// Runs one REST call to completion on the test's own io_context, bounded in time.
#pragma once

#include <cord/awaitable.hpp>
#include <cord/json.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <future>

namespace sectest {

/// The call's result; rethrows its error. Fails the test when it takes longer than `limit`.
inline cord::json run_call(boost::asio::io_context& io, cord::awaitable<cord::json> call,
                           std::chrono::milliseconds limit = std::chrono::seconds{20})
{
    using namespace std::chrono_literals;
    auto done = boost::asio::co_spawn(io, std::move(call), boost::asio::use_future);
    for (auto end = std::chrono::steady_clock::now() + limit;
         done.wait_for(0s) != std::future_status::ready && std::chrono::steady_clock::now() < end;) {
        io.restart();   // run_for() returns at once on a context that ran out of work
        io.run_for(10ms);
    }
    REQUIRE(done.wait_for(0s) == std::future_status::ready);
    return done.get();
}

} // namespace sectest
