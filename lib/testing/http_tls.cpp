// cord::testing: the HTTP side over TLS (https://).
// SPDX-License-Identifier: BSL-1.0
#include "http_session.ipp"

#include <boost/beast/ssl.hpp>

namespace cord::testing::detail {

boost::asio::awaitable<void> serve_http(std::shared_ptr<server_core> core, tls_stream stream)
{
    return serve_http_impl(std::move(core), std::move(stream));
}

} // namespace cord::testing::detail
