// cord::testing: private. What the REST side of the emulator passes around.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "bjson.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cord::testing::detail {

struct rest_request {
    std::string method;
    std::string target_path;   ///< as sent, e.g. "/api/v10/channels/1/messages"
    std::string query;         ///< raw, without '?'
    std::map<std::string, std::string> headers;   ///< names lower-cased
    std::string body;
};

/// A file part of a multipart/form-data request (its bytes are not kept).
struct uploaded_file {
    std::string part;           ///< the part's name: "files[0]", "file"
    std::string filename;
    std::string content_type;   ///< "" when the part named none
    std::size_t size = 0;
};

struct rest_response {
    int status = 200;
    std::string body;   ///< empty for 204
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};   ///< delay_rest(): wait before answering
};

/// One field of a 50035 Invalid Form Body: `path` like "embeds.0.title".
struct field_failure {
    std::string path;
    std::string code;
    std::string message;
};

/// Thrown by a route handler: becomes Discord's error body with this status.
struct rest_failure {
    int status;
    int code;
    std::string message;
    std::vector<field_failure> fields;
};

/// A dispatch a REST mutation causes; the gateway hub routes it by guild and intents.
struct pending_event {
    std::string name;
    bj::object d;
    std::uint64_t guild_id = 0;   ///< 0: no guild (DM, user): shard 0
};

/// Discord's error body: {"code", "message", "errors"?}.
std::string error_body(const rest_failure& f);

inline rest_failure unknown(int code, std::string message) { return {404, code, std::move(message), {}}; }
inline rest_failure invalid_form(std::vector<field_failure> fields)
{
    return {400, 50035, "Invalid Form Body", std::move(fields)};
}

} // namespace cord::testing::detail
