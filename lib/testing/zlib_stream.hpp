// cord::testing: private. Gateway transport compression (zlib-stream): one deflate
// context per connection, each message flushed with Z_SYNC_FLUSH so it ends in 00 00 FF FF.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cord::testing::detail {

class zlib_deflater {
public:
    zlib_deflater();
    ~zlib_deflater();
    zlib_deflater(const zlib_deflater&) = delete;
    zlib_deflater& operator=(const zlib_deflater&) = delete;

    /// Compresses one message into `out` (replaced), continuing the connection's stream.
    void compress(std::string_view message, std::string& out);

private:
    struct state;
    std::unique_ptr<state> s_;
};

} // namespace cord::testing::detail
