// cord: Ed25519 verification with OpenSSL (see ed25519_verifier.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/ed25519_verifier.hpp"

#include <cord/error.hpp>

#include <openssl/evp.h>

#include <fmt/format.h>

#include <string>

namespace cord::detail::interactions {

namespace {

int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

} // namespace

bool decode_hex(std::string_view hex, std::uint8_t* out, std::size_t out_size) noexcept
{
    if (hex.size() != 2 * out_size)
        return false;
    for (std::size_t i = 0; i < out_size; ++i) {
        int hi = hex_value(hex[2 * i]);
        int lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
}

struct ed25519_verifier::key {
    EVP_PKEY* pkey = nullptr;
    ~key() { EVP_PKEY_free(pkey); }
};

ed25519_verifier::ed25519_verifier(std::string_view public_key_hex) : key_(std::make_unique<key>())
{
    std::array<std::uint8_t, public_key_size> raw{};
    if (!decode_hex(public_key_hex, raw.data(), raw.size()))
        throw cord::error(errc::invalid_argument,
                          fmt::format("interactions endpoint: the public key must be the application's Public Key "
                                      "from the Developer Portal, {} hex digits; got {} characters{}",
                                      2 * public_key_size, public_key_hex.size(),
                                      public_key_hex.size() == 2 * public_key_size ? " that are not all hex" : ""));
    key_->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
    if (!key_->pkey)
        throw cord::error(errc::invalid_argument, "interactions endpoint: OpenSSL refused the Ed25519 public key");
}

ed25519_verifier::~ed25519_verifier() = default;
ed25519_verifier::ed25519_verifier(ed25519_verifier&&) noexcept = default;
ed25519_verifier& ed25519_verifier::operator=(ed25519_verifier&&) noexcept = default;

bool ed25519_verifier::verify(const std::uint8_t* signature, std::size_t signature_len, std::string_view timestamp,
                              std::string_view body) const
{
    if (signature_len != signature_size || !key_ || !key_->pkey)
        return false;
    // Ed25519 is one-shot in OpenSSL (the message is hashed twice): it needs the message whole.
    std::string message;
    message.reserve(timestamp.size() + body.size());
    message.append(timestamp).append(body);
    std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx{EVP_MD_CTX_new()};
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_->pkey) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), signature, signature_len, reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

bool ed25519_verifier::verify_hex(std::string_view signature_hex, std::string_view timestamp,
                                  std::string_view body) const
{
    std::array<std::uint8_t, signature_size> sig{};
    if (!decode_hex(signature_hex, sig.data(), sig.size()))
        return false;
    return verify(sig.data(), sig.size(), timestamp, body);
}

} // namespace cord::detail::interactions
