// cord::interactions::endpoint against the fake Discord, which signs its POSTs with its own
// application key as Discord does: PING → PONG, an interaction answered in the HTTP response,
// a slow handler deferred at the margin and its late answer editing @original, Discord's
// endpoint check (bad signature, stale timestamp, tampered body, missing headers → 401, and
// the handler never runs), 413 before the body is read, a slowloris client cut at the header
// timeout while others are served, the connection cap, keep-alive, TLS and webhook events.
#include "testing/tls_cert.hpp"

#include <cord/interactions/endpoint.hpp>
#include <cord/rest_client.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/this_coro.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using cord::json;
using cord::interactions::endpoint;
using cord::interactions::endpoint_options;
using cord::testing::fake_discord;
using cord::testing::signature_fault;

endpoint_options options_for(const fake_discord& fake)
{
    endpoint_options o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.public_key = fake.public_key_hex();
    o.auto_defer_margin = 400ms;
    o.header_timeout = 1500ms;
    o.idle_timeout = 5s;
    return o;
}

// An endpoint served by one thread of its own, as a bot without a gateway runs it.
struct served_endpoint {
    asio::io_context ioc{1};
    endpoint ep;
    std::promise<void> ended;
    std::thread thread;

    explicit served_endpoint(const endpoint_options& o) : ep(ioc.get_executor(), o)
    {
        asio::co_spawn(ioc, ep.run(), [this](std::exception_ptr) { ended.set_value(); });
        thread = std::thread([this] { ioc.run(); });
    }
    ~served_endpoint()
    {
        ep.stop();
        ended.get_future().wait_for(5s);
        ioc.stop();
        thread.join();
    }
    std::string url(std::string_view scheme = "http") const
    {
        return fmt::format("{}://127.0.0.1:{}/interactions", scheme, ep.port());
    }
};

std::string command(std::string_view name, std::string_view id = "1300000000000000001")
{
    return fmt::format(R"({{"type":2,"id":"{}","application_id":"1200000000000000001","token":"tok-{}",)"
                       R"("version":1,"locale":"en-US","channel_id":"1100000000000000001",)"
                       R"("data":{{"id":"1","name":"{}","type":1}},"user":{{"id":"9","username":"ada"}}}})",
                       id, id, name);
}

// A raw client, for what the fake's well-behaved POSTs cannot do. Reads time out (no hang).
struct raw_socket {
    asio::io_context ioc;
    tcp::socket s{ioc};

    explicit raw_socket(std::uint16_t port)
    {
        s.connect({asio::ip::make_address("127.0.0.1"), port});
        timeval tv{.tv_sec = 5, .tv_usec = 0};
        ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    bool send(std::string_view text)
    {
        boost::system::error_code ec;
        asio::write(s, asio::buffer(text), ec);
        return !ec;
    }
    // Everything until the peer closes, or what came before a 5 s silence.
    std::string read_all()
    {
        std::string out;
        char buf[4096];
        for (int i = 0; i < 1000; ++i) {
            boost::system::error_code ec;
            auto n = s.read_some(asio::buffer(buf), ec);
            out.append(buf, n);
            if (ec)
                break;
        }
        return out;
    }
};

template <class F>
bool eventually(F&& f, std::chrono::milliseconds limit = 5s)
{
    auto until = std::chrono::steady_clock::now() + limit;
    for (int i = 0; i < 1000 && std::chrono::steady_clock::now() < until; ++i) {
        if (f())
            return true;
        std::this_thread::sleep_for(5ms);
    }
    return f();
}

} // namespace

TEST_CASE("a PING is answered with a PONG, at once and without the handler", "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    std::atomic<int> calls{0};
    served.ep.on_interaction([&](json) -> cord::awaitable<json> {
        ++calls;
        co_return json::object({{"type", 4}});
    });
    auto a = fake.ping_endpoint(served.url());
    INFO(a.error);
    REQUIRE(a.status == 200);
    CHECK(a.headers["content-type"] == "application/json");
    CHECK(json::parse(a.body)["type"].as_int() == 1);
    CHECK(calls == 0);
    CHECK(served.ep.counters().pings == 1);
    REQUIRE(fake.endpoint_answers().size() == 1);
    CHECK(fake.endpoint_answers()[0].status == 200);
}

TEST_CASE("a command is answered in the HTTP response by the handler", "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    std::mutex mu;
    std::vector<std::string> seen;
    served.ep.on_interaction([&](json i) -> cord::awaitable<json> {
        {
            std::lock_guard lock{mu};
            seen.push_back(std::string{i["data"]["name"].as_string()});
        }
        co_return json::object(
            {{"type", 4}, {"data", json::object({{"content", fmt::format("pong to {}", i["user"]["username"].as_string())}})}});
    });
    auto a = fake.post_to_endpoint(served.url(), command("ping"));
    INFO(a.error << a.body);
    REQUIRE(a.status == 200);
    auto body = json::parse(a.body);
    CHECK(body["type"].as_int() == 4);
    CHECK(body["data"]["content"].as_string() == "pong to ada");
    CHECK(served.ep.counters().auto_deferred == 0);
    std::lock_guard lock{mu};
    CHECK(seen == std::vector<std::string>{"ping"});
}

TEST_CASE("a slow handler is deferred at the margin, then its answer edits @original", "[interactions-endpoint]")
{
    fake_discord fake;
    asio::io_context rest_ioc{1};
    auto guard = asio::make_work_guard(rest_ioc);
    std::thread rest_thread([&] { rest_ioc.run(); });
    {
        cord::rest_client rest{rest_ioc.get_executor(), "fake-bot-token",
                               {.base_url = fake.rest_url(), .tls = {.allow_plaintext = true}}};
        served_endpoint served{options_for(fake)};
        served.ep.use_rest(rest);
        std::atomic<bool> finished{false};
        served.ep.on_interaction([&](json) -> cord::awaitable<json> {
            asio::steady_timer t{co_await asio::this_coro::executor, 1200ms};
            co_await t.async_wait(asio::use_awaitable);
            finished = true;
            co_return json::object({{"type", 4}, {"data", json::object({{"content", "done at last"}})}});
        });
        auto a = fake.post_to_endpoint(served.url(), command("slow", "1300000000000000077"));
        INFO(a.error);
        REQUIRE(a.status == 200);
        CHECK(json::parse(a.body)["type"].as_int() == 5);   // deferred: "thinking…"
        CHECK(a.elapsed >= 400ms);
        CHECK_FALSE(finished);
        CHECK(served.ep.counters().auto_deferred == 1);
        // The late answer became the edit of the deferred response.
        std::string path = "/api/v10/webhooks/1200000000000000001/tok-1300000000000000077/messages/@original";
        bool edited = eventually(
            [&] {
                for (auto& r : fake.requests())
                    if (r.method == "PATCH" && r.path == path)
                        return json::parse(r.body)["content"].as_string() == "done at last";
                return false;
            },
            10s);
        CHECK(edited);
        CHECK(finished);
        rest.stop();
    }
    guard.reset();
    rest_ioc.stop();
    rest_thread.join();
}

TEST_CASE("Discord's endpoint check: every spoiled request is refused with 401 and never reaches the handler",
          "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    std::atomic<int> calls{0};
    served.ep.on_interaction([&](json) -> cord::awaitable<json> {
        ++calls;
        co_return json::object({{"type", 4}, {"data", json::object({{"content", "x"}})}});
    });
    for (auto fault : {signature_fault::bad_signature, signature_fault::stale_timestamp, signature_fault::tampered_body,
                       signature_fault::missing_signature, signature_fault::missing_timestamp}) {
        INFO("fault " << static_cast<int>(fault));
        auto a = fake.post_to_endpoint(served.url(), command("ping"), fault);
        INFO(a.error);
        CHECK(a.status == 401);
    }
    // A PING with a bad signature too: Discord's check of a new URL.
    auto ping = fake.post_to_endpoint(served.url(), R"({"type":1,"id":"1","application_id":"2","token":"t","version":1})",
                                      signature_fault::bad_signature);
    CHECK(ping.status == 401);
    CHECK(served.ep.counters().unauthorized == 6);
    CHECK(served.ep.counters().pings == 0);
    // The same request, signed, is served.
    auto good = fake.post_to_endpoint(served.url(), command("ping"));
    CHECK(good.status == 200);
    CHECK(calls == 1);
}

TEST_CASE("an oversized body is refused with 413 from its Content-Length, before it is read", "[interactions-endpoint]")
{
    fake_discord fake;
    auto o = options_for(fake);
    o.max_body_size = 4096;
    served_endpoint served{o};
    std::atomic<int> calls{0};
    served.ep.on_interaction([&](json) -> cord::awaitable<json> {
        ++calls;
        co_return json::object({{"type", 5}});
    });
    // Only the header is sent: the answer comes without a byte of the body.
    raw_socket raw{served.ep.port()};
    REQUIRE(raw.send("POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "X-Signature-Ed25519: " + std::string(128, 'a') + "\r\nX-Signature-Timestamp: 1\r\n"
                     "Content-Length: 2000000\r\n\r\n"));
    auto answer = raw.read_all();
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
    // The fake's signed POST of a body over the limit, written whole.
    std::string big = command("big");
    big.insert(big.size() - 1, fmt::format(R"(,"pad":"{}")", std::string(8000, 'p')));
    auto a = fake.post_to_endpoint(served.url(), big);
    CHECK(a.status == 413);
    CHECK(calls == 0);
    CHECK(served.ep.counters().too_large == 2);
}

TEST_CASE("a slowloris client is cut off at the header timeout while other requests are served",
          "[interactions-endpoint]")
{
    fake_discord fake;
    auto o = options_for(fake);
    o.header_timeout = 800ms;
    served_endpoint served{o};
    raw_socket slow{served.ep.port()};
    REQUIRE(slow.send("POST /interactions HTTP/1.1\r\nHost: x\r\n"));
    auto started = std::chrono::steady_clock::now();
    std::string dribble = "X-Slow-Header: " + std::string(200, 'a');
    bool cut = false;
    int served_meanwhile = 0;
    // One byte every 100 ms: never a whole header. Bounded: 60 bytes at most.
    for (std::size_t i = 0; i < 60 && !cut; ++i) {
        std::this_thread::sleep_for(100ms);
        cut = !slow.send(dribble.substr(i, 1));
        if (i % 3 == 0 && fake.ping_endpoint(served.url()).status == 200)
            ++served_meanwhile;
    }
    // Writes to a closed socket may still succeed for a while: the read tells for sure.
    auto rest = slow.read_all();
    auto cut_after = std::chrono::steady_clock::now() - started;
    CHECK(rest.find("HTTP/1.1 200") == std::string::npos);
    CHECK(cut_after >= 800ms);
    CHECK(served.ep.counters().timeouts >= 1);
    CHECK(served_meanwhile >= 2);
    CHECK(fake.ping_endpoint(served.url()).status == 200);
}

TEST_CASE("over max_connections a new connection gets 503; a freed slot serves again", "[interactions-endpoint]")
{
    fake_discord fake;
    auto o = options_for(fake);
    o.max_connections = 2;
    served_endpoint served{o};
    auto first = std::make_unique<raw_socket>(served.ep.port());
    raw_socket second{served.ep.port()};
    REQUIRE(eventually([&] { return served.ep.counters().connections == 2; }));
    raw_socket third{served.ep.port()};
    auto answer = third.read_all();
    CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(served.ep.counters().refused_connections == 1);
    first.reset();   // a slot frees once the endpoint sees the close
    bool pinged = eventually([&] { return fake.ping_endpoint(served.url()).status == 200; });
    CHECK(pinged);
}

TEST_CASE("keep-alive: consecutive POSTs share one connection", "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    served.ep.on_interaction([](json) -> cord::awaitable<json> {
        co_return json::object({{"type", 4}, {"data", json::object({{"content", "k"}})}});
    });
    auto a = fake.ping_endpoint(served.url());
    auto b = fake.post_to_endpoint(served.url(), command("one"));
    auto c = fake.post_to_endpoint(served.url(), command("two"));
    CHECK(a.status == 200);
    CHECK(b.status == 200);
    CHECK(c.status == 200);
    CHECK_FALSE(a.reused_connection);
    CHECK(b.reused_connection);
    CHECK(c.reused_connection);
    CHECK(served.ep.counters().connections == 1);
    CHECK(served.ep.counters().requests == 3);
}

TEST_CASE("HTTPS with a given certificate and key file", "[interactions-endpoint]")
{
    fake_discord fake;
    auto cert = cord::testing::detail::make_self_signed("DNS:localhost,IP:127.0.0.1");
    char dir_template[] = "/tmp/cord-endpoint-tls-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    std::string dir = dir_template;
    std::ofstream{dir + "/cert.pem"} << cert.cert_pem;
    std::ofstream{dir + "/key.pem"} << cert.key_pem;
    auto o = options_for(fake);
    o.tls_certificate_file = dir + "/cert.pem";
    o.tls_private_key_file = dir + "/key.pem";
    {
        served_endpoint served{o};
        served.ep.on_interaction([](json) -> cord::awaitable<json> {
            co_return json::object({{"type", 4}, {"data", json::object({{"content", "secure"}})}});
        });
        // Not trusted yet: the fake refuses the certificate.
        auto untrusted = fake.ping_endpoint(served.url("https"));
        CHECK(untrusted.status == 0);
        CHECK_FALSE(untrusted.error.empty());
        fake.trust_endpoint_certificate(cert.cert_pem);
        auto a = fake.ping_endpoint(served.url("https"));
        INFO(a.error);
        CHECK(a.status == 200);
        auto b = fake.post_to_endpoint(served.url("https"), command("tls"));
        CHECK(b.status == 200);
        CHECK(json::parse(b.body)["data"]["content"].as_string() == "secure");
        CHECK(b.reused_connection);
        // Plain HTTP to the TLS port gets nothing served.
        auto plain = fake.ping_endpoint(served.url("http"));
        CHECK(plain.status != 200);
    }
    std::remove((dir + "/cert.pem").c_str());
    std::remove((dir + "/key.pem").c_str());
    std::remove(dir.c_str());
    auto missing = o;
    missing.tls_certificate_file = dir + "/gone.pem";
    asio::io_context ioc;
    CHECK_THROWS_WITH((endpoint{ioc.get_executor(), missing}), Catch::Contains("cannot load the TLS certificate"));
}

TEST_CASE("webhook events are answered 204 and reach their handlers by gateway-style name", "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    std::mutex mu;
    std::vector<std::string> got;
    served.ep.on_webhook_event("raw-application-authorized", [&](json e) -> cord::awaitable<void> {
        std::lock_guard lock{mu};
        got.push_back(fmt::format("authorized {}", e["data"]["user"]["id"].as_string()));
        co_return;
    });
    served.ep.on_webhook_event("*", [&](json e) -> cord::awaitable<void> {
        std::lock_guard lock{mu};
        got.push_back(fmt::format("any {}", e["type"].as_string()));
        co_return;
    });
    auto a = fake.post_webhook_event(served.url(), "APPLICATION_AUTHORIZED",
                                     json::object({{"integration_type", 1}, {"user", json::object({{"id", "42"}})}}));
    CHECK(a.status == 204);
    CHECK(a.body.empty());
    auto b = fake.post_webhook_event(served.url(), "ENTITLEMENT_CREATE", json::object({{"id", "7"}}));
    CHECK(b.status == 204);
    // The webhook PING (type 0) when the Webhook Events URL is saved.
    auto ping = fake.post_to_endpoint(served.url(), R"({"version":1,"application_id":"1","type":0})");
    CHECK(ping.status == 204);
    bool all = eventually([&] {
        std::lock_guard lock{mu};
        return got.size() == 3;
    });
    CHECK(all);
    std::lock_guard lock{mu};
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{"any APPLICATION_AUTHORIZED", "any ENTITLEMENT_CREATE", "authorized 42"});
    CHECK(served.ep.counters().webhook_events == 2);
}

TEST_CASE("a handler that throws or answers what cannot be a first response gets a 500; bad input a 400",
          "[interactions-endpoint]")
{
    fake_discord fake;
    served_endpoint served{options_for(fake)};
    served.ep.on_interaction([](json i) -> cord::awaitable<json> {
        std::string name{i["data"]["name"].as_string()};
        if (name == "throw")
            throw std::runtime_error("handler bug");
        co_return json::object({{"type", 8}, {"data", json::object({{"choices", json::array({})}})}});
    });
    CHECK(fake.post_to_endpoint(served.url(), command("throw")).status == 500);
    CHECK(fake.post_to_endpoint(served.url(), command("autocomplete-to-a-command")).status == 500);
    CHECK(fake.post_to_endpoint(served.url(), "not json").status == 400);
    CHECK(fake.post_to_endpoint(served.url(), R"({"type":42})").status == 400);
    CHECK(fake.ping_endpoint(served.url()).status == 200);   // and it still serves
}

TEST_CASE("the endpoint refuses bad options with a clear error", "[interactions-endpoint]")
{
    asio::io_context ioc;
    endpoint_options o;
    o.port = 0;
    o.address = "127.0.0.1";
    CHECK_THROWS_WITH((endpoint{ioc.get_executor(), o}), Catch::Contains("public_key"));
    o.public_key = "12";
    CHECK_THROWS_WITH((endpoint{ioc.get_executor(), o}), Catch::Contains("64 hex digits"));
    o.public_key = std::string(64, 'a');
    o.address = "localhost:80";
    CHECK_THROWS_WITH((endpoint{ioc.get_executor(), o}), Catch::Contains("not an IP address"));
    o.address = "127.0.0.1";
    o.auto_defer_margin = 3s;
    CHECK_THROWS_WITH((endpoint{ioc.get_executor(), o}), Catch::Contains("auto_defer_margin"));
}

// samples/http_interactions_bot as its own process (registered by samples/meson.build, which
// passes its path in CORD_HTTP_SAMPLE): the fake Discord's PING, then /ping answered "pong".
TEST_CASE("samples/http_interactions_bot answers Discord's PING and /ping", "[.][sample-http]")
{
    const char* program = std::getenv("CORD_HTTP_SAMPLE");
    REQUIRE(program != nullptr);
    fake_discord fake;
    std::uint16_t port = 0;
    {
        asio::io_context ioc;
        tcp::acceptor probe{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
        port = probe.local_endpoint().port();
    }
    auto key = "DISCORD_PUBLIC_KEY=" + fake.public_key_hex();
    auto port_env = "PORT=" + std::to_string(port);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        char* argv[] = {const_cast<char*>(program), nullptr};
        char* envp[] = {key.data(), port_env.data(), const_cast<char*>("CORD_LOG_LEVEL=warning"), nullptr};
        ::execve(program, argv, envp);
        ::_exit(127);
    }
    auto url = fmt::format("http://127.0.0.1:{}/interactions", port);
    bool up = eventually([&] { return fake.ping_endpoint(url).status == 200; }, 10s);
    CHECK(up);
    auto a = fake.post_to_endpoint(url, command("ping"));
    CHECK(a.status == 200);
    if (a.status == 200)
        CHECK(json::parse(a.body)["data"]["content"].as_string() == "pong");
    CHECK(fake.post_to_endpoint(url, command("ping"), signature_fault::bad_signature).status == 401);
    ::kill(pid, SIGTERM);
    int status = -1;
    bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 10s);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    CHECK(exited);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
