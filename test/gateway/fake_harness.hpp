// A shard connected to the in-process emulator, driven from the test thread: the shard runs on
// an io_context that the test advances in bounded steps.
#pragma once

#include <cord/error.hpp>
#include <cord/shard.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gwtest {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using cord::json;

inline cord::testing::fake_discord_options fast_fake(bool tls = false)
{
    cord::testing::fake_discord_options o;
    o.tls = tls;
    o.heartbeat_interval = 250ms;   // short, so that zombie detection happens within a test
    o.identify_window = 10ms;
    o.rate_limits = false;
    return o;
}

struct received {
    std::string name;
    std::uint64_t seq;
    std::string content;   // MESSAGE_CREATE content
};

class harness {
public:
    explicit harness(cord::testing::fake_discord_options fo = fast_fake(),
                     cord::compression compress = cord::compression::none,
                     std::function<void(cord::shard_config&)> tweak = {})
        : fake(fo)
    {
        cord::shard_config c;
        c.token = fo.token;
        c.intents = cord::intents::guilds | cord::intents::guild_messages | cord::intents::message_content
                    | cord::intents::guild_members;
        c.gateway.url = fake.gateway_url();
        c.gateway.compress = compress;
        c.gateway.connect_timeout = 2s;
        c.gateway.handshake_timeout = 1s;
        c.gateway.hello_timeout = 2s;
        c.gateway.ready_timeout = 3s;
        c.gateway.reconnect_backoff_min = 10ms;
        c.gateway.reconnect_backoff_max = 200ms;
        c.tls.allow_plaintext = !fo.tls;
        if (fo.tls)
            c.tls.extra_ca_pem = fake.ca_pem();
        if (tweak)
            tweak(c);
        config = c;
    }

    ~harness()
    {
        if (shard && !done) {
            shard->stop();
            run_until([&] { return done; }, 5s);
        }
    }

    cord::shard_hooks hooks()
    {
        cord::shard_hooks h;
        h.wants = [this](std::string_view name) {
            asked.emplace_back(name);
            return !ignore || name != *ignore;
        };
        h.on_dispatch = [this](cord::shard&, std::string_view name, const json& d, std::uint64_t seq) {
            std::string content;
            if (name == "MESSAGE_CREATE")
                content = std::string{d["content"].as_string()};
            events.push_back({std::string{name}, seq, std::move(content)});
            if (name == "VOICE_STATE_UPDATE" || name == "GUILD_CREATE")
                payloads.push_back(d);
        };
        h.on_status = [this](cord::shard&, cord::shard_status s) { statuses.push_back(s); };
        return h;
    }

    void start()
    {
        shard.emplace(io.get_executor(), config, hooks());
        asio::co_spawn(io, shard->run(), [this](std::exception_ptr e) {
            error = e;
            done = true;
        });
    }

    /// Runs the shard until `pred` holds or `limit` passes; returns pred().
    bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = 10s)
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline)
            io.run_for(2ms);
        return pred();
    }
    void run_for(std::chrono::milliseconds d)
    {
        run_until([] { return false; }, d);
    }

    bool ready() const { return shard && shard->status() == cord::shard_status::ready; }
    std::size_t count(std::string_view name) const
    {
        std::size_t n = 0;
        for (auto& e : events)
            n += e.name == name;
        return n;
    }

    /// A MESSAGE_CREATE whose content is `content`, to shard 0.
    void post(const std::string& content)
    {
        auto guild = fake.guild_ids().at(0);
        fake.dispatch_to_shard(0, "MESSAGE_CREATE",
                               json::object({{"id", "1"}, {"channel_id", "2"}, {"guild_id", guild},
                                             {"content", content},
                                             {"author", json::object({{"id", "3"}, {"username", "u"}})}}));
    }

    /// Rethrows run()'s exception, if any.
    void rethrow() const
    {
        if (error)
            std::rethrow_exception(error);
    }

    cord::testing::fake_discord fake;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    cord::shard_config config;
    std::optional<cord::shard> shard;
    std::vector<received> events;
    std::vector<json> payloads;
    std::vector<std::string> asked;
    std::vector<cord::shard_status> statuses;
    std::optional<std::string> ignore;
    std::exception_ptr error;
    bool done = false;
};

/// Runs an awaitable on the harness's io_context to completion (bounded); returns its error.
template <class Awaitable>
std::exception_ptr await_op(harness& h, Awaitable op, std::chrono::milliseconds limit = 10s)
{
    bool finished = false;
    std::exception_ptr e;
    asio::co_spawn(h.io, std::move(op), [&](std::exception_ptr ex, auto&&...) {
        e = ex;
        finished = true;
    });
    REQUIRE(h.run_until([&] { return finished; }, limit));
    return e;
}

} // namespace gwtest
