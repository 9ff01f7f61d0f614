// The REST core against a scripted loopback server: headers, keep-alive, retries, faults,
// timeouts, cancellation and the errors a caller sees.
// SPDX-License-Identifier: BSL-1.0
#include "run_helpers.hpp"
#include "script_server.hpp"

#include "rest/access.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>
#include <cord/logging.hpp>
#include <cord/rest_client.hpp>
#include <cord/version.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using cord::errc;
using cord::json;
using cord::test::error_of;
using cord::test::http_response;
using cord::test::options_for;
using cord::test::run_call;
using cord::test::script_reply;
using cord::test::script_request;
using cord::test::script_server;

namespace {

const std::string& token = cord::test::script_token;

json get(boost::asio::io_context& io, cord::rest_client& c, std::string path = "/channels/1")
{
    return run_call(io, c.request("GET", path));
}

script_reply ok(std::string body = R"({"id":"1"})") { return {http_response(200, std::move(body))}; }

constexpr cord::rest::route delete_message{"delete-message", cord::rest::http_method::del,
                                           "/channels/{channel_id}/messages/{message_id}",
                                           cord::rest::major_param::channel_id, cord::rest::body_none, true, true};

} // namespace

TEST_CASE("a call sends Discord's headers and returns the JSON body; 204 gives null", "[rest-http]")
{
    script_server server{[](const script_request& r, int) {
        return r.head.starts_with("DELETE") ? script_reply{"HTTP/1.1 204 No Content\r\nVia: 1.1 google\r\n\r\n"}
                                            : ok(R"({"id":"7","name":"general"})");
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    auto j = get(io, client, "/channels/7");
    CHECK(j["name"].as_string() == "general");

    cord::rest::request del;
    del.target = &delete_message;
    del.args = {"7", "8"};
    del.reason = "clean up: spam";
    auto none = run_call(io, cord::rest::access::execute(client, std::move(del)));
    CHECK(none.is_null());

    auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].head.starts_with("GET /api/v10/channels/7 HTTP/1.1\r\n"));
    CHECK(reqs[0].head.find("Authorization: Bot " + token + "\r\n") != std::string::npos);
    CHECK(reqs[0].head.find(std::string{"User-Agent: "} + cord::user_agent + "\r\n") != std::string::npos);
    CHECK(std::string{cord::user_agent}.starts_with("DiscordBot ("));
    CHECK(reqs[1].head.starts_with("DELETE /api/v10/channels/7/messages/8 HTTP/1.1\r\n"));
    CHECK(reqs[1].head.find("X-Audit-Log-Reason: clean%20up%3A%20spam\r\n") != std::string::npos);
    // keep-alive: both calls on one connection
    CHECK(server.connections() == 1);
    CHECK(client.metrics().connections_opened == 1);
}

TEST_CASE("bearer and client tokens are sent as Discord expects", "[rest-http]")
{
    script_server server{[](const script_request&, int) { return ok(); }};
    boost::asio::io_context io;
    cord::rest_client bearer{io.get_executor(), "oauth-token", options_for(server), cord::token_type::bearer};
    cord::rest_client user{io.get_executor(), "user-token", options_for(server), cord::token_type::client};
    get(io, bearer);
    get(io, user);
    auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].head.find("Authorization: Bearer oauth-token\r\n") != std::string::npos);
    CHECK(reqs[1].head.find("Authorization: user-token\r\n") != std::string::npos);
}

TEST_CASE("plain http is refused unless allowed; bad paths never reach the wire", "[rest-http]")
{
    script_server server{[](const script_request&, int) { return ok(); }};
    boost::asio::io_context io;
    auto o = options_for(server);
    o.tls.allow_plaintext = false;
    CHECK(error_of([&] { cord::rest_client c(io.get_executor(), token, o); }) == errc::invalid_argument);
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    CHECK(error_of([&] { get(io, client, "/channels/../users/@me"); }) == errc::invalid_argument);
    CHECK(error_of([&] { get(io, client, "/channels/1?x=1"); }) == errc::invalid_argument);
    CHECK(server.requests().empty());
}

TEST_CASE("a server that closed an idle keep-alive connection is reconnected to transparently", "[rest-http]")
{
    // Answers each request, then closes the connection without saying so.
    script_server server{[](const script_request&, int) {
        auto r = ok();
        r.close_after = true;
        return r;
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    for (int i = 0; i < 3; ++i) {
        CHECK(get(io, client)["id"].as_string() == "1");
        std::this_thread::sleep_for(20ms);   // let the close arrive
    }
    CHECK(server.requests().size() == 3);
    CHECK(client.metrics().retries == 0);
}

TEST_CASE("500 and 502 are retried with backoff; persistent 503 fails after the bounded retries", "[rest-retry]")
{
    SECTION("then success")
    {
        script_server server{[](const script_request&, int i) {
            if (i == 0)
                return script_reply{http_response(500, R"({"message":"500: Internal Server Error","code":0})")};
            if (i == 1)
                return script_reply{http_response(502, "<html>bad gateway</html>", {}, "text/html")};
            return ok();
        }};
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), token, options_for(server)};
        CHECK(get(io, client)["id"].as_string() == "1");
        CHECK(server.requests().size() == 3);
        CHECK(client.metrics().retries == 2);
        CHECK(client.metrics().server_errors == 2);
        auto reqs = server.requests();
        CHECK(reqs[1].at - reqs[0].at >= 10ms);   // backoff_min
    }
    SECTION("persistent")
    {
        script_server server{[](const script_request&, int) {
            return script_reply{http_response(503, R"({"message":"503: Service Unavailable","code":0})")};
        }};
        boost::asio::io_context io;
        auto o = options_for(server);
        o.max_retries = 2;
        cord::rest_client client{io.get_executor(), token, o};
        try {
            get(io, client);
            FAIL("no error");
        } catch (const cord::http::discord_error& e) {
            CHECK(e.http_code() == 503);
        }
        CHECK(server.requests().size() == 3);
    }
    SECTION("a POST is not repeated after a 500")
    {
        script_server server{[](const script_request&, int) {
            return script_reply{http_response(500, R"({"message":"500: Internal Server Error","code":0})")};
        }};
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), token, options_for(server)};
        CHECK_THROWS_AS(run_call(io, client.request("POST", "/channels/1/messages", json::object({{"content", "x"}}))),
                        cord::http::discord_error);
        CHECK(server.requests().size() == 1);
    }
}

TEST_CASE("a connection closed mid-response is retried for a GET, not for a POST", "[rest-retry]")
{
    auto cut = [](const script_request&, int i) {
        if (i == 0)
            return script_reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":", true};
        return ok();
    };
    {
        script_server server{cut};
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), token, options_for(server)};
        CHECK(get(io, client)["id"].as_string() == "1");
        CHECK(server.requests().size() == 2);
    }
    {
        script_server server{cut};
        boost::asio::io_context io;
        cord::rest_client client{io.get_executor(), token, options_for(server)};
        CHECK(error_of([&] { run_call(io, client.request("POST", "/channels/1/messages", json::object({}))); })
              == errc::transport);
        CHECK(server.requests().size() == 1);
    }
}

TEST_CASE("a body that is not JSON, or too large, is a clear error", "[rest-faults]")
{
    script_server server{[](const script_request& r, int) {
        if (r.head.find("/big") != std::string::npos)
            return ok("[" + std::string(5000, ' ') + "]");
        return ok(R"({"id": "1", oops)");
    }};
    boost::asio::io_context io;
    auto o = options_for(server);
    o.max_response_size = 1000;
    cord::rest_client client{io.get_executor(), token, o};
    std::string msg;
    CHECK(error_of([&] { get(io, client); }, &msg) == errc::invalid_response);
    CHECK_THAT(msg, Catch::Contains("not valid JSON"));
    CHECK(error_of([&] { get(io, client, "/big"); }) == errc::payload_too_large);
}

TEST_CASE("a 429 without Via and without JSON is Cloudflare's: a ban longer than the call may wait fails it", "[rest-faults]")
{
    script_server server{[](const script_request&, int) {
        return script_reply{"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/html\r\nRetry-After: 3600\r\n"
                            "Content-Length: 26\r\n\r\n<html>Access denied</html>"};
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    CHECK(error_of([&] { get(io, client); }) == errc::cloudflare_blocked);
    CHECK(server.requests().size() == 1);
    CHECK(client.metrics().cloudflare_blocked == 1);
}

TEST_CASE("a Discord 429 is waited out for retry_after, then retried", "[rest-faults]")
{
    script_server server{[](const script_request&, int i) {
        if (i == 0)
            return script_reply{http_response(429, R"({"message":"You are being rate limited.","retry_after":0.3,"global":false})",
                                              "X-RateLimit-Scope: user\r\nRetry-After: 1\r\n")};
        return ok();
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    CHECK(get(io, client)["id"].as_string() == "1");
    auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].at - reqs[0].at >= 300ms);
    CHECK(client.metrics().rate_limited_user == 1);
    CHECK(client.metrics().invalid_requests == 1);
}

TEST_CASE("a rate-limit wait above the cap fails fast", "[rest-faults]")
{
    script_server server{[](const script_request&, int) {
        return script_reply{http_response(429, R"({"message":"slow down","retry_after":3600,"global":false})",
                                          "X-RateLimit-Scope: user\r\n")};
    }};
    boost::asio::io_context io;
    auto o = options_for(server);
    o.max_rate_limit_wait = 2s;
    cord::rest_client client{io.get_executor(), token, o};
    auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] { get(io, client); }) == errc::rate_limit_wait);
    CHECK(std::chrono::steady_clock::now() - start < 1h);   // did not sleep through it
    CHECK(server.requests().size() == 1);
}

TEST_CASE("Discord's error JSON becomes discord_error with code, message and field errors", "[rest-faults]")
{
    script_server server{[](const script_request&, int) {
        return script_reply{http_response(
            400, R"({"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]}}})")};
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    try {
        run_call(io, client.request("POST", "/channels/1/messages", json::object({{"content", token}})));
        FAIL("no error");
    } catch (const cord::http::discord_error& e) {
        CHECK(e.http_code() == 400);
        CHECK(e.discord_code() == 50035);
        CHECK(e.reason() == "Invalid Form Body");
        REQUIRE(e.field_errors().size() == 1);
        CHECK(e.field_errors()[0].path == "content");
        CHECK(std::string{e.what()}.find(token) == std::string::npos);
    }
    CHECK(server.requests().size() == 1);
}

TEST_CASE("after a 401 no request is sent and every call fails fast", "[rest-faults]")
{
    script_server server{[](const script_request&, int) {
        return script_reply{http_response(401, R"({"message":"401: Unauthorized","code":0})")};
    }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    try {
        get(io, client);
        FAIL("no error");
    } catch (const cord::http::discord_error& e) {
        CHECK(e.http_code() == 401);
        CHECK(std::string{e.what()}.find(token) == std::string::npos);
    }
    std::string msg;
    CHECK(error_of([&] { get(io, client); }, &msg) == errc::unauthorized);
    CHECK(msg.find(token) == std::string::npos);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("an exchange without an answer times out", "[rest-timeout]")
{
    script_server server{[](const script_request&, int) { return script_reply{{}, false, true}; }};
    boost::asio::io_context io;
    auto o = options_for(server);
    o.request_timeout = 300ms;
    cord::rest_client client{io.get_executor(), token, o};
    auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] { get(io, client); }) == errc::timeout);
    CHECK(std::chrono::steady_clock::now() - start >= 300ms);
}

TEST_CASE("a call honours Asio cancellation, in flight and while waiting", "[rest-cancel]")
{
    script_server server{[](const script_request&, int) { return script_reply{{}, false, true}; }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    boost::asio::cancellation_signal in_flight, waiting;
    std::exception_ptr first, second;
    int done = 0;
    // The first call hangs on the wire; the second waits for the provisional bucket.
    boost::asio::co_spawn(io, client.request("GET", "/channels/1"),
                          boost::asio::bind_cancellation_slot(in_flight.slot(), [&](std::exception_ptr e, json) {
                              first = e;
                              ++done;
                          }));
    boost::asio::co_spawn(io, client.request("GET", "/channels/1"),
                          boost::asio::bind_cancellation_slot(waiting.slot(), [&](std::exception_ptr e, json) {
                              second = e;
                              ++done;
                          }));
    boost::asio::steady_timer t{io, 200ms};
    t.async_wait([&](auto) {
        waiting.emit(boost::asio::cancellation_type::terminal);
        in_flight.emit(boost::asio::cancellation_type::terminal);
    });
    auto until = std::chrono::steady_clock::now() + 10s;
    while (done < 2 && std::chrono::steady_clock::now() < until)
        io.run_one_for(100ms);
    REQUIRE(done == 2);
    CHECK(error_of([&] { std::rethrow_exception(first); }) == errc::cancelled);
    CHECK(error_of([&] { std::rethrow_exception(second); }) == errc::cancelled);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("stop() fails pending and later calls with errc::stopped", "[rest-cancel]")
{
    script_server server{[](const script_request&, int) { return script_reply{{}, false, true}; }};
    boost::asio::io_context io;
    cord::rest_client client{io.get_executor(), token, options_for(server)};
    std::exception_ptr pending;
    bool done = false;
    boost::asio::co_spawn(io, client.request("GET", "/channels/1"), [&](std::exception_ptr e, json) {
        pending = e;
        done = true;
    });
    boost::asio::steady_timer t{io, 100ms};
    t.async_wait([&](auto) { client.stop(); });
    auto until = std::chrono::steady_clock::now() + 10s;
    while (!done && std::chrono::steady_clock::now() < until)
        io.run_one_for(100ms);
    REQUIRE(done);
    CHECK(error_of([&] { std::rethrow_exception(pending); }) == errc::stopped);
    CHECK(error_of([&] { get(io, client); }) == errc::stopped);
}

TEST_CASE("the token never appears in a log line", "[rest-http]")
{
    script_server server{[](const script_request&, int) {
        return script_reply{http_response(500, R"({"message":"500","code":0})")};
    }};
    auto& log = cord::discord_logger();
    auto old = log.level();
    log.set_level(cord::log_level::debug);
    std::vector<std::string> lines;
    auto sub = log.subscribe([&](const cord::log_record& r) { lines.emplace_back(r.message); });
    {
        boost::asio::io_context io;
        auto o = options_for(server);
        o.max_retries = 1;
        cord::rest_client client{io.get_executor(), token, o};
        CHECK_THROWS(get(io, client, "/channels/1"));
    }
    log.unsubscribe(sub);
    log.set_level(old);
    REQUIRE_FALSE(lines.empty());
    bool saw_request = false, saw_retry = false;
    for (const auto& l : lines) {
        CHECK(l.find(token) == std::string::npos);
        saw_request |= l.find("GET /channels/{id} [bucket") != std::string::npos;
        saw_retry |= l.find("retry 1") != std::string::npos;
    }
    CHECK(saw_request);
    CHECK(saw_retry);
}
