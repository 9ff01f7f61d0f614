// cord: private. The door from cord's own modules into a rest_client.
// SPDX-License-Identifier: BSL-1.0
//
// Every cord::http:: function builds a rest::request (its route from the route table, the
// raw path arguments in template order, query, body, files, reason) and returns
//
//     co_await rest::access::execute(client, std::move(req));
//
// The REST core validates and encodes the arguments, builds the HTTP request, waits for the
// rate limits, sends it, retries where that is safe, and returns the response body as json
// (null for 204). It throws cord::http::discord_error for a non-2xx answer and cord::error
// for everything else (see rest_client.hpp). `req.target` must point into the route table
// (it is read after the first suspension, so it must outlive the call).
#pragma once

#include "rest/request.hpp"

#include <cord/awaitable.hpp>
#include <cord/json.hpp>
#include <cord/rest_client.hpp>

namespace cord::rest {

struct access {
    static awaitable<json> execute(rest_client& client, request req);
};

} // namespace cord::rest
