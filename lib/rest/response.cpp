// cord: classification of REST responses (reference/rate-limits.md).
// SPDX-License-Identifier: BSL-1.0
#include "rest/response.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace cord::rest {

namespace {

// A count of requests: digits only. Too many digits for int64 still is a (huge) count.
std::optional<std::int64_t> parse_count(std::string_view text) noexcept
{
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || text.front() == '-' || end != text.data() + text.size())
        return std::nullopt;
    if (ec == std::errc::result_out_of_range)
        return std::numeric_limits<std::int64_t>::max();
    if (ec != std::errc{})
        return std::nullopt;
    return v;
}

bool is_true(std::string_view s) noexcept { return s == "true" || s == "True" || s == "1"; }

} // namespace

namespace {

// For a number from_chars could not represent: too large (else too small, i.e. about 0).
bool overflows(std::string_view text) noexcept
{
    auto e = text.find_first_of("eE");
    if (e != std::string_view::npos)
        return e + 1 >= text.size() || text[e + 1] != '-';
    auto whole = text.substr(0, text.find('.'));
    return whole.find_first_not_of('0') != std::string_view::npos;
}

} // namespace

seconds_reading read_seconds(double v) noexcept
{
    if (!std::isfinite(v) || v < 0)
        return {};
    constexpr auto cap = std::chrono::duration<double>(max_server_pause).count();
    if (v > cap)
        return {std::chrono::duration_cast<std::chrono::microseconds>(max_server_pause), true};
    return {std::chrono::microseconds{static_cast<std::int64_t>(std::ceil(v * 1e6))}, false};
}

seconds_reading read_seconds(std::string_view text) noexcept
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text.empty() || text.front() == '-')
        return {};
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (end != text.data() + text.size())
        return {};
    if (ec == std::errc::result_out_of_range)
        v = overflows(text) ? std::numeric_limits<double>::max() : 0.0;
    else if (ec != std::errc{})
        return {};
    return read_seconds(v);
}

std::optional<std::chrono::microseconds> parse_seconds(std::string_view text) noexcept
{
    return read_seconds(text).value;
}

classified_response classify(const raw_response& r)
{
    classified_response out;
    auto& l = out.limits;
    if (auto limit = parse_count(r.limit)) {
        if (*limit < 1 || *limit > max_bucket_limit)
            out.clamped |= clamped_limit;
        l.limit = static_cast<int>(std::clamp<std::int64_t>(*limit, 1, max_bucket_limit));
    }
    if (auto remaining = parse_count(r.remaining)) {
        auto most = l.limit ? *l.limit : max_bucket_limit;
        if (*remaining > most)
            out.clamped |= clamped_remaining;
        l.remaining = static_cast<int>(std::min<std::int64_t>(*remaining, most));
    }
    auto reset = read_seconds(r.reset_after);
    l.reset_after = reset.value;
    if (reset.clamped)
        out.clamped |= clamped_reset_after;
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
        seconds_reading retry;
        if (body && body->is_object()) {
            if (auto ra = body->find("retry_after"); ra && ra->is_number())
                retry = read_seconds(ra->as_double());
            if (auto g = body->find("global"); g && g->is_bool() && g->as_bool())
                l.global = true;
        }
        if (!retry.value && !r.has_via) {
            auto ban = read_seconds(r.retry_after);
            if (ban.clamped)
                out.clamped |= clamped_retry_after;
            l.retry_after = ban.value ? *ban.value : std::chrono::microseconds{cloudflare_default_pause};
            l.global = true;
            l.scope = rate_limit_scope::global;
            out.kind = response_kind::cloudflare;
            out.counts_as_invalid = true;
            return out;
        }
        if (!retry.value)
            retry = read_seconds(r.retry_after);
        if (retry.clamped)
            out.clamped |= clamped_retry_after;
        l.retry_after = retry.value ? *retry.value : l.reset_after ? *l.reset_after : std::chrono::microseconds{1000000};
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
