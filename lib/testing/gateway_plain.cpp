// cord::testing: the gateway over plain TCP (ws://).
// SPDX-License-Identifier: BSL-1.0
#include "gateway_connection.ipp"

namespace cord::testing::detail {

boost::asio::awaitable<void> serve_gateway(std::shared_ptr<server_core> core, beast::tcp_stream stream,
                                           upgrade_request req)
{
    return serve_gateway_impl(std::move(core), std::move(stream), std::move(req));
}

} // namespace cord::testing::detail
