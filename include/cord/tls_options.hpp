// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <string>

namespace cord {

/// How cord checks the peer of every TLS connection (REST and gateway).
/// Verification is on by default: certificate chain against the system trust store plus
/// any extra CA given here, and the host name against the certificate.
struct tls_options {
    /// PEM text of extra certificate authorities to trust (e.g. fake_discord::ca_pem()).
    std::string extra_ca_pem{};
    /// A file of extra PEM certificate authorities.
    std::string extra_ca_file{};
    /// Allow `http://` and `ws://` URLs. Off by default: only for an emulator on loopback.
    bool allow_plaintext = false;
};

} // namespace cord
