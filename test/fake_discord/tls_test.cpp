// fake_discord over TLS (a certificate generated at start, trusted through ca_pem()), and its
// lifecycle: many instances, clean stop, the caller's executor.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <thread>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

TEST_CASE("fake TLS: https and wss work with the generated CA", "[tls]")
{
    fake_discord_options o;
    o.tls = true;
    fake_discord fake{o};
    REQUIRE(fake.ca_pem().find("BEGIN CERTIFICATE") != std::string::npos);
    CHECK(fake.rest_url().starts_with("https://127.0.0.1:"));
    CHECK(fake.gateway_url().starts_with("wss://127.0.0.1:"));
    http_client http{fake.port(), fake.ca_pem()};
    auto me = http.request("GET", "/api/v10/users/@me");
    CHECK(me.status == 200);
    auto gw = http.request("GET", "/api/v10/gateway", {}, "");
    CHECK(gw.json()["url"].as_string() == fake.gateway_url());
    ws_client ws{fake.port(), "/?v=10&encoding=json", fake.ca_pem()};
    auto ready = ws.identify();
    CHECK(ready["resume_gateway_url"].as_string() == fake.gateway_url());
}

TEST_CASE("fake TLS: a client that does not trust the CA fails the handshake", "[tls]")
{
    fake_discord_options o;
    o.tls = true;
    fake_discord fake{o};
    fake_discord other{o};   // a different generated certificate
    CHECK_THROWS(http_client{fake.port(), other.ca_pem()});
}

TEST_CASE("fake lifecycle: many instances per process start and stop cleanly", "[lifecycle]")
{
    for (int round = 0; round < 3; ++round) {
        std::vector<std::unique_ptr<fake_discord>> fakes;
        for (int i = 0; i < 4; ++i)
            fakes.push_back(std::make_unique<fake_discord>());
        std::vector<std::unique_ptr<ws_client>> clients;
        for (auto& f : fakes) {
            clients.push_back(std::make_unique<ws_client>(f->port()));
            clients.back()->identify();
        }
        for (auto& f : fakes)
            f->stop();
        for (auto& c : clients)
            CHECK(c->wait_closed() >= 0);
    }
}

TEST_CASE("fake lifecycle: runs on the caller's executor", "[lifecycle]")
{
    boost::asio::io_context ioc{1};
    auto work = boost::asio::make_work_guard(ioc);
    std::thread runner{[&] { ioc.run(); }};
    {
        fake_discord fake{ioc.get_executor()};
        http_client http{fake.port()};
        CHECK(http.request("GET", "/api/v10/users/@me").status == 200);
        ws_client ws{fake.port()};
        ws.identify();
        CHECK(fake.open_gateway_connections() == 1);
        fake.stop();
        CHECK(ws.wait_closed() >= 0);
    }
    work.reset();
    ioc.stop();
    runner.join();
}
