// The global operator new and delete of a benchmark program, counting heap allocations: link
// bench/support/counting_new.cpp and define on_allocation(), which every operator new calls
// first (it must not allocate).
// SPDX-License-Identifier: BSL-1.0
#pragma once

namespace cord::bench {

/// Called by every operator new before it allocates; defined by the benchmark.
void on_allocation() noexcept;

} // namespace cord::bench
