// cord::testing: the HTTP side over plain TCP.
// SPDX-License-Identifier: BSL-1.0
#include "http_session.ipp"

namespace cord::testing::detail {

boost::asio::awaitable<void> serve_http(std::shared_ptr<server_core> core, beast::tcp_stream stream)
{
    return serve_http_impl(std::move(core), std::move(stream));
}

} // namespace cord::testing::detail
