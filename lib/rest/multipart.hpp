// cord: private. multipart/form-data bodies for uploads: payload_json + files[n], or form
// fields + one `file`.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/attachment.hpp>
#include <cord/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cord::rest {

struct multipart_body {
    std::string content_type;   ///< "multipart/form-data; boundary=…"
    std::string body;
};

/// Discord's upload form: a `payload_json` part holding `payload_json` (the JSON text, or
/// none), then one `files[n]` part per file. When the payload is an object without
/// "attachments", cord adds `attachments: [{id: n, filename, description?}]` so the files
/// are attached in order. `boundary_seed` makes the boundary reproducible in tests (the
/// boundary is checked against the content either way). Throws cord::error
/// (invalid_argument) for a file name or content type with a quote, a backslash or a control
/// character other than tab.
multipart_body build_multipart(std::optional<std::string_view> payload_json, const std::vector<attachment>& files,
                               std::optional<unsigned> boundary_seed = {});

/// The form-field upload a few routes take instead (Create Guild Sticker): one text part per
/// member of the object `fields` (a string as its text, a null left out, anything else as its
/// JSON text), then `file`, when given, as the part named `file`. Throws cord::error
/// (invalid_argument) when `fields` is not an object, or for a member name, file name or
/// content type with a quote, a backslash or a control character other than tab.
multipart_body build_form_fields(const json& fields, const attachment* file,
                                 std::optional<unsigned> boundary_seed = {});

} // namespace cord::rest
