// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <boost/asio/awaitable.hpp>

namespace cord {

/// Every REST call and gateway operation of cord is an `awaitable<T>`: `co_await` it
/// from a coroutine running on an Asio executor (for example a cord::client's).
template <class T>
using awaitable = boost::asio::awaitable<T>;

} // namespace cord
