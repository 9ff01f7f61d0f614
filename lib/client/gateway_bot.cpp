// cord: reading GET /gateway/bot.
// SPDX-License-Identifier: BSL-1.0
#include "client/gateway_bot.hpp"

#include "log/peer_text.hpp"
#include "net/url.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cord::detail {

namespace {

// An integer member, or nothing when absent or not an integer that fits in int64.
std::optional<std::int64_t> integer(const json& object, std::string_view key)
{
    auto v = object.find(key);
    if (!v || !v->is_int())
        return std::nullopt;
    try {
        return v->as_int();
    } catch (const error&) {   // above int64
        return std::nullopt;
    }
}

std::int64_t clamped(std::optional<std::int64_t> value, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                     std::string_view name, const std::function<void(std::string_view)>& warn)
{
    if (!value)
        return fallback;
    if (*value >= lo && *value <= hi)
        return *value;
    auto used = std::clamp(*value, lo, hi);
    warn(fmt::format("/gateway/bot: session_start_limit.{} = {} is outside [{}, {}]: using {}", name, *value, lo,
                     hi, used));
    return used;
}

} // namespace

gateway_bot read_gateway_bot(const json& answer, bool allow_plaintext,
                             const std::function<void(std::string_view)>& warn)
{
    if (!answer.is_object())
        throw error(errc::invalid_response, "/gateway/bot did not answer a JSON object");
    gateway_bot out;
    if (auto u = answer.find("url")) {
        if (!u->is_string())
            throw error(errc::invalid_response, "/gateway/bot: url is not a string");
        std::string text{u->as_string()};
        net::url parsed;
        try {
            parsed = net::parse_url(text);
        } catch (const error& e) {
            throw error(errc::invalid_response, fmt::format("/gateway/bot named a gateway URL cord cannot use: {}",
                                                            e.what()));
        }
        if (parsed.scheme != "wss" && parsed.scheme != "ws")
            throw error(errc::invalid_response,
                        fmt::format("/gateway/bot named a gateway URL that is not ws(s):// (\"{}\")",
                                    quote_peer_text(text, 100)));
        if (!parsed.tls && !allow_plaintext)
            throw error(errc::invalid_response,
                        fmt::format("/gateway/bot named a plaintext gateway URL (\"{}\"): refused, since this "
                                    "client uses TLS and never falls back to plaintext (a proxy or a spoofed "
                                    "endpoint may be answering for Discord)",
                                    quote_peer_text(text, 100)));
        out.url = std::move(text);
    }
    if (auto s = answer.find("shards")) {
        auto n = integer(answer, "shards");
        if (!n || *n < 1 || *n > max_recommended_shards)
            throw error(errc::invalid_response,
                        fmt::format("/gateway/bot recommended {} shards, outside [1, {}]: refused",
                                    quote_peer_text(s->dump(), 40), max_recommended_shards));
        out.shards = static_cast<int>(*n);
    }
    if (auto limit = answer.find("session_start_limit"); limit && limit->is_object()) {
        out.max_concurrency = static_cast<int>(
            clamped(integer(*limit, "max_concurrency"), 1, 1, max_identify_concurrency, "max_concurrency", warn));
        out.total = clamped(integer(*limit, "total"), 1000, 0, 1'000'000'000, "total", warn);
        out.remaining = clamped(integer(*limit, "remaining"), out.total, 0, 1'000'000'000, "remaining", warn);
        constexpr std::int64_t day_ms = 24LL * 3600 * 1000;
        out.reset_after = std::chrono::milliseconds{
            clamped(integer(*limit, "reset_after"), 0, 0, day_ms, "reset_after", warn)};
    }
    return out;
}

} // namespace cord::detail
