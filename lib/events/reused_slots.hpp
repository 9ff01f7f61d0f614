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
    /// what a burst grew goes once it is over, batches that merely vary keep theirs. `idle`
    /// says that nothing waits behind this use: then twice what the last window needed (the
    /// first time round, the uses before this one) is enough to keep, and a burst's room goes
    /// at once rather than a window later.
    void clear(bool idle = false)
    {
        auto before = had_window_ ? last_high_ : high_;
        high_ = std::max(high_, size_);
        size_ = 0;
        if (++uses_ == window) {
            last_high_ = std::exchange(high_, 0);
            uses_ = 0;
            had_window_ = true;
            give_back(last_high_);
        } else if (idle) {
            give_back(2 * before);   // twice: a use that merely varies is not taken for a burst
        }
    }
    /// How many slots it holds, in use or not.
    std::size_t slots() const noexcept { return slots_.size(); }
    void swap(reused_slots& other) noexcept
    {
        slots_.swap(other.slots_);
        std::swap(size_, other.size_);
        std::swap(high_, other.high_);
        std::swap(last_high_, other.last_high_);
        std::swap(had_window_, other.had_window_);
        std::swap(uses_, other.uses_);
    }

    static constexpr std::size_t window = 64;
    static constexpr std::size_t kept_anyway = 16;

private:
    // Keeps `needed` slots (or a few), and frees the rest when there are more than twice that.
    void give_back(std::size_t needed)
    {
        auto keep = std::max(needed, kept_anyway);
        if (slots_.size() > 2 * keep) {
            slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(keep), slots_.end());
            slots_.shrink_to_fit();
        }
    }

    std::vector<T> slots_;
    std::size_t size_ = 0;
    std::size_t high_ = 0;        // the most slots in use at a clear() of this window
    std::size_t last_high_ = 0;   // the same, of the window before
    bool had_window_ = false;     // a window has ended: last_high_ says something
    std::size_t uses_ = 0;        // clear()s in this window
};

} // namespace cord::detail
