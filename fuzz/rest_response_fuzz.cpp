// Fuzz target: REST responses as the client handles them, one after another: header fields
// read by name, the classification (status, rate-limit headers, 429 scopes, Cloudflare), the
// rate limiter fed with what was classified, and Discord's error body turned into
// cord::http::discord_error. The input is a series of responses separated by a line "=====":
//   STATUS [MILLISECONDS-SINCE-THE-LAST [ROUTE [OVERLAP]]]
//   Name: value
//   ...
//   (empty line)
//   body
#include "log/peer_text.hpp"
#include "rest/rate_limiter.hpp"
#include "rest/response.hpp"
#include "rest/response_headers.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>
#include <cord/logging.hpp>

#include <fmt/format.h>

#include <chrono>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono_literals;
using namespace cord::rest;

void require(bool ok)
{
    if (!ok)
        std::abort();
}

constexpr std::string_view secret = "fuzz-registered-secret-0123456789";
constexpr auto longest_wait = cord::rest::max_server_pause;   // every server wait is cut to it

struct step {
    int status = 200;
    int elapsed_ms = 0;
    int route = 0;
    bool overlap = false;   // another request of the route is in flight meanwhile
    std::vector<header_field> fields;
    std::string_view body;
};

std::string_view next_line(std::string_view& text)
{
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    return line;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

int number(std::string_view& words, int fallback, int max)
{
    words = trim(words);
    int v = fallback;
    auto [end, ec] = std::from_chars(words.data(), words.data() + words.size(), v);
    words.remove_prefix(static_cast<std::size_t>(end - words.data()));
    return ec == std::errc{} && v >= 0 && v <= max ? v : fallback;
}

step parse_step(std::string_view text)
{
    step s;
    std::string_view first = next_line(text);
    s.status = number(first, 200, 999);
    s.elapsed_ms = number(first, 0, 3'600'000);
    s.route = number(first, 0, 1);
    s.overlap = number(first, 0, 1) == 1;
    // Header fields until an empty line, trimmed as an HTTP parser hands them over.
    while (!text.empty()) {
        std::string_view line = next_line(text);
        if (line.empty())
            break;
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        s.fields.push_back({line.substr(0, colon), trim(line.substr(colon + 1))});
    }
    s.body = text;
    return s;
}

// The classification follows reference/rate-limits.md whatever the headers say.
void check_classification(const raw_response& r, const classified_response& c)
{
    const auto& l = c.limits;
    require(!l.limit || *l.limit >= 0);
    require(!l.remaining || *l.remaining >= 0);
    require(!l.reset_after || (*l.reset_after >= 0us && *l.reset_after <= longest_wait));
    if (r.status == 429)
        require(c.kind == response_kind::rate_limited || c.kind == response_kind::cloudflare);
    // A 429 is Cloudflare's only without Discord's Via header.
    require(c.kind != response_kind::cloudflare || (r.status == 429 && !r.has_via));
    // A 429 (Discord's, or a Cloudflare ban) always says how long to wait, and the wait is bounded.
    require((c.kind == response_kind::rate_limited || c.kind == response_kind::cloudflare)
            == l.retry_after.has_value());
    if (l.retry_after)
        require(*l.retry_after >= 0us && *l.retry_after <= longest_wait);
    if (c.kind == response_kind::rate_limited && l.global)
        require(l.scope == cord::rate_limit_scope::global);
    // 401, 403 and 429 count toward the invalid-request ban, except a shared 429.
    bool shared_429 = c.kind == response_kind::rate_limited && l.scope == cord::rate_limit_scope::shared;
    require(c.counts_as_invalid == (r.status == 401 || r.status == 403 || (r.status == 429 && !shared_429)));
}

void check_bucket(const bucket_state& b)
{
    require(b.used() >= 0);
    require(b.in_flight() >= 0);
    require(!b.limit() || *b.limit() >= 1);
}

// A refusal must name a later time (or wait for a response in flight): never a busy loop.
void check_refusal(const bucket_state::decision& d, time_point now, const bucket_state& b)
{
    if (!d.granted)
        require(d.retry_at ? *d.retry_at > now : b.in_flight() > 0);
}

// How Discord's `entry[key]` reads as text: a string as it is, another value as JSON, absent as "".
std::string text(const cord::json& entry, std::string_view key)
{
    auto v = entry.find(key);
    if (!v || v->is_null())
        return {};
    return v->is_string() ? std::string{v->as_string()} : v->dump();
}

// The `_errors` entries of Discord's errors tree: how many, the memory their flattened form
// takes, and whether every key is a plain path segment.
struct errors_tree {
    std::size_t count = 0;
    std::size_t bytes = 0;
    bool plain_keys = true;
};

void survey(const cord::json& node, std::string& path, errors_tree& out)
{
    if (!node.is_object())
        return;
    for (auto [key, value] : node.members()) {
        if (key.empty() || key.find('.') != std::string_view::npos)
            out.plain_keys = false;
        if (key == "_errors" && value.is_array()) {
            // A path that quoting changed (a secret in a key redacted, a control character
            // escaped) no longer spells the keys: it cannot be followed back.
            if (cord::detail::quote_peer_text(path) != path)
                out.plain_keys = false;
            for (cord::json e : value.items()) {
                if (!e.is_object())
                    continue;
                ++out.count;
                out.bytes += sizeof(cord::http::field_error) + path.size() + text(e, "code").size()
                             + text(e, "message").size();
            }
            continue;
        }
        std::size_t mark = path.size();
        path += path.empty() ? "" : ".";
        path += key;
        survey(value, path, out);
        path.resize(mark);
    }
}

// Does `path` ("embeds.0.title") lead from `node` to an `_errors` list holding code and message?
bool resolves(const cord::json& node, std::string_view path, const cord::http::field_error& f)
{
    if (!node.is_object())
        return false;
    if (path.empty()) {
        for (auto [key, value] : node.members())
            if (key == "_errors" && value.is_array())
                for (cord::json e : value.items())
                    if (e.is_object() && cord::detail::quote_peer_text(text(e, "code")) == f.code
                        && cord::detail::quote_peer_text(text(e, "message")) == f.message)
                        return true;
        return false;
    }
    auto dot = path.find('.');
    std::string_view head = path.substr(0, dot);
    std::string_view rest = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    for (auto [key, value] : node.members())
        if (key == head && resolves(value, rest, f))
            return true;
    return false;
}

void check_discord_error(int status, std::string_view body)
{
    auto e = cord::http::discord_error::from_response(status, body, "POST /channels/{channel_id}/messages");
    std::string what = e.what();
    require(e.http_code() == status);
    require(what.find(fmt::format("HTTP {}", status)) != std::string::npos);
    require(what.find(secret) == std::string::npos && e.reason().find(secret) == std::string::npos);
    require(!e.reason().empty());

    cord::json j;
    try {
        j = cord::json::parse(body);
    } catch (const cord::error&) {
        return require(e.discord_code() == 0 && e.field_errors().empty());
    }
    if (!j.is_object())
        return require(e.discord_code() == 0 && e.field_errors().empty());
    // Each of code, message and errors is read on its own: one of an unexpected type loses
    // nothing of the others.
    if (auto code = j.find("code"); code && code->is_int()) {
        try {
            std::int64_t v = code->as_int();
            if (v >= INT32_MIN && v <= INT32_MAX)
                require(e.discord_code() == v);
        } catch (const cord::error&) {
        }
    }
    if (auto message = j.find("message"); message && message->is_string() && !message->as_string().empty())
        require(e.reason() == cord::redact(cord::detail::quote_peer_text(message->as_string(), 500)));
    // A peer's text is quoted on one line.
    for (char c : e.reason())
        require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    auto errors = j.find("errors");
    if (!errors)
        return require(e.field_errors().empty());
    errors_tree tree;
    std::string path;
    survey(*errors, path, tree);
    // Discord-sized trees are kept whole; any tree costs memory linear in the body.
    std::size_t kept = 0;
    for (const auto& f : e.field_errors()) {
        kept += sizeof f + f.path.size() + f.code.size() + f.message.size();
        require(f.path.find(secret) == std::string::npos && f.code.find(secret) == std::string::npos
                && f.message.find(secret) == std::string::npos);
    }
    require(kept + what.size() <= 16 * body.size() + 256 * 1024);
    if (tree.bytes <= 16 * 1024)
        require(e.field_errors().size() == tree.count);
    else
        require(e.field_errors().size() <= tree.count);
    // A path is quoted cut at 200 bytes: only whole ones can be followed.
    if (tree.plain_keys)
        for (const auto& f : e.field_errors())
            if (!f.path.ends_with("..."))
                require(resolves(*errors, f.path, f));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const bool registered = (cord::register_secret(secret), true);
    (void)registered;

    static constexpr std::string_view routes[] = {"POST /channels/{channel_id}/messages",
                                                  "DELETE /channels/{channel_id}/messages/{message_id}"};
    rate_limiter limiter;
    global_limiter global{50};
    invalid_request_window invalid;
    time_point now{};
    std::string_view input{reinterpret_cast<const char*>(data), size};
    for (int n = 0; n < 16 && !input.empty(); ++n) {
        auto end = input.find("\n=====\n");
        step s = parse_step(input.substr(0, end));
        input.remove_prefix(end == std::string_view::npos ? input.size() : end + 7);

        now += std::chrono::milliseconds{s.elapsed_ms};
        std::string_view route = routes[s.route];
        std::string key;
        auto& bucket = limiter.bucket_for(route, "1", key);
        auto turn = bucket.try_acquire(now);
        check_refusal(turn, now, bucket);
        std::optional<bucket_state::decision> other;
        if (s.overlap)
            other = bucket.try_acquire(now);

        raw_response r;
        r.status = s.status;
        r.body = std::string{s.body};
        read_headers(r, s.fields);
        auto c = classify(r);
        check_classification(r, c);

        if (turn.granted) {
            // As the client does: the bucket learns from the response, a global 429 pauses all.
            limiter.on_response(route, "1", bucket, turn.ticket, now + 1ms, c.limits);
            if (c.kind == response_kind::rate_limited && c.limits.global)
                global.pause_until(now + std::chrono::duration_cast<clock::duration>(*c.limits.retry_after));
        }
        if (other && other->granted)
            bucket.on_no_response(other->ticket);
        check_bucket(bucket);
        auto& next = limiter.bucket_for(route, "1", key);
        check_bucket(next);
        auto again = next.try_acquire(now + 2ms);
        check_refusal(again, now + 2ms, next);
        if (again.granted)
            next.on_no_response(again.ticket);   // a request lost in transport
        (void)global.try_acquire(now);
        if (c.counts_as_invalid)
            (void)invalid.add(now, 1000);

        if (c.kind != response_kind::ok && c.kind != response_kind::cloudflare)
            check_discord_error(r.status, r.body);
        else if (c.kind == response_kind::ok && r.status != 204 && !r.body.empty()) {
            try {
                (void)cord::json::parse(r.body);
            } catch (const cord::error&) {
            }
        }
    }
    return 0;
}
