// http_interactions_bot: slash commands over HTTP, with no gateway connection at all. Discord
// POSTs each interaction to this program's URL (the application's Interactions Endpoint URL);
// the program verifies its signature and answers in the HTTP response.
//
//   DISCORD_PUBLIC_KEY=<hex from the Developer Portal> ./http_interactions_bot
// Optional: PORT (8080), DISCORD_TOKEN (REST after the first response), TLS_CERT and TLS_KEY
// (PEM files: the program speaks HTTPS itself instead of behind a reverse proxy).
//
// /ping answers "pong" at once; /slow takes 4 s, so the endpoint defers it at 2.5 s and, with
// DISCORD_TOKEN set, the late answer edits the deferred response through REST. Register the
// commands once (e.g. with cord::http or the Developer Portal), then set the Interactions
// Endpoint URL to https://your.host/interactions (docs/interactions-http.md).
#include <cord/cord.hpp>
#include <cord/interactions/endpoint.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

namespace asio = boost::asio;
using cord::json;

namespace {

std::string env(const char* name, const char* fallback = "")
{
    const char* v = std::getenv(name);
    return v ? v : fallback;
}

json message(std::string_view text)
{
    return json::object({{"type", 4}, {"data", json::object({{"content", text}})}});
}

cord::awaitable<json> answer(json interaction)
{
    std::string name{interaction["data"]["name"].as_string()};
    if (name == "ping")
        co_return message("pong");
    if (name == "slow") {
        asio::steady_timer t{co_await asio::this_coro::executor, std::chrono::seconds{4}};
        co_await t.async_wait(asio::use_awaitable);
        co_return message("that took a while");
    }
    // Ephemeral (flags 64): only the user who ran it sees it.
    co_return json::object(
        {{"type", 4}, {"data", json::object({{"content", "I do not know that command"}, {"flags", 64}})}});
}

} // namespace

int main()
try {
    cord::interactions::endpoint_options options;
    options.public_key = env("DISCORD_PUBLIC_KEY");
    if (options.public_key.empty()) {
        std::fprintf(stderr, "set DISCORD_PUBLIC_KEY to the application's Public Key (Developer Portal, General "
                             "Information)\n");
        return 2;
    }
    options.port = static_cast<std::uint16_t>(std::stoi(env("PORT", "8080")));
    options.tls_certificate_file = env("TLS_CERT");
    options.tls_private_key_file = env("TLS_KEY");

    asio::io_context ioc{1};
    cord::interactions::endpoint endpoint{ioc.get_executor(), options};
    endpoint.on_interaction(answer);

    // REST for what follows the first response (here: the late answer of /slow). No shards.
    std::optional<cord::rest_client> rest;
    if (auto token = env("DISCORD_TOKEN"); !token.empty()) {
        rest.emplace(ioc.get_executor(), token);
        endpoint.use_rest(*rest);
    }

    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    signals.async_wait([&](auto, int) {
        endpoint.stop();
        if (rest)
            rest->stop();
    });
    asio::co_spawn(ioc, endpoint.run(), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    std::printf("listening on port %u\n", static_cast<unsigned>(endpoint.port()));
    ioc.run();
} catch (const std::exception& e) {
    std::fprintf(stderr, "http_interactions_bot: %s\n", e.what());
    return 1;
}
