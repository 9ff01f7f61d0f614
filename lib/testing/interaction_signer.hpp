// cord::testing: private. The fake Discord's application key pair: Ed25519, made at start, as
// the Developer Portal shows one per application. Signs what Discord signs on every POST to an
// interactions endpoint or webhook events URL: X-Signature-Timestamp + raw body.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cord::testing::detail {

class interaction_signer {
public:
    /// A fresh key pair; throws cord::error when OpenSSL cannot make one.
    interaction_signer();
    ~interaction_signer();
    interaction_signer(const interaction_signer&) = delete;
    interaction_signer& operator=(const interaction_signer&) = delete;

    /// The public key as the Developer Portal shows it: 64 lower-case hex digits.
    const std::string& public_key_hex() const noexcept { return public_hex_; }
    /// The signature of `timestamp` + `body`: 128 lower-case hex digits. Thread-safe.
    std::string sign(std::string_view timestamp, std::string_view body) const;

private:
    struct key;
    std::unique_ptr<key> key_;
    std::string public_hex_;
};

} // namespace cord::testing::detail
