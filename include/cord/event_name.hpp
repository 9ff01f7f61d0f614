// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <string>
#include <string_view>

namespace cord {

/// racket-cord's event name for a gateway dispatch: lowercase, `_` → `-`, prefix `raw-`
/// ("MESSAGE_CREATE" → "raw-message-create"). Names Discord has not documented follow the
/// same rule.
std::string racket_event_name(std::string_view discord_name);

/// The inverse: "raw-message-create" → "MESSAGE_CREATE". A name without the `raw-` prefix
/// is converted as it is.
std::string discord_event_name(std::string_view racket_name);

} // namespace cord
