// Shared by the client's tests against the emulator: bounded waiting, options pointing at a
// fake_discord, counting READY shards.
#pragma once

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;
using cord::testing::fake_discord;

// Polls `done` every 10 ms for at most `limit`; returns its last value.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 20s)
{
    auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// Message content is a privileged intent: without it the emulator, like Discord, blanks it.
constexpr auto content_intents = cord::unprivileged_intents | cord::intents::message_content;

inline cord::client_options options_for(const fake_discord& fake, cord::client_options o = {})
{
    o.tls.allow_plaintext = true;
    o.rest.base_url = fake.rest_url();
    o.gateway.url = fake.gateway_url();
    o.gateway.compress = cord::compression::zlib_stream;
    o.handle_signals = false;
    return o;
}

struct ready_counter {
    std::mutex m;
    std::set<int> shards;
    void attach(cord::client& c)
    {
        c.on_event("raw-ready", [this](cord::shard& s, cord::client&, cord::json) {
            std::lock_guard lock{m};
            shards.insert(s.id());
        });
    }
    std::size_t count()
    {
        std::lock_guard lock{m};
        return shards.size();
    }
};

// Starts `bot` in the background and waits (bounded) until `shards` shards are READY.
inline bool start_until_ready(cord::client& bot, ready_counter& ready, std::size_t shards)
{
    bot.start_no_wait();
    return eventually([&] { return ready.count() == shards; });
}

// A wait_for() predicate: a message whose content is `text`.
inline std::function<bool(const cord::json&)> content_is(std::string text)
{
    return [text = std::move(text)](const cord::json& m) { return m["content"].as_string() == text; };
}

// Matches a cord::error carrying `code`.
inline Catch::Matchers::Generic::PredicateMatcher<cord::error> with_code(cord::errc code)
{
    return Catch::Matchers::Predicate<cord::error>([code](const cord::error& e) { return e.code() == code; });
}

// A client against its own emulator, READY shards counted.
struct running_bot {
    explicit running_bot(cord::client_options o = {},
                         cord::testing::fake_discord_options f = {.heartbeat_interval = 1000ms})
        : fake{std::move(f)}, bot{"fake-bot-token", options_for(fake, std::move(o))}
    {
        ready.attach(bot);
    }
    void start() { REQUIRE(start_until_ready(bot, ready, 1)); }
    cord::snowflake channel() { return fake.general_channel(fake.guild_ids().at(0)); }
    void user_says(std::string_view text) { fake.post_message_as(fake.add_user("bob"), channel(), text); }

    fake_discord fake;
    cord::client bot;
    ready_counter ready;
};

} // namespace
