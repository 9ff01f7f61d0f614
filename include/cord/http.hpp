// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::http: every http: function of racket-cord, plus get_gateway and get_gateway_bot, and every
// other operation of Discord's REST API v10 under its docs name (<cord/http/surface.hpp>, one
// header per resource; docs/rest.md lists them all), as
//
//     json channel = co_await cord::http::get_channel(bot, channel_id);
//
// The first argument is a cord::rest_client (a cord::client converts to one). Ids are
// cord::id_arg: strings, snowflakes, integers or json. Optional arguments are option structs
// (<cord/http_options.hpp>). Every call is rate limited and retried by the REST core and
// returns Discord's JSON (null for 204); a non-2xx answer throws cord::http::discord_error.
// docs/racket-cord.md maps each racket-cord function to its cord function.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/http/channel.hpp>
#include <cord/http/gateway.hpp>
#include <cord/http/guild.hpp>
#include <cord/http/paginate.hpp>
#include <cord/http/surface.hpp>
#include <cord/http/user.hpp>
#include <cord/http/webhook.hpp>
#include <cord/http_options.hpp>
