// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <string>

namespace cord {

/// A file uploaded with a message or webhook execution (sent as multipart `files[n]`).
struct attachment {
    std::string filename{};                                ///< e.g. "report.png"; must not contain quotes or line breaks
    std::string data{};                                    ///< the bytes
    std::string content_type = "application/octet-stream";   ///< the part's Content-Type
    std::string description{};                             ///< alt text (optional)
};

} // namespace cord
