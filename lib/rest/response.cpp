// cord: classification of REST responses (reference/rate-limits.md).
// SPDX-License-Identifier: BSL-1.0
#include "rest/response.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <charconv>
#include <cmath>

namespace cord::rest {

namespace {

std::optional<int> parse_int(std::string_view text) noexcept
{
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < 0)
        return std::nullopt;
    return v;
}

bool is_true(std::string_view s) noexcept { return s == "true" || s == "True" || s == "1"; }

} // namespace

std::optional<std::chrono::microseconds> parse_seconds(std::string_view text) noexcept
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < 0
        || v > 1e7)
        return std::nullopt;
    return std::chrono::microseconds{static_cast<std::int64_t>(std::ceil(v * 1e6))};
}

classified_response classify(const raw_response& r)
{
    classified_response out;
    auto& l = out.limits;
    l.limit = parse_int(r.limit);
    l.remaining = parse_int(r.remaining);
    l.reset_after = parse_seconds(r.reset_after);
    l.bucket = r.bucket;
    l.global = is_true(r.global);
    if (r.scope == "global")
        l.scope = rate_limit_scope::global;
    else if (r.scope == "shared")
        l.scope = rate_limit_scope::shared;

    if (r.status == 429) {
        // Discord's 429 has a JSON body with retry_after; Cloudflare's block page does not.
        std::optional<json> body;
        try {
            body = json::parse(r.body);
        } catch (const cord::error&) {
        }
        std::optional<std::chrono::microseconds> retry;
        if (body && body->is_object()) {
            if (auto ra = body->find("retry_after"); ra && ra->is_number()) {
                double s = ra->as_double();
                if (std::isfinite(s) && s >= 0 && s < 1e7)
                    retry = std::chrono::microseconds{static_cast<std::int64_t>(std::ceil(s * 1e6))};
            }
            if (auto g = body->find("global"); g && g->is_bool() && g->as_bool())
                l.global = true;
        }
        if (!retry && !r.has_via) {
            out.kind = response_kind::cloudflare;
            out.counts_as_invalid = true;
            return out;
        }
        if (!retry)
            retry = parse_seconds(r.retry_after);
        if (!retry)
            retry = l.reset_after ? *l.reset_after : std::chrono::microseconds{1000000};
        l.retry_after = retry;
        if (l.global)
            l.scope = rate_limit_scope::global;
        out.kind = response_kind::rate_limited;
        out.counts_as_invalid = l.scope != rate_limit_scope::shared;
        return out;
    }
    if (r.status >= 500) {
        out.kind = response_kind::server_error;
        return out;
    }
    if (r.status == 401) {
        out.kind = response_kind::unauthorized;
        out.counts_as_invalid = true;
        return out;
    }
    if (r.status < 200 || r.status >= 300) {
        out.kind = response_kind::client_error;
        out.counts_as_invalid = r.status == 403;
        return out;
    }
    out.kind = response_kind::ok;
    return out;
}

} // namespace cord::rest
