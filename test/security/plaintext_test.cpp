// Promise 2: nothing goes out in plaintext unless tls_options::allow_plaintext says so: an
// http:// REST base URL, a ws:// gateway URL and a ws:// resume URL are refused with an error
// that names the option, before any connection is made.
#include "gateway/fake_harness.hpp"
#include "log_capture.hpp"
#include "loopback_server.hpp"
#include "run_call.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/http.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using cord::testing::fake_discord;

namespace {

// The message of the cord::error (invalid_argument) that `f` must throw.
template <class F>
std::string refusal_of(F&& f)
{
    try {
        f();
    } catch (const cord::error& e) {
        CHECK(e.code() == cord::make_error_code(cord::errc::invalid_argument));
        return e.what();
    }
    FAIL("not refused");
    return {};
}

std::string upper_scheme(std::string url)
{
    for (std::size_t i = 0; i < url.find("://"); ++i)
        url[i] = static_cast<char>(url[i] - 'a' + 'A');
    return url;
}

} // namespace

TEST_CASE("plaintext only when explicitly allowed: http:// REST, ws:// gateway, ws:// resume URL",
          "[security-plaintext]")
{
    SECTION("an http:// REST base URL")
    {
        fake_discord fake;
        boost::asio::io_context io;
        for (const auto& url : {fake.rest_url(), upper_scheme(fake.rest_url())}) {
            INFO(url);
            cord::rest_options o;
            o.base_url = url;
            CHECK_THAT(refusal_of([&] { cord::rest_client rest(io.get_executor(), "fake-bot-token", o); }),
                       Catch::Contains("allow_plaintext"));
            cord::client_options co;
            co.rest.base_url = url;
            co.gateway.url = "wss://gateway.example";
            CHECK_THAT(refusal_of([&] { cord::client bot("fake-bot-token", co); }), Catch::Contains("allow_plaintext"));
        }
        CHECK(fake.counters().requests == 0);

        // The same URL with the option set is used.
        cord::rest_options o;
        o.base_url = fake.rest_url();
        o.tls.allow_plaintext = true;
        cord::rest_client rest{io.get_executor(), "fake-bot-token", o};
        CHECK(sectest::run_call(io, cord::http::get_current_user(rest))["id"].as_snowflake() == fake.bot_user_id());
        CHECK(fake.counters().requests == 1);
    }

    SECTION("a ws:// gateway URL, given to a shard or to a client")
    {
        fake_discord plain;
        cord::shard_config c;
        c.token = "fake-bot-token";
        c.gateway.url = plain.gateway_url();
        boost::asio::io_context io;
        CHECK_THAT(refusal_of([&] { cord::shard s(io.get_executor(), c, {}); }), Catch::Contains("allow_plaintext"));

        // A client whose REST half is https (the emulator's CA trusted) but whose gateway is
        // ws:// fails to start and never connects there.
        fake_discord secure{{.tls = true}};
        cord::client_options o;
        o.tls.extra_ca_pem = secure.ca_pem();
        o.rest.base_url = secure.rest_url();
        o.gateway.url = plain.gateway_url();
        o.handle_signals = false;
        cord::client bot{"fake-bot-token", o};
        bot.start_no_wait();
        CHECK_THAT(refusal_of([&] { bot.wait_stopped(); }), Catch::Contains("allow_plaintext"));
        CHECK(secure.counters().requests == 1);   // GET /gateway/bot over https
        CHECK(plain.counters().gateway_connections == 0);

        // With the option, the same ws:// URL is used.
        gwtest::harness h;   // plain emulator, allow_plaintext set
        h.start();
        CHECK(h.run_until([&] { return h.ready(); }));
    }

    SECTION("a ws:// resume URL is not connected to; the shard identifies anew over wss://")
    {
        sectest::log_capture logs;
        sectest::loopback_server trap;   // where the plaintext resume URL points
        auto resume_at = [&](bool allow) {
            return [&trap, allow](cord::shard_config& c) {
                c.resume_from = cord::session_info{"a-session", 7, trap.url("ws")};
                c.gateway.max_resume_attempts = 2;
                c.tls.allow_plaintext = allow;
            };
        };
        {
            gwtest::harness h{gwtest::fast_fake(true), cord::compression::none, resume_at(false)};
            h.start();
            REQUIRE(h.run_until([&] { return h.ready(); }));
            CHECK(trap.connections() == 0);
            CHECK(h.fake.counters().resumes == 0);
            CHECK(h.fake.counters().identifies == 1);
            CHECK(logs.contains("the resume URL is not wss://"));
        }
        {
            // The control: allowed, the same session is resumed at that URL.
            gwtest::harness h{gwtest::fast_fake(true), cord::compression::none, resume_at(true)};
            h.start();
            CHECK(h.run_until([&] { return trap.connections() > 0; }, 5s));
        }
    }
}
