// cord: private. Base64 (RFC 4648, with padding): data URIs for images, WebSocket keys.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <string>
#include <string_view>

namespace cord::net {

std::string base64(std::string_view bytes);

} // namespace cord::net
