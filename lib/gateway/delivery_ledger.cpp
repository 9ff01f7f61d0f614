// cord: the delivered-seq ledger.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/delivery_ledger.hpp"

namespace cord::gateway {

delivery delivery_ledger::classify(std::uint64_t seq) const noexcept
{
    if (seq <= base_)
        return delivery::duplicate;
    if (seq - base_ <= window && seen(seq))
        return delivery::duplicate;
    return seq < highest_ ? delivery::late : delivery::deliver;
}

delivery delivery_ledger::record(std::uint64_t seq) noexcept
{
    auto verdict = classify(seq);
    if (verdict == delivery::duplicate)
        return verdict;
    if (seq - base_ > window)
        advance_to(seq - window);   // the window slides: what it drops is given up
    arrived_[seq % window] = true;
    if (seq > highest_)
        highest_ = seq;
    // The delivered prefix grows over every seq that has arrived.
    while (base_ < highest_ && seen(base_ + 1)) {
        ++base_;
        arrived_[base_ % window] = false;
    }
    return verdict;
}

void delivery_ledger::advance_to(std::uint64_t seq) noexcept
{
    if (seq - base_ >= window) {   // the whole window goes: no loop over a huge jump
        forgotten_ += (seq - base_) - arrived_.count();
        arrived_.reset();
        base_ = seq;
        return;
    }
    while (base_ < seq) {
        ++base_;
        if (!arrived_[base_ % window])
            ++forgotten_;
        arrived_[base_ % window] = false;
    }
}

void delivery_ledger::reset(std::uint64_t seq) noexcept
{
    base_ = highest_ = seq;
    forgotten_ = 0;
    arrived_.reset();
}

} // namespace cord::gateway
