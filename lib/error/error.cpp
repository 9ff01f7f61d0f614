// cord: error types and the cord error category.
// SPDX-License-Identifier: BSL-1.0
#include <cord/error.hpp>
#include <cord/json.hpp>
#include <cord/logging.hpp>
#include <cord/snowflake.hpp>

#include "log/peer_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <climits>
#include <cstdint>

namespace cord {

namespace {

class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "cord"; }
    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev)) {
        case errc::invalid_argument: return "invalid argument";
        case errc::json_parse: return "invalid JSON";
        case errc::json_access: return "JSON value missing or of the wrong type";
        case errc::invalid_response: return "invalid response from the peer";
        case errc::timeout: return "timed out";
        case errc::cancelled: return "cancelled";
        case errc::unauthorized: return "the token was refused";
        case errc::rate_limit_wait: return "rate-limit wait exceeds the allowed maximum";
        case errc::cloudflare_blocked: return "blocked by Cloudflare";
        case errc::payload_too_large: return "payload too large";
        case errc::transport: return "transport failure";
        case errc::gateway_closed: return "gateway closed the session";
        case errc::not_supported: return "not supported by Discord any more";
        case errc::stopped: return "client stopped";
        }
        return "unknown cord error";
    }
};

// A member of Discord's error JSON as text: a string as it is, another value as JSON, an
// absent one as "". A member of an unexpected type must not lose the rest of the body.
std::string text_of(const json& object, std::string_view key)
{
    auto v = object.find(key);
    if (!v || v->is_null())
        return {};
    return v->is_string() ? std::string{v->as_string()} : v->dump();
}

// Discord's JSON error code, or 0 when `code` is not an integer that fits.
int code_of(const json& object)
{
    auto v = object.find("code");
    if (!v || !v->is_int())
        return 0;
    try {
        std::int64_t code = v->as_int();
        return code >= INT_MIN && code <= INT_MAX ? static_cast<int>(code) : 0;
    } catch (const cord::error&) {   // an unsigned integer above int64
        return 0;
    }
}

// Every error repeats the path above it, so a hostile tree (a long key over many `_errors`
// entries) could cost memory quadratic in the body's size. Discord's own bodies hold a few
// kilobytes of field errors; the ones past this many bytes are left out.
constexpr std::size_t field_errors_budget = 64 * 1024;

// Walks Discord's `errors` tree: {"embeds":{"0":{"title":{"_errors":[{code,message}]}}}}.
void flatten_errors(const json& node, std::string& path, std::vector<http::field_error>& out, std::size_t& budget)
{
    if (!node.is_object() || budget == 0)
        return;
    for (auto [key, value] : node.members()) {
        if (key == "_errors" && value.is_array()) {
            for (json e : value.items()) {
                if (!e.is_object())
                    continue;
                http::field_error f{detail::quote_peer_text(path), detail::quote_peer_text(text_of(e, "code")),
                                    detail::quote_peer_text(text_of(e, "message"))};
                std::size_t cost = sizeof f + f.path.size() + f.code.size() + f.message.size();
                if (cost > budget) {
                    budget = 0;
                    return;
                }
                budget -= cost;
                out.push_back(std::move(f));
            }
            continue;
        }
        std::size_t mark = path.size();
        if (!path.empty())
            path += '.';
        path += key;
        flatten_errors(value, path, out, budget);
        path.resize(mark);
    }
}

std::string discord_error_message(int http_code, int discord_code, std::string_view reason,
                                  const std::vector<http::field_error>& fields, std::string_view route)
{
    std::string msg = fmt::format("Discord answered HTTP {}", http_code);
    if (!route.empty())
        msg += fmt::format(" to {}", route);
    if (discord_code != 0)
        msg += fmt::format(" with code {}", discord_code);
    msg += fmt::format(": {}", reason);
    for (const auto& f : fields)
        msg += fmt::format("; {}: {} ({})", f.path.empty() ? "(body)" : f.path, f.message, f.code);
    switch (http_code) {
    case 401: msg += " — check the token; cord stops sending requests after a 401"; break;
    case 403: msg += " — the bot lacks a permission for this action"; break;
    case 404: msg += " — the id does not name an object the bot can see"; break;
    default: break;
    }
    return msg;
}

} // namespace

const std::error_category& cord_category() noexcept
{
    static const category c;
    return c;
}

error::error(errc code, std::string_view message)
    : std::runtime_error(redact(message)), code_(make_error_code(code))
{
}

namespace http {

discord_error::discord_error(int http_code, int discord_code, std::string reason,
                             std::vector<field_error> field_errors, std::string_view route)
    : cord::error(errc::invalid_response,
                  discord_error_message(http_code, discord_code, reason, field_errors, route)),
      http_code_(http_code), discord_code_(discord_code), reason_(redact(reason)),
      field_errors_(std::move(field_errors))
{
}

discord_error discord_error::from_response(int http_code, std::string_view body, std::string_view route)
{
    int code = 0;
    std::string reason;
    std::vector<field_error> fields;
    try {
        json j = json::parse(body);
        if (j.is_object()) {
            code = code_of(j);
            if (auto message = j.find("message"); message && message->is_string())
                reason = detail::quote_peer_text(message->as_string(), 500);
            if (auto errors = j.find("errors")) {
                std::string path;
                std::size_t budget = field_errors_budget;
                flatten_errors(*errors, path, fields, budget);
            }
        }
    } catch (const cord::error&) {
        // Not Discord's JSON (a proxy's HTML page, say): keep a short excerpt as the reason.
    }
    if (reason.empty())
        reason = body.empty() ? fmt::format("HTTP {} with an empty body", http_code)
                              : fmt::format("HTTP {}: {}", http_code, detail::quote_peer_text(body));
    return discord_error{http_code, code, std::move(reason), std::move(fields), route};
}

} // namespace http

std::string_view describe_close_code(int close_code) noexcept
{
    switch (close_code) {
    case 1000:
    case 1001: return "normal closure";
    case 4000: return "unknown error; cord reconnects and resumes its session if it has one";
    case 4001: return "unknown opcode sent; cord reconnects and resumes its session if it has one";
    case 4002: return "decode error (invalid payload or over 4096 bytes); cord reconnects and resumes its session if it has one";
    case 4003: return "not authenticated (payload sent before IDENTIFY); cord identifies again";
    case 4004: return "authentication failed: the token is invalid — reset it in the Developer Portal "
                      "and pass the new one";
    case 4005: return "already authenticated; cord reconnects and resumes its session if it has one";
    case 4007: return "invalid sequence on RESUME; cord identifies again";
    case 4008: return "rate limited (over 120 gateway payloads per 60 s); cord resumes and sends slower";
    case 4009: return "session timed out; cord identifies again";
    case 4010: return "invalid shard: the shard id must be below the shard count";
    case 4011: return "sharding required: the bot is in too many guilds for this shard count — use "
                      "auto_shard or a larger shard_count";
    case 4012: return "invalid API version: cord speaks gateway v10";
    case 4013: return "invalid intents: an intent bit is not defined by Discord";
    case 4014: return "disallowed intents: a privileged intent (GUILD_MEMBERS, GUILD_PRESENCES or "
                      "MESSAGE_CONTENT) is not enabled for this bot in the Developer Portal";
    default: return "unknown close code; cord reconnects and resumes its session if it has one";
    }
}

gateway_error::gateway_error(int close_code, std::string_view message)
    : cord::error(errc::gateway_closed, message), close_code_(close_code)
{
}

gateway_error gateway_error::from_close_code(int close_code, std::string_view reason)
{
    std::string msg = fmt::format("gateway closed the connection with code {}: {}", close_code,
                                  describe_close_code(close_code));
    if (!reason.empty())
        msg += fmt::format(" (server said: \"{}\")", detail::quote_peer_text(reason));
    return gateway_error{close_code, msg};
}

gateway_error gateway_error::never_ready(int identifies, int close_code, std::string_view reason)
{
    std::string how = close_code != 0 ? fmt::format("the last closed with {}", close_code)
                                      : std::string{"the last ended without a close code"};
    if (!reason.empty())
        how += fmt::format(" (server said: \"{}\")", detail::quote_peer_text(reason));
    return gateway_error{close_code,
                         fmt::format("{} IDENTIFYs in a row ended before READY ({}); cord stops rather than spend "
                                     "the daily identify budget. The token may be invalid (Discord closes with "
                                     "4004), an intent not allowed for this bot (4014), or the gateway URL not "
                                     "Discord's",
                                     identifies, how)};
}

snowflake snowflake::parse(std::string_view text)
{
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || text.size() > 20 || ec != std::errc{} || end != text.data() + text.size())
        throw error(errc::invalid_argument,
                    fmt::format("not a Discord id (expected 1-20 digits): \"{}\"", text.substr(0, 40)));
    return snowflake{v};
}

} // namespace cord
