// cord: building JSON request bodies.
// SPDX-License-Identifier: BSL-1.0
#include "json/document.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <cmath>

namespace cord {

void append_json_string(std::string& out, std::string_view s)
{
    // The document is parsed again by simdjson, which rejects invalid UTF-8; say so here
    // with a clear message instead.
    if (!simdjson::validate_utf8(s.data(), s.size()))
        throw error(errc::invalid_argument, "json: string is not valid UTF-8");
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20)
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
            else
                out += ch;
        }
    }
    out += '"';
}

json_fragment::json_fragment(std::string_view s) { append_json_string(text_, s); }

json_fragment::json_fragment(double v)
{
    if (!std::isfinite(v))
        throw error(errc::invalid_argument, "json: NaN and infinity have no JSON form");
    text_ = fmt::format("{}", v);
}

json_fragment::json_fragment(snowflake id) : text_('"' + std::to_string(id.value) + '"') {}

std::string json_fragment::join_array(const std::vector<json_fragment>& items)
{
    std::string out = "[";
    for (const auto& item : items) {
        if (out.size() > 1)
            out += ',';
        out += item.text();
    }
    out += ']';
    return out;
}

namespace {

template <class Members>
json build_object(const Members& members)
{
    std::string out = "{";
    for (const auto& [key, value] : members) {
        if (out.size() > 1)
            out += ',';
        append_json_string(out, key);
        out += ':';
        out += value.text();
    }
    out += '}';
    return json::parse(out);
}

} // namespace

json json::object(std::initializer_list<std::pair<std::string_view, json_fragment>> members)
{
    return build_object(members);
}

json json::object(const std::vector<std::pair<std::string, json_fragment>>& members)
{
    return build_object(members);
}

json json::array(std::initializer_list<json_fragment> items)
{
    return array(std::vector<json_fragment>(items));
}

json json::array(const std::vector<json_fragment>& items)
{
    return json::parse(json_fragment::join_array(items));
}

} // namespace cord
