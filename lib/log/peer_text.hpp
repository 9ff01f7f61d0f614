// cord: private. Text that came from a peer (an error body, a close reason, a URL) as cord
// quotes it in an error or a log line.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cord::detail {

/// `text` redacted first (so that a cut never hides a token from the rules), then with
/// control characters written as \xNN (a CR/LF from a server cannot forge a log line), then
/// cut to at most `limit` bytes with "..." when cut.
std::string quote_peer_text(std::string_view text, std::size_t limit = 200);

/// Control characters (and DEL) written as \xNN: one event, one log line.
std::string escape_controls(std::string_view text);

} // namespace cord::detail
