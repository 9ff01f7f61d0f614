// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Not API: included first by every public header, so that a build below C++20, or with a Boost
// older than cord needs, stops at once with one message that names the fix, instead of hundreds
// of errors from Asio's coroutines.
#pragma once

#if defined(_MSVC_LANG) ? _MSVC_LANG < 202002L : __cplusplus < 202002L
#error "cord needs C++20: compile with -std=c++20 (Meson: cpp_std=c++20)"
// A missing header is a fatal error: the compiler stops here instead of going on.
#include <cord: compile with -std=c++20>
#endif

#include <boost/version.hpp>
#if BOOST_VERSION < 108100
#error "cord needs Boost 1.81 or newer (Debian 12: apt-get install libboost1.81-dev)"
#endif
