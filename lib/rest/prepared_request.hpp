// cord: private. A REST call turned into what goes on the wire (transport-neutral).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/request.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace cord::rest {

struct prepared_request {
    std::string method;          ///< "GET"…
    std::string target;          ///< "/api/v10/channels/1/messages?limit=5"
    std::string authorization;   ///< the Authorization value, empty for unauthorized routes
    std::string audit_log_reason;   ///< percent-encoded, empty when none
    std::string content_type;    ///< empty when there is no body
    std::string body;
    std::string route_key;       ///< "POST /channels/{channel_id}/messages": the limiter's route
    std::string major;           ///< the major parameter's value
    bool idempotent = true;      ///< safe to send twice (not POST)
    bool global_limit = true;    ///< counted against the global limit (not an interaction-token route)
};

/// The longest request target (path and query) cord sends. Servers answer a longer one with a
/// bare close or a 414 at best; Discord's own targets stay far below it.
inline constexpr std::size_t max_target_size = 4096;

/// Everything about the client that goes into a request.
struct request_context {
    std::string_view base_path;       ///< the base URL's path, e.g. "/api/v10" (no trailing '/')
    std::string_view authorization;   ///< "Bot <token>", "Bearer <token>" or the bare token
};

/// Checks and encodes the path arguments, the query, the reason and the body. Throws
/// cord::error (invalid_argument) before anything is sent.
prepared_request prepare(const request& req, const request_context& ctx);

/// The same for rest_client::request(): `path` already encoded, checked by check_raw_path.
prepared_request prepare_raw(std::string_view method, std::string_view path, const request& req,
                             const request_context& ctx);

} // namespace cord::rest
