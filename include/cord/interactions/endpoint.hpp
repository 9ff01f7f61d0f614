// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::interactions::endpoint: interactions by HTTP POST instead of the gateway (Discord's
// Interactions Endpoint URL and Webhook Events URL). A bot needs no gateway connection for them,
// and answers each interaction in the HTTP response.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/interactions/router.hpp>
#include <cord/json.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cord {
class rest_client;
} // namespace cord

/// Interactions (slash commands, components, modals, autocomplete) and webhook events.
namespace cord::interactions {

/// How the endpoint listens and what it accepts; the defaults suit Discord.
struct endpoint_options {
    /// The IP address to listen on ("127.0.0.1" behind a reverse proxy on the same machine).
    std::string address = "0.0.0.0";
    /// The port; 0 picks a free one (endpoint::port() tells which).
    std::uint16_t port = 8080;
    /// The application's Public Key from the Developer Portal (64 hex digits). Required.
    std::string public_key{};
    /// PEM certificate chain file: the endpoint speaks HTTPS itself. Empty: plain HTTP, for a
    /// reverse proxy (nginx…) that ends TLS in front of it.
    std::string tls_certificate_file{};
    /// PEM private key file of that certificate.
    std::string tls_private_key_file{};
    /// A larger body is refused with 413, from its Content-Length, before it is read.
    std::size_t max_body_size = std::size_t{1} << 20;
    /// A request's header, and then its body, must arrive within this of its first byte.
    std::chrono::milliseconds header_timeout{10000};
    /// A kept-alive connection with no request for this long is closed.
    std::chrono::milliseconds idle_timeout{60000};
    /// Connections open at once; a further one is answered 503 and closed.
    std::size_t max_connections = 256;
    /// A request whose X-Signature-Timestamp is further from now is refused (401), so that a
    /// captured request cannot be replayed later.
    std::chrono::seconds timestamp_tolerance{300};
    /// When the endpoint answers by itself if the handler has not (Discord allows 3 s): a
    /// deferred message (type 5) for commands and modal submits, a deferred update (6) for
    /// components, an autocomplete result without choices (8) for an autocomplete.
    std::chrono::milliseconds auto_defer_margin{2500};
};

/// What the endpoint has seen since it was made.
struct endpoint_counters {
    std::uint64_t connections = 0;           ///< connections accepted, refused ones included
    std::uint64_t refused_connections = 0;   ///< over max_connections (503)
    std::uint64_t requests = 0;              ///< requests whose header was read
    std::uint64_t unauthorized = 0;          ///< answered 401 (signature or timestamp)
    std::uint64_t too_large = 0;             ///< answered 413
    std::uint64_t timeouts = 0;              ///< connections closed by the header or idle timeout
    std::uint64_t pings = 0;                 ///< PINGs answered
    std::uint64_t interactions = 0;          ///< interactions given to the handler
    std::uint64_t auto_deferred = 0;         ///< of those, answered by the auto-defer
    std::uint64_t webhook_events = 0;        ///< webhook events given to their handlers
};

/// An HTTP/1.1 server for Discord's interaction POSTs (and webhook events): each request's
/// Ed25519 signature is verified (timestamp + raw body, the application's public key) before
/// anything else is done with it; a PING is answered with a PONG; every other interaction goes
/// to the interaction handler, whose return value is the HTTP response (the interaction's first
/// response: types 4 to 9). A webhook event (Webhook Events URL; the same server serves both)
/// is answered 204 and goes to the handlers registered for its name.
///
/// Runs on the executor it is given: beside a cord::client (`bot.executor()`), or alone with an
/// io_context and a cord::rest_client for what follows the first response (no shards needed).
/// Every public member may be called from any thread. Logs to cord::discord_logger() as
/// "interactions", redacted like every cord log line; no log line holds a body or a token.
class endpoint {
public:
    /// Maps an interaction (its JSON, verified) to its first response's JSON, e.g.
    /// `{"type": 4, "data": {"content": "pong"}}`. Each call runs on a strand of its own.
    using interaction_handler = std::function<awaitable<json>(json interaction)>;
    /// Receives a webhook event's `event` object ({type, timestamp, data}).
    using webhook_event_handler = std::function<awaitable<void>(json event)>;

    /// Binds and listens at once (port() is known when it returns); serves from run() on.
    /// Throws cord::error (invalid_argument) for a malformed public key, an address that is not
    /// an IP address or TLS files that cannot be read, (transport) when it cannot listen.
    endpoint(boost::asio::any_io_executor executor, const endpoint_options& options);
    ~endpoint();   ///< stop()s
    endpoint(const endpoint&) = delete;
    endpoint& operator=(const endpoint&) = delete;

    /// The handler of every interaction but PINGs. Without one, interactions are deferred at
    /// the margin and a warning says that none is set.
    void on_interaction(interaction_handler handler);
    /// Handlers of webhook events by gateway-style name ("raw-application-authorized",
    /// "raw-entitlement-create"…), or "*" for every event.
    void on_webhook_event(std::string_view name, webhook_event_handler handler);
    /// A handler's answer that comes after the auto-defer cannot be the HTTP response any
    /// more: with a REST client set, a message answer (type 4 or 7) then edits the deferred
    /// response (PATCH /webhooks/{application_id}/{token}/messages/\@original); without one it is
    /// logged and dropped. `rest` must outlive the endpoint (a cord::client converts to it).
    void use_rest(rest_client& rest);
    /// Serves interactions with `router`'s handlers and their responders, exactly as
    /// cord::client serves gateway interactions: the first response (reply, defer, update,
    /// modal, autocomplete, or the auto-defer at the router's margin) is the HTTP answer, and
    /// everything after it (edits, followups) goes through `rest`. Replaces on_interaction().
    /// Beside a client: `route_to(bot.interactions(), bot)`; alone: a router and a rest_client
    /// of your own. Both must outlive the endpoint.
    void route_to(interaction_router& router, rest_client& rest);

    /// Serves until stop(); returns once every connection has closed.
    awaitable<void> run();
    /// Stops accepting and closes every connection; run() returns. Handlers still running
    /// finish on their own. Idempotent.
    void stop();

    /// The port it listens on (the one the system picked for port 0).
    std::uint16_t port() const noexcept;
    /// Counters since construction.
    endpoint_counters counters() const;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

} // namespace cord::interactions
