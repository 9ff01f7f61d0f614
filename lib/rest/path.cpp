// cord: path arguments are checked and encoded by the name of their hole.
// SPDX-License-Identifier: BSL-1.0
#include "rest/path.hpp"

#include "rest/encoding.hpp"
#include "rest/excerpt.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

namespace cord::rest {

namespace {

[[noreturn]] void refuse(std::string_view hole, std::string_view value, std::string_view why)
{
    // A token is a credential: its value is never quoted, only its length.
    if (hole.ends_with("_token") || hole == "token")
        throw error(errc::invalid_argument,
                    fmt::format("path argument {{{}}} ({} bytes, not shown) {}", hole, value.size(), why));
    throw error(errc::invalid_argument,
                fmt::format("path argument {{{}}} = \"{}\" {}", hole, excerpt(value), why));
}

bool is_digits(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 20)
        return false;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && end == s.data() + s.size();
}

bool is_token_char(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.';
}

bool ends_with(std::string_view s, std::string_view tail) noexcept
{
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Calls f(hole_name) for each "{name}" and f(literal) for the text between them.
template <class Literal, class Hole>
void walk_template(std::string_view path, Literal&& literal, Hole&& hole)
{
    while (!path.empty()) {
        auto open = path.find('{');
        if (open == std::string_view::npos) {
            literal(path);
            return;
        }
        literal(path.substr(0, open));
        auto close = path.find('}', open);
        if (close == std::string_view::npos)
            throw error(errc::invalid_argument, fmt::format("route template has an open hole: {}", path));
        hole(path.substr(open + 1, close - open - 1));
        path.remove_prefix(close + 1);
    }
}

} // namespace

std::string encode_path_argument(std::string_view hole, std::string_view value)
{
    if (value.empty())
        refuse(hole, value, "is empty");
    // instance_id (an activity instance) is the one *_id hole that holds text, not a snowflake.
    if ((ends_with(hole, "_id") || hole == "id") && hole != "instance_id") {
        if (hole == "user_id" && value == "@me")
            return "@me";
        if (!is_digits(value))
            refuse(hole, value, "is not a Discord id (1-20 digits)");
        return std::string{value};
    }
    if (ends_with(hole, "_token") || hole == "invite_code" || hole == "token") {
        for (char c : value)
            if (!is_token_char(c))
                refuse(hole, value, "may hold only letters, digits, '-', '_' and '.'");
        if (value == "." || value == "..")
            refuse(hole, value, "is not a token");
        return std::string{value};
    }
    // emoji (a unicode emoji or name:id) and anything else: every reserved byte encoded,
    // so '/', '?', '#' and '%' lose their meaning; "." and ".." stay dot segments, refuse them.
    if (value == "." || value == "..")
        refuse(hole, value, "is a dot segment");
    std::size_t chars = 0;
    if (!utf8_length(value, chars))
        refuse(hole, value, "is not valid UTF-8");
    return percent_encode(value);
}

std::string build_path(const route& r, const std::vector<std::string>& args)
{
    std::string out;
    out.reserve(r.path.size() + 32);
    std::size_t next = 0;
    walk_template(
        r.path, [&](std::string_view lit) { out += lit; },
        [&](std::string_view hole) {
            if (next >= args.size())
                throw error(errc::invalid_argument, fmt::format("{} needs more path arguments than the {} given",
                                                                r.name, args.size()));
            out += encode_path_argument(hole, args[next++]);
        });
    if (next != args.size())
        throw error(errc::invalid_argument,
                    fmt::format("{} takes {} path arguments, {} given", r.name, next, args.size()));
    return out;
}

std::string major_value(const route& r, const std::vector<std::string>& args)
{
    std::string_view want;
    switch (r.major) {
    case major_param::none: return {};
    case major_param::channel_id: want = "channel_id"; break;
    case major_param::guild_id: want = "guild_id"; break;
    case major_param::webhook_id:
    case major_param::webhook_id_token: want = "webhook_id"; break;
    }
    std::string major;
    std::size_t index = 0;
    bool take_next_token = false;
    walk_template(
        r.path, [](std::string_view) {},
        [&](std::string_view hole) {
            if (index < args.size()) {
                // Under /webhooks the first hole is the major one, whatever its name: an
                // interaction's followups use {application_id}/{interaction_token}.
                bool webhook_major = index == 0 && r.major != major_param::channel_id &&
                                     r.major != major_param::guild_id;
                if (major.empty() && (hole == want || webhook_major))
                    major = args[index], take_next_token = r.major == major_param::webhook_id_token;
                else if (take_next_token && ends_with(hole, "_token"))
                    major += '/' + args[index], take_next_token = false;
            }
            ++index;
        });
    return major;
}

raw_route check_raw_path(std::string_view path)
{
    auto bad = [&](std::string_view why) {
        throw error(errc::invalid_argument, fmt::format("request path \"{}\" {}", excerpt(path, 120), why));
    };
    if (path.empty() || path.front() != '/')
        bad("must start with '/'");
    raw_route out;
    std::string_view rest = path.substr(1);
    std::size_t index = 0;
    bool after_major_resource = false;
    while (true) {
        auto slash = rest.find('/');
        std::string_view seg = rest.substr(0, slash);
        if (seg.empty() && slash == std::string_view::npos && index > 0)
            bad("ends with '/'");
        if (seg.empty())
            bad("has an empty segment");
        if (seg == "." || seg == "..")
            bad("has a dot segment");
        for (std::size_t i = 0; i < seg.size(); ++i) {
            auto c = static_cast<unsigned char>(seg[i]);
            if (c <= 0x20 || c >= 0x7F || c == '?' || c == '#' || c == '\\' || c == '"' || c == '<' || c == '>')
                bad("holds a character that must be percent-encoded (or a query: pass it as options.query)");
            if (c == '%') {
                auto hex = [](char h) {
                    return (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
                };
                if (i + 2 >= seg.size() || !hex(seg[i + 1]) || !hex(seg[i + 2]))
                    bad("has a malformed %-escape");
                // An encoded '/', '.' or '%' would be decoded somewhere on the way: refuse it.
                std::string_view esc = seg.substr(i + 1, 2);
                if (esc == "2F" || esc == "2f" || esc == "2E" || esc == "2e" || esc == "5C" || esc == "5c")
                    bad("hides '/', '.' or '\\' in a %-escape");
            }
        }
        out.route_template += '/';
        if (is_digits(seg)) {
            if (after_major_resource && out.major.empty())
                out.major = std::string{seg};
            out.route_template += "{id}";
        } else {
            out.route_template += seg;
        }
        after_major_resource = index == 0 && (seg == "channels" || seg == "guilds" || seg == "webhooks");
        if (index == 2 && path.starts_with("/webhooks/") && !out.major.empty() && !is_digits(seg)) {
            // /webhooks/{id}/{token}: the token is part of the key but not of the template.
            out.major += '/' + std::string{seg};
            out.route_template.resize(out.route_template.size() - seg.size());
            out.route_template += "{token}";
        }
        ++index;
        if (slash == std::string_view::npos)
            break;
        rest.remove_prefix(slash + 1);
    }
    return out;
}

} // namespace cord::rest
