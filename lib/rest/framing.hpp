// cord: private. Whether an HTTP/1.1 response leaves its connection fit for another request.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstddef>

namespace cord::rest {

/// What the transport knows about one complete response once it has been read.
struct framing_facts {
    int status = 0;
    unsigned version = 11;              ///< 10 or 11
    bool keep_alive = true;             ///< as the response's Connection header and version say
    bool content_length = false;        ///< a Content-Length field was present
    bool transfer_encoding = false;     ///< a Transfer-Encoding field was present
    std::size_t leftover = 0;           ///< bytes already read past the end of the response
};

/// 100 Continue and 103 Early Hints precede the final answer and are skipped; 101 switches
/// protocols, which a REST exchange never asked for, so it is not interim here.
constexpr bool is_interim(int status) noexcept { return status >= 100 && status < 200 && status != 101; }

/// At most this many interim responses are skipped before the exchange fails.
inline constexpr int max_interim_responses = 8;

/// A connection is reused only when the response's end was unambiguous: a peer whose framing
/// was inconsistent, or that sent bytes past the end, would answer the next caller with them.
constexpr bool may_reuse(const framing_facts& f) noexcept
{
    if (!f.keep_alive || f.version < 11 || f.status == 101)
        return false;
    if (f.content_length && f.transfer_encoding)
        return false;
    if (f.leftover != 0)
        return false;
    return true;
}

} // namespace cord::rest
