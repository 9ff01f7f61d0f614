// cord: private. A sequence whose elements outlive clear(): the next push reuses them, with
// whatever capacity they grew (a queued event's copy of its payload), so that a steady stream
// of events allocates nothing; what a burst grew is given back when it is over.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <algorithm>
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
    /// Empties the sequence; the slots stay for the next pushes. Once every `window` uses, when
    /// it holds more than twice what the largest of them needed, the rest are given back:
    /// what a burst grew goes once it is over, batches that merely vary keep theirs.
    void clear()
    {
        high_ = std::max(high_, size_);
        size_ = 0;
        if (++uses_ < window)
            return;
        if (auto keep = std::max(high_, kept_anyway); slots_.size() > 2 * keep) {
            slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(keep), slots_.end());
            slots_.shrink_to_fit();
        }
        high_ = uses_ = 0;
    }
    /// How many slots it holds, in use or not.
    std::size_t slots() const noexcept { return slots_.size(); }
    void swap(reused_slots& other) noexcept
    {
        slots_.swap(other.slots_);
        std::swap(size_, other.size_);
        std::swap(high_, other.high_);
        std::swap(uses_, other.uses_);
    }

    static constexpr std::size_t window = 64;
    static constexpr std::size_t kept_anyway = 16;

private:
    std::vector<T> slots_;
    std::size_t size_ = 0;
    std::size_t high_ = 0;   // the most slots in use at a clear() of this window
    std::size_t uses_ = 0;   // clear()s in this window
};

} // namespace cord::detail
