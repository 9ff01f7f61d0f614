// The chaos soak (docs/soak.md): one cord::client with 8 shards on 2 worker threads receives
// 200,000 numbered MESSAGE_CREATE events from the emulator while gateway and REST faults are
// injected at random; every 200th event's handler makes a REST call. It checks that every event
// arrives exactly once and in order on its shard, that every REST call ends as a success or a
// cord error, that memory stays flat once warmed up, and that all of it ends in bounded time.
#include "chaos_schedule.hpp"
#include "memory_samples.hpp"
#include "rest_tally.hpp"
#include "stream_ledger.hpp"
#include "watchdog.hpp"

#include <cord/client.hpp>
#include <cord/error.hpp>
#include <cord/http.hpp>
#include <cord/logging.hpp>
#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using cord::testing::fake_discord;
using steady = std::chrono::steady_clock;

namespace {

constexpr int shard_count = 8;
constexpr std::uint32_t rest_every = 200;                  // every 200th event of a shard calls REST
constexpr double events_per_second = 5000;                 // all shards together
constexpr std::uint32_t burst = 8;                         // per shard and tick: 3.2x the rate when catching up
constexpr std::uint32_t max_in_flight = 500;               // per shard; half the emulator's replay history
constexpr auto tick = 4ms;
constexpr auto heartbeat = 2000ms;                         // zombie detection within two of these
constexpr std::size_t memory_samples = 20;
constexpr std::uint64_t rss_margin_kib = 8 * 1024;         // allocator fragmentation; see docs/soak.md
constexpr std::uint64_t heap_margin_kib = 4 * 1024;
constexpr auto time_limit = 240s;
constexpr auto drain_limit = 60s;                          // for events already sent to be handled

std::uint64_t env_number(const char* name, std::uint64_t fallback)
{
    const char* text = std::getenv(name);
    if (!text || !*text)
        return fallback;
    return std::strtoull(text, nullptr, 10);
}

// Content "shard:number": the shard an event was numbered for, and its place in that stream.
std::optional<std::pair<int, std::uint32_t>> numbered(std::string_view content)
{
    auto colon = content.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    int shard = 0;
    std::uint32_t n = 0;
    auto a = std::from_chars(content.data(), content.data() + colon, shard);
    auto b = std::from_chars(content.data() + colon + 1, content.data() + content.size(), n);
    if (a.ec != std::errc{} || b.ec != std::errc{} || b.ptr != content.data() + content.size())
        return std::nullopt;
    return std::pair{shard, n};
}

// Where the soak stands, safe to build from any thread (the watchdog's included).
struct progress {
    std::array<std::atomic<std::uint64_t>, shard_count> readies{};
    std::array<std::atomic<std::uint32_t>, shard_count> sent{};
    std::mutex mutex;
    std::string schedule;   // the fault schedule's own account, refreshed by the driver

    std::string account(const soak::stream_ledger& ledger, const soak::rest_tally& rest, std::uint32_t per_shard)
    {
        std::ostringstream out;
        for (int s = 0; s < shard_count; ++s) {
            auto next = ledger.next_expected(s);
            if (next < per_shard)
                out << "shard " << s << ": events " << next << ".." << per_shard - 1 << " not received ("
                    << sent[static_cast<std::size_t>(s)].load() << " sent); ";
        }
        if (rest.ended_count() < rest.started_count())
            out << rest.started_count() - rest.ended_count() << " REST call(s) from handlers not ended; ";
        if (ledger.anomaly_count()) {
            out << ledger.anomaly_count() << " anomalies, the first: ";
            for (const auto& a : ledger.anomalies())
                out << "shard " << a.shard << " expected event " << a.expected << ", got " << a.got << " (" << a.what
                    << "); ";
        }
        std::lock_guard lock{mutex};
        return out.str() + schedule;
    }
};

cord::client_options client_options_for(const fake_discord& fake)
{
    cord::client_options o;
    o.intents = cord::unprivileged_intents | cord::intents::message_content;
    o.shard_count = shard_count;
    o.worker_threads = 2;
    o.handler_threads = 1;
    o.handle_signals = false;
    o.tls.allow_plaintext = true;
    o.rest.base_url = fake.rest_url();
    o.gateway.url = fake.gateway_url();
    o.gateway.compress = cord::compression::zlib_stream;
    // Shorter than Discord-facing defaults so that a fault met mid-handshake costs ms, not s.
    o.gateway.reconnect_backoff_min = 100ms;
    o.gateway.reconnect_backoff_max = 2s;
    return o;
}

// Polls `done` until it holds or the watchdog runs out; returns done().
bool wait_for(const soak::watchdog& dog, const std::function<bool()>& done)
{
    while (!done()) {
        if (dog.expired())
            return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

void print_summary(std::uint64_t seed, std::uint64_t total, std::chrono::milliseconds took,
                   const soak::stream_ledger& ledger, const soak::chaos_schedule& chaos, const soak::rest_tally& rest,
                   const cord::rest_metrics& metrics, const cord::testing::fake_counters& fake,
                   const std::vector<soak::memory_sample>& memory, const soak::growth& rss, const soak::growth& heap)
{
    std::printf("soak: seed %llu, %d shards on 2 worker threads, %.1f s\n", static_cast<unsigned long long>(seed),
                shard_count, static_cast<double>(took.count()) / 1000);
    std::printf("soak: events %llu sent, %llu delivered, %llu anomalies\n", static_cast<unsigned long long>(total),
                static_cast<unsigned long long>(ledger.delivered()),
                static_cast<unsigned long long>(ledger.anomaly_count()));
    std::printf("soak: faults %llu injected:", static_cast<unsigned long long>(chaos.injected_total()));
    for (std::size_t i = 0; i < soak::fault_kinds; ++i) {
        auto f = static_cast<soak::fault>(i);
        std::printf("%s %s %llu", i ? "," : "", std::string{soak::info(f).name}.c_str(),
                    static_cast<unsigned long long>(chaos.injected(f)));
    }
    std::printf("\n");
    std::printf("soak: gateway: %llu connections, %llu identifies, %llu resumes, %llu heartbeats; longest wait for "
                "a new session %lld ms\n",
                static_cast<unsigned long long>(fake.gateway_connections),
                static_cast<unsigned long long>(fake.identifies), static_cast<unsigned long long>(fake.resumes),
                static_cast<unsigned long long>(fake.heartbeats), static_cast<long long>(chaos.longest_pause().count()));
    std::printf("soak: REST from handlers: %llu started, %llu ok, %llu failed with a cord error, %llu otherwise; "
                "longest call %lld ms\n",
                static_cast<unsigned long long>(rest.started_count()), static_cast<unsigned long long>(rest.ok_count()),
                static_cast<unsigned long long>(rest.failed_count()), static_cast<unsigned long long>(rest.unclear_count()),
                static_cast<long long>(rest.longest().count()));
    for (const auto& [kind, f] : rest.failures())
        std::printf("soak:   %llu x %s, e.g. \"%s\"\n", static_cast<unsigned long long>(f.count), kind.c_str(),
                    f.example.c_str());
    std::printf("soak: REST client: %llu attempts, %llu retries, %llu 429s (user %llu, global %llu), %llu 5xx; "
                "emulator answered %llu 429s\n",
                static_cast<unsigned long long>(metrics.requests), static_cast<unsigned long long>(metrics.retries),
                static_cast<unsigned long long>(metrics.rate_limited_user + metrics.rate_limited_global
                                                + metrics.rate_limited_shared),
                static_cast<unsigned long long>(metrics.rate_limited_user),
                static_cast<unsigned long long>(metrics.rate_limited_global),
                static_cast<unsigned long long>(metrics.server_errors),
                static_cast<unsigned long long>(fake.rate_limited));
    std::printf("soak: memory KiB (events sent: VmRSS/heap in use/REST calls pending):");
    for (const auto& s : memory)
        std::printf(" %llu:%llu/%llu/%llu", static_cast<unsigned long long>(s.events),
                    static_cast<unsigned long long>(s.rss_kib), static_cast<unsigned long long>(s.heap_kib),
                    static_cast<unsigned long long>(s.rest_pending));
    std::printf("\nsoak: highest KiB at 40-60%% of the events, then in the last 20%%: VmRSS %llu, %llu (allowed: "
                "+%llu); heap %llu, %llu (allowed: +%llu)\n",
                static_cast<unsigned long long>(rss.early_max), static_cast<unsigned long long>(rss.late_max),
                static_cast<unsigned long long>(rss_margin_kib), static_cast<unsigned long long>(heap.early_max),
                static_cast<unsigned long long>(heap.late_max), static_cast<unsigned long long>(heap_margin_kib));
    std::fflush(stdout);
}

} // namespace

TEST_CASE("chaos soak: 8 shards, numbered events, random gateway and REST faults", "[soak]")
{
    if (!std::getenv("CORD_LOG_LEVEL"))
        cord::discord_logger().set_level(cord::log_level::error);   // thousands of expected warnings
    const std::uint64_t seed = env_number("CORD_SOAK_SEED", std::random_device{}());
    // Under AddressSanitizer (several times slower) the default is a quarter of the stream.
    const std::uint64_t default_events = soak::memory_measurable ? 200000 : 50000;
    const auto per_shard = static_cast<std::uint32_t>(env_number("CORD_SOAK_EVENTS", default_events) / shard_count);
    const std::uint64_t total = std::uint64_t{per_shard} * shard_count;
    REQUIRE(per_shard >= rest_every);
    std::printf("soak: seed %llu (replay the same fault draws with CORD_SOAK_SEED=%llu)\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
    std::fflush(stdout);

    cord::testing::fake_discord_options fo;
    fo.heartbeat_interval = heartbeat;
    fo.recommended_shards = shard_count;
    fo.max_concurrency = shard_count;   // all 8 identify at once; each re-identify waits 5 s
    fo.guilds = shard_count;
    // Holds every event a client can be missing (max_in_flight) plus the RESUMED and READY
    // dispatches of a few reconnects; small, so that the emulator's share of memory is too.
    fo.resume_history = 2 * max_in_flight;
    fake_discord fake{fo};
    std::vector<std::string> guilds, channels;
    for (auto g : fake.guild_ids()) {
        guilds.push_back(g.str());
        channels.push_back(fake.general_channel(g).str());
    }
    const auto author = cord::json::object({{"id", "80351110224678912"}, {"username", "soak"}});

    soak::stream_ledger ledger{shard_count};
    soak::rest_tally rest;
    progress state;
    soak::watchdog dog{time_limit, 30s, [&] { return state.account(ledger, rest, per_shard); }};
    auto missing = [&] { return state.account(ledger, rest, per_shard); };

    cord::client bot{"fake-bot-token", client_options_for(fake)};
    bot.on_event("raw-ready", [&](cord::shard& s, cord::client&, cord::json) {
        ++state.readies[static_cast<std::size_t>(s.id())];
    });
    // Plain handlers run one at a time in event order: the ledger sees each shard's order.
    bot.on_event("raw-message-create", [&](cord::shard& s, cord::client&, cord::json msg) {
        auto n = numbered(msg["content"].as_string());
        ledger.on_event(s.id(), n ? n->first : -1, n ? n->second : 0);
    });
    bot.on_event("raw-message-create", [&](cord::shard&, cord::client& c, cord::json msg) -> cord::awaitable<void> {
        auto n = numbered(msg["content"].as_string());
        if (!n || n->second % rest_every != 0)
            co_return;
        rest.started();
        std::string channel{msg["channel_id"].as_string()};
        // The call may wait long behind 429s and 5xx retries: let the event's document go back
        // to the shard's pool meanwhile.
        msg = cord::json{};
        auto since = steady::now();
        auto took = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - since); };
        try {
            co_await cord::http::get_channel(c, channel);
            rest.succeeded(took());
        } catch (const cord::http::discord_error& e) {
            rest.failed("HTTP " + std::to_string(e.http_code()), e.what(), took());
        } catch (const cord::error& e) {
            rest.failed(e.code().message(), e.what(), took());
        } catch (const std::exception& e) {
            rest.unclear(e.what());
        }
    });

    const auto started = steady::now();
    bot.start_no_wait();
    if (!wait_for(dog, [&] {
            for (auto& r : state.readies)
                if (r == 0)
                    return false;
            return true;
        }))
        FAIL("not every shard became READY: " << missing());

    // The stream: each shard gets its numbers at a steady rate, a paused one catches up in bursts.
    soak::chaos_schedule chaos{fake, seed, heartbeat, shard_count};
    std::vector<soak::memory_sample> memory;
    std::vector<soak::shard_view> views(shard_count);
    const auto flow_start = steady::now();
    const double per_shard_rate = events_per_second / shard_count;
    std::uint64_t sent_total = 0;
    auto next_account = flow_start;
    auto look = [&]() -> const std::vector<soak::shard_view>& {
        for (auto* s : bot.shards()) {
            auto& v = views[static_cast<std::size_t>(s->id())];
            v.ready = s->status() == cord::shard_status::ready;
            v.readies = state.readies[static_cast<std::size_t>(s->id())];
            v.dispatched = state.sent[static_cast<std::size_t>(s->id())];
        }
        return views;
    };
    while (sent_total < total) {
        if (dog.expired())
            FAIL("the stream did not finish in time: " << missing());
        auto now = steady::now();
        chaos.step(now, look());
        auto elapsed = std::chrono::duration<double>(now - flow_start).count();
        auto due = static_cast<std::uint32_t>(std::min<double>(per_shard, elapsed * per_shard_rate));
        bool sample_now = false;
        for (int s = 0; s < shard_count && !sample_now; ++s) {
            auto& sent = state.sent[static_cast<std::size_t>(s)];
            if (chaos.paused(s))
                continue;
            // At most max_in_flight events of a shard are sent and not yet handled: however long
            // an outage, what its client missed is still in the session's replay history.
            for (std::uint32_t i = 0; i < burst && sent < due && sent - ledger.delivered(s) < max_in_flight; ++i) {
                auto n = sent.load();
                // Runs of rest_every events share a channel; REST calls spread over all of them.
                auto g = (n / rest_every + static_cast<std::size_t>(s)) % guilds.size();
                fake.dispatch_to_shard(s, "MESSAGE_CREATE",
                                       cord::json::object({{"id", std::to_string(std::uint64_t{n} * shard_count + s + 1)},
                                                           {"channel_id", channels[g]},
                                                           {"guild_id", guilds[g]},
                                                           {"content", std::to_string(s) + ":" + std::to_string(n)},
                                                           {"author", author}}));
                sent = n + 1;
                if (++sent_total % (total / memory_samples) == 0) {
                    sample_now = true;
                    break;
                }
            }
        }
        if (sample_now) {
            // Memory is sampled at quiet points, when every event sent so far has been handled,
            // so that samples differ by what stays, not by what happens to be queued. The
            // emulator's request log is emptied there too: only bounded state remains.
            auto quiet_by = steady::now() + drain_limit;
            if (!wait_for(dog, [&] {
                    for (int s = 0; s < shard_count; ++s)
                        if (ledger.next_expected(s) < state.sent[static_cast<std::size_t>(s)])
                            return steady::now() > quiet_by;
                    return true;
                })
                || steady::now() > quiet_by)
                FAIL("events sent were not handled within " << drain_limit.count() << " s: " << missing());
            memory.push_back({sent_total, soak::rss_kib(), soak::heap_kib(), rest.started_count() - rest.ended_count()});
            fake.clear_requests();
        }
        if (now >= next_account) {
            std::lock_guard lock{state.mutex};
            state.schedule = chaos.describe(now);
            next_account = now + 250ms;
        }
        std::this_thread::sleep_until(now + tick);
    }
    // A session-ending fault on a shard that had sent its last event still owes a new session.
    chaos.finish();
    bool sessions_remade = wait_for(dog, [&] {
        chaos.step(steady::now(), look(), false);
        return chaos.settled();
    });
    {
        std::lock_guard lock{state.mutex};
        state.schedule = chaos.describe(steady::now());
    }

    const std::uint64_t rest_expected = std::uint64_t{(per_shard + rest_every - 1) / rest_every} * shard_count;
    bool all_delivered = sessions_remade && wait_for(dog, [&] {
        for (int s = 0; s < shard_count; ++s)
            if (ledger.next_expected(s) < per_shard)
                return false;
        return true;
    });
    bool rest_settled = all_delivered && wait_for(dog, [&] {
        return rest.started_count() == rest_expected && rest.ended_count() == rest.started_count();
    });
    auto unfinished = missing();
    bot.stop();
    bot.wait_stopped();   // rethrows a fatal gateway error, if any
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started);
    auto rss = soak::judge(memory, total, [](const soak::memory_sample& m) { return m.rss_kib; });
    auto heap = soak::judge(memory, total, [](const soak::memory_sample& m) { return m.heap_kib; });
    print_summary(seed, total, took, ledger, chaos, rest, bot.rest().metrics(), fake.counters(), memory, rss, heap);

    INFO("seed " << seed);
    if (!all_delivered || !rest_settled)
        FAIL("still missing after " << std::chrono::duration_cast<std::chrono::seconds>(time_limit).count()
                                    << " s: " << unfinished);

    // Exactly once, in order, on the right shard: across every resumable fault by RESUME's replay,
    // across every session-ending one because its shard got nothing until the new session.
    for (const auto& a : ledger.anomalies())
        UNSCOPED_INFO("shard " << a.shard << " expected event " << a.expected << ", got " << a.got << ": " << a.what);
    CHECK(ledger.anomaly_count() == 0);
    for (int s = 0; s < shard_count; ++s) {
        INFO("shard " << s);
        CHECK(ledger.next_expected(s) == per_shard);
        CHECK(ledger.delivered(s) == per_shard);
    }

    // Every REST call made by a handler ended, as a success or a cord error that says why.
    CHECK(rest.started_count() == rest_expected);
    CHECK(rest.ended_count() == rest.started_count());
    INFO("not a cord::error: " << rest.unclear_example());
    CHECK(rest.unclear_count() == 0);

    // The faults did happen: sessions were resumed and re-made, REST calls met 5xx and 429s.
    auto counters = fake.counters();
    CHECK(counters.resumes > 0);
    CHECK(counters.identifies >= shard_count + chaos.new_sessions_forced());
    auto metrics = bot.rest().metrics();
    if (chaos.injected(soak::fault::rest_5xx) > 0)
        CHECK(metrics.server_errors > 0);
    if (chaos.injected(soak::fault::rest_429_user) + chaos.injected(soak::fault::rest_429_global) > 0)
        CHECK(metrics.rate_limited_user + metrics.rate_limited_global > 0);

    // Memory is flat once warmed up.
    REQUIRE(memory.size() == memory_samples);
    if (!soak::memory_measurable) {
        WARN("memory growth not judged: built with AddressSanitizer");
        return;
    }
    INFO("VmRSS KiB: highest at 40-60% of the events " << rss.early_max << ", in the last 20% " << rss.late_max);
    CHECK_FALSE(rss.exceeds(rss_margin_kib));
    INFO("heap in use KiB: highest at 40-60% of the events " << heap.early_max << ", in the last 20% " << heap.late_max);
    CHECK_FALSE(heap.exceeds(heap_margin_kib));
}
