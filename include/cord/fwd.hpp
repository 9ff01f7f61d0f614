// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

namespace cord {
class client;
class json;
class json_fragment;
class error;
class gateway_error;
class logger;
struct snowflake;
namespace http {
class discord_error;
}
} // namespace cord
