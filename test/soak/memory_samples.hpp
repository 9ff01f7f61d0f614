// Memory of this process, sampled by the soak at fixed points of the event stream: VmRSS
// from /proc/self/status (what the system sees), and the bytes malloc has handed out and not
// had back (what a leak would grow, whatever the allocator's fragmentation does to VmRSS).
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <malloc.h>

// AddressSanitizer keeps freed memory in quarantine and has its own allocator: neither VmRSS
// nor mallinfo then says anything about cord's memory (LeakSanitizer checks at exit instead).
#if defined(__SANITIZE_ADDRESS__)
#define CORD_SOAK_MEMORY_MEASURABLE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORD_SOAK_MEMORY_MEASURABLE 0
#endif
#endif
#ifndef CORD_SOAK_MEMORY_MEASURABLE
#define CORD_SOAK_MEMORY_MEASURABLE 1
#endif

namespace soak {

inline constexpr bool memory_measurable = CORD_SOAK_MEMORY_MEASURABLE;

/// VmRSS in KiB; 0 where /proc is not available.
inline std::uint64_t rss_kib()
{
    std::ifstream status{"/proc/self/status"};
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoull(line.substr(6));
    return 0;
}

/// Heap in use in KiB (glibc's mallinfo2: small blocks and mmapped ones); 0 elsewhere.
inline std::uint64_t heap_kib()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    auto m = mallinfo2();
    return (m.uordblks + m.hblkhd) / 1024;
#else
    return 0;
#endif
}

struct memory_sample {
    std::uint64_t events = 0;   ///< events sent when it was taken
    std::uint64_t rss_kib = 0;
    std::uint64_t heap_kib = 0;
    std::uint64_t rest_pending = 0;   ///< REST calls of handlers not ended: they hold memory too
};

/// Memory must not grow once warmed up: the highest late sample (the last 20% of the events)
/// may exceed the highest early one (40% to 60%) by at most a margin. The first 40% are the
/// warm-up: pools, buffers and the emulator's replay history fill up.
struct growth {
    std::uint64_t early_max = 0;
    std::uint64_t late_max = 0;
    bool exceeds(std::uint64_t margin_kib) const { return late_max > early_max + margin_kib; }
};

template <class Field>
growth judge(const std::vector<memory_sample>& samples, std::uint64_t total_events, Field field)
{
    growth g;
    for (const auto& s : samples) {
        if (s.events > total_events * 2 / 5 && s.events <= total_events * 3 / 5)
            g.early_max = std::max(g.early_max, field(s));
        if (s.events > total_events * 4 / 5)
            g.late_max = std::max(g.late_max, field(s));
    }
    return g;
}

} // namespace soak
