// cord: private. What a shard does after the gateway closes its connection with a code.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <optional>

namespace cord::gateway {

enum class close_action {
    resume,     ///< reconnect to the resume URL and RESUME
    identify,   ///< forget the session, reconnect and IDENTIFY
    fatal,      ///< stop with a gateway_error: reconnecting cannot fix it
};

struct close_policy {
    close_action action = close_action::resume;
    bool our_bug = false;     ///< the code means cord sent something wrong: log it as an error
    bool slow_down = false;   ///< 4008: the send limit was exceeded
};

/// Discord's close codes 4000–4014 mapped to cord's action (see reference/gateway.md);
/// no code (a dropped connection), 1000/1001 from the server and unknown codes resume.
close_policy policy_for_close(std::optional<int> close_code) noexcept;

/// The code cord closes with when it ends a connection but keeps the session (zombie, op 7,
/// a deadline, a malformed payload): anything but 1000/1001 keeps the session resumable.
inline constexpr int resumable_close_code = 4900;

} // namespace cord::gateway
