// README.md's first example, run as a reader runs it: a program of its own (built from the
// document, CORD_README_PING names it) pointed at the fake Discord by CORD_API_BASE alone. A
// user says !ping and the bot answers pong; Ctrl-C (SIGINT) ends it with status 0; without
// DISCORD_TOKEN it exits 1 saying what to set. Sanitizer reports fail the run (abort_on_error).
#include <cord/json.hpp>
#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using cord::testing::fake_discord;

// The example program with exactly the environment given (no inherited DISCORD_TOKEN), its
// stderr in a file of its own. Killed if still running when destroyed.
class example_process {
public:
    explicit example_process(const std::vector<std::string>& env)
    {
        const char* program = std::getenv("CORD_README_PING");
        REQUIRE(program != nullptr);
        std::vector<std::string> vars = env;
        for (const char* inherited : {"PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "CORD_LOG_LEVEL"})
            if (const char* v = std::getenv(inherited))
                vars.push_back(std::string{inherited} + "=" + v);
        std::vector<char*> envp;
        for (auto& v : vars)
            envp.push_back(v.data());
        envp.push_back(nullptr);
        char* argv[] = {const_cast<char*>(program), nullptr};

        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 2, stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
        int rc = posix_spawn(&pid_, program, &files, nullptr, argv, envp.data());
        posix_spawn_file_actions_destroy(&files);
        REQUIRE(rc == 0);
    }
    ~example_process()
    {
        if (pid_ > 0 && !status_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::remove(stderr_path_.c_str());
    }
    example_process(const example_process&) = delete;
    example_process& operator=(const example_process&) = delete;

    void signal(int sig) { ::kill(pid_, sig); }
    bool running() { return !poll_exit(); }

    // Its wait status, waiting at most `limit`; nullopt if it is still running.
    std::optional<int> wait(std::chrono::milliseconds limit)
    {
        auto end = std::chrono::steady_clock::now() + limit;
        while (!poll_exit() && std::chrono::steady_clock::now() < end)
            std::this_thread::sleep_for(10ms);
        return status_;
    }
    std::string error_output() const
    {
        std::ifstream in{stderr_path_};
        return {std::istreambuf_iterator<char>{in}, {}};
    }

private:
    bool poll_exit()
    {
        if (status_)
            return true;
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_)
            status_ = st;
        return status_.has_value();
    }

    std::string stderr_path_ = "readme-ping-" + std::to_string(::getpid()) + ".stderr";
    pid_t pid_ = -1;
    std::optional<int> status_;
};

bool exited_with(std::optional<int> status, int code)
{
    return status && WIFEXITED(*status) && WEXITSTATUS(*status) == code;
}

// The bot's answers so far: POST …/channels/{channel}/messages with content "pong".
std::size_t pongs(const fake_discord& fake, cord::snowflake channel)
{
    std::size_t n = 0;
    std::string path = "/api/v10/channels/" + channel.str() + "/messages";
    for (const auto& r : fake.requests())
        if (r.method == "POST" && r.path == path && r.status == 200)
            if (auto body = cord::json::parse(r.body); body.value_or("content", std::string_view{}) == "pong")
                ++n;
    return n;
}

} // namespace

TEST_CASE("README's first example answers !ping against the fake Discord and ends at Ctrl-C", "[readme]")
{
    fake_discord fake;
    auto guild = fake.guild_ids().front();
    auto channel = fake.general_channel(guild);
    auto alice = fake.add_user("alice");
    fake.add_member(guild, alice);

    example_process bot{{"DISCORD_TOKEN=fake-bot-token", "CORD_API_BASE=" + fake.rest_url()}};

    // Connected and identified; then a user speaks until the bot has answered (a message sent
    // before its READY is processed is missed, as on Discord). Bounded: 30 s, 30 tries.
    auto end = std::chrono::steady_clock::now() + 30s;
    while (fake.counters().identifies == 0 && bot.running() && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(10ms);
    INFO(bot.error_output());
    REQUIRE(fake.counters().identifies == 1);
    for (int tries = 0; tries < 30 && pongs(fake, channel) == 0 && bot.running(); ++tries) {
        fake.post_message_as(alice, channel, "!ping");
        for (int i = 0; i < 100 && pongs(fake, channel) == 0; ++i)
            std::this_thread::sleep_for(10ms);
    }
    CHECK(pongs(fake, channel) >= 1);

    bot.signal(SIGINT);
    auto status = bot.wait(20s);
    INFO(bot.error_output());
    CHECK(exited_with(status, 0));
    for (int i = 0; i < 500 && fake.open_gateway_connections() != 0; ++i)   // the fake sees the close
        std::this_thread::sleep_for(10ms);
    CHECK(fake.open_gateway_connections() == 0);
}

TEST_CASE("README's first example without DISCORD_TOKEN says what to set and exits 1", "[readme]")
{
    example_process bot{{}};
    auto status = bot.wait(20s);
    auto err = bot.error_output();
    INFO(err);
    CHECK(exited_with(status, 1));
    CHECK(err.find("DISCORD_TOKEN") != std::string::npos);
}
