// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Not API: what the public headers need to refuse, on g++ 12, the option temporaries that
// g++ 12 would destroy more than once.
//
// g++ 12 (Debian 12's default compiler) destroys an aggregate temporary with a non-trivial
// destructor that is written inside a `co_await` expression twice (bound to a const&) or three
// times (by value), and stops with "array used as initializer" when such a temporary holds a
// brace list (GCC bugs 99576, 100611, 101367; fixed in GCC 13). Measured safe on g++ 12: a
// named variable, a trivially destructible aggregate, a type with a constructor, a value a
// function returns. So option structs that are trivially destructible (ids are cord::id_arg)
// take designated initialisers everywhere; a function taking one that is not gets a second,
// refusing overload for temporaries when compiled by g++ below 13: the build stops with the
// message below instead of the program crashing.
#pragma once

// A file that passes option temporaries only outside co_await (to sync_wait, or to a
// function that stores the awaitable) may define it to 0 before including cord.
#ifndef CORD_REFUSE_OPTION_TEMPORARIES
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define CORD_REFUSE_OPTION_TEMPORARIES 1
#else
#define CORD_REFUSE_OPTION_TEMPORARIES 0
#endif
#endif

/// The text of every refusal (a static_assert needs a literal).
#define CORD_OPTION_TEMPORARY_REFUSED                                                                      \
    "cord: g++ 12 destroys an option struct written as a temporary inside co_await more than once "    \
    "(GCC bug 99576). Declare it as a named variable first, e.g. "                                      \
    "`cord::http::create_message_options opts{.tts = true}; co_await f(..., opts);`, or build with "     \
    "g++ 13 or clang."

namespace cord::detail {

/// False, but only once instantiated: lets a refusing overload compile until it is chosen.
template <class T>
inline constexpr bool refused_temporary = false;

} // namespace cord::detail
