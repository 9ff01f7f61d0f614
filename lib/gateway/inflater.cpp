// cord: zlib-stream and zstd-stream decoders.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/inflater.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

namespace cord::gateway {

namespace {

constexpr std::size_t min_chunk = 16 * 1024;

// The largest zstd window a shard accepts: 16 MB. The window is what the decoder must keep per
// connection, and a frame header alone can ask for zstd's default limit of 128 MB; real-time
// streams use far smaller windows (2-8 MB at levels 3-19).
constexpr int zstd_window_log_max = 24;

[[noreturn]] void corrupt(std::string_view codec, std::string_view what)
{
    throw error(errc::invalid_response, fmt::format("{}: corrupt compressed data from the gateway: {}", codec, what));
}

void check_size(std::string_view codec, std::size_t size, std::size_t max_size)
{
    if (size > max_size)
        throw error(errc::invalid_response,
                    fmt::format("{}: a gateway payload exceeds max_frame_size ({} bytes)", codec, max_size));
}

class zlib_stream final : public inflater {
public:
    explicit zlib_stream(std::size_t max_size) : max_size_(max_size)
    {
        if (inflateInit(&zs_) != Z_OK)
            throw error(errc::transport, "zlib-stream: inflateInit failed");
    }
    ~zlib_stream() override { inflateEnd(&zs_); }

    bool feed(std::string_view message) override
    {
        std::string_view input = message;
        if (pending_.size() != 0 || !ends_with_zlib_flush(message)) {
            // A payload split over several messages: keep its parts until the flush suffix.
            check_size("zlib-stream", pending_.size() + message.size(), max_size_);
            pending_.append(message);
            if (!ends_with_zlib_flush(pending_.view()))
                return false;
            input = pending_.view();
        }
        inflate_all(input);
        pending_.clear();
        return true;
    }

private:
    void inflate_all(std::string_view input)
    {
        out_.clear();
        zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
        zs_.avail_in = static_cast<uInt>(input.size());
        for (;;) {
            out_.reserve_more(std::max(min_chunk, input.size() * 4));
            auto room = static_cast<uInt>(out_.spare());
            zs_.next_out = reinterpret_cast<Bytef*>(out_.data() + out_.size());
            zs_.avail_out = room;
            int rc = inflate(&zs_, Z_SYNC_FLUSH);
            out_.commit(room - zs_.avail_out);
            check_size("zlib-stream", out_.size(), max_size_);
            if (rc == Z_STREAM_END)
                corrupt("zlib-stream", "the stream ended, which Discord never does");
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                corrupt("zlib-stream", zs_.msg ? zs_.msg : "inflate failed");
            if (zs_.avail_in == 0 && zs_.avail_out != 0)
                return;
            if (rc == Z_BUF_ERROR && zs_.avail_out != 0)
                corrupt("zlib-stream", "truncated input");
        }
    }

    z_stream zs_{};
    padded_buffer pending_;
    std::size_t max_size_;
};

class zstd_stream final : public inflater {
public:
    explicit zstd_stream(std::size_t max_size) : ds_(ZSTD_createDStream()), max_size_(max_size)
    {
        if (!ds_ || ZSTD_isError(ZSTD_initDStream(ds_)) ||
            ZSTD_isError(ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, zstd_window_log_max)))
            throw error(errc::transport, "zstd-stream: cannot create a decompression stream");
    }
    ~zstd_stream() override { ZSTD_freeDStream(ds_); }

    // Each WebSocket message is one payload, though not the end of a zstd frame.
    bool feed(std::string_view message) override
    {
        out_.clear();
        ZSTD_inBuffer in{message.data(), message.size(), 0};
        for (;;) {
            out_.reserve_more(std::max(min_chunk, message.size() * 4));
            ZSTD_outBuffer out{out_.data() + out_.size(), out_.spare(), 0};
            std::size_t rc = ZSTD_decompressStream(ds_, &out, &in);
            if (ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge)
                corrupt("zstd-stream", fmt::format("the stream's window is over {} MB, cord's limit",
                                                   (std::size_t{1} << zstd_window_log_max) >> 20));
            if (ZSTD_isError(rc))
                corrupt("zstd-stream", ZSTD_getErrorName(rc));
            out_.commit(out.pos);
            check_size("zstd-stream", out_.size(), max_size_);
            if (in.pos == in.size && out.pos < out.size)
                return true;
        }
    }

private:
    ZSTD_DStream* ds_;
    std::size_t max_size_;
};

} // namespace

bool ends_with_zlib_flush(std::string_view bytes) noexcept
{
    return bytes.size() >= 4 && bytes.substr(bytes.size() - 4) == std::string_view{"\x00\x00\xff\xff", 4};
}

std::unique_ptr<inflater> make_inflater(compression mode, std::size_t max_size)
{
    switch (mode) {
    case compression::none: return nullptr;
    case compression::zlib_stream: return std::make_unique<zlib_stream>(max_size);
    case compression::zstd_stream: return std::make_unique<zstd_stream>(max_size);
    }
    return nullptr;
}

} // namespace cord::gateway
