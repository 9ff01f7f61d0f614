// cord: private. A caller's value as an error message quotes it: short, and on one line.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "log/peer_text.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace cord::rest {

/// The first `limit` bytes of `value`, control characters written as \xNN, "..." when cut.
/// Refused values come from users (an emoji, a name): quoted raw, a line break in one would
/// forge a second log line wherever the error is logged, and a huge one would flood the log.
inline std::string excerpt(std::string_view value, std::size_t limit = 64)
{
    std::string out = detail::escape_controls(value.substr(0, limit));
    if (value.size() > limit)
        out += "...";
    return out;
}

} // namespace cord::rest
