// cord::testing: zlib-stream and zstd-stream transport compression for the emulated gateway.
// SPDX-License-Identifier: BSL-1.0
#include "stream_compressor.hpp"

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>

namespace cord::testing::detail {

namespace {

class zlib_compressor final : public stream_compressor {
public:
    zlib_compressor()
    {
        if (deflateInit(&z_, Z_DEFAULT_COMPRESSION) != Z_OK)
            throw std::runtime_error("zlib: deflateInit failed");
    }
    ~zlib_compressor() override { deflateEnd(&z_); }
    zlib_compressor(const zlib_compressor&) = delete;
    zlib_compressor& operator=(const zlib_compressor&) = delete;

    void compress(std::string_view message, std::string& out) override
    {
        out.resize(deflateBound(&z_, static_cast<uLong>(message.size())) + 16);
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
        z_.avail_in = static_cast<uInt>(message.size());
        std::size_t used = 0;
        for (;;) {
            z_.next_out = reinterpret_cast<Bytef*>(out.data() + used);
            z_.avail_out = static_cast<uInt>(out.size() - used);
            int rc = deflate(&z_, Z_SYNC_FLUSH);
            used = out.size() - z_.avail_out;
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                throw std::runtime_error("zlib: deflate failed");
            // Z_SYNC_FLUSH is complete once deflate leaves output space unused.
            if (z_.avail_out != 0)
                break;
            out.resize(out.size() * 2);
        }
        out.resize(used);
    }

private:
    z_stream z_{};
};

class zstd_compressor final : public stream_compressor {
public:
    zstd_compressor() : cs_(ZSTD_createCStream())
    {
        if (!cs_ || ZSTD_isError(ZSTD_initCStream(cs_, 3)))
            throw std::runtime_error("zstd: cannot create a compression stream");
    }
    ~zstd_compressor() override { ZSTD_freeCStream(cs_); }
    zstd_compressor(const zstd_compressor&) = delete;
    zstd_compressor& operator=(const zstd_compressor&) = delete;

    void compress(std::string_view message, std::string& out) override
    {
        out.resize(ZSTD_compressBound(message.size()) + 64);
        ZSTD_inBuffer in{message.data(), message.size(), 0};
        ZSTD_outBuffer o{out.data(), out.size(), 0};
        for (;;) {
            std::size_t left = ZSTD_compressStream2(cs_, &o, &in, ZSTD_e_flush);
            if (ZSTD_isError(left))
                throw std::runtime_error("zstd: compression failed");
            if (left == 0)
                break;
            out.resize(out.size() * 2);
            o.dst = out.data();
            o.size = out.size();
        }
        out.resize(o.pos);
    }

private:
    ZSTD_CStream* cs_;
};

} // namespace

std::unique_ptr<stream_compressor> make_stream_compressor(std::string_view target)
{
    if (target.find("compress=zlib-stream") != std::string_view::npos)
        return std::make_unique<zlib_compressor>();
    if (target.find("compress=zstd-stream") != std::string_view::npos)
        return std::make_unique<zstd_compressor>();
    return nullptr;
}

} // namespace cord::testing::detail
