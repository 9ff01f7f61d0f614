// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// The umbrella header: everything a bot needs. It pulls in no Beast, simdjson or
// OpenSSL header, so a bot's translation unit compiles in a few seconds.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/attachment.hpp>
#include <cord/awaitable.hpp>
#include <cord/client.hpp>
#include <cord/client_options.hpp>
#include <cord/components.hpp>
#include <cord/error.hpp>
#include <cord/event_name.hpp>
#include <cord/fwd.hpp>
#include <cord/gateway_options.hpp>
#include <cord/http.hpp>
#include <cord/intents.hpp>
#include <cord/interactions/commands.hpp>
#include <cord/interactions/endpoint.hpp>
#include <cord/interactions/interaction.hpp>
#include <cord/interactions/responder.hpp>
#include <cord/interactions/router.hpp>
#include <cord/json.hpp>
#include <cord/logging.hpp>
#include <cord/message.hpp>
#include <cord/rest_client.hpp>
#include <cord/rest_options.hpp>
#include <cord/shard.hpp>
#include <cord/snowflake.hpp>
#include <cord/tasks.hpp>
#include <cord/tls_options.hpp>
#include <cord/version.hpp>
