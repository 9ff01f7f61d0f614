// cord gateway benchmark: one shard receiving N realistic ~1 KB MESSAGE_CREATE dispatches from
// the emulator (plain, zlib-stream, zstd-stream, TLS + zlib-stream); the handler reads `content`
// and `author.id`. Compared with a floor: the same bytes through a bare Beast WebSocket read
// (+ inflate) and a simdjson parse, without cord.
//
//   gateway_bench [--prequeue] [--varied] [events] [mode...]
//                                          modes: plain zlib zstd tls-zlib (default: all)
//   (--prequeue queues every frame before the clock starts: the client, not the emulator, is
//    then the bottleneck; --varied cycles 8,192 distinct messages instead of one, so that the
//    compressors cannot encode each event as a back-reference to the previous one)
//   gateway_bench --idle-rss URL          a one-shard bot against a running cord-fake-discord
//
// Heap allocations are counted on the thread that runs the shard (the emulator has its own).
#include <cord/logging.hpp>
#include <cord/shard.hpp>
#include <cord/testing/fake_discord.hpp>

#include "support/counting_new.hpp"
#include "support/messages.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <simdjson.h>
#include <zlib.h>
#include <zstd.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <string>
#include <thread>
#include <vector>

// --- allocation counting (this thread only) --------------------------------------------------------
namespace {
thread_local bool counting = false;
thread_local std::uint64_t allocations = 0;
}

void cord::bench::on_allocation() noexcept
{
    if (counting)
        ++allocations;
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

enum class mode { plain, zlib, zstd, tls_zlib };
const char* name_of(mode m)
{
    switch (m) {
    case mode::plain: return "plain";
    case mode::zlib: return "zlib-stream";
    case mode::zstd: return "zstd-stream";
    case mode::tls_zlib: return "tls+zlib-stream";
    }
    return "?";
}
cord::compression compression_of(mode m)
{
    return m == mode::plain ? cord::compression::none
         : m == mode::zstd  ? cord::compression::zstd_stream
                            : cord::compression::zlib_stream;
}

double thread_cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long rss_kb(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0)
            return std::atol(line.c_str() + std::strlen(field));
    return -1;
}

struct result {
    double seconds = 0;
    double cpu_seconds = 0;
    std::uint64_t events = 0;
    std::uint64_t allocations = 0;
    std::uint64_t checksum = 0;
    std::uint64_t wire_bytes = 0;   // WebSocket payload bytes received (floor only)
    std::atomic<std::uint64_t> seen{0};   // events, for the feeder thread
};

cord::testing::fake_discord_options fake_options(mode m)
{
    cord::testing::fake_discord_options o;
    o.tls = m == mode::tls_zlib;
    o.heartbeat_interval = 60s;
    o.rate_limits = false;
    o.resume_history = 1000;
    o.identify_window = 1ms;
    return o;
}

// Feeds `total` dispatches from a thread of its own (building frames is the emulator's cost,
// not the client's), keeping at most `window` of them in flight, while `pump` runs the client on
// this thread.
bool prequeue = false;   // --prequeue: queue every frame before the clock starts (client-bound)
std::vector<cord::json> varied;   // --varied: distinct messages, sent in turn
std::size_t varied_next = 0;      // ... from this one; each run starts from the first

void send_events(cord::testing::fake_discord& fake, const cord::json& d, std::uint64_t count)
{
    if (varied.empty()) {
        fake.dispatch_repeated(0, "MESSAGE_CREATE", d, count);
        return;
    }
    for (std::uint64_t i = 0; i < count; ++i)
        fake.dispatch_to_shard(0, "MESSAGE_CREATE", varied[varied_next++ % varied.size()]);
}

template <class Pump>
void feed(cord::testing::fake_discord& fake, const cord::json& d, std::uint64_t total,
          const std::atomic<std::uint64_t>& received, Pump pump)
{
    if (prequeue) {
        for (std::uint64_t sent = 0; sent < total; sent += 50000)
            send_events(fake, d, std::min<std::uint64_t>(50000, total - sent));
        return;
    }
    const std::uint64_t batch = 20000, window = 100000;
    std::thread feeder{[&] {
        std::uint64_t sent = 0;
        while (sent < total) {
            if (sent - received.load(std::memory_order_relaxed) < window) {
                auto n = std::min(batch, total - sent);
                send_events(fake, d, n);
                sent += n;
            } else {
                std::this_thread::sleep_for(200us);
            }
        }
    }};
    auto deadline = clock_type::now() + 600s;
    while (received.load(std::memory_order_relaxed) < total && clock_type::now() < deadline)
        pump();
    feeder.join();
}

// Warms up the pools and buffers with 2,000 events, then times `total` events received by the
// client that `io` runs (on this thread, whose CPU time and allocations are counted).
void measure(cord::testing::fake_discord& fake, const cord::json& d, std::uint64_t total, asio::io_context& io,
             result& r)
{
    varied_next = 0;
    feed(fake, d, 2000, r.seen, [&] { io.run_for(1ms); });
    while (r.seen.load() < 2000)   // (with --prequeue feed() only queued them)
        io.run_for(1ms);
    r.events = 0;
    r.seen = 0;
    r.checksum = 0;
    r.wire_bytes = 0;
    allocations = 0;
    counting = true;
    if (prequeue) {
        counting = false;
        feed(fake, d, total, r.seen, [] {});
        std::this_thread::sleep_for(200ms);
        counting = true;
    }
    auto t0 = clock_type::now();
    auto cpu0 = thread_cpu_seconds();
    if (prequeue)
        while (r.seen.load() < total)
            io.run_for(1ms);
    else
        feed(fake, d, total, r.seen, [&] { io.run_for(1ms); });
    r.cpu_seconds = thread_cpu_seconds() - cpu0;
    r.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    counting = false;
    r.allocations = allocations;
}

// --- cord -----------------------------------------------------------------------------------------
void run_cord(mode m, std::uint64_t total, const cord::json& d, result& r)
{
    cord::testing::fake_discord fake{fake_options(m)};
    asio::io_context io{1};
    auto work = asio::make_work_guard(io);
    cord::shard_config c;
    c.token = "fake-bot-token";
    c.intents = cord::intents::guild_messages | cord::intents::message_content;
    c.gateway.url = fake.gateway_url();
    c.gateway.compress = compression_of(m);
    c.tls.allow_plaintext = m != mode::tls_zlib;
    if (m == mode::tls_zlib)
        c.tls.extra_ca_pem = fake.ca_pem();
    cord::shard_hooks hooks;
    hooks.wants = [](std::string_view name) { return name == "MESSAGE_CREATE"; };
    hooks.on_dispatch = [&](cord::shard&, std::string_view, const cord::json& msg, std::uint64_t) {
        r.checksum += msg["content"].as_string().size() + msg["author"]["id"].as_string().size();
        r.seen.store(++r.events, std::memory_order_relaxed);
    };
    cord::shard s{io.get_executor(), c, hooks};
    asio::co_spawn(io, s.run(), asio::detached);
    while (s.status() != cord::shard_status::ready)
        io.run_for(5ms);
    measure(fake, d, total, io, r);
    s.stop();
    io.run_for(500ms);
}

// --- floor: Beast + (zlib or zstd) + simdjson, no cord ---------------------------------------------
// The floor's decompression: the libraries' plain streaming calls, output padded for simdjson.
class floor_decoder {
public:
    explicit floor_decoder(cord::compression c) : mode_(c), out_(1 << 20)
    {
        if (mode_ == cord::compression::zlib_stream)
            inflateInit(&zs_);
        else if (mode_ == cord::compression::zstd_stream)
            ds_ = ZSTD_createDStream();
    }
    ~floor_decoder()
    {
        if (mode_ == cord::compression::zlib_stream)
            inflateEnd(&zs_);
        ZSTD_freeDStream(ds_);
    }
    // The payload of one message, or false while a zlib-stream payload is incomplete.
    bool decode(std::string_view bytes, std::string_view& text)
    {
        std::size_t room = out_.size() - simdjson::SIMDJSON_PADDING;
        if (mode_ == cord::compression::zstd_stream) {
            ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
            ZSTD_outBuffer o{out_.data(), room, 0};
            while (in.pos < in.size && !ZSTD_isError(ZSTD_decompressStream(ds_, &o, &in)))
                ;
            text = {out_.data(), o.pos};
            return true;
        }
        pending_.append(bytes);
        if (pending_.size() < 4 || std::memcmp(pending_.data() + pending_.size() - 4, "\x00\x00\xff\xff", 4) != 0)
            return false;
        zs_.next_in = reinterpret_cast<Bytef*>(pending_.data());
        zs_.avail_in = static_cast<uInt>(pending_.size());
        zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
        zs_.avail_out = static_cast<uInt>(room);
        inflate(&zs_, Z_SYNC_FLUSH);
        text = {out_.data(), room - zs_.avail_out};
        pending_.clear();
        return true;
    }

private:
    cord::compression mode_;
    z_stream zs_{};
    ZSTD_DStream* ds_ = nullptr;
    std::vector<char> out_;
    std::string pending_;
};

template <class Stream>
asio::awaitable<void> floor_client(Stream& ws, std::string host, std::string target, result& r, cord::compression c,
                                   std::uint64_t& stop_at)
{
    co_await ws.async_handshake(host, target, asio::use_awaitable);
    beast::flat_buffer buffer;
    floor_decoder decoder{c};
    bool compressed = c != cord::compression::none;
    simdjson::dom::parser parser;
    bool identified = false;
    for (;;) {
        auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        if (ec)
            break;
        r.wire_bytes += n;
        std::string_view text{static_cast<const char*>(buffer.data().data()), n};
        if (compressed) {
            bool whole = decoder.decode(text, text);
            buffer.consume(n);
            if (!whole)
                continue;
        }
        simdjson::dom::element doc;
        auto err = parser.parse(text.data(), text.size(), !compressed).get(doc);
        if (!compressed)
            buffer.consume(n);
        if (err)
            continue;
        int64_t op = doc["op"].get_int64().value_unsafe();
        if (op == 10 && !identified) {
            identified = true;
            std::string identify = R"({"op":2,"d":{"token":"fake-bot-token","intents":33280,)"
                                   R"("properties":{"os":"linux","browser":"floor","device":"floor"}}})";
            co_await ws.async_write(asio::buffer(identify), asio::use_awaitable);
        } else if (op == 0) {
            std::string_view t;
            if (doc["t"].get(t) == simdjson::SUCCESS && t == "MESSAGE_CREATE") {
                auto dd = doc["d"];
                std::string_view content, id;
                // (A missing field reads as empty: the checksum comparison shows it.)
                if (dd["content"].get(content) != simdjson::SUCCESS)
                    content = {};
                if (dd["author"]["id"].get(id) != simdjson::SUCCESS)
                    id = {};
                r.checksum += content.size() + id.size();
                r.seen.store(++r.events, std::memory_order_relaxed);
                if (r.events >= stop_at)
                    break;
            }
        }
    }
}

void run_floor(mode m, std::uint64_t total, const cord::json& d, result& r)
{
    cord::testing::fake_discord fake{fake_options(m)};
    asio::io_context io{1};
    auto work = asio::make_work_guard(io);
    auto c = compression_of(m);
    std::string target = c == cord::compression::zlib_stream   ? "/?v=10&encoding=json&compress=zlib-stream"
                       : c == cord::compression::zstd_stream ? "/?v=10&encoding=json&compress=zstd-stream"
                                                             : "/?v=10&encoding=json";
    std::string url = fake.gateway_url();
    auto port = static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
    asio::ip::tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
    std::uint64_t stop_at = std::numeric_limits<std::uint64_t>::max();
    asio::ssl::context ctx{asio::ssl::context::tls_client};
    websocket::stream<beast::tcp_stream> plain_ws{io};
    websocket::stream<asio::ssl::stream<beast::tcp_stream>> tls_ws{io, ctx};
    if (m == mode::tls_zlib) {
        auto pem = fake.ca_pem();
        ctx.add_certificate_authority(asio::buffer(pem));
        beast::get_lowest_layer(tls_ws).connect(ep);
        tls_ws.next_layer().set_verify_mode(asio::ssl::verify_peer);
        SSL_set_tlsext_host_name(tls_ws.next_layer().native_handle(), "127.0.0.1");
        tls_ws.next_layer().handshake(asio::ssl::stream_base::client);
        asio::co_spawn(io, floor_client(tls_ws, "127.0.0.1", target, r, c, stop_at), asio::detached);
    } else {
        beast::get_lowest_layer(plain_ws).connect(ep);
        asio::co_spawn(io, floor_client(plain_ws, "127.0.0.1", target, r, c, stop_at), asio::detached);
    }
    while (fake.counters().identifies == 0)
        io.run_for(5ms);
    io.run_for(50ms);
    measure(fake, d, total, io, r);
    beast::get_lowest_layer(plain_ws).close();
    beast::get_lowest_layer(tls_ws).close();
    io.run_for(200ms);
}

void print(const char* who, mode m, const result& r)
{
    double n = static_cast<double>(r.events);
    std::printf("%-6s %-16s %9.0f events/s  %6.2f us CPU/event  %6.3f allocs/event  (%llu events, %.2f s)", who,
                name_of(m), n / r.seconds, r.cpu_seconds * 1e6 / n, static_cast<double>(r.allocations) / n,
                static_cast<unsigned long long>(r.events), r.seconds);
    if (r.wire_bytes)
        std::printf("  %.0f wire bytes/event", static_cast<double>(r.wire_bytes) / n);
    std::printf("\n");
}

int idle_rss(const std::string& url)
{
    asio::io_context io{1};
    cord::shard_config c;
    c.token = "fake-bot-token";
    c.intents = cord::intents::guild_messages;
    c.gateway.url = url;
    c.tls.allow_plaintext = true;
    cord::shard_hooks hooks;
    hooks.on_dispatch = [](cord::shard&, std::string_view, const cord::json&, std::uint64_t) {};
    cord::shard s{io.get_executor(), c, hooks};
    asio::co_spawn(io, s.run(), asio::detached);
    auto until = clock_type::now() + 20s;
    while (s.status() != cord::shard_status::ready && clock_type::now() < until)
        io.run_for(10ms);
    io.run_for(3s);
    // RssFile is mostly shared libraries' pages (libcrypto alone ~3.4 MB); RssAnon is the bot's own.
    std::printf("idle one-shard bot (%s): VmRSS %ld kB (RssAnon %ld kB, RssFile %ld kB), VmHWM %ld kB\n",
                s.status() == cord::shard_status::ready ? "ready" : "NOT ready", rss_kb("VmRSS:"), rss_kb("RssAnon:"),
                rss_kb("RssFile:"), rss_kb("VmHWM:"));
    s.stop();
    io.run_for(500ms);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    cord::discord_logger().set_level(cord::log_level::warning);
    if (argc >= 3 && std::string{argv[1]} == "--idle-rss")
        return idle_rss(argv[2]);
    if (argc >= 2 && std::string{argv[1]} == "--prequeue") {
        prequeue = true;
        --argc;
        ++argv;
    }
    bool vary = argc >= 2 && std::string{argv[1]} == "--varied";
    if (vary) {
        --argc;
        ++argv;
    }
    std::uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    std::vector<mode> modes;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        modes.push_back(a == "plain" ? mode::plain : a == "zlib" ? mode::zlib : a == "zstd" ? mode::zstd : mode::tls_zlib);
    }
    if (modes.empty())
        modes = {mode::plain, mode::zlib, mode::zstd, mode::tls_zlib};
    auto d = cord::bench::documented_message();
    if (vary)
        varied = cord::bench::varied_messages(d, 8192);
    std::printf("payload: %zu bytes of d per MESSAGE_CREATE\n", d.dump().size());
    for (auto m : modes) {
        result c, f;
        run_cord(m, total, d, c);
        run_floor(m, total, d, f);
        print("cord", m, c);
        print("floor", m, f);
        std::printf("cord/floor %-16s events/s %.0f%%, CPU per event %.0f%% of cord's\n", name_of(m),
                    100.0 * (static_cast<double>(c.events) / c.seconds) / (static_cast<double>(f.events) / f.seconds),
                    100.0 * (f.cpu_seconds / static_cast<double>(f.events)) / (c.cpu_seconds / static_cast<double>(c.events)));
        if (c.checksum != f.checksum)
            std::printf("checksum mismatch: cord %llu floor %llu\n", static_cast<unsigned long long>(c.checksum),
                        static_cast<unsigned long long>(f.checksum));
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("peak RSS of the whole process (emulator included): %ld kB\n", ru.ru_maxrss);
    return 0;
}
