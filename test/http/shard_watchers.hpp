// cord tests: two cord::shards on a harness's emulator, one asking for some intents and one for
// others, recording what each is sent: a flow test sees an event arrive where the intent asks
// for it and nowhere else.
#pragma once

#include <cord/intents.hpp>
#include <cord/json.hpp>
#include <cord/shard.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord_test {

/// A shard's configuration for the emulator: its token, plain ws://, `intents`.
inline cord::shard_config plain_shard_config(cord::testing::fake_discord& fake, cord::intents intents)
{
    cord::shard_config c;
    c.token = "fake-bot-token";
    c.intents = intents;
    c.gateway.url = fake.gateway_url();
    c.tls.allow_plaintext = true;
    return c;
}

/// Two shards on the emulator, one asking for `with` intents and one for `without`; both run on
/// this object's io_context, advanced by the test in bounded steps (run_until). Both IDENTIFY at
/// once: the emulator must not pace identifies (the http harness sets identify_window to 0).
class watchers {
public:
    watchers(cord::testing::fake_discord& fake, cord::intents with, cord::intents without)
    {
        start(fake, with, seen_with_);
        start(fake, without, seen_without_);
        REQUIRE(run_until([&] { return ready(0) && ready(1); }));
    }
    ~watchers()
    {
        for (auto& s : shards_)
            s->stop();
        run_until([&] { return stopped_ == shards_.size(); }, std::chrono::seconds{5});
    }

    /// Runs the shards until `pred` holds or `limit` passes; returns pred().
    bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = std::chrono::seconds{10})
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline)
            io_.run_for(std::chrono::milliseconds{2});
        return pred();
    }

    /// The dispatches named `name` seen by the shard with / without the intents.
    std::vector<cord::json> with(std::string_view name) const { return named(seen_with_, name); }
    std::vector<cord::json> without(std::string_view name) const { return named(seen_without_, name); }

private:
    using seen = std::vector<std::pair<std::string, cord::json>>;

    void start(cord::testing::fake_discord& fake, cord::intents intents, seen& out)
    {
        cord::shard_config c = plain_shard_config(fake, intents);
        cord::shard_hooks hooks;
        hooks.on_dispatch = [&out](cord::shard&, std::string_view name, const cord::json& d, std::uint64_t) {
            out.emplace_back(std::string{name}, d);
        };
        auto& s = shards_.emplace_back(std::make_unique<cord::shard>(io_.get_executor(), c, std::move(hooks)));
        boost::asio::co_spawn(io_, s->run(), [this](std::exception_ptr) { ++stopped_; });
    }
    bool ready(std::size_t i) const { return shards_.at(i)->status() == cord::shard_status::ready; }
    static std::vector<cord::json> named(const seen& s, std::string_view name)
    {
        std::vector<cord::json> out;
        for (const auto& [n, d] : s)
            if (n == name)
                out.push_back(d);
        return out;
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
    std::vector<std::unique_ptr<cord::shard>> shards_;
    seen seen_with_, seen_without_;
    std::size_t stopped_ = 0;
};

} // namespace cord_test
