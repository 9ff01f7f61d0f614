// cord client benchmark: the delivery path from socket to handler. The same blast of varied
// ~1 KB MESSAGE_CREATEs goes to
//   (a) a bare cord::shard (its on_dispatch hook reads content and author.id),
//   (b) cord::client with a plain handler (default delivery: batches to the handler thread),
//   (c) cord::client with inline_handlers (the handler runs on the shard's thread),
//   (d) cord::client with a coroutine handler,
//   (e) cord::client with a plain handler 10x slower than the wire (a busy 10 us per event),
// over plain, zlib-stream and zstd-stream. The emulator runs in a child process, so that the
// figures (CPU time, heap allocations, peak RSS) are the bot's alone: its frames are queued
// while its writes are stalled, then flow at once. Each case runs in a process forked for it.
// Events/s counts from the first event the handler sees to the last.
//
//   client_bench [events] [case...] [mode...] [pinned] [rounds=N]
//       cases: shard plain inline coroutine slow; modes: none zlib zstd (default: all of both);
//       pinned: the bot on CPU 0, the emulator on CPU 1; rounds=N: the cases N times,
//       interleaved, then each one's medians
#include <cord/client.hpp>
#include <cord/logging.hpp>
#include <cord/shard.hpp>
#include <cord/testing/fake_discord.hpp>

#include "support/counting_new.hpp"
#include "support/forked_fake.hpp"
#include "support/messages.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <malloc.h>
#include <sched.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

// --- heap allocations, every thread of this process (each counts in its own slot) ------------
namespace {
struct alignas(64) alloc_slot {
    std::atomic<std::uint64_t> count{0};
};
std::array<alloc_slot, 64> alloc_slots;
std::atomic<unsigned> next_slot{0};
thread_local alloc_slot* my_slot = nullptr;

std::uint64_t allocations_so_far()
{
    std::uint64_t n = 0;
    for (auto& s : alloc_slots)
        n += s.count.load(std::memory_order_relaxed);
    return n;
}
} // namespace

void cord::bench::on_allocation() noexcept
{
    if (!my_slot)
        my_slot = &alloc_slots[next_slot.fetch_add(1, std::memory_order_relaxed) % alloc_slots.size()];
    my_slot->count.store(my_slot->count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t distinct_messages = 8192;

// --- the emulator's process -------------------------------------------------------------------
// "blast N" queues N varied MESSAGE_CREATEs to shard 0 behind a write stall that ends shortly
// after the last is queued, then answers "queued".
std::string serve(cord::testing::fake_discord& fake, std::string_view command)
{
    static const auto messages = cord::bench::varied_messages(cord::bench::documented_message(), distinct_messages);
    unsigned long long n = 0;
    std::string line{command};
    if (std::sscanf(line.c_str(), "blast %llu", &n) != 1)
        return "?";
    for (unsigned long long i = 0; i < n; ++i) {
        if (i % 10000 == 0)
            fake.stall_writes(2s);   // kept ahead of the queueing; ends within 2 s after it
        fake.dispatch_to_shard(0, "MESSAGE_CREATE", messages[i % messages.size()]);
    }
    return "queued";
}

cord::testing::fake_discord_options emulator_options()
{
    cord::testing::fake_discord_options o;
    o.heartbeat_interval = 60s;
    o.rate_limits = false;
    o.resume_history = 1000;
    o.identify_window = 1ms;
    return o;
}

using emulator_process = cord::test_support::forked_fake;

// --- measuring --------------------------------------------------------------------------------
double process_cpu_seconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

// Context switches of this process's threads so far: {voluntary, involuntary}.
std::pair<long, long> context_switches()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {ru.ru_nvcsw, ru.ru_nivcsw};
}

// The CPU time of another process (all its threads), from /proc: ticks of 10 ms.
double process_cpu_seconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat{std::istreambuf_iterator<char>{in}, {}};
    auto fields = stat.substr(stat.rfind(')') + 2);   // after the command name, which may hold spaces
    unsigned long long ticks[2]{};
    // Fields 3..: state, ppid, … utime is the 14th field of the line, stime the 15th.
    if (std::sscanf(fields.c_str(), "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ticks[0], &ticks[1]) != 2)
        return 0;
    return static_cast<double>(ticks[0] + ticks[1]) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU time of this process's threads whose name starts with `prefix` ("cord-io",
// "cord-handler"), in nanoseconds (schedstat's first field: time on a CPU).
double threads_cpu_ns(std::string_view prefix)
{
    double ns = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm_file(task.path() / "comm");
        std::string comm;
        std::getline(comm_file, comm);
        if (!comm.starts_with(prefix))
            continue;
        std::ifstream sched(task.path() / "schedstat");
        unsigned long long on_cpu = 0;
        sched >> on_cpu;
        ns += static_cast<double>(on_cpu);
    }
    return ns;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long status_kb(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0)
            return std::atol(line.c_str() + std::strlen(field));
    return -1;
}

// Every thread of process `pid` (and those it makes later) on CPU `cpu` only.
bool pin_process(pid_t pid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    bool all = true;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
        all = sched_setaffinity(std::stoi(task.path().filename().string()), sizeof set, &set) == 0 && all;
    return all;
}

// Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
void reset_peak_rss()
{
    std::ofstream{"/proc/self/clear_refs"} << "5";
}

enum class kind { shard, plain, inline_mode, coroutine, slow };
const char* name_of(kind k)
{
    switch (k) {
    case kind::shard: return "bare shard";
    case kind::plain: return "client, plain handler";
    case kind::inline_mode: return "client, inline handler";
    case kind::coroutine: return "client, coroutine handler";
    case kind::slow: return "client, handler 10x slower";
    }
    return "?";
}

// What the handler sees, written by whichever thread runs it. The clock is read at the first
// event and the last only: under kvm-clock a read costs ~30 ns, a twentieth of an event.
struct tally {
    explicit tally(std::uint64_t expected) : total(expected) {}
    const std::uint64_t total;
    std::atomic<std::uint64_t> events{0};
    std::uint64_t checksum = 0;
    clock_type::time_point first{}, last{};
    void see(const cord::json& msg)
    {
        auto n = events.load(std::memory_order_relaxed);
        if (n == 0)
            first = clock_type::now();
        checksum += cord::bench::checksum_of(msg);
        if (n + 1 == total)
            last = clock_type::now();
        events.store(n + 1, std::memory_order_release);
    }
};

// 10 us of work, the handler of case (e): about ten times what the shard spends on an event.
void busy_10us()
{
    auto until = clock_type::now() + 10us;
    while (clock_type::now() < until)
        ;
}

struct figures {
    double events_per_s = 0, cpu_us = 0, allocs = 0;
    double emulator_cpu_us = 0;   // the emulator's, from the first event seen to the last
    double switches = 0, preempted = 0;   // the bot's context switches per 1,000 events: all, involuntary
    double io_us = 0, handler_us = 0;     // of cpu_us: the I/O thread's and the handler thread's
    long peak_rss_kb = 0;
    bool complete = false, checksum_ok = false;
};

// The blast: from a quiet, READY bot, `total` events; waits (bounded) until the handler saw
// them all.
figures blast(emulator_process& emu, tally& t, std::uint64_t total, std::uint64_t expected_checksum)
{
    std::this_thread::sleep_for(100ms);
    reset_peak_rss();
    auto cpu0 = process_cpu_seconds();
    auto alloc0 = allocations_so_far();
    auto switches0 = context_switches();
    auto io0 = threads_cpu_ns("cord-io"), handler0 = threads_cpu_ns("cord-handler");
    emu.ask("blast " + std::to_string(total));
    auto deadline = clock_type::now() + 300s;
    double emulator0 = -1;
    while (t.events.load(std::memory_order_acquire) < total && clock_type::now() < deadline) {
        if (emulator0 < 0 && t.events.load(std::memory_order_relaxed) > 0)
            emulator0 = process_cpu_seconds(emu.pid());
        std::this_thread::sleep_for(1ms);
    }
    figures f;
    if (emulator0 >= 0)
        f.emulator_cpu_us = (process_cpu_seconds(emu.pid()) - emulator0) * 1e6 / static_cast<double>(total);
    f.cpu_us = (process_cpu_seconds() - cpu0) * 1e6 / static_cast<double>(total);
    f.io_us = (threads_cpu_ns("cord-io") - io0) / 1e3 / static_cast<double>(total);
    f.handler_us = (threads_cpu_ns("cord-handler") - handler0) / 1e3 / static_cast<double>(total);
    auto switches1 = context_switches();
    f.preempted = static_cast<double>(switches1.second - switches0.second) * 1000.0 / static_cast<double>(total);
    f.switches = static_cast<double>(switches1.first - switches0.first) * 1000.0 / static_cast<double>(total) + f.preempted;
    f.allocs = static_cast<double>(allocations_so_far() - alloc0) / static_cast<double>(total);
    f.peak_rss_kb = status_kb("VmHWM:");
    f.complete = t.events.load(std::memory_order_acquire) == total;
    f.events_per_s = static_cast<double>(total) / std::chrono::duration<double>(t.last - t.first).count();
    f.checksum_ok = t.checksum == expected_checksum;
    return f;
}

figures run_shard(emulator_process& emu, cord::compression c, std::uint64_t total, std::uint64_t expected)
{
    asio::io_context io{1};
    auto work = asio::make_work_guard(io);
    cord::shard_config cfg;
    cfg.token = "fake-bot-token";
    cfg.intents = cord::intents::guild_messages | cord::intents::message_content;
    cfg.gateway.url = emu.gateway_url();
    cfg.gateway.compress = c;
    cfg.tls.allow_plaintext = true;
    tally t{total};
    cord::shard_hooks hooks;
    hooks.wants = [](std::string_view name) { return name == "MESSAGE_CREATE"; };
    hooks.on_dispatch = [&](cord::shard&, std::string_view, const cord::json& msg, std::uint64_t) { t.see(msg); };
    cord::shard s{io.get_executor(), cfg, hooks};
    asio::co_spawn(io, s.run(), asio::detached);
    std::thread runner{[&] {
        pthread_setname_np(pthread_self(), "cord-io-0");   // as a client names its I/O threads
        io.run();
    }};
    auto until = clock_type::now() + 20s;
    while (s.status() != cord::shard_status::ready && clock_type::now() < until)
        std::this_thread::sleep_for(5ms);
    auto f = blast(emu, t, total, expected);
    asio::post(io, [&] { s.stop(); });
    work.reset();
    runner.join();
    return f;
}

figures run_client(emulator_process& emu, kind k, cord::compression c, std::uint64_t total, std::uint64_t expected)
{
    cord::client_options o;
    o.intents = cord::intents::guild_messages | cord::intents::message_content;
    o.tls.allow_plaintext = true;
    o.rest.base_url = emu.rest_url();
    o.gateway.url = emu.gateway_url();
    o.gateway.compress = c;
    o.handle_signals = false;
    o.inline_handlers = k == kind::inline_mode;
    o.slow_handler_warning = 10s;
    tally t{total};
    std::atomic<bool> ready{false};
    cord::client bot{"fake-bot-token", o};
    bot.on_event("raw-ready", [&](cord::shard&, cord::client&, cord::json) { ready = true; });
    if (k == kind::coroutine)
        bot.on_event("raw-message-create", [&](cord::shard&, cord::client&, cord::json msg) -> cord::awaitable<void> {
            t.see(msg);
            co_return;
        });
    else
        bot.on_event("raw-message-create", [&, k](cord::shard&, cord::client&, cord::json msg) {
            if (k == kind::slow)
                busy_10us();
            t.see(msg);
        });
    bot.start_no_wait();
    auto until = clock_type::now() + 20s;
    while (!ready && clock_type::now() < until)
        std::this_thread::sleep_for(5ms);
    auto f = blast(emu, t, total, expected);
    bot.stop();
    bot.wait_stopped();
    return f;
}

// Runs one case in a process of its own, forked from this one while it has no other thread: the
// case's peak RSS is its own, as a bot's is, not what earlier cases' threads left in malloc's
// arenas (glibc keeps a freed zstd window at the top of a thread's arena: +2 MB a case).
template <class Run>
figures in_own_process(Run run)
{
    static_assert(std::is_trivially_copyable_v<figures>);
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        figures f = run();
        [[maybe_unused]] auto written = write(fds[1], &f, sizeof f);
        _exit(0);   // no destructor: the emulator belongs to the parent
    }
    close(fds[1]);
    figures f;
    std::size_t got = 0;
    while (pid > 0 && got < sizeof f) {
        auto n = read(fds[0], reinterpret_cast<char*>(&f) + got, sizeof f - got);
        if (n <= 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, nullptr, 0);
    return got == sizeof f ? f : figures{};   // a case that died reports INCOMPLETE
}

} // namespace

int main(int argc, char** argv)
{
    emulator_process emu{emulator_options(), serve};   // first: fork before this process has any thread
    cord::discord_logger().set_level(cord::log_level::warning);

    std::uint64_t total = 1'000'000;
    std::vector<kind> kinds;
    std::vector<cord::compression> modes;
    bool pinned = false;
    int rounds = 1;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "pinned") pinned = true;
        else if (a.starts_with("rounds=")) rounds = std::max(1, std::atoi(a.c_str() + 7));
        else if (a == "shard") kinds.push_back(kind::shard);
        else if (a == "plain") kinds.push_back(kind::plain);
        else if (a == "inline") kinds.push_back(kind::inline_mode);
        else if (a == "coroutine") kinds.push_back(kind::coroutine);
        else if (a == "slow") kinds.push_back(kind::slow);
        else if (a == "none") modes.push_back(cord::compression::none);
        else if (a == "zlib") modes.push_back(cord::compression::zlib_stream);
        else if (a == "zstd") modes.push_back(cord::compression::zstd_stream);
        else total = std::strtoull(a.c_str(), nullptr, 10);
    }
    if (kinds.empty())
        kinds = {kind::shard, kind::plain, kind::inline_mode, kind::coroutine, kind::slow};
    if (modes.empty())
        modes = {cord::compression::none, cord::compression::zlib_stream, cord::compression::zstd_stream};

    auto messages = cord::bench::varied_messages(cord::bench::documented_message(), distinct_messages);
    std::uint64_t expected = 0;
    for (std::uint64_t i = 0; i < total; ++i)
        expected += cord::bench::checksum_of(messages[i % messages.size()]);
    messages.clear();
    messages.shrink_to_fit();
    malloc_trim(0);   // the peak RSS of each run is the bot's, not these messages'

    // "pinned": the bot on CPU 0, the emulator on CPU 1: each case gets one core of its own, as
    // the bot would beside a Discord that is not on its machine.
    if (pinned && !(pin_process(getpid(), 0) && pin_process(emu.pid(), 1))) {
        std::fprintf(stderr, "client_bench: cannot pin to CPUs 0 and 1\n");
        return 1;
    }
    std::printf("%llu varied MESSAGE_CREATEs a run; the emulator in process %d%s\n",
                static_cast<unsigned long long>(total), static_cast<int>(emu.pid()),
                pinned ? " (pinned: the bot on CPU 0, the emulator on CPU 1)" : "");
    std::printf("%-28s %-12s %12s %14s %14s %14s %10s %14s %16s %18s\n", "path", "transport", "events/s", "CPU us/event",
                "allocs/event", "peak RSS (MB)", "vs shard", "emulator us/ev", "switches/1k ev", "io | handler us/ev");
    for (auto c : modes) {
        const char* mode = c == cord::compression::none ? "plain" : c == cord::compression::zlib_stream ? "zlib-stream" : "zstd-stream";
        // Per case, over the rounds: events/s, CPU per event, and the ratio to the same round's shard.
        std::vector<std::vector<double>> rates(kinds.size()), cpus(kinds.size()), ratios(kinds.size());
        for (int round = 0; round < rounds; ++round) {
            double shard_rate = 0;
            for (std::size_t i = 0; i < kinds.size(); ++i) {
                auto k = kinds[i];
                auto f = in_own_process([&] {
                    return k == kind::shard ? run_shard(emu, c, total, expected) : run_client(emu, k, c, total, expected);
                });
                if (k == kind::shard)
                    shard_rate = f.events_per_s;
                double ratio = shard_rate > 0 ? f.events_per_s / shard_rate : 0.0;
                rates[i].push_back(f.events_per_s);
                cpus[i].push_back(f.cpu_us);
                ratios[i].push_back(ratio);
                std::printf("%-28s %-12s %12.0f %14.2f %14.3f %14.1f %9.2fx %14.2f %8.1f (%4.1f) %8.2f | %5.2f%s\n",
                            name_of(k), mode, f.events_per_s, f.cpu_us, f.allocs,
                            static_cast<double>(f.peak_rss_kb) / 1024.0, ratio, f.emulator_cpu_us, f.switches,
                            f.preempted, f.io_us, f.handler_us,
                            !f.complete ? "  INCOMPLETE" : !f.checksum_ok ? "  CHECKSUM MISMATCH" : "");
                std::fflush(stdout);
            }
        }
        if (rounds == 1)
            continue;
        // The runs of one case spread by about ±8% here (the scheduler's placement of three busy
        // threads on two cores): each round's ratio is to the shard of that round, interleaved.
        std::printf("medians over %d interleaved rounds (%s):\n", rounds, mode);
        for (std::size_t i = 0; i < kinds.size(); ++i)
            std::printf("  %-28s %12.0f events/s %8.2f us/event %8.2fx the shard (rounds: %.2f-%.2fx)\n",
                        name_of(kinds[i]), median(rates[i]), median(cpus[i]), median(ratios[i]),
                        *std::min_element(ratios[i].begin(), ratios[i].end()),
                        *std::max_element(ratios[i].begin(), ratios[i].end()));
        std::fflush(stdout);
    }
    return 0;
}
