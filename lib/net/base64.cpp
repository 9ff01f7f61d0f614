// cord: base64 (base64.hpp), by OpenSSL's encoder.
// SPDX-License-Identifier: BSL-1.0
#include "net/base64.hpp"

#include <cord/error.hpp>

#include <openssl/evp.h>

#include <climits>

namespace cord::net {

std::string base64(std::string_view bytes)
{
    // EVP_EncodeBlock takes an int length and writes 4 bytes per 3 plus a NUL.
    if (bytes.size() > static_cast<std::size_t>(INT_MAX) / 4 * 3)
        throw error(errc::payload_too_large, "too many bytes to encode as base64");
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

} // namespace cord::net
