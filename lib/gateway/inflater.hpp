// cord: private. Transport decompression of a gateway connection: zlib-stream and zstd-stream.
// One inflater per connection; a new connection starts a new one.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "gateway/padded_buffer.hpp"

#include <cord/gateway_options.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace cord::gateway {

class inflater {
public:
    virtual ~inflater() = default;
    /// Feeds one WebSocket message. True when output() now holds one complete payload;
    /// false when the message was a part and more must follow. Throws cord::error
    /// (invalid_response) on corrupt input or a payload above the size limit.
    virtual bool feed(std::string_view message) = 0;
    /// The last complete payload; valid until the next feed(); padded for simdjson.
    std::string_view output() const noexcept { return out_.view(); }
    const padded_buffer& output_buffer() const noexcept { return out_; }

protected:
    padded_buffer out_;
};

/// The inflater for `mode` (nullptr for compression::none). `max_size` caps one payload.
std::unique_ptr<inflater> make_inflater(compression mode, std::size_t max_size);

/// The 4-byte Z_SYNC_FLUSH suffix that ends every zlib-stream payload.
bool ends_with_zlib_flush(std::string_view bytes) noexcept;

} // namespace cord::gateway
