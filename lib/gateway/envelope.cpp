// cord: the envelope scanner.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/envelope.hpp"

#include <charconv>
#include <cstring>

namespace cord::gateway {

namespace {

class scanner {
public:
    explicit scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    void skip_ws() noexcept
    {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }
    bool eat(char c) noexcept
    {
        skip_ws();
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    bool peek(char c) noexcept
    {
        skip_ws();
        return p_ < end_ && *p_ == c;
    }
    bool at_end() noexcept
    {
        skip_ws();
        return p_ == end_;
    }

    // A string at p_ (after the opening quote was seen): its raw contents, escapes kept.
    bool string(std::string_view& out, bool& escaped) noexcept
    {
        if (!eat('"'))
            return false;
        const char* start = p_;
        escaped = false;
        // Keys and event names are short and plain: a byte loop finds their end sooner than
        // memchr does; a backslash or a long string takes the general way below.
        for (const char* q = p_; q < end_ && q - start < 64 && *q != '\\'; ++q) {
            if (*q == '"') {
                p_ = q + 1;
                out = {start, static_cast<std::size_t>(q - start)};
                return true;
            }
        }
        for (;;) {
            const void* hit = std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_));
            if (!hit)
                return false;
            const char* q = static_cast<const char*>(hit);
            // The quote ends the string unless an odd number of backslashes precede it.
            const char* b = q;
            while (b > start && b[-1] == '\\')
                --b;
            if (memchr(start, '\\', static_cast<std::size_t>(q - start)))
                escaped = true;
            p_ = q + 1;
            if (((q - b) & 1) == 0) {
                out = {start, static_cast<std::size_t>(q - start)};
                return true;
            }
        }
    }

    // Skips any value; returns its raw text.
    bool value(std::string_view& out) noexcept
    {
        skip_ws();
        const char* start = p_;
        if (p_ == end_)
            return false;
        if (*p_ == '"') {
            std::string_view s;
            bool escaped;
            if (!string(s, escaped))
                return false;
        } else if (*p_ == '{' || *p_ == '[') {
            int depth = 0;
            while (p_ < end_) {
                char c = *p_;
                if (c == '"') {
                    std::string_view s;
                    bool escaped;
                    if (!string(s, escaped))
                        return false;
                    continue;
                }
                ++p_;
                if (c == '{' || c == '[')
                    ++depth;
                else if ((c == '}' || c == ']') && --depth == 0)
                    break;
            }
            if (depth != 0)
                return false;
        } else {
            while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r'
                   && *p_ != '\t')
                ++p_;
            if (p_ == start)
                return false;
        }
        out = {start, static_cast<std::size_t>(p_ - start)};
        return true;
    }

    // Once op, s and t are known, a `d` object or array is the payload's last member (Discord
    // sends it last): its text runs to the envelope's closing brace, so the scan need not walk
    // through it. Parsing `d` checks its inside; false when the shape does not fit.
    bool last_value(std::string_view& out) noexcept
    {
        skip_ws();
        if (p_ == end_ || (*p_ != '{' && *p_ != '['))
            return false;
        const char* close = end_;
        while (close > p_ && (close[-1] == ' ' || close[-1] == '\n' || close[-1] == '\r' || close[-1] == '\t'))
            --close;
        if (close - p_ < 3 || close[-1] != '}')   // the envelope's brace
            return false;
        const char* last = close - 1;
        while (last > p_ && (last[-1] == ' ' || last[-1] == '\n' || last[-1] == '\r' || last[-1] == '\t'))
            --last;
        if (last - p_ < 2 || last[-1] != (*p_ == '{' ? '}' : ']'))
            return false;
        out = {p_, static_cast<std::size_t>(last - p_)};
        p_ = close - 1;
        return true;
    }

private:
    const char* p_;
    const char* end_;
};

template <class Int>
bool to_int(std::string_view text, Int& out) noexcept
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

// The digits at `p` as an integer, moving `p` past them; false for no digits or an overflow.
template <class Int>
bool digits(const char*& p, const char* end, Int& out) noexcept
{
    const char* q = p;
    while (q < end && *q >= '0' && *q <= '9')
        ++q;
    if (q == p || !to_int(std::string_view{p, static_cast<std::size_t>(q - p)}, out))
        return false;
    p = q;
    return true;
}

bool literal(const char*& p, const char* end, std::string_view word) noexcept
{
    if (static_cast<std::size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0)
        return false;
    p += word.size();
    return true;
}

// Discord's own shape, without whitespace: "t" (a string), "s" and "op" in any order, then a
// "d" object or array to the end. False for anything else, the general scanner then decides:
// whatever this accepts, it reads as that scanner does (tests compare the two).
bool scan_compact(std::string_view text, envelope& env) noexcept
{
    const char* p = text.data();
    const char* end = p + text.size();
    unsigned seen = 0;   // t, s, op
    if (!literal(p, end, "{"))
        return false;
    for (;;) {
        if (literal(p, end, R"("d":)"))
            break;
        unsigned key = literal(p, end, R"("t":")")  ? 1u
                       : literal(p, end, R"("s":)") ? 2u
                       : literal(p, end, R"("op":)") ? 4u
                                                     : 0u;
        if (key == 0 || (seen & key) != 0)
            return false;
        seen |= key;
        if (key == 1) {
            const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
            if (!q || std::memchr(p, '\\', static_cast<std::size_t>(q - p)))
                return false;
            env.event = {p, static_cast<std::size_t>(q - p)};
            p = q + 1;
        } else if (key == 4) {
            if (!digits(p, end, env.op))
                return false;
        } else if (!literal(p, end, "null")) {
            std::uint64_t seq = 0;
            if (!digits(p, end, seq))
                return false;
            env.seq = seq;
        }
        if (!literal(p, end, ","))
            return false;
    }
    scanner rest{{p, static_cast<std::size_t>(end - p)}};
    return seen == 7 && rest.last_value(env.d) && rest.eat('}') && rest.at_end();
}

bool scan_general(std::string_view text, envelope& env) noexcept
{
    env = envelope{};
    scanner s{text};
    bool have_op = false, have_s = false, have_t = false;
    if (!s.eat('{'))
        return false;
    if (!s.eat('}')) {
        do {
            std::string_view key;
            bool escaped;
            // A key spelled with escapes ("\u0074" for t) would go unseen: let the caller parse.
            if (!s.string(key, escaped) || escaped || !s.eat(':'))
                return false;
            if (key == "t" && s.peek('"')) {
                if (!s.string(env.event, escaped) || escaped)
                    return false;
                have_t = true;
                continue;
            }
            if (key == "d" && have_op && have_s && have_t && s.last_value(env.d))
                break;
            std::string_view raw;
            if (!s.value(raw))
                return false;
            if (key == "op") {
                if (!to_int(raw, env.op))
                    return false;
                have_op = true;
            } else if (key == "s") {
                have_s = true;
                std::uint64_t seq;
                if (to_int(raw, seq))
                    env.seq = seq;
                else if (raw != "null")
                    return false;
            } else if (key == "d") {
                env.d = raw;
            }
        } while (s.eat(','));
        if (!s.eat('}'))
            return false;
    }
    return s.at_end() && have_op;
}

} // namespace

// Both fill one envelope in place: returning it by value from each step stalled every
// field's copy on store forwarding (a third of the scan's time).
std::optional<envelope> scan_envelope(std::string_view text) noexcept
{
    std::optional<envelope> env{std::in_place};
    if (!scan_compact(text, *env) && !scan_general(text, *env))
        env.reset();
    return env;
}

std::optional<envelope> scan_envelope_general(std::string_view text) noexcept
{
    std::optional<envelope> env{std::in_place};
    if (!scan_general(text, *env))
        env.reset();
    return env;
}

} // namespace cord::gateway
