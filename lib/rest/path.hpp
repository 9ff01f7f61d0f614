// cord: private. Turning a route template and raw arguments into a safe request path.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "rest/route.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cord::rest {

/// Checks and encodes one path argument by the name of its hole: `*_id` must be 1-20
/// digits (`user_id` also takes "@me"); `emoji` is percent-encoded whole; `*_token` and
/// `invite_code` take only [A-Za-z0-9._-]; any other hole is percent-encoded whole. So no
/// argument can bring '/', "..", '?' or '#' into a path. Throws cord::error (invalid_argument)
/// naming the hole.
std::string encode_path_argument(std::string_view hole, std::string_view value);

/// A route's path with every hole filled ("/channels/1/messages/2"). Throws cord::error
/// (invalid_argument) when the number of arguments does not match or one is refused.
std::string build_path(const route& r, const std::vector<std::string>& args);

/// The value of the route's major parameter ("" for none; "id/token" for webhook_id_token).
std::string major_value(const route& r, const std::vector<std::string>& args);

/// What the limiter needs of a caller-given path (rest_client::request).
struct raw_route {
    std::string route_template;   ///< ids replaced: "/channels/{id}/messages/{id}"
    std::string major;            ///< the first id after /channels, /guilds or /webhooks
};

/// Checks a caller-given path (already encoded, relative to the base URL, no query):
/// it must start with '/', and may not hold "..", '.', empty segments, '?', '#', '\',
/// spaces, control bytes or a malformed %XX. Throws cord::error (invalid_argument).
raw_route check_raw_path(std::string_view path);

} // namespace cord::rest
