// cord: gateway interactions into the router (see gateway_hook.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/gateway_hook.hpp"

#include "interactions/router_core.hpp"

namespace cord::detail::interactions {

client::coroutine_handler gateway_handler(std::shared_ptr<router_core> router, rest_client& rest,
                                          boost::asio::any_io_executor timers)
{
    return [router = std::move(router), &rest, timers = std::move(timers)](shard&, client&,
                                                                          json d) -> awaitable<void> {
        if (router->empty())
            co_return;
        auto received = clock::now();
        auto core = std::make_shared<responder_core>(rest, cord::interaction{std::move(d)}, timers, received,
                                                     router->settings());
        co_await router->run(std::move(core));
    };
}

} // namespace cord::detail::interactions
