// cord: private. The envelope of a gateway payload ({"op", "s", "t", "d"}) read without
// parsing `d`, so that a dispatch nobody listens to costs one scan and no DOM.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cord::gateway {

struct envelope {
    int op = -1;
    std::optional<std::uint64_t> seq;   ///< `s` when it is a number
    std::string_view event;             ///< `t` when it is a string without escapes
    std::string_view d;                 ///< the raw JSON text of `d` ("" when absent)
};

/// Reads the top level of a payload. nullopt when the text is not a well-formed JSON object
/// at the top level (a nested value is only checked for balanced brackets and strings), when
/// `op` is missing or not an integer, or a top-level key or `t` holds an escape (the caller may
/// parse fully).
/// A `d` object or array that follows `op`, `s` and `t` (Discord's order) is taken to run to
/// the envelope's closing brace without being walked: parsing `d` is what checks its inside.
std::optional<envelope> scan_envelope(std::string_view text) noexcept;

/// scan_envelope without its quick path for Discord's own compact shape, which must read every
/// payload it takes as this does.
std::optional<envelope> scan_envelope_general(std::string_view text) noexcept;

} // namespace cord::gateway
