// cord::testing: the fake Discord's Ed25519 application key (see interaction_signer.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interaction_signer.hpp"

#include <cord/error.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace cord::testing::detail {

namespace {

std::string to_hex(const unsigned char* data, std::size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * size);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

[[noreturn]] void fail(const char* what)
{
    throw cord::error(errc::invalid_argument, std::string{"fake_discord: Ed25519 key: "} + what);
}

} // namespace

struct interaction_signer::key {
    EVP_PKEY* pkey = nullptr;
    ~key() { EVP_PKEY_free(pkey); }
};

interaction_signer::interaction_signer() : key_(std::make_unique<key>())
{
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    if (!ctx)
        fail("EVP_PKEY_CTX_new_id");
    bool ok = EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key_->pkey) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        fail("EVP_PKEY_keygen");
    std::array<unsigned char, 32> pub{};
    std::size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(key_->pkey, pub.data(), &len) != 1 || len != pub.size())
        fail("EVP_PKEY_get_raw_public_key");
    public_hex_ = to_hex(pub.data(), pub.size());
}

interaction_signer::~interaction_signer() = default;

std::string interaction_signer::sign(std::string_view timestamp, std::string_view body) const
{
    std::string message;
    message.reserve(timestamp.size() + body.size());
    message.append(timestamp).append(body);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx)
        fail("EVP_MD_CTX_new");
    std::array<unsigned char, 64> sig{};
    std::size_t len = sig.size();
    bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_->pkey) == 1 &&
              EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                             message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok || len != sig.size())
        fail("EVP_DigestSign");
    return to_hex(sig.data(), sig.size());
}

} // namespace cord::testing::detail
