// cord: private. Ed25519 verification of what Discord signs on every HTTP interaction and
// webhook event: the X-Signature-Timestamp header's bytes followed by the raw body, against
// the application's public key (64 hex characters in the Developer Portal). OpenSSL's EVP
// interface (EVP_PKEY_ED25519); pure: no I/O, no clock.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace cord::detail::interactions {

/// Decodes `hex` (either case) into `out`; false unless it is exactly 2 * out.size() hex digits.
bool decode_hex(std::string_view hex, std::uint8_t* out, std::size_t out_size) noexcept;

class ed25519_verifier {
public:
    static constexpr std::size_t public_key_size = 32;
    static constexpr std::size_t signature_size = 64;

    /// The key from its 64 hex digits; throws cord::error (invalid_argument) for anything else,
    /// naming what is wrong but never echoing the text.
    explicit ed25519_verifier(std::string_view public_key_hex);
    ~ed25519_verifier();
    ed25519_verifier(ed25519_verifier&&) noexcept;
    ed25519_verifier& operator=(ed25519_verifier&&) noexcept;

    /// Whether `signature` (64 bytes) signs `timestamp` + `body`. OpenSSL compares the
    /// recomputed point in constant time (CRYPTO_memcmp); a wrong length is false at once.
    bool verify(const std::uint8_t* signature, std::size_t signature_len, std::string_view timestamp,
                std::string_view body) const;
    /// The same with the signature as Discord sends it (128 hex digits); false for bad hex.
    bool verify_hex(std::string_view signature_hex, std::string_view timestamp, std::string_view body) const;

private:
    struct key;
    std::unique_ptr<key> key_;
};

} // namespace cord::detail::interactions
