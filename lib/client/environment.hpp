// cord: private. CORD_API_BASE and CORD_GATEWAY_URL: point any bot at cord-fake-discord (or
// another stand-in) without a code change.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/client_options.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cord::detail {

/// The variables cord reads, by name (a seam: tests pass their own).
using environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The process's environment.
environment process_environment();

/// Applies CORD_API_BASE (the REST base URL, ".../api/v10") and CORD_GATEWAY_URL to options
/// the code left at their defaults; a URL set in code wins. A plaintext URL is allowed only
/// for a loopback host (127.0.0.0/8, ::1, localhost): that is a local stand-in, never Discord.
/// Each override is reported through `notice`. Throws cord::error (invalid_argument) for a URL
/// that does not parse or plaintext to another host.
void apply_environment(client_options& options, const environment& env,
                       const std::function<void(std::string_view)>& notice);

} // namespace cord::detail
