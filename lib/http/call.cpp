// cord: private. The one door from cord::http into the REST core, and body encodings.
// SPDX-License-Identifier: BSL-1.0
#include "http/call.hpp"
#include "net/base64.hpp"

#include "rest/access.hpp"
#include "rest/excerpt.hpp"

#include <cord/error.hpp>

#include <algorithm>
#include <cstddef>

namespace cord {

id_arg::id_arg(const json& value)
{
    if (value.is_string())
        assign(value.as_string());
    else
        assign_number(value.as_uint());
}

namespace http {

overwrite_type::overwrite_type(std::string_view name)
    : value_(name == "role" || name == "0"     ? role
             : name == "member" || name == "1" ? member
                                               : -1)
{
}

namespace detail {

namespace {

std::size_t holes(std::string_view path) noexcept
{
    return static_cast<std::size_t>(std::count(path.begin(), path.end(), '{'));
}

[[noreturn]] void refuse(const rest::route& r, std::string_view what)
{
    throw error(errc::invalid_argument,
                std::string{"cord::http "} + std::string{r.name} + ": " + std::string{what});
}

std::string_view sniff_image_type(std::string_view bytes) noexcept
{
    if (bytes.starts_with("\x89PNG\r\n\x1a\n"))
        return "image/png";
    if (bytes.starts_with("\xff\xd8\xff"))
        return "image/jpeg";
    if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a"))
        return "image/gif";
    if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP")
        return "image/webp";
    return {};
}

} // namespace

awaitable<json> call(rest_client& client, const rest::route& r, std::initializer_list<std::string_view> args,
                     extras x)
{
    return call(client, r, std::vector<std::string>(args.begin(), args.end()), std::move(x));
}

awaitable<json> call(rest_client& client, const rest::route& r, std::vector<std::string> args, extras x)
{
    if (!r.removed.empty())   // Discord removed it: say so and what to use, send nothing
        throw error(errc::not_supported, "cord::http " + std::string{r.name} + ": " + std::string{r.removed});
    if (args.size() != holes(r.path))
        refuse(r, "wrong number of path arguments");
    if (!x.reason.empty() && !r.audit_log_reason)
        refuse(r, "this route takes no audit-log reason");
    if (!x.files.empty() && (r.body & (rest::body_multipart | rest::body_form_fields)) == 0)
        refuse(r, "this route takes no files");
    if (x.body && (r.body & (rest::body_json | rest::body_multipart | rest::body_form_fields)) == 0)
        refuse(r, "this route takes no body");
    if (!x.query.empty() && (r.body & rest::body_query) == 0)
        refuse(r, "this route takes no query");

    rest::request req;
    req.target = &r;
    req.args = std::move(args);
    req.query = std::move(x.query);
    req.body = std::move(x.body);
    req.files = std::move(x.files);
    req.reason = std::string{x.reason};
    return rest::access::execute(client, std::move(req));
}

std::string id(const id_arg& a)
{
    std::string_view s = a.str();
    if (s.empty() || s.size() > 20 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw error(errc::invalid_argument,
                    "cord::http: an id must be 1-20 digits, got \"" + rest::excerpt(s) + "\"");
    return std::string{s};
}

json_fragment ids(const std::vector<id_arg>& list)
{
    std::vector<json_fragment> items;
    items.reserve(list.size());
    for (const id_arg& a : list)
        items.emplace_back(id(a));
    return json_fragment{items};
}

std::string_view boolean(bool b) noexcept
{
    return b ? "true" : "false";
}

std::string data_uri(std::string_view bytes, std::string_view type)
{
    std::string mime;
    if (type.empty())
        mime = sniff_image_type(bytes);
    else if (type.find('/') == std::string_view::npos)
        mime = "image/" + std::string{type};
    else
        mime = type;
    if (mime.empty())
        throw error(errc::invalid_argument,
                    "cord::http: image type not given and not PNG, JPEG, GIF or WebP");
    return "data:" + mime + ";base64," + net::base64(bytes);
}

json_fragment attachment_list(const std::vector<attachment>& files, std::size_t first_id)
{
    std::vector<json_fragment> items;
    items.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        members m{{"id", first_id + i}, {"filename", files[i].filename}};
        if (!files[i].description.empty())
            m.emplace_back("description", files[i].description);
        items.emplace_back(json::object(m));
    }
    return json_fragment{items};
}

void put_id(query_list& q, std::string_view key, const std::optional<id_arg>& value)
{
    if (value)
        q.emplace_back(std::string{key}, id(*value));
}

void put_int(query_list& q, std::string_view key, const std::optional<int>& value)
{
    if (value)
        q.emplace_back(std::string{key}, std::to_string(*value));
}

void put(query_list& q, std::string_view key, const std::optional<id_arg>& value)
{
    put_id(q, key, value);
}

void put(query_list& q, std::string_view key, const std::optional<int>& value)
{
    put_int(q, key, value);
}

void put(query_list& q, std::string_view key, const std::optional<bool>& value)
{
    if (value)
        q.emplace_back(std::string{key}, std::string{boolean(*value)});
}

void put(query_list& q, std::string_view key, std::string_view value)
{
    if (!value.empty())
        q.emplace_back(std::string{key}, std::string{value});
}

void put_always(query_list& q, std::string_view key, std::string_view value)
{
    q.emplace_back(std::string{key}, std::string{value});
}

void put_each(query_list& q, std::string_view key, std::span<const id_arg> values)
{
    for (const id_arg& v : values)
        q.emplace_back(std::string{key}, id(v));
}

void put_each(query_list& q, std::string_view key, std::span<const std::string_view> values)
{
    for (std::string_view v : values)
        q.emplace_back(std::string{key}, std::string{v});
}

void put_each(query_list& q, std::string_view key, std::span<const int> values)
{
    for (int v : values)
        q.emplace_back(std::string{key}, std::to_string(v));
}

void put_joined(query_list& q, std::string_view key, std::span<const id_arg> values)
{
    if (values.empty())
        return;
    std::string joined;
    for (const id_arg& v : values)
        joined += (joined.empty() ? "" : ",") + id(v);
    q.emplace_back(std::string{key}, std::move(joined));
}

std::vector<attachment> files(std::span<const attachment> list)
{
    return {list.begin(), list.end()};
}

std::vector<attachment> file(const attachment* f)
{
    return f ? std::vector<attachment>{*f} : std::vector<attachment>{};
}

} // namespace detail
} // namespace http
} // namespace cord
