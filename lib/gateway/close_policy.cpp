// cord: the close-code table.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/close_policy.hpp"

namespace cord::gateway {

close_policy policy_for_close(std::optional<int> close_code) noexcept
{
    if (!close_code)
        return {};
    switch (*close_code) {
    case 4001:   // unknown opcode
    case 4002:   // decode error
    case 4005:   // already authenticated
        return {close_action::resume, true, false};
    case 4008: return {close_action::resume, true, true};
    case 4003:   // not authenticated
    case 4007:   // invalid seq
    case 4009:   // session timed out
        return {close_action::identify, false, false};
    case 4004:
    case 4010:
    case 4011:
    case 4012:
    case 4013:
    case 4014: return {close_action::fatal, false, false};
    default: return {};   // 4000, 1000/1001 from the server, unknown codes
    }
}

} // namespace cord::gateway
