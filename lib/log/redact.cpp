// cord: keeping secrets out of every log line and exception message.
// SPDX-License-Identifier: BSL-1.0
#include <cord/logging.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <vector>

namespace cord {

namespace {

constexpr std::string_view mask = "[redacted]";

// A piece of a secret this long is a leak on its own (a token cut by a server's or a
// proxy's truncation still names the bot's account).
constexpr std::size_t fragment_size = 8;

struct secret_registry {
    std::shared_mutex mutex;
    std::set<std::string, std::less<>> secrets;
    std::vector<std::uint64_t> fragments;   // every fragment_size-byte window of every secret, sorted
};

std::uint64_t window_at(const char* p) noexcept
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

secret_registry& registry()
{
    static secret_registry r;
    return r;
}

bool token_char(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool space(char c) noexcept { return c == ' ' || c == '\t'; }

void replace_all(std::string& s, std::string_view needle)
{
    if (needle.empty())
        return;
    for (std::size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + mask.size()))
        s.replace(pos, needle.size(), mask);
}

// Masks every run of text made of overlapping fragment_size-byte pieces of a secret: any
// fragment of fragment_size or more bytes, wherever it was cut.
void mask_fragments(std::string& s, const std::vector<std::uint64_t>& fragments)
{
    static_assert(fragment_size == sizeof(std::uint64_t));
    if (fragments.empty() || s.size() < fragment_size)
        return;
    std::vector<std::pair<std::size_t, std::size_t>> runs;   // [begin, end)
    for (std::size_t i = 0; i + fragment_size <= s.size(); ++i) {
        if (!std::binary_search(fragments.begin(), fragments.end(), window_at(s.data() + i)))
            continue;
        if (!runs.empty() && i <= runs.back().second)
            runs.back().second = i + fragment_size;
        else
            runs.emplace_back(i, i + fragment_size);
    }
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        s.replace(it->first, it->second - it->first, mask);
}

// Bot tokens look like <base64 user id>.<6+ chars>.<27+ chars>; mask any such run.
void mask_token_shapes(std::string& s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        if (!token_char(s[i]) || (i > 0 && token_char(s[i - 1]))) {
            ++i;
            continue;
        }
        std::size_t seg[3] = {0, 0, 0};
        std::size_t j = i;
        int n = 0;
        for (; n < 3; ++n) {
            std::size_t start = j;
            while (j < s.size() && token_char(s[j]))
                ++j;
            seg[n] = j - start;
            if (n < 2) {
                if (j < s.size() && s[j] == '.')
                    ++j;
                else
                    break;
            }
        }
        if (n == 3 && seg[0] >= 18 && seg[1] >= 5 && seg[2] >= 25) {
            s.replace(i, j - i, mask);
            i += mask.size();
        } else {
            i = j > i ? j : i + 1;
        }
    }
}

// Masks the word after a marker such as "Bot " or "Authorization:" up to the next space,
// quote or end of line.
void mask_after(std::string& s, std::string_view marker, bool case_insensitive, std::size_t min_len = 1)
{
    auto find = [&](std::size_t from) {
        if (!case_insensitive)
            return s.find(marker, from);
        auto it = std::search(s.begin() + static_cast<std::ptrdiff_t>(from), s.end(), marker.begin(), marker.end(),
                              [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                          std::tolower(static_cast<unsigned char>(b)); });
        return it == s.end() ? std::string::npos : static_cast<std::size_t>(it - s.begin());
    };
    for (std::size_t pos = find(0); pos != std::string::npos; pos = find(pos + 1)) {
        std::size_t start = pos + marker.size();
        while (start < s.size() && space(s[start]))
            ++start;
        // "Authorization: Bot xyz": skip the scheme word too.
        for (std::string_view scheme : {"Bot ", "Bearer "})
            if (s.compare(start, scheme.size(), scheme) == 0)
                start += scheme.size();
        if (start < s.size() && s[start] == '"')
            ++start;
        std::size_t end = start;
        while (end < s.size() && !space(s[end]) && s[end] != '"' && s[end] != '\'' && s[end] != '\r' &&
               s[end] != '\n' && s[end] != ',')
            ++end;
        if (end - start >= min_len && s.compare(start, end - start, mask) != 0)
            s.replace(start, end - start, mask);
    }
}

// /webhooks/<id>/<token>: the token part is a secret.
void mask_webhook_tokens(std::string& s)
{
    constexpr std::string_view marker = "/webhooks/";
    for (std::size_t pos = s.find(marker); pos != std::string::npos; pos = s.find(marker, pos + 1)) {
        std::size_t i = pos + marker.size();
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == pos + marker.size() || i >= s.size() || s[i] != '/')
            continue;
        std::size_t start = ++i;
        while (i < s.size() && token_char(s[i]))
            ++i;
        if (i - start >= 20)
            s.replace(start, i - start, mask);
    }
}

} // namespace

void register_secret(std::string_view secret)
{
    if (secret.size() < 4)   // masking a 1-3 character string would mangle every message
        return;
    auto& r = registry();
    std::unique_lock lock{r.mutex};
    if (!r.secrets.emplace(secret).second)
        return;
    for (std::size_t i = 0; i + fragment_size <= secret.size(); ++i)
        r.fragments.push_back(window_at(secret.data() + i));
    std::sort(r.fragments.begin(), r.fragments.end());
    r.fragments.erase(std::unique(r.fragments.begin(), r.fragments.end()), r.fragments.end());
}

std::string redact(std::string_view text)
{
    std::string s{text};
    {
        auto& r = registry();
        std::shared_lock lock{r.mutex};
        for (const auto& secret : r.secrets)
            replace_all(s, secret);
        mask_fragments(s, r.fragments);
    }
    mask_token_shapes(s);
    mask_after(s, "authorization:", true);
    mask_after(s, "\"token\":", false);
    // After a bare scheme word only long runs are credentials ("Bot ready" stays readable).
    mask_after(s, "Bot ", false, 20);
    mask_after(s, "Bearer ", false, 20);
    mask_webhook_tokens(s);
    return s;
}

} // namespace cord
