// cord: the multipart/form-data body Discord takes for uploads.
// SPDX-License-Identifier: BSL-1.0
#include "rest/multipart.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <utility>

namespace cord::rest {

namespace {

// A part's header line may hold no control character but tab (RFC 9110 5.5): CR and LF end
// the line, and parsers differ on the others (some split lines at VT or FF). A quote or a
// backslash would end or escape the quoted file name.
bool header_safe(char c)
{
    auto u = static_cast<unsigned char>(c);
    return c != '"' && c != '\\' && (u == '\t' || (u >= 0x20 && u != 0x7f));
}

void check_header_text(std::string_view what, std::string_view text)
{
    for (char c : text)
        if (!header_safe(c))
            throw error(errc::invalid_argument,   // {:?} escapes what the name may not hold
                        fmt::format("attachment {} {:?} may not hold quotes, backslashes or control characters",
                                    what, text.substr(0, 64)));
}

std::string make_boundary(std::mt19937& rng)
{
    static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::uniform_int_distribution<int> pick(0, sizeof(alphabet) - 2);
    std::string b = "cord-boundary-";
    for (int i = 0; i < 24; ++i)
        b += alphabet[pick(rng)];
    return b;
}

/// A boundary that occurs in none of the parts' contents.
std::string boundary_for(const std::vector<std::string_view>& contents, std::optional<unsigned> seed)
{
    std::mt19937 rng{seed ? *seed : std::random_device{}()};
    std::string boundary;
    auto clashes = [&](const std::string& b) {
        return std::any_of(contents.begin(), contents.end(),
                           [&](std::string_view c) { return c.find(b) != std::string_view::npos; });
    };
    do
        boundary = make_boundary(rng);
    while (clashes(boundary));
    return boundary;
}

/// One part: its Content-Disposition (with a file name when not empty), its Content-Type when
/// not empty, the content.
void append_part(std::string& out, std::string_view boundary, std::string_view name, std::string_view filename,
                 std::string_view content_type, std::string_view content)
{
    out += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"{}\"", boundary, name);
    if (!filename.empty())
        out += fmt::format("; filename=\"{}\"", filename);
    out += "\r\n";
    if (!content_type.empty())
        out += fmt::format("Content-Type: {}\r\n", content_type);
    out += "\r\n";
    out += content;
    out += "\r\n";
}

void check_file(const attachment& f)
{
    if (f.filename.empty())
        throw error(errc::invalid_argument, "an attachment has no file name");
    check_header_text("file name", f.filename);
    check_header_text("content type", f.content_type);
}

std::string_view content_type_of(const attachment& f)
{
    return f.content_type.empty() ? std::string_view{"application/octet-stream"} : std::string_view{f.content_type};
}

// The payload with `attachments` naming the files in order, unless the caller set it.
std::string with_attachments(std::string_view payload, const std::vector<attachment>& files)
{
    json parsed = json::parse(payload);
    if (!parsed.is_object() || parsed.contains("attachments"))
        return std::string{payload};
    std::string list = "[";
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (i)
            list += ',';
        list += fmt::format("{{\"id\":{},\"filename\":", i);
        append_json_string(list, files[i].filename);
        if (!files[i].description.empty()) {
            list += ",\"description\":";
            append_json_string(list, files[i].description);
        }
        list += '}';
    }
    list += ']';
    std::string text = parsed.dump();
    std::string out = "{\"attachments\":" + list;
    out += text.size() > 2 ? "," : "";
    out.append(text, 1);
    return out;
}

} // namespace

multipart_body build_multipart(std::optional<std::string_view> payload_json, const std::vector<attachment>& files,
                               std::optional<unsigned> boundary_seed)
{
    for (const auto& f : files)
        check_file(f);
    std::string payload = payload_json ? with_attachments(*payload_json, files)
                                       : (files.empty() ? std::string{} : with_attachments("{}", files));

    std::vector<std::string_view> contents{payload};
    for (const auto& f : files)
        contents.push_back(f.data);
    std::string boundary = boundary_for(contents, boundary_seed);

    multipart_body out;
    out.content_type = "multipart/form-data; boundary=" + boundary;
    std::size_t size = payload.size() + 256;
    for (const auto& f : files)
        size += f.data.size() + f.filename.size() + 160;
    out.body.reserve(size);
    if (!payload.empty())
        append_part(out.body, boundary, "payload_json", {}, "application/json", payload);
    for (std::size_t i = 0; i < files.size(); ++i)
        append_part(out.body, boundary, fmt::format("files[{}]", i), files[i].filename, content_type_of(files[i]),
                    files[i].data);
    out.body += fmt::format("--{}--\r\n", boundary);
    return out;
}

multipart_body build_form_fields(const json& fields, const attachment* file, std::optional<unsigned> boundary_seed)
{
    if (!fields.is_object())
        throw error(errc::invalid_argument, "form fields must be a JSON object");
    if (file)
        check_file(*file);
    std::vector<std::pair<std::string, std::string>> texts;
    for (auto [key, value] : fields.members()) {
        if (value.is_null())
            continue;   // a form field has no null: leaving it out is what "not set" means
        check_header_text("form field name", key);
        texts.emplace_back(std::string{key}, value.is_string() ? std::string{value.as_string()} : value.dump());
    }

    std::vector<std::string_view> contents;
    for (const auto& [key, text] : texts)
        contents.push_back(text);
    if (file)
        contents.push_back(file->data);
    std::string boundary = boundary_for(contents, boundary_seed);

    multipart_body out;
    out.content_type = "multipart/form-data; boundary=" + boundary;
    for (const auto& [key, text] : texts)
        append_part(out.body, boundary, key, {}, {}, text);
    if (file)
        append_part(out.body, boundary, "file", file->filename, content_type_of(*file), file->data);
    out.body += fmt::format("--{}--\r\n", boundary);
    return out;
}

} // namespace cord::rest
