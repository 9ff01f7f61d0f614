// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cord {

/// One gateway dispatch (op 0) as a shard parsed it: every field views the same document,
/// which lives as long as any copy of `d` or `envelope` does. Copying it copies no JSON.
struct gateway_event {
    std::string_view name;    ///< Discord's event name, "MESSAGE_CREATE" (views the document)
    std::uint64_t seq = 0;    ///< its `s`
    json d;                   ///< its data
    json envelope;            ///< the whole payload: {"op":0,"t":…,"s":…,"d":…}
    std::size_t bytes = 0;    ///< the payload's size after decompression (for memory caps)
};

/// One gateway dispatch as it came off the wire, not parsed: for a consumer that parses it on
/// a thread of its own. Every field views the shard's read buffer: valid only during the call.
struct gateway_dispatch_text {
    std::string_view name;    ///< Discord's event name, "MESSAGE_CREATE"
    std::uint64_t seq = 0;    ///< its `s`
    /// The whole payload, {"op":0,"t":…,"s":…,"d":…}: its envelope is checked, its `d` is not.
    std::string_view text;
};

} // namespace cord
