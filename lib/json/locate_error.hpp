// cord: private. Finds where JSON text goes wrong, for error messages only.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cord::detail {

struct json_error_location {
    std::size_t offset = 0;   ///< byte offset of the first offending byte
    std::string what;         ///< e.g. "unexpected character '}'"; empty if the scan found nothing
};

/// A small strict JSON scanner, run only after simdjson rejected `text`, so that the
/// error can say where. Not on any hot path.
json_error_location locate_json_error(std::string_view text);

} // namespace cord::detail
