// Fuzz target: the interactions endpoint's handling of one request after the transport read
// it: header fields + body → check_head → check_signature → JSON parse → classify → the
// endpoint's own answers. Layout: a flag byte, then "Name: value" lines, an empty line, the
// body. Flag bit 0 signs the body with the harness's key (so that the parse and classification
// behind the signature get explored), bit 1 puts "now" in X-Signature-Timestamp, bit 2 drops
// Content-Length. Invariants: nothing unsigned ever verifies (a forgery aborts), refusals are
// 401/405/413, and a verified body is either refused (400) or classified with a usable answer.
#include "interactions/delivery.hpp"
#include "interactions/ed25519_verifier.hpp"
#include "interactions/request_check.hpp"

#include <cord/json.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace cord::detail::interactions;

constexpr std::int64_t now_seconds = 1'800'000'000;

// RFC 8032 test 1's key pair: fixed, so that a crash reproduces.
struct harness_key {
    EVP_PKEY* pkey = nullptr;
    std::string public_hex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    harness_key()
    {
        std::array<std::uint8_t, 32> seed{};
        decode_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed.data(), seed.size());
        pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
        if (!pkey)
            std::abort();
    }
    std::string sign(std::string_view timestamp, std::string_view body) const
    {
        std::string message{timestamp};
        message.append(body);
        std::array<unsigned char, 64> sig{};
        std::size_t len = sig.size();
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        if (!ctx || EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey) != 1 ||
            EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) != 1)
            std::abort();
        EVP_MD_CTX_free(ctx);
        static constexpr char digits[] = "0123456789abcdef";
        std::string hex;
        for (auto b : sig) {
            hex += digits[b >> 4];
            hex += digits[b & 15];
        }
        return hex;
    }
};

bool iequal(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
        auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
        if (x != y)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const harness_key key;
    static const ed25519_verifier verifier{key.public_hex};
    if (size < 1)
        return 0;
    const auto flags = data[0];
    std::string_view rest{reinterpret_cast<const char*>(data + 1), size - 1};
    auto split = rest.find("\n\n");
    std::string_view fields = rest.substr(0, split);
    std::string_view body = split == std::string_view::npos ? std::string_view{} : rest.substr(split + 2);

    std::optional<std::string> signature, timestamp;
    while (!fields.empty()) {
        auto eol = fields.find('\n');
        auto line = fields.substr(0, eol);
        fields = eol == std::string_view::npos ? std::string_view{} : fields.substr(eol + 1);
        auto colon = line.find(": ");
        if (colon == std::string_view::npos)
            continue;
        auto name = line.substr(0, colon);
        auto value = line.substr(colon + 2);
        if (iequal(name, "X-Signature-Ed25519"))
            signature = std::string{value};
        else if (iequal(name, "X-Signature-Timestamp"))
            timestamp = std::string{value};
    }
    const bool signed_by_us = flags & 1;
    if (flags & 2)
        timestamp = std::to_string(now_seconds);
    if (signed_by_us)
        signature = key.sign(timestamp.value_or(""), body);

    check_settings settings{.body_limit = 1 << 16, .timestamp_tolerance = std::chrono::seconds{300}};
    request_head head{.method = "POST",
                      .content_length = (flags & 4) ? std::nullopt : std::optional<std::uint64_t>{body.size()},
                      .signature = signature ? std::optional<std::string_view>{*signature} : std::nullopt,
                      .timestamp = timestamp ? std::optional<std::string_view>{*timestamp} : std::nullopt};
    auto now = std::chrono::system_clock::time_point{std::chrono::seconds{now_seconds}};
    auto v = check_head(head, now, settings);
    if (v != verdict::ok) {
        auto status = http_status(v);
        if (status != 401 && status != 413)
            std::abort();
        return 0;
    }
    v = check_signature(verifier, *signature, *timestamp, body);
    if (v != verdict::ok) {
        if (http_status(v) != 401 || signed_by_us)
            std::abort();   // our own signature must verify
        return 0;
    }
    if (!signed_by_us)
        std::abort();   // a forgery verified
    cord::json parsed;
    try {
        parsed = cord::json::parse(body);
    } catch (const std::exception&) {
        return 0;   // 400
    }
    auto d = classify(parsed);
    switch (d.kind) {
    case delivery::what::refused:
        if (d.why.empty())
            std::abort();
        break;
    case delivery::what::webhook_event:
        if (d.event_name.rfind("raw-", 0) != 0)
            std::abort();
        break;
    case delivery::what::interaction: {
        auto answer = cord::json::parse(auto_defer_body(d.interaction));
        if (check_first_response(d.interaction, answer))
            std::abort();   // the endpoint's own deferral must be a valid first response
        (void)check_first_response(d.interaction, parsed);
        break;
    }
    default:
        break;
    }
    return 0;
}
