// cord::testing: private. Gateway transport compression: one compression context per
// connection, each message flushed so the client can decode it on its own. zlib-stream ends
// every message in 00 00 FF FF (Z_SYNC_FLUSH); zstd-stream flushes a block (ZSTD_e_flush).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cord::testing::detail {

class stream_compressor {
public:
    virtual ~stream_compressor() = default;
    /// Compresses one message into `out` (replaced), continuing the connection's stream.
    virtual void compress(std::string_view message, std::string& out) = 0;
};

/// The compressor a gateway URL's `compress=` asks for; nullptr for none (or one we do not speak).
std::unique_ptr<stream_compressor> make_stream_compressor(std::string_view target);

} // namespace cord::testing::detail
