// http_interactions_bot: slash commands over HTTP, with no gateway connection at all. Discord
// POSTs each interaction to this program's URL (the application's Interactions Endpoint URL);
// the program verifies its signature and answers in the HTTP response. The handlers are the
// same as a gateway bot's (bot.command(...)): a router and its responders.
//
//   DISCORD_PUBLIC_KEY=<hex from the Developer Portal> ./http_interactions_bot
// Optional: PORT (8080), TLS_CERT and TLS_KEY (PEM files: the program speaks HTTPS itself
// instead of behind a reverse proxy), DISCORD_TOKEN (for REST calls of your own; edits and
// followups of an interaction need none: its token is their credential).
//
// /ping answers "pong" at once; /slow takes 4 s, so the responder defers it at 2.5 s (the HTTP
// answer) and its reply then edits the deferred response through REST. Register the commands
// once (cord::sync_commands, or the Developer Portal), then set the Interactions Endpoint URL
// to https://your.host/interactions (docs/interactions.md).
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
#include <string>

namespace asio = boost::asio;

namespace {

std::string env(const char* name, const char* fallback = "")
{
    const char* v = std::getenv(name);
    return v ? v : fallback;
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
    cord::rest_client rest{ioc.get_executor(), env("DISCORD_TOKEN")};
    cord::interaction_router router;
    router.command("ping", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("pong");
    });
    router.command("slow", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        asio::steady_timer t{co_await asio::this_coro::executor, std::chrono::seconds{4}};
        co_await t.async_wait(asio::use_awaitable);
        co_await r.reply("that took a while");   // fills the deferred response
    });

    cord::interactions::endpoint endpoint{ioc.get_executor(), options};
    endpoint.route_to(router, rest);

    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    signals.async_wait([&](auto, int) {
        endpoint.stop();
        rest.stop();
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
