// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <boost/asio/awaitable.hpp>

// g++ (measured: 12) warns -Wmismatched-new-delete at -O2 on a coroutine returning awaitable<T>
// when it inlines the frame's allocation but not its release, e.g. a coroutine with internal
// linkage called once. A false positive: Asio's frame pairs its own operator new and delete
// (GCC PR 109224). The warning points at the user's coroutine, after this header, so a
// push/pop here cannot reach it: it is off for the rest of the translation unit (not for clang).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace cord {

/// Every REST call and gateway operation of cord is an `awaitable<T>`: `co_await` it
/// from a coroutine running on an Asio executor (for example a cord::client's).
template <class T>
using awaitable = boost::asio::awaitable<T>;

} // namespace cord
