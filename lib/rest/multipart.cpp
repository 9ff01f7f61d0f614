// cord: the multipart/form-data body Discord takes for uploads.
// SPDX-License-Identifier: BSL-1.0
#include "rest/multipart.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <fmt/format.h>

#include <random>

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
    for (const auto& f : files) {
        if (f.filename.empty())
            throw error(errc::invalid_argument, "an attachment has no file name");
        check_header_text("file name", f.filename);
        check_header_text("content type", f.content_type);
    }
    std::string payload = payload_json ? with_attachments(*payload_json, files)
                                       : (files.empty() ? std::string{} : with_attachments("{}", files));

    std::mt19937 rng{boundary_seed ? *boundary_seed : std::random_device{}()};
    std::string boundary;
    auto clashes = [&](const std::string& b) {
        if (payload.find(b) != std::string::npos)
            return true;
        for (const auto& f : files)
            if (f.data.find(b) != std::string::npos)
                return true;
        return false;
    };
    do
        boundary = make_boundary(rng);
    while (clashes(boundary));

    multipart_body out;
    out.content_type = "multipart/form-data; boundary=" + boundary;
    std::size_t size = payload.size() + 256;
    for (const auto& f : files)
        size += f.data.size() + f.filename.size() + 160;
    out.body.reserve(size);
    if (!payload.empty()) {
        out.body += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                                "Content-Type: application/json\r\n\r\n",
                                boundary);
        out.body += payload;
        out.body += "\r\n";
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        out.body += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"files[{}]\"; filename=\"{}\"\r\n"
                                "Content-Type: {}\r\n\r\n",
                                boundary, i, f.filename,
                                f.content_type.empty() ? "application/octet-stream" : f.content_type);
        out.body += f.data;
        out.body += "\r\n";
    }
    out.body += fmt::format("--{}--\r\n", boundary);
    return out;
}

} // namespace cord::rest
