// cord::interactions::endpoint: the public face of the HTTP interactions endpoint. The
// transport (endpoint_transport.cpp) verifies and classifies requests; this file runs the
// handlers behind the interaction_sink seam and turns a late answer into an edit.
// SPDX-License-Identifier: BSL-1.0
#include <cord/interactions/endpoint.hpp>

#include "interactions/delivery.hpp"
#include "interactions/endpoint_transport.hpp"
#include "interactions/first_response.hpp"
#include "interactions/interaction_calls.hpp"
#include "interactions/router_core.hpp"
#include "log/component_log.hpp"

#include <cord/error.hpp>
#include <cord/rest_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <mutex>
#include <vector>

namespace cord::interactions {

namespace asio = boost::asio;
namespace di = cord::detail::interactions;

namespace {

constexpr cord::detail::component_log log{"interactions"};

// Names an interaction in a log line without its token: its id and what it is.
std::string describe(const json& interaction)
{
    try {
        std::string id = interaction.value_or("id", "?");
        if (auto data = interaction.find("data"); data && data->is_object()) {
            if (data->contains("name"))
                return fmt::format("interaction {} (/{})", id, data->value_or("name", ""));
            if (data->contains("custom_id"))
                return fmt::format("interaction {} (custom_id '{}')", id, data->value_or("custom_id", ""));
        }
        return fmt::format("interaction {}", id);
    } catch (const std::exception&) {
        return "an interaction";
    }
}

// The first response of a routed interaction: the HTTP answer. Should the transport's own
// auto-defer have answered first (this process was too slow even for the responder's margin),
// the same acknowledgement counts as sent, and a message becomes the deferred response's edit.
asio::awaitable<void> answer_in_http(std::shared_ptr<di::first_response> exchange, rest_client* rest, snowflake app,
                                     std::string token, json body)
{
    if (exchange->answer(body.dump()))
        co_return;
    auto type = body.value_or("type", std::int64_t{0});
    if (type == 5 || type == 6 || type == 8)
        co_return;   // the transport sent this very acknowledgement (or empty choices)
    if ((type == 4 || type == 7) && body.contains("data")) {
        auto data = body["data"];
        co_await di::edit_original(*rest, app, token, data);
        co_return;
    }
    throw cord::error(errc::invalid_argument, "the endpoint had already deferred this interaction: a modal can "
                                              "only be the first response");
}

} // namespace

// The handlers, shared by the endpoint and its transport (which holds it as its sink).
class handler_table final : public di::interaction_sink, public std::enable_shared_from_this<handler_table> {
public:
    explicit handler_table(asio::any_io_executor executor) : executor_(std::move(executor)) {}

    void set_interaction(endpoint::interaction_handler h)
    {
        std::lock_guard lock{mu_};
        interaction_ = std::move(h);
    }
    void add_event(std::string_view name, endpoint::webhook_event_handler h)
    {
        std::lock_guard lock{mu_};
        events_.emplace(std::string{name}, std::move(h));
    }
    void set_rest(rest_client& rest)
    {
        std::lock_guard lock{mu_};
        rest_ = &rest;
    }
    void set_router(std::shared_ptr<di::router_core> router, rest_client& rest)
    {
        std::lock_guard lock{mu_};
        router_ = std::move(router);
        rest_ = &rest;
    }

    void on_interaction(json interaction, di::interaction_kind kind,
                        std::shared_ptr<di::first_response> exchange) override
    {
        endpoint::interaction_handler h;
        std::shared_ptr<di::router_core> router;
        rest_client* rest = nullptr;
        {
            std::lock_guard lock{mu_};
            h = interaction_;
            router = router_;
            rest = rest_;
        }
        if (router) {
            asio::co_spawn(asio::make_strand(executor_),
                           route(std::move(router), rest, std::move(interaction), std::move(exchange), executor_),
                           asio::detached);
            return;
        }
        if (!h) {
            if (!warned_.exchange(true))
                log(log_level::warning, "no interaction handler is set (endpoint::on_interaction): interactions "
                                        "are only deferred");
            return;   // the auto-defer answers it
        }
        asio::co_spawn(asio::make_strand(executor_),
                       run(shared_from_this(), std::move(h), std::move(interaction), kind, std::move(exchange)),
                       asio::detached);
    }

    void on_webhook_event(std::string name, json event) override
    {
        std::vector<endpoint::webhook_event_handler> chosen;
        {
            std::lock_guard lock{mu_};
            for (auto key : {std::string_view{name}, std::string_view{"*"}}) {
                auto [first, last] = events_.equal_range(key);
                for (auto it = first; it != last; ++it)
                    chosen.push_back(it->second);
            }
        }
        if (chosen.empty())
            log(log_level::debug, "webhook event {}: no handler", name);
        for (auto& h : chosen)
            asio::co_spawn(asio::make_strand(executor_), run_event(std::move(h), name, event), asio::detached);
    }

private:
    // Through the router, with a responder whose first response is the HTTP answer.
    static asio::awaitable<void> route(std::shared_ptr<di::router_core> router, rest_client* rest, json interaction,
                                       std::shared_ptr<di::first_response> exchange, asio::any_io_executor executor)
    {
        auto received = di::clock::now();
        std::shared_ptr<di::responder_core> core;
        try {
            cord::interaction in{std::move(interaction)};
            auto app = in.application_id();
            std::string token{in.token()};
            auto sink = [exchange, rest, app, token](const json& body) {
                return answer_in_http(exchange, rest, app, token, body);
            };
            core = std::make_shared<di::responder_core>(*rest, std::move(in), executor, received, router->settings(),
                                                        std::move(sink));
        } catch (const std::exception& e) {
            log(log_level::error, "an interaction cord cannot read: {}; answered 500", e.what());
            exchange->fail();
            co_return;
        }
        co_await router->run(core);
        // No handler, or one that returned without answering: Discord shows the user that the
        // interaction failed, as it does for a gateway interaction nobody answers.
        if (!core->responded())
            exchange->fail();
    }

    static asio::awaitable<void> run_event(endpoint::webhook_event_handler h, std::string name, json event)
    {
        try {
            co_await h(std::move(event));
        } catch (const std::exception& e) {
            log(log_level::error, "the handler of webhook event {} threw: {}", name, e.what());
        }
    }

    static asio::awaitable<void> run(std::shared_ptr<handler_table> self, endpoint::interaction_handler h,
                                     json interaction, di::interaction_kind kind,
                                     std::shared_ptr<di::first_response> exchange)
    {
        json answer;
        try {
            answer = co_await h(interaction);
        } catch (const std::exception& e) {
            log(log_level::error, "the interaction handler threw for {}: {}; answered 500 (Discord shows "
                                  "\"This interaction failed\")",
                describe(interaction), e.what());
            exchange->fail();
            co_return;
        }
        auto why = di::check_first_response(kind, answer);
        if (why) {
            log(log_level::error, "the interaction handler's answer to {} cannot be its first response: {}; "
                                  "answered 500",
                describe(interaction), *why);
            exchange->fail();
            co_return;
        }
        bool in_time = exchange->answer(answer.dump());
        if (!in_time)
            co_await self->late_answer(interaction, answer);
    }

    // The handler answered after the auto-defer: what the responder will do, in its simplest form.
    asio::awaitable<void> late_answer(json interaction, json answer)
    {
        rest_client* rest = nullptr;
        {
            std::lock_guard lock{mu_};
            rest = rest_;
        }
        std::int64_t type = answer.value_or("type", std::int64_t{0});
        bool message = (type == 4 || type == 7) && answer.contains("data");
        if (!message || !rest) {
            log(log_level::warning, "{} was answered after the auto-defer; the answer (type {}) is dropped{}",
                describe(interaction), type,
                message ? ": call endpoint::use_rest() to have it edit the deferred response" : "");
            co_return;
        }
        try {
            // The interaction-token route: no Authorization, outside the global limit.
            auto app = interaction["application_id"].as_snowflake();
            std::string token{interaction["token"].as_string()};
            auto data = answer["data"];
            co_await di::edit_original(*rest, app, token, data);
            log(log_level::debug, "{}: the answer after the auto-defer edited the deferred response",
                describe(interaction));
        } catch (const std::exception& e) {
            log(log_level::warning, "{}: editing the deferred response failed: {}", describe(interaction), e.what());
        }
    }

    asio::any_io_executor executor_;
    std::mutex mu_;
    endpoint::interaction_handler interaction_;
    std::multimap<std::string, endpoint::webhook_event_handler, std::less<>> events_;
    rest_client* rest_ = nullptr;
    std::shared_ptr<di::router_core> router_;
    std::atomic<bool> warned_{false};
};

struct endpoint::impl {
    std::shared_ptr<handler_table> handlers;
    std::unique_ptr<di::endpoint_server> server;
};

namespace {

di::transport_settings to_settings(const endpoint_options& o)
{
    return {.address = o.address,
            .port = o.port,
            .tls_certificate_file = o.tls_certificate_file,
            .tls_private_key_file = o.tls_private_key_file,
            .checks = {.body_limit = o.max_body_size, .timestamp_tolerance = o.timestamp_tolerance},
            .header_timeout = o.header_timeout,
            .idle_timeout = o.idle_timeout,
            .max_connections = o.max_connections,
            .auto_defer_margin = o.auto_defer_margin};
}

} // namespace

endpoint::endpoint(asio::any_io_executor executor, const endpoint_options& options) : impl_(std::make_shared<impl>())
{
    if (options.public_key.empty())
        throw cord::error(errc::invalid_argument,
                          "interactions endpoint: set endpoint_options::public_key to the application's Public Key "
                          "(Developer Portal, General Information)");
    if (options.max_connections == 0 || options.max_body_size == 0)
        throw cord::error(errc::invalid_argument,
                          "interactions endpoint: max_connections and max_body_size must be at least 1");
    if (options.auto_defer_margin.count() <= 0 || options.auto_defer_margin >= std::chrono::seconds{3})
        throw cord::error(errc::invalid_argument,
                          fmt::format("interactions endpoint: auto_defer_margin must be between 0 and 3000 ms "
                                      "(Discord's deadline for the first response); got {} ms",
                                      options.auto_defer_margin.count()));
    di::ed25519_verifier verifier{options.public_key};
    impl_->handlers = std::make_shared<handler_table>(executor);
    impl_->server =
        std::make_unique<di::endpoint_server>(executor, to_settings(options), std::move(verifier), impl_->handlers);
    log(log_level::info, "listening on {}:{} ({})", options.address, impl_->server->port(),
        options.tls_certificate_file.empty() ? "HTTP" : "HTTPS");
}

endpoint::~endpoint()
{
    if (impl_ && impl_->server)
        impl_->server->stop();
}

void endpoint::on_interaction(interaction_handler handler) { impl_->handlers->set_interaction(std::move(handler)); }

void endpoint::on_webhook_event(std::string_view name, webhook_event_handler handler)
{
    impl_->handlers->add_event(name, std::move(handler));
}

void endpoint::use_rest(rest_client& rest) { impl_->handlers->set_rest(rest); }

void endpoint::route_to(interaction_router& router, rest_client& rest)
{
    impl_->handlers->set_router(router.core(), rest);
}

awaitable<void> endpoint::run() { return impl_->server->run(); }

void endpoint::stop() { impl_->server->stop(); }

std::uint16_t endpoint::port() const noexcept { return impl_->server->port(); }

endpoint_counters endpoint::counters() const { return impl_->server->counters(); }

} // namespace cord::interactions
