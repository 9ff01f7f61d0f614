// cord: private. Which dispatches of a session were delivered: exactly once means by delivery,
// not by the highest sequence number. A server that encodes frames concurrently can let seq 2
// overtake seq 1; the late one was never delivered and must be, while a true replay must not.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>

namespace cord::gateway {

/// What to do with a dispatch's sequence number.
enum class delivery {
    deliver,     ///< new and in order
    late,        ///< new, but below one already delivered: deliver it, and say so
    duplicate,   ///< delivered before in this session: drop it
};

/// Every seq at or below `resume_seq()` was delivered (or is given up on); above it, a window
/// of `window` seqs remembers which arrived. Bounded memory whatever the server sends: a gap
/// older than the window is given up (counted by `forgotten()`), never waited on.
class delivery_ledger {
public:
    static constexpr std::uint64_t window = 1024;

    /// What `record(seq)` would answer, without recording.
    delivery classify(std::uint64_t seq) const noexcept;
    /// Records a delivered seq (classify first: recording a duplicate is a no-op).
    delivery record(std::uint64_t seq) noexcept;

    /// The seq a RESUME continues from: the end of the delivered prefix, so that the server
    /// replays whatever is missing (duplicates of it are dropped).
    std::uint64_t resume_seq() const noexcept { return base_; }
    /// The highest seq delivered: what a heartbeat reports.
    std::uint64_t highest() const noexcept { return highest_; }
    /// Seqs passed over as missing because later ones went beyond the window.
    std::uint64_t forgotten() const noexcept { return forgotten_; }

    /// A session continued from `seq` (an adopted hand-over, or a new session at 0).
    void reset(std::uint64_t seq) noexcept;

private:
    bool seen(std::uint64_t seq) const noexcept { return arrived_[seq % window]; }
    void advance_to(std::uint64_t seq) noexcept;

    std::uint64_t base_ = 0;      // every seq <= base_ is done
    std::uint64_t highest_ = 0;
    std::uint64_t forgotten_ = 0;
    std::bitset<window> arrived_;  // seqs in (base_, base_ + window], by seq % window
};

} // namespace cord::gateway
