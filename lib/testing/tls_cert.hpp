// cord::testing: private. A self-signed certificate made at start, so https/wss work on
// loopback without files: the client trusts `cert_pem` as its CA.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <string>

namespace cord::testing::detail {

struct self_signed {
    std::string cert_pem;
    std::string key_pem;
};

/// An EC P-256 key and a CA:TRUE certificate for CN=localhost with the subjectAltName
/// `names` (OpenSSL's form, e.g. "DNS:localhost,IP:127.0.0.1"), valid from an hour ago for 30 days.
self_signed make_self_signed(const std::string& names);

} // namespace cord::testing::detail
