// cord: the names of HTTP methods.
// SPDX-License-Identifier: BSL-1.0
#include "rest/route.hpp"

namespace cord::rest {

std::string_view to_string(http_method m) noexcept
{
    switch (m) {
    case http_method::get: return "GET";
    case http_method::post: return "POST";
    case http_method::put: return "PUT";
    case http_method::patch: return "PATCH";
    case http_method::del: return "DELETE";
    }
    return "GET";
}

} // namespace cord::rest
