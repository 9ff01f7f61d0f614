// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http, the gateway's REST routes (not http: functions of racket-cord, which used them
// internally). Conventions as in <cord/http/channel.hpp>.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

namespace cord::http {

/// get-gateway: the gateway URL, {url}; sent without Authorization.
/// Route: GET /gateway
awaitable<json> get_gateway(rest_client& client);

/// get-gateway-bot: {url, shards (recommended count), session_start_limit {total, remaining,
/// reset_after, max_concurrency}}. cord::client calls it on start().
/// Route: GET /gateway/bot
awaitable<json> get_gateway_bot(rest_client& client);

} // namespace cord::http
