// cord: the pending HTTP exchange of one interaction (see first_response.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/first_response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cord::detail::interactions {

namespace asio = boost::asio;

first_response::first_response(asio::any_io_executor executor) : wake_(std::move(executor)) {}

bool first_response::complete(outcome o)
{
    {
        std::lock_guard lock{mu_};
        if (done_)
            return false;
        done_ = true;
        result_ = std::move(o);
    }
    // The timer belongs to the session's executor: cancel it there. The session checked done_
    // and began its wait in one turn of that executor, so the cancel cannot come before the wait.
    asio::post(wake_.get_executor(), [self = shared_from_this()] { self->wake_.cancel(); });
    return true;
}

bool first_response::answer(std::string callback_json)
{
    return complete({.status = 200, .body = std::move(callback_json)});
}

bool first_response::fail()
{
    return complete({.status = 500});
}

asio::awaitable<first_response::outcome> first_response::wait(clock::time_point deadline,
                                                               std::string auto_defer_json)
{
    bool pending = false;
    {
        std::lock_guard lock{mu_};
        pending = !done_;
        if (pending)
            wake_.expires_at(deadline);
    }
    if (pending)
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock{mu_};
    if (!done_) {
        done_ = true;
        result_ = {.status = 200, .body = std::move(auto_defer_json), .auto_deferred = true};
    }
    co_return result_;
}

} // namespace cord::detail::interactions
