// Fuzz target: multipart/form-data upload bodies built from arbitrary file names, content
// types, descriptions, payload_json and file bytes. build_multipart either refuses the input
// with cord::error or gives a body that a strict parser (RFC 2046, RFC 7578) reads back as
// exactly the parts given: the boundary never occurs inside a part, and header lines hold only
// field-value characters (RFC 9110: no CR, LF or other control character), so nothing in a name
// can start a header or a part of its own.
#include "rest/multipart.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

void require(bool ok)
{
    if (!ok)
        std::abort();
}

constexpr std::string_view form_data = "multipart/form-data; boundary=";

struct part {
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    std::string_view content;

    std::optional<std::string_view> header(std::string_view name) const
    {
        for (auto [n, v] : headers)
            if (n == name)
                return v;
        return std::nullopt;
    }
};

bool bchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || std::string_view{"'()+_,-./:=?"}.find(c) != std::string_view::npos;
}

// RFC 9110 field-value characters: visible ASCII, obs-text, space and tab.
bool field_value_char(char c)
{
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

bool token_char(char c)
{
    return bchar(c) && c != '(' && c != ')' && c != ',' && c != '/' && c != ':' && c != '=' && c != '?';
}

// One header block: "Name: value" lines separated by CRLF.
bool parse_headers(std::string_view block, part& out)
{
    while (!block.empty()) {
        auto end = block.find("\r\n");
        std::string_view line = block.substr(0, end);
        block.remove_prefix(end == std::string_view::npos ? block.size() : end + 2);
        auto colon = line.find(": ");
        if (colon == 0 || colon == std::string_view::npos)
            return false;
        std::string_view name = line.substr(0, colon);
        std::string_view value = line.substr(colon + 2);
        for (char c : name)
            if (!token_char(c))
                return false;
        for (char c : value)
            if (!field_value_char(c))
                return false;
        out.headers.emplace_back(name, value);
    }
    return true;
}

std::optional<std::vector<part>> parse_multipart(std::string_view content_type, std::string_view body)
{
    if (!content_type.starts_with(form_data))
        return std::nullopt;
    std::string_view boundary = content_type.substr(form_data.size());
    if (boundary.empty() || boundary.size() > 70)
        return std::nullopt;
    for (char c : boundary)
        if (!bchar(c))
            return std::nullopt;
    std::string first = "--" + std::string{boundary};
    std::string delimiter = "\r\n" + first;
    if (!body.starts_with(first))
        return std::nullopt;
    body.remove_prefix(first.size());
    std::vector<part> parts;
    for (;;) {
        if (body == "--\r\n")
            return parts;
        if (!body.starts_with("\r\n"))
            return std::nullopt;
        body.remove_prefix(2);
        auto end = body.find(delimiter);
        if (end == std::string_view::npos)
            return std::nullopt;
        std::string_view text = body.substr(0, end);
        body.remove_prefix(end + delimiter.size());
        auto blank = text.find("\r\n\r\n");
        if (blank == std::string_view::npos)
            return std::nullopt;
        part p;
        if (!parse_headers(text.substr(0, blank), p))
            return std::nullopt;
        p.content = text.substr(blank + 4);
        parts.push_back(p);
    }
}

// `form-data; name="…"[; filename="…"]` with quoted strings that hold no quote or backslash.
bool disposition(std::string_view value, std::string_view& name, std::optional<std::string_view>& filename)
{
    if (!value.starts_with("form-data"))
        return false;
    value.remove_prefix(9);
    bool have_name = false;
    while (!value.empty()) {
        if (!value.starts_with("; "))
            return false;
        value.remove_prefix(2);
        auto eq = value.find("=\"");
        if (eq == std::string_view::npos)
            return false;
        std::string_view key = value.substr(0, eq);
        value.remove_prefix(eq + 2);
        auto close = value.find('"');
        if (close == std::string_view::npos)
            return false;
        std::string_view v = value.substr(0, close);
        if (v.find('\\') != std::string_view::npos)
            return false;
        value.remove_prefix(close + 1);
        if (key == "name" && !have_name) {
            name = v;
            have_name = true;
        } else if (key == "filename" && have_name && !filename) {
            filename = v;
        } else {
            return false;
        }
    }
    return have_name;
}

bool utf8(std::string_view s)
{
    try {
        std::string scratch;
        cord::append_json_string(scratch, s);   // refuses invalid UTF-8
        return true;
    } catch (const cord::error&) {
        return false;
    }
}

// What may stand in a quoted header parameter or a header value.
bool header_safe(std::string_view s)
{
    for (char c : s)
        if (!field_value_char(c) || c == '"' || c == '\\')
            return false;
    return true;
}

// Would any well-behaved multipart builder accept these?
bool acceptable(const std::optional<std::string>& payload, const std::vector<cord::attachment>& files)
{
    if (payload) {
        try {
            (void)cord::json::parse(*payload);
        } catch (const cord::error&) {
            return false;
        }
    }
    for (const auto& f : files)
        if (f.filename.empty() || !header_safe(f.filename) || !header_safe(f.content_type) || !utf8(f.filename)
            || !utf8(f.description))
            return false;
    return true;
}

// The payload_json part: the caller's JSON, with `attachments` naming the files in order
// when the caller's object had none.
void check_payload(const std::optional<std::string>& payload, const std::vector<cord::attachment>& files,
                   std::string_view sent)
{
    cord::json given = cord::json::parse(payload ? std::string_view{*payload} : std::string_view{"{}"});
    if (!given.is_object() || given.contains("attachments"))
        return require(sent == *payload);
    cord::json got = cord::json::parse(sent);
    require(got.is_object() && got.size() == given.size() + 1);
    cord::json list = got["attachments"];
    require(list.is_array() && list.size() == files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        cord::json a = list[i];
        require(a["id"].as_int() == static_cast<std::int64_t>(i));
        require(a["filename"].as_string() == files[i].filename);
        require(a.value_or("description", std::string_view{}) == files[i].description);
    }
    // Every member of the caller's object is kept, in order.
    auto kept = got.members().begin();
    require((*kept).key == "attachments");
    ++kept;
    for (auto [key, value] : given.members()) {
        auto [k, v] = *kept;
        require(k == key && v.dump() == value.dump());
        ++kept;
    }
}

void check_body(const std::optional<std::string>& payload, const std::vector<cord::attachment>& files,
                const cord::rest::multipart_body& mp)
{
    auto parts = parse_multipart(mp.content_type, mp.body);
    require(parts.has_value());
    bool has_payload = payload || !files.empty();
    require(parts->size() == files.size() + (has_payload ? 1 : 0));
    std::size_t i = 0;
    if (has_payload) {
        const part& p = (*parts)[i++];
        std::string_view name;
        std::optional<std::string_view> filename;
        require(disposition(p.header("Content-Disposition").value_or(""), name, filename));
        require(name == "payload_json" && !filename);
        require(p.header("Content-Type") == "application/json");
        check_payload(payload, files, p.content);
    }
    for (std::size_t n = 0; n < files.size(); ++n, ++i) {
        const part& p = (*parts)[i];
        std::string_view name;
        std::optional<std::string_view> filename;
        require(disposition(p.header("Content-Disposition").value_or(""), name, filename));
        require(name == "files[" + std::to_string(n) + "]");
        require(filename == files[n].filename);
        std::string_view type = files[n].content_type;
        if (type.empty())
            type = "application/octet-stream";
        require(p.header("Content-Type") == type);
        require(p.headers.size() == 2);
        require(p.content == files[n].data);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider in{data, size};
    bool with_payload = in.ConsumeBool();
    bool plant_boundary = in.ConsumeBool();   // make file data hold the boundary a first build chose
    unsigned seed = in.ConsumeIntegral<unsigned>();
    int count = in.ConsumeIntegralInRange(0, 4);

    std::optional<std::string> payload;
    if (with_payload)
        payload = in.ConsumeRandomLengthString(1 << 14);
    std::vector<cord::attachment> files(static_cast<std::size_t>(count));
    for (auto& f : files) {
        f.filename = in.ConsumeRandomLengthString(256);
        f.content_type = in.ConsumeRandomLengthString(128);
        f.description = in.ConsumeRandomLengthString(256);
        f.data = in.ConsumeRandomLengthString(1 << 14);
    }

    cord::rest::multipart_body mp;
    try {
        mp = cord::rest::build_multipart(payload ? std::optional<std::string_view>{*payload} : std::nullopt, files,
                                         seed);
    } catch (const cord::error&) {
        require(!acceptable(payload, files));
        return 0;
    }
    check_body(payload, files, mp);

    if (plant_boundary && !files.empty()) {
        // The same seed draws the same boundary first: with it inside a part, another is drawn.
        std::string boundary = mp.content_type.substr(form_data.size());
        files.back().data.insert(files.back().data.size() / 2, "\r\n--" + boundary + "\r\n");
        auto again = cord::rest::build_multipart(payload ? std::optional<std::string_view>{*payload} : std::nullopt,
                                                 files, seed);
        require(again.content_type != mp.content_type);
        check_body(payload, files, again);
    }
    return 0;
}
