// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <chrono>
#include <string>

namespace cord {

/// How an interaction router answers what its handlers do not.
struct router_options {
    /// When cord answers an interaction whose handler has not: before Discord's 3 s.
    std::chrono::milliseconds auto_defer_margin{2500};
    /// Sent (ephemeral) to the user when a handler throws; empty: nothing is sent.
    std::string error_message = "Sorry, something went wrong while handling that.";
};

} // namespace cord
