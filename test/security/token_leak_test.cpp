// Promise 1: the bot token is in no log line, no exception message and no dump of the client's
// state, at any log level (trace included), whatever happens on the way: identify, events,
// REST errors, a refused token, a resume and a fatal close.
#include "gateway/fake_harness.hpp"
#include "log_capture.hpp"
#include "run_call.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/http.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using cord::testing::fake_discord;

namespace {

// Shaped like real bot tokens (<base64 user id>.<timestamp>.<HMAC>), so that nothing is
// masked merely for looking unlike one.
const std::string token = "MTE0OTU4NzQ2MzA5MjY2NjQwMA.GxQ2Zb.k9vS0dJw2pXzL7yQe4Tt1aBcDeFgHiJkLmNoPq";
const std::string wrong_token = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.Abcdef.wr0ngWr0ngWr0ngWr0ngWr0ngWr0ng12";

// What must never be shown: the token, the "Bot <token>" header value, and each of the
// token's base64 pieces on its own (a prefix cut off at some length would show those).
std::vector<std::string> secrets_of(const std::string& t)
{
    std::vector<std::string> out{t, "Bot " + t};
    for (std::size_t at = 0; at <= t.size();) {
        auto dot = std::min(t.find('.', at), t.size());
        out.push_back(t.substr(at, dot - at));
        at = dot + 1;
    }
    return out;
}

// The texts among `texts` that show one of `secrets`.
std::vector<std::string> leaks(const std::vector<std::string>& texts, const std::vector<std::string>& secrets)
{
    std::vector<std::string> out;
    for (const auto& text : texts)
        for (const auto& s : secrets)
            if (text.find(s) != std::string::npos) {
                out.push_back(text);
                break;
            }
    return out;
}

template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 15s)
{
    for (auto end = std::chrono::steady_clock::now() + limit; !done(); std::this_thread::sleep_for(10ms))
        if (std::chrono::steady_clock::now() > end)
            return false;
    return true;
}

// what() of the error a REST call must end with.
std::string error_of(boost::asio::io_context& io, cord::awaitable<cord::json> call)
{
    try {
        sectest::run_call(io, std::move(call));
    } catch (const std::exception& e) {
        return e.what();
    }
    FAIL("the call succeeded");
    return {};
}

} // namespace

TEST_CASE("no token in any log line, exception message or client state dump, trace included", "[security-token]")
{
    sectest::log_capture logs;
    std::vector<std::string> texts;   // exception messages and state dumps

    cord::testing::fake_discord_options fo;
    fo.token = token;
    fo.heartbeat_interval = 300ms;
    fo.identify_window = 10ms;
    fo.rate_limits = false;
    fake_discord fake{fo};

    SECTION("a client: identify, events, a REST error, a resume, a fatal close 4004")
    {
        cord::client_options o;
        o.intents = cord::intents::guilds | cord::intents::guild_messages | cord::intents::message_content;
        o.tls.allow_plaintext = true;
        o.rest.base_url = fake.rest_url();
        o.gateway.url = fake.gateway_url();
        o.gateway.reconnect_backoff_min = 10ms;
        o.gateway.reconnect_backoff_max = 100ms;
        o.handle_signals = false;
        cord::client bot{token, o};
        std::atomic<int> ready{0}, resumed{0}, messages{0};
        bot.on_event("raw-ready", [&](cord::shard&, cord::client&, cord::json) { ++ready; });
        bot.on_event("raw-resumed", [&](cord::shard&, cord::client&, cord::json) { ++resumed; });
        bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json) { ++messages; });
        texts.push_back(bot.describe().dump());
        bot.start_no_wait();
        REQUIRE(eventually([&] { return ready == 1; }));

        auto guild = fake.guild_ids().at(0);
        auto channel = fake.general_channel(guild);
        auto alice = fake.add_user("alice");
        fake.add_member(guild, alice);
        fake.post_message_as(alice, channel, "hello");
        REQUIRE(eventually([&] { return messages == 1; }));
        bot.sync_wait(cord::http::create_message(bot, channel, "pong"));
        try {
            bot.sync_wait(cord::http::get_channel(bot, "1"));   // no such channel
            FAIL("no error for an unknown channel");
        } catch (const cord::http::discord_error& e) {
            CHECK(e.http_code() == 404);
            texts.push_back(e.what());
        }

        fake.drop_connections();
        REQUIRE(eventually([&] { return resumed == 1; }));
        CHECK(fake.counters().resumes == 1);

        auto state = bot.describe();
        texts.push_back(state.dump());
        CHECK(state["shard_count"].as_int() == 1);
        CHECK(state["gateway_url"].as_string() == fake.gateway_url());
        CHECK(state["rest_base_url"].as_string() == fake.rest_url());
        CHECK(state["intents"]["bits"].as_uint() == cord::to_bits(o.intents));
        REQUIRE(state["shards"].size() == 1);
        CHECK(state["shards"][0]["status"].as_string() == "ready");
        CHECK(state["shards"][0]["session"].as_bool());
        CHECK(state["shards"][0]["seq"].as_int() > 0);

        fake.close_connections(4004);
        try {
            bot.wait_stopped();
            FAIL("the client survived 4004");
        } catch (const cord::gateway_error& e) {
            CHECK(e.close_code() == 4004);
            texts.push_back(e.what());
        }
        texts.push_back(bot.describe().dump());
        // The capture saw the whole story, trace lines included.
        auto lines = logs.lines();
        CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("trace "); }));
        CHECK(logs.contains("4004"));
    }

    SECTION("a REST client whose token Discord refuses (401, then refused without asking)")
    {
        boost::asio::io_context io;
        cord::rest_options o;
        o.base_url = fake.rest_url();
        o.tls.allow_plaintext = true;
        cord::rest_client rest{io.get_executor(), wrong_token, o};
        texts.push_back(error_of(io, cord::http::get_current_user(rest)));
        texts.push_back(error_of(io, cord::http::get_current_user(rest)));
        CHECK(fake.counters().requests == 1);
    }

    SECTION("a shard whose token the gateway refuses (4004 at IDENTIFY)")
    {
        gwtest::harness h{gwtest::fast_fake(), cord::compression::zlib_stream,
                          [](cord::shard_config& c) { c.token = wrong_token; }};
        h.start();
        REQUIRE(h.run_until([&] { return h.done; }));
        try {
            h.rethrow();
            FAIL("the shard survived a refused token");
        } catch (const cord::gateway_error& e) {
            CHECK(e.close_code() == 4004);
            texts.push_back(e.what());
        }
    }

    auto lines = logs.lines();
    CHECK_FALSE(lines.empty());
    for (const auto& t : texts)
        CHECK_FALSE(t.empty());
    auto secrets = secrets_of(token);
    for (auto& s : secrets_of(wrong_token))
        secrets.push_back(s);
    auto shown = leaks(lines, secrets);
    auto thrown = leaks(texts, secrets);
    for (const auto& l : shown)
        UNSCOPED_INFO("log line: " << l);
    for (const auto& t : thrown)
        UNSCOPED_INFO("message or dump: " << t);
    CHECK(shown.empty());
    CHECK(thrown.empty());
}
