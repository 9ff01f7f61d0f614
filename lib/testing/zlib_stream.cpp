// cord::testing: zlib-stream transport compression for the emulated gateway.
// SPDX-License-Identifier: BSL-1.0
#include "zlib_stream.hpp"

#include <zlib.h>

#include <stdexcept>

namespace cord::testing::detail {

struct zlib_deflater::state {
    z_stream z{};
};

zlib_deflater::zlib_deflater() : s_(std::make_unique<state>())
{
    if (deflateInit(&s_->z, Z_DEFAULT_COMPRESSION) != Z_OK)
        throw std::runtime_error("zlib: deflateInit failed");
}

zlib_deflater::~zlib_deflater() { deflateEnd(&s_->z); }

void zlib_deflater::compress(std::string_view message, std::string& out)
{
    auto& z = s_->z;
    out.resize(deflateBound(&z, static_cast<uLong>(message.size())) + 16);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
    z.avail_in = static_cast<uInt>(message.size());
    std::size_t used = 0;
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        z.avail_out = static_cast<uInt>(out.size() - used);
        int rc = deflate(&z, Z_SYNC_FLUSH);
        used = out.size() - z.avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw std::runtime_error("zlib: deflate failed");
        // Z_SYNC_FLUSH is complete once deflate leaves output space unused.
        if (z.avail_out != 0)
            break;
        out.resize(out.size() * 2);
    }
    out.resize(used);
}

} // namespace cord::testing::detail
