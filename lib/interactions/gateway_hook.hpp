// cord: private. How gateway interactions reach the router: cord::client registers this
// coroutine handler for INTERACTION_CREATE, so interactions go through the dispatcher like
// every event (started in event order, drained at stop).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/client.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace cord::detail::interactions {

class router_core;

/// Runs each INTERACTION_CREATE through `router`, answering by REST with `rest`; the
/// auto-defer timers run on `timers`. Does nothing while the router has no handler.
client::coroutine_handler gateway_handler(std::shared_ptr<router_core> router, rest_client& rest,
                                          boost::asio::any_io_executor timers);

} // namespace cord::detail::interactions
