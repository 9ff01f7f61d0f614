// What a bot author writes, compiled by tools/check-warnings.sh with -Wall -Wextra -Wpedantic
// -Werror at -O2 (g++ and clang): the public headers must give no warning in a user's build.
// Only <cord/...> headers: the include path is include/ and the build's include/.
#include <cord/cord.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace http = cord::http;
using namespace std::chrono_literals;

namespace {

cord::awaitable<void> on_message(cord::client& c, cord::json msg)
{
    auto channel = msg["channel_id"];
    if (msg["content"].as_string() == "!ping") {
        co_await http::create_message(c, channel, "pong");
        co_return;
    }
    // Trivially destructible option structs: designated initialisers inside co_await.
    cord::json page = co_await http::get_channel_messages(c, channel, {.before = msg["id"], .limit = 50});
    co_await http::list_guild_members(c, msg["guild_id"], {.limit = 100, .after = cord::snowflake{1}});
    co_await http::create_channel_invite(c, channel, {.max_age = 0, .unique = true, .reason = "event"});

    // The others: a named variable first (g++ 12 refuses them as temporaries).
    http::create_message_options reply{.embeds = {cord::json::object({{"title", "hello"}})},
                                       .files = {cord::attachment{.filename = "a.txt", .data = "hi"}},
                                       .reply_to = msg["id"]};
    co_await http::create_message(c, channel, "hi", reply);

    // wait_for begins at the call: start it, cause the event, then await it.
    auto answer = c.wait_for(
        "raw-message-create", [](const cord::json& m) { return m["content"].as_string() == "yes"; }, 10s);
    co_await http::create_message(c, channel, "sure?");
    try {
        cord::json m = co_await std::move(answer);
        cord::discord_logger().log(cord::log_level::info, "bot", m["content"].as_string());
    } catch (const cord::error& e) {
        if (e.code() != cord::errc::timeout)
            throw;
    }

    try {
        co_await http::delete_message(c, channel, msg["id"], "cleanup");
    } catch (const http::discord_error& e) {
        for (const http::field_error& f : e.field_errors())
            std::printf("%s %s %d\n", f.path.c_str(), e.reason().c_str(), e.discord_code());
    }

    cord::request_options extras{.query = {{"limit", "1"}}, .reason = "audit"};
    co_await c.rest().request("GET", "/users/@me/guilds", std::nullopt, extras);

    cord::presence idle{.activities = cord::json::array({cord::json::object({{"name", "chess"}, {"type", 0}})}),
                        .status = "idle"};
    co_await c.update_status(idle);
    (void)page;
}

// A bot that runs a shard itself.
cord::awaitable<void> own_shard(boost::asio::any_io_executor io, cord::testing::fake_discord& fake)
{
    cord::shard_hooks hooks{.on_dispatch = [](cord::shard& s, std::string_view name, const cord::json& d,
                                              std::uint64_t seq) {
        std::printf("shard %d: %.*s %zu %llu\n", s.id(), static_cast<int>(name.size()), name.data(), d.size(),
                    static_cast<unsigned long long>(seq));
    }};
    cord::shard s{io,
                  {.token = "fake-bot-token",
                   .intents = cord::intents::guilds,
                   .gateway = {.url = fake.gateway_url(), .compress = cord::compression::none},
                   .tls = {.allow_plaintext = true}},
                  std::move(hooks)};
    cord::request_guild_members_options everyone{.query = "", .limit = 0, .presences = false};
    co_await s.request_guild_members(cord::snowflake{1}, everyone);
    co_await s.update_voice_state(cord::snowflake{1}, std::nullopt);
    co_await s.run();
}

} // namespace

int main()
{
    cord::testing::fake_discord fake{{.tls = false, .guilds = 1, .identify_window = 100ms}};
    cord::testing::fake_discord defaults{{}};   // options, not an executor: unambiguous
    boost::asio::io_context own_io;
    cord::testing::fake_discord on_own_io{own_io.get_executor(), {.guilds = 1}};
    (void)defaults;
    (void)on_own_io;
    fake.set_route_limit("POST", "/channels/{channel_id}/messages", {.limit = 5, .window = 5s, .hash = "msgs"});

    cord::client bot{"fake-bot-token",
                     {.intents = cord::intents::guild_messages | cord::intents::message_content,
                      .shard_count = 1,
                      .shards = cord::shard_range{.first = 0, .last = 1},
                      .tls = {.allow_plaintext = true},
                      .rest = {.base_url = fake.rest_url(), .max_retries = 1,
                               .on_metrics = [](const cord::rest_event& e) { (void)e.status; }},
                      .gateway = {.url = fake.gateway_url(), .initial_presence = cord::presence{.status = "dnd"}},
                      .handle_signals = false}};

    bot.on_event("raw-message-create",
                 [](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
                     co_await on_message(c, std::move(msg));
                 });
    auto sub = bot.on_event("*", [](cord::shard& s, cord::client&, cord::json d) {
        std::printf("%d %s\n", s.id(), d.dump().c_str());
    });
    bot.off(sub);

    cord::discord_logger().subscribe([](const cord::log_record& r) { std::puts(cord::logger::format(r).c_str()); });
    cord::log_record sample{.level = cord::log_level::warning, .component = "bot", .message = "sample"};
    std::puts(cord::logger::format(sample).c_str());

    boost::asio::co_spawn(bot.executor(), own_shard(bot.executor(), fake), boost::asio::detached);

    bot.start_no_wait();
    cord::json me = bot.sync_wait(http::get_current_user(bot));
    std::printf("%s %s\n", me["username"].as_string().data(), bot.describe().dump().c_str());
    bot.stop(cord::stop_mode::keep_session);
    bot.wait_stopped();

    cord::client next{"fake-bot-token", {.rest = {.base_url = fake.rest_url(), .tls = {.allow_plaintext = true}},
                                         .resume_sessions = bot.sessions()}};
    return next.running() ? 1 : 0;
}
