// cord: building the wire form of a REST call.
// SPDX-License-Identifier: BSL-1.0
#include "rest/prepared_request.hpp"

#include "rest/encoding.hpp"
#include "rest/excerpt.hpp"
#include "rest/multipart.hpp"
#include "rest/path.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace cord::rest {

namespace {

void fill_common(prepared_request& out, const request& req, const request_context& ctx, std::string_view path,
                 bool authorized, bool accepts_reason, std::string_view name, bool form_fields = false)
{
    out.target.reserve(ctx.base_path.size() + path.size() + 32);
    out.target = ctx.base_path;
    out.target += path;
    if (!req.query.empty()) {
        out.target += '?';
        out.target += encode_query(req.query);
    }
    if (out.target.size() > max_target_size)
        throw error(errc::invalid_argument,
                    fmt::format("{}: the path and query come to {} bytes, more than the {} cord sends (a path "
                                "argument or query value is far too long)",
                                name, out.target.size(), max_target_size));
    if (authorized)
        out.authorization = ctx.authorization;
    if (!req.reason.empty()) {
        if (!accepts_reason)
            throw error(errc::invalid_argument,
                        fmt::format("{} does not take an audit-log reason", name));
        out.audit_log_reason = encode_audit_log_reason(req.reason);
    }
    if (form_fields) {
        if (req.files.size() > 1)
            throw error(errc::invalid_argument, fmt::format("{} takes one file", name));
        auto mp = build_form_fields(req.body ? *req.body : json::parse("{}"),
                                    req.files.empty() ? nullptr : &req.files.front());
        out.content_type = std::move(mp.content_type);
        out.body = std::move(mp.body);
    } else if (!req.files.empty()) {
        std::string payload = req.body ? req.body->dump() : std::string{};
        auto mp = build_multipart(req.body ? std::optional<std::string_view>{payload} : std::nullopt, req.files);
        out.content_type = std::move(mp.content_type);
        out.body = std::move(mp.body);
    } else if (req.body) {
        out.content_type = "application/json";
        out.body = req.body->dump();
    }
    out.idempotent = out.method != "POST";
}

} // namespace

prepared_request prepare(const request& req, const request_context& ctx)
{
    if (!req.target)
        throw error(errc::invalid_argument, "REST request without a route");
    const route& r = *req.target;
    prepared_request out;
    out.method = to_string(r.method);
    std::string path = build_path(r, req.args);
    if (!req.files.empty() && !(r.body & (body_multipart | body_form_fields)))
        throw error(errc::invalid_argument, fmt::format("{} does not take file uploads", r.name));
    fill_common(out, req, ctx, path, r.authorized, r.audit_log_reason, r.name, (r.body & body_form_fields) != 0);
    out.route_key = out.method;
    out.route_key += ' ';
    out.route_key += r.path;
    out.major = major_value(r, req.args);
    // Interaction routes: Discord buckets them by interaction, which the token names; the key
    // holds a hash of it, never the token.
    if (r.interaction_token) {
        out.interaction_lane = true;
        if (auto at = r.path.find("{interaction_token}"); at != std::string_view::npos) {
            auto hole = static_cast<std::size_t>(
                std::count(r.path.begin(), r.path.begin() + static_cast<std::ptrdiff_t>(at), '{'));
            if (hole < req.args.size())
                out.major = fmt::format("interaction {:016x}", std::hash<std::string_view>{}(req.args[hole]));
        }
    }
    return out;
}

prepared_request prepare_raw(std::string_view method, std::string_view path, const request& req,
                             const request_context& ctx)
{
    prepared_request out;
    for (char c : method)
        if (c < 'A' || c > 'Z')
            throw error(errc::invalid_argument, fmt::format("\"{}\" is not an HTTP method", excerpt(method, 16)));
    if (method.empty())
        throw error(errc::invalid_argument, "empty HTTP method");
    out.method = method;
    auto raw = check_raw_path(path);
    // A caller-given path may be any route, so it may carry a reason; Discord ignores it where unused.
    fill_common(out, req, ctx, path, true, true, "this request");
    out.route_key = out.method + ' ' + raw.route_template;
    out.major = std::move(raw.major);
    return out;
}

} // namespace cord::rest
