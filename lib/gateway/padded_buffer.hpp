// cord: private. A growable byte buffer that always keeps spare bytes after its contents,
// so that simdjson can parse it in place (it reads up to 64 bytes past the end).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace cord::gateway {

inline constexpr std::size_t parse_padding = 64;   // simdjson's SIMDJSON_PADDING

class padded_buffer {
public:
    padded_buffer() = default;
    /// The first allocation holds at least `first_capacity` bytes; later ones double.
    explicit padded_buffer(std::size_t first_capacity) noexcept : first_capacity_(first_capacity) {}

    char* data() noexcept { return data_.get(); }
    const char* data() const noexcept { return data_.get(); }
    std::size_t size() const noexcept { return size_; }
    std::string_view view() const noexcept { return {data_.get(), size_}; }
    /// Bytes that may be written after size() without reserve().
    std::size_t spare() const noexcept { return capacity_ - size_; }
    std::size_t capacity() const noexcept { return capacity_; }

    void clear() noexcept { size_ = 0; }
    /// Makes room for `extra` more bytes (plus the padding); keeps the contents.
    void reserve_more(std::size_t extra)
    {
        if (size_ + extra <= capacity_)
            return;
        std::size_t cap = capacity_ == 0 ? first_capacity_ : capacity_;
        while (cap < size_ + extra)
            cap *= 2;
        auto fresh = std::make_unique_for_overwrite<char[]>(cap + parse_padding);
        if (size_)
            std::memcpy(fresh.get(), data_.get(), size_);
        std::memset(fresh.get() + cap, 0, parse_padding);
        data_ = std::move(fresh);
        capacity_ = cap;
    }
    /// Empties the buffer, and frees its memory when one large payload grew it past `limit`:
    /// a reused buffer must not keep a huge event's room for good.
    void clear_and_shrink(std::size_t limit) noexcept
    {
        size_ = 0;
        if (capacity_ > limit) {
            data_.reset();
            capacity_ = 0;
        }
    }
    void commit(std::size_t n) noexcept { size_ += n; }
    void append(std::string_view s)
    {
        if (s.empty())   // an empty view may have a null data(): memcpy must not see it
            return;
        reserve_more(s.size());
        std::memcpy(data_.get() + size_, s.data(), s.size());
        size_ += s.size();
    }
    void assign(std::string_view s)
    {
        clear();
        append(s);
    }

private:
    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;   // without the padding
    std::size_t first_capacity_ = 4096;
};

} // namespace cord::gateway
