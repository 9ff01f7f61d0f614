// The standalone cord-fake-discord program: a plain WebSocket client gets HELLO, READY and
// GUILD_CREATE; a REST POST of a message arrives on that socket as MESSAGE_CREATE; the
// /_fake/ control routes inject faults.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace fake_test;

namespace {

// Runs the program with its stdout on a pipe; SIGTERM and waitpid on destruction.
struct program {
    pid_t pid = -1;
    FILE* out = nullptr;

    program()
    {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        std::string exe = CORD_FAKE_DISCORD_EXE;
        char* argv[] = {exe.data(), nullptr};
        REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        out = fdopen(fds[0], "r");
    }
    ~program()
    {
        if (pid > 0) {
            kill(pid, SIGTERM);
            int status = 0;
            waitpid(pid, &status, 0);
        }
        if (out)
            fclose(out);
    }
    // Reads the banner lines until the first guild line; returns {port, #general of guild 1}.
    std::pair<std::uint16_t, std::string> banner()
    {
        std::uint16_t port = 0;
        std::string channel;
        char line[512];
        for (int i = 0; i < 20 && channel.empty() && fgets(line, sizeof line, out); ++i) {
            std::string l = line;
            if (l.rfind("rest ", 0) == 0) {
                auto colon = l.rfind(':');
                port = static_cast<std::uint16_t>(std::stoi(l.substr(colon + 1)));
            } else if (l.rfind("guild ", 0) == 0) {
                auto hash = l.find("#general ");
                channel = l.substr(hash + 9);
                channel.erase(channel.find_last_not_of(" \n") + 1);
            }
        }
        return {port, channel};
    }
};

} // namespace

TEST_CASE("cord-fake-discord: plain WebSocket client, REST POST, MESSAGE_CREATE", "[program]")
{
    program p;
    auto [port, channel] = p.banner();
    REQUIRE(port != 0);
    REQUIRE_FALSE(channel.empty());
    ws_client ws{port};
    auto ready = ws.identify("fake-bot-token", (1u << 0) | (1u << 9) | (1u << 15));
    CHECK(ready["shard"][1].as_int() == 1);
    REQUIRE(ws.wait_for(0, "GUILD_CREATE"));
    http_client http{port};
    auto posted = http.request("POST", "/api/v10/channels/" + channel + "/messages", R"({"content":"from curl"})");
    REQUIRE(posted.status == 200);
    auto ev = ws.wait_for(0, "MESSAGE_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["content"].as_string() == "from curl");

    CHECK(http.request("POST", "/_fake/fault/reconnect", {}, "").status == 204);
    CHECK(ws.wait_for(7));
    CHECK(http.request("POST", "/_fake/fault/fail-rest?status=503&count=1", {}, "").status == 204);
    CHECK(http.request("GET", "/api/v10/users/@me").status == 503);
    CHECK(http.request("POST", "/_fake/dispatch", R"({"t":"CUSTOM","d":{"x":1}})", "").status == 204);
    auto custom = ws.wait_for(0, "CUSTOM");
    REQUIRE(custom);
    CHECK((*custom)["d"]["x"].as_int() == 1);
    CHECK(http.request("POST", "/_fake/fault/close?code=4009", {}, "").status == 204);
    CHECK(ws.wait_closed() == 4009);
}

TEST_CASE("cord-fake-discord: the printed interaction curl line plays a slash command", "[interaction-control]")
{
    program p;
    auto [port, channel] = p.banner();
    REQUIRE(port != 0);
    // The body of the `interact` line, as a person would paste it (bounded read of the banner).
    std::string body;
    char line[1024];
    for (int i = 0; i < 20 && body.empty() && fgets(line, sizeof line, p.out); ++i) {
        std::string l = line;
        if (l.rfind("interact ", 0) == 0) {
            auto start = l.find("-d '");
            REQUIRE(start != std::string::npos);
            body = l.substr(start + 4, l.rfind('\'') - start - 4);
        }
    }
    REQUIRE_FALSE(body.empty());
    http_client http{port};
    ws_client ws{port};
    auto ready = ws.identify("fake-bot-token", 1);
    // Without the command registered the act is refused, saying so.
    auto refused = http.request("POST", "/_fake/interactions", body, "");
    CHECK(refused.status == 400);
    auto app = std::string{ready["application"]["id"].as_string()};
    REQUIRE(http.request("PUT", "/api/v10/applications/" + app + "/commands", R"([{"name":"ping","description":"p"}])")
                .status
            == 200);
    auto played = http.request("POST", "/_fake/interactions", body, "");
    REQUIRE(played.status == 200);
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["data"]["name"].as_string() == "ping");
    CHECK((*ev)["d"]["member"]["user"]["username"].as_string() == "alice");
}
