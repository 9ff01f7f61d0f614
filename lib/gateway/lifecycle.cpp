// cord: lifecycle names.
// SPDX-License-Identifier: BSL-1.0
#include <cord/events/lifecycle.hpp>

namespace cord {

std::string_view to_string(lifecycle_kind k) noexcept
{
    switch (k) {
    case lifecycle_kind::connecting: return "connecting";
    case lifecycle_kind::hello: return "hello";
    case lifecycle_kind::identify_sent: return "identify-sent";
    case lifecycle_kind::resume_sent: return "resume-sent";
    case lifecycle_kind::ready: return "ready";
    case lifecycle_kind::resumed: return "resumed";
    case lifecycle_kind::invalid_session: return "invalid-session";
    case lifecycle_kind::zombie: return "zombie";
    case lifecycle_kind::disconnected: return "disconnected";
    case lifecycle_kind::reconnect_scheduled: return "reconnect-scheduled";
    case lifecycle_kind::reading_paused: return "reading-paused";
    case lifecycle_kind::reading_resumed: return "reading-resumed";
    }
    return "unknown";
}

} // namespace cord
