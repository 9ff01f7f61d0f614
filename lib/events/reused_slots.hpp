// cord: private. A sequence whose elements outlive clear(): the next push reuses them, with
// whatever capacity they grew (a queued event's copy of its payload), so that a steady stream
// of events allocates nothing.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace cord::detail {

template <class T>
class reused_slots {
public:
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    T* begin() noexcept { return slots_.data(); }
    T* end() noexcept { return slots_.data() + size_; }
    T& back() noexcept { return slots_[size_ - 1]; }

    /// The next slot, as the last use left it: the caller sets every field it reads later.
    T& push()
    {
        if (size_ == slots_.size())
            slots_.emplace_back();
        return slots_[size_++];
    }
    /// Empties the sequence; the slots stay for the next pushes.
    void clear() noexcept { size_ = 0; }
    void swap(reused_slots& other) noexcept
    {
        slots_.swap(other.slots_);
        std::swap(size_, other.size_);
    }

private:
    std::vector<T> slots_;
    std::size_t size_ = 0;
};

} // namespace cord::detail
