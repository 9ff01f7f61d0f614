// A fake Discord in a child process, for measurements of the bot alone: its heap, its RSS and
// its CPU time hold nothing of the emulator's. The child runs `fake_discord` and answers one
// line per command line (the parent's `ask`), through `serve`; "quit" (or the parent's end)
// stops it. Fork it before the parent has any thread.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/logging.hpp>
#include <cord/testing/fake_discord.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cord::test_support {

class forked_fake {
public:
    /// Answers a command line (without its newline) with one line; runs in the child.
    using server = std::function<std::string(cord::testing::fake_discord&, std::string_view command)>;

    forked_fake(cord::testing::fake_discord_options options, server serve)
    {
        int to_child[2], from_child[2];
        if (pipe(to_child) != 0 || pipe(from_child) != 0)
            throw std::runtime_error("forked_fake: pipe() failed");
        pid_ = fork();
        if (pid_ < 0)
            throw std::runtime_error("forked_fake: fork() failed");
        if (pid_ == 0) {
            close(to_child[1]);
            close(from_child[0]);
            run_child(to_child[0], from_child[1], std::move(options), serve);
        }
        close(to_child[0]);
        close(from_child[1]);
        commands_ = fdopen(to_child[1], "w");
        answers_ = fdopen(from_child[0], "r");
        auto urls = read_line();
        auto space = urls.find(' ');
        gateway_url_ = urls.substr(0, space);
        rest_url_ = space == std::string::npos ? std::string{} : urls.substr(space + 1);
    }

    ~forked_fake()
    {
        std::fputs("quit\n", commands_);
        std::fclose(commands_);
        std::fclose(answers_);
        waitpid(pid_, nullptr, 0);
    }

    forked_fake(const forked_fake&) = delete;
    forked_fake& operator=(const forked_fake&) = delete;

    /// Sends a command to the child and returns its answer.
    std::string ask(std::string_view command)
    {
        std::fprintf(commands_, "%.*s\n", static_cast<int>(command.size()), command.data());
        std::fflush(commands_);
        return read_line();
    }

    const std::string& gateway_url() const noexcept { return gateway_url_; }   ///< ws://127.0.0.1:…
    const std::string& rest_url() const noexcept { return rest_url_; }         ///< http://127.0.0.1:…/api/v10
    pid_t pid() const noexcept { return pid_; }                                ///< the child's

private:
    [[noreturn]] static void run_child(int in_fd, int out_fd, cord::testing::fake_discord_options options,
                                       const server& serve)
    {
        cord::discord_logger().set_level(cord::log_level::error);
        {
            cord::testing::fake_discord fake{std::move(options)};
            FILE* in = fdopen(in_fd, "r");
            FILE* out = fdopen(out_fd, "w");
            std::fprintf(out, "%s %s\n", fake.gateway_url().c_str(), fake.rest_url().c_str());
            std::fflush(out);
            char line[512];
            while (std::fgets(line, sizeof line, in)) {
                std::string_view command{line};
                while (!command.empty() && (command.back() == '\n' || command.back() == '\r'))
                    command.remove_suffix(1);
                if (command == "quit")
                    break;
                std::fprintf(out, "%s\n", serve(fake, command).c_str());
                std::fflush(out);
            }
        }
        std::_Exit(0);
    }

    std::string read_line()
    {
        char buf[1024];
        if (!std::fgets(buf, sizeof buf, answers_))
            throw std::runtime_error("forked_fake: the emulator's process ended");
        std::string s{buf};
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        return s;
    }

    pid_t pid_ = -1;
    FILE* commands_ = nullptr;
    FILE* answers_ = nullptr;
    std::string gateway_url_, rest_url_;
};

} // namespace cord::test_support
