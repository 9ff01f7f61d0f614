// cord tests: cord::shards on a harness's emulator, each with intents of its own, recording what
// each is sent: a test sees an event arrive where the intent asks for it and nowhere else.
#pragma once

#include <cord/intents.hpp>
#include <cord/json.hpp>
#include <cord/shard.hpp>
#include <cord/testing/fake_discord.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <initializer_list>
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

/// A dispatch a recording shard was sent.
struct dispatch {
    std::string name;
    cord::json d;
};

/// The `d` of each dispatch in `seen` named `name`, in order.
inline std::vector<cord::json> named(const std::vector<dispatch>& seen, std::string_view name)
{
    std::vector<cord::json> out;
    for (const auto& e : seen)
        if (e.name == name)
            out.push_back(e.d);
    return out;
}

/// Shards on the emulator, one per set of intents, each recording what it is sent; they run on
/// this object's io_context, advanced by the test in bounded steps (run_until). They IDENTIFY
/// at once: the emulator must not pace identifies (the http harness sets identify_window to 0).
class shard_recorders {
public:
    shard_recorders(cord::testing::fake_discord& fake, std::initializer_list<cord::intents> each)
        : received_(each.size())
    {
        std::size_t i = 0;
        for (auto intents : each)
            start(fake, intents, received_[i++]);
        REQUIRE(run_until([&] {
            return std::all_of(shards_.begin(), shards_.end(),
                               [](const auto& s) { return s->status() == cord::shard_status::ready; });
        }));
    }
    ~shard_recorders()
    {
        for (auto& s : shards_)
            s->stop();
        run_until([&] { return stopped_ == shards_.size(); }, std::chrono::seconds{5});
    }
    shard_recorders(const shard_recorders&) = delete;
    shard_recorders& operator=(const shard_recorders&) = delete;

    /// Runs the shards until `pred` holds or `limit` passes; returns pred().
    bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = std::chrono::seconds{10})
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline)
            io_.run_for(std::chrono::milliseconds{2});
        return pred();
    }

    /// What shard `i` (in the constructor's order) was sent so far.
    const std::vector<dispatch>& received(std::size_t i) const { return received_.at(i); }

private:
    void start(cord::testing::fake_discord& fake, cord::intents intents, std::vector<dispatch>& out)
    {
        cord::shard_hooks hooks;
        hooks.on_dispatch = [&out](cord::shard&, std::string_view name, const cord::json& d, std::uint64_t) {
            out.push_back({std::string{name}, d});
        };
        auto& s = shards_.emplace_back(
            std::make_unique<cord::shard>(io_.get_executor(), plain_shard_config(fake, intents), std::move(hooks)));
        boost::asio::co_spawn(io_, s->run(), [this](std::exception_ptr) { ++stopped_; });
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
    std::vector<std::vector<dispatch>> received_;   // sized once: the hooks hold references
    std::vector<std::unique_ptr<cord::shard>> shards_;
    std::size_t stopped_ = 0;
};

/// Two recording shards, one asking for `with` intents and one for `without`: a flow test sees
/// an event arrive where the intent asks for it and nowhere else.
class watchers : public shard_recorders {
public:
    watchers(cord::testing::fake_discord& fake, cord::intents with, cord::intents without)
        : shard_recorders(fake, {with, without})
    {
    }
    /// The dispatches named `name` seen by the shard with / without the intents.
    std::vector<cord::json> with(std::string_view name) const { return named(received(0), name); }
    std::vector<cord::json> without(std::string_view name) const { return named(received(1), name); }
};

} // namespace cord_test
