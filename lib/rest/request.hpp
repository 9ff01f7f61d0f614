// cord: private. One REST call as handed to the REST core.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/route.hpp"

#include <cord/attachment.hpp>
#include <cord/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cord::rest {

struct request {
    const route* target = nullptr;
    /// Raw values for the path's holes, in template order; the REST core validates and
    /// encodes them (an id must be digits, an emoji is percent-encoded, nothing may inject
    /// '/', '..' or '?').
    std::vector<std::string> args;
    /// Raw query parameters, in order; the core percent-encodes them. Repeat a key for arrays.
    std::vector<std::pair<std::string, std::string>> query;
    /// The JSON body (the payload_json part when `files` is not empty); nullopt = no body.
    std::optional<json> body;
    /// Files to upload: multipart/form-data with payload_json + files[n].
    std::vector<attachment> files;
    /// X-Audit-Log-Reason, raw (the core percent-encodes it); ignored when empty. Only for
    /// routes with audit_log_reason.
    std::string reason;
    /// This call's cap on waiting for a rate limit (the client-wide option applies otherwise).
    std::optional<std::chrono::milliseconds> max_rate_limit_wait;
};

} // namespace cord::rest
