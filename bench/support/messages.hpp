// Benchmark input shared by the gateway and client benchmarks: Discord's documented
// MESSAGE_CREATE and distinct variations of it, so that compressors cannot encode each event
// as a back-reference to the previous one.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace cord::bench {

/// The `d` of test/data/discord/message_create.json (CORD_BENCH_DATA), about 1 KB.
cord::json documented_message();

/// `count` MESSAGE_CREATEs made from `d` with their content, ids and author varied; the same
/// list for the same arguments (a fixed seed).
std::vector<cord::json> varied_messages(const cord::json& d, std::size_t count);

/// What a handler that reads `content` and `author.id` adds to its checksum for `msg`.
std::size_t checksum_of(const cord::json& msg);

} // namespace cord::bench
