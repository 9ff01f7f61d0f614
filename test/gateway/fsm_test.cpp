// Unit tests of the shard's policy state machine: no sockets, time and randomness injected.
#include "gateway/session_fsm.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace cord::gateway;
using namespace std::chrono_literals;

namespace {

const clock::time_point t0 = clock::time_point{} + 1000h;
// Long after t0: a session that began at t0 and ends then had lasted (stable_after is 30 s).
const clock::time_point later = t0 + 1h;

// A session_fsm whose "random" numbers come from a settable value.
struct fixture {
    double rnd = 0.5;
    session_fsm fsm{fsm_config{.hello_timeout = 20s,
                               .ready_timeout = 30s,
                               .backoff_min = 1s,
                               .backoff_max = 60s,
                               .max_resume_attempts = 3,
                               .random = [this] { return rnd; }}};

    // Connects, receives HELLO and READY: a ready session with seq 5.
    void make_ready(clock::time_point now = t0)
    {
        fsm.on_connected(now);
        REQUIRE(fsm.on_hello(40s, now).kind == step_kind::send_identify);
        fsm.on_handshake_sent(now);
        REQUIRE(fsm.on_dispatch(1, now) == delivery::deliver);
        fsm.on_ready("abc", "wss://resume.example", now);
        for (std::uint64_t s = 2; s <= 5; ++s)
            REQUIRE(fsm.on_dispatch(s, now) == delivery::deliver);
    }
};

} // namespace

TEST_CASE("fsm: HELLO starts identify on a fresh shard and resume with a session", "[gateway-fsm]")
{
    fixture f;
    f.fsm.on_connected(t0);
    CHECK(f.fsm.current_phase() == phase::awaiting_hello);
    CHECK(f.fsm.on_hello(41250ms, t0).kind == step_kind::send_identify);
    CHECK(f.fsm.current_phase() == phase::handshaking);

    fixture g;
    g.fsm.restore({"sess", 42, "wss://resume.example"});
    CHECK(g.fsm.will_resume());
    CHECK(g.fsm.connect_url("wss://gateway.example") == "wss://resume.example");
    g.fsm.on_connected(t0);
    CHECK(g.fsm.on_hello(41250ms, t0).kind == step_kind::send_resume);
    CHECK(g.fsm.session().seq == 42);
    CHECK(g.fsm.on_dispatch(43, t0) == delivery::deliver);
    g.fsm.on_resumed(t0);
    CHECK(g.fsm.current_phase() == phase::ready);
    CHECK(g.fsm.session().seq == 43);
    CHECK(g.fsm.session().session_id == "sess");
}

TEST_CASE("fsm: a second HELLO is ignored; an interval that is not positive ends the connection", "[gateway-fsm]")
{
    fixture f;
    f.fsm.on_connected(t0);
    CHECK(f.fsm.on_hello(40s, t0).kind == step_kind::send_identify);
    CHECK(f.fsm.on_hello(40s, t0).kind == step_kind::none);
    CHECK(f.fsm.on_hello(0ms, t0).kind == step_kind::none);

    fixture g;
    g.fsm.on_connected(t0);
    auto s = g.fsm.on_hello(0ms, t0);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.delay >= 500ms);   // a failed connection: backed off
    CHECK(g.fsm.current_phase() == phase::idle);
}

TEST_CASE("fsm: HELLO's interval is clamped into range and the clock never overflows", "[gateway-fsm]")
{
    CHECK(!usable_heartbeat_interval(0));
    CHECK(!usable_heartbeat_interval(-41250));
    CHECK(usable_heartbeat_interval(41250) == 41250ms);
    CHECK(usable_heartbeat_interval(1) == heartbeat_interval_min);
    CHECK(usable_heartbeat_interval(1'000'000'000'000) == heartbeat_interval_max);
    CHECK(usable_heartbeat_interval(INT64_MAX) == heartbeat_interval_max);

    CHECK(saturating_add(clock::time_point::max() - 1s, 1h) == clock::time_point::max());
    CHECK(saturating_add(t0, std::chrono::milliseconds::max()) == clock::time_point::max());
    CHECK(saturating_add(t0, -std::chrono::milliseconds::max()) == clock::time_point::min());
    CHECK(saturating_add(t0, 1s) == t0 + 1s);

    // A caller's absurd deadline does not overflow either.
    session_fsm fsm{fsm_config{.hello_timeout = std::chrono::milliseconds::max(),
                               .ready_timeout = std::chrono::milliseconds::max(),
                               .random = [] { return 0.5; }}};
    fsm.on_connected(t0);
    CHECK(fsm.on_tick(t0 + 1000h).kind == step_kind::none);
    fsm.on_hello(std::chrono::hours{24 * 365 * 1000}, t0);   // clamped to the maximum
    CHECK(fsm.heartbeat_interval() == heartbeat_interval_max);
    CHECK(fsm.next_wakeup() == t0 + heartbeat_interval_max / 2);
}

TEST_CASE("fsm: first heartbeat after interval x jitter, then every interval", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.25;
    f.fsm.on_connected(t0);
    f.fsm.on_hello(40s, t0);
    f.fsm.on_handshake_sent(t0);
    CHECK(f.fsm.next_wakeup() == t0 + 10s);
    CHECK(f.fsm.on_tick(t0 + 9999ms).kind == step_kind::none);
    CHECK(f.fsm.on_tick(t0 + 10s).kind == step_kind::send_heartbeat);
    CHECK(f.fsm.awaiting_ack());
    f.fsm.on_heartbeat_ack(t0 + 10s + 120ms);
    CHECK(f.fsm.latency() == 120ms);
    CHECK(!f.fsm.awaiting_ack());
    CHECK(f.fsm.on_dispatch(1, t0 + 11s) == delivery::deliver);
    f.fsm.on_ready("s", "wss://r", t0 + 11s);
    CHECK(f.fsm.next_wakeup() == t0 + 50s);
    CHECK(f.fsm.on_tick(t0 + 49s).kind == step_kind::none);
    CHECK(f.fsm.on_tick(t0 + 50s).kind == step_kind::send_heartbeat);
}

TEST_CASE("fsm: heartbeat jitter stays in [0, interval)", "[gateway-fsm]")
{
    std::mt19937_64 engine{1234};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
    session_fsm fsm{fsm_config{.random = [&] { return dist(engine); }}};
    clock::duration lowest = clock::duration::max(), highest = clock::duration::zero();
    for (int i = 0; i < 2000; ++i) {
        fsm.on_connected(t0);
        fsm.on_hello(1000ms, t0);
        auto first = fsm.next_wakeup() - t0;
        CHECK(first >= 0ms);
        CHECK(first < 1000ms);
        lowest = std::min(lowest, first);
        highest = std::max(highest, first);
        fsm.on_transport_error("test", t0);
    }
    // Spread over the interval, not a constant.
    CHECK(lowest < 100ms);
    CHECK(highest > 900ms);
}

TEST_CASE("fsm: an injected random value of 1 or more still keeps the first beat inside the interval",
          "[gateway-fsm]")
{
    session_fsm fsm{fsm_config{.random = [] { return 1.0; }}};
    fsm.on_connected(t0);
    fsm.on_hello(1000ms, t0);
    CHECK(fsm.next_wakeup() - t0 < 1000ms);
}

TEST_CASE("fsm: a server heartbeat request (op 1) is answered at once", "[gateway-fsm]")
{
    fixture f;
    CHECK(f.fsm.on_heartbeat_request().kind == step_kind::none);   // no connection
    f.make_ready();
    CHECK(f.fsm.on_heartbeat_request().kind == step_kind::send_heartbeat);
    CHECK(!f.fsm.awaiting_ack());   // not a scheduled beat: no zombie bookkeeping
}

TEST_CASE("fsm: no ACK before the next beat is a zombie: close non-1000 and resume", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.0;
    f.make_ready();
    CHECK(f.fsm.on_tick(t0).kind == step_kind::send_heartbeat);
    CHECK(f.fsm.on_tick(t0 + 39s).kind == step_kind::none);
    auto s = f.fsm.on_tick(t0 + 40s);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.resume);
    CHECK(s.close_code == resumable_close_code);
    CHECK(s.close_code != 1000);
    CHECK(s.close_code != 1001);
    CHECK(s.delay == 250ms);   // the session had lasted: reconnect soon (min / 4), never at once
    CHECK(f.fsm.session().seq == 5);
}

TEST_CASE("fsm: while reading is paused for backpressure a missing ACK is no zombie", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.0;
    f.make_ready();
    CHECK(f.fsm.on_tick(t0).kind == step_kind::send_heartbeat);
    f.fsm.on_reading_paused(true);   // the ACK may be waiting, unread, in the socket
    CHECK(f.fsm.on_tick(t0 + 40s).kind == step_kind::send_heartbeat);   // beats go on
    CHECK(f.fsm.on_tick(t0 + 80s).kind == step_kind::send_heartbeat);
    f.fsm.on_reading_paused(false);
    // Paused during the last interval: still no verdict; the next beat counts again.
    CHECK(f.fsm.on_tick(t0 + 120s).kind == step_kind::send_heartbeat);
    auto s = f.fsm.on_tick(t0 + 160s);
    CHECK(s.kind == step_kind::reconnect);   // read for a whole interval, no ACK: a zombie
    CHECK(s.reason.find("zombie") != std::string::npos);
}

TEST_CASE("fsm: an ACK after paused reading measures latency from the beat it answers", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.0;
    f.make_ready();
    CHECK(f.fsm.on_tick(t0).kind == step_kind::send_heartbeat);
    f.fsm.on_reading_paused(true);
    CHECK(f.fsm.on_tick(t0 + 40s).kind == step_kind::send_heartbeat);
    f.fsm.on_reading_paused(false);
    f.fsm.on_heartbeat_ack(t0 + 50s);   // the first beat's ACK, read late
    CHECK(f.fsm.latency() == 50s);
    CHECK(f.fsm.on_tick(t0 + 80s).kind == step_kind::send_heartbeat);
}

TEST_CASE("fsm: an ACK in time keeps a busy connection alive", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.0;
    f.make_ready();
    auto now = t0;
    for (int beat = 0; beat < 10; ++beat) {
        REQUIRE(f.fsm.on_tick(now).kind == step_kind::send_heartbeat);
        // Dispatches flood in between; the ACK arrives just before the next beat.
        for (std::uint64_t s = 0; s < 100; ++s)
            f.fsm.on_dispatch(6 + static_cast<std::uint64_t>(beat) * 100 + s, now + 1s);
        f.fsm.on_heartbeat_ack(now + 39999ms);
        now += 40s;
    }
    CHECK(f.fsm.on_tick(now).kind == step_kind::send_heartbeat);
}

TEST_CASE("fsm: heartbeats carry the last sequence number; replays are dropped", "[gateway-fsm]")
{
    fixture f;
    f.make_ready();
    CHECK(f.fsm.seq() == 5);
    CHECK(f.fsm.on_dispatch(5, t0) == delivery::duplicate);
    CHECK(f.fsm.on_dispatch(3, t0) == delivery::duplicate);
    CHECK(f.fsm.on_dispatch(6, t0) == delivery::deliver);
    CHECK(f.fsm.seq() == 6);
    CHECK(f.fsm.highest_seq() == 6);
}

TEST_CASE("fsm: op 7 reconnects and resumes", "[gateway-fsm]")
{
    fixture f;
    f.make_ready();
    auto s = f.fsm.on_reconnect_request(later);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.resume);
    CHECK(s.close_code == resumable_close_code);
    CHECK(f.fsm.connect_url("wss://gw") == "wss://resume.example");
    f.fsm.on_connected(t0);
    CHECK(f.fsm.on_hello(40s, t0).kind == step_kind::send_resume);
}

TEST_CASE("fsm: op 9 true resumes; op 9 false waits 1-5 s and identifies anew", "[gateway-fsm]")
{
    fixture f;
    f.make_ready();
    auto s = f.fsm.on_invalid_session(true, later);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.resume);

    fixture g;
    for (double r : {0.0, 0.5, 0.999}) {
        g.rnd = r;
        g.make_ready();
        auto t = g.fsm.on_invalid_session(false, later);
        CHECK(t.kind == step_kind::reconnect);
        CHECK(!t.resume);
        CHECK(t.delay >= 1s);
        CHECK(t.delay <= 5s);
        CHECK(!g.fsm.session().valid());
        CHECK(g.fsm.seq() == 0);
        CHECK(g.fsm.connect_url("wss://gw") == "wss://gw");
    }
    g.rnd = 0.0;
    CHECK(g.fsm.on_invalid_session(false, later).delay == 1s);
    g.rnd = 0.999999;
    CHECK(g.fsm.on_invalid_session(false, later).delay <= 5s);
    CHECK(g.fsm.on_invalid_session(false, later).delay > 4900ms);
}

TEST_CASE("fsm: every close code 4000-4014 maps to resume, identify or a fatal error", "[gateway-fsm]")
{
    struct expectation {
        int code;
        step_kind kind;
        bool resume;
    };
    const expectation table[] = {
        {4000, step_kind::reconnect, true},  {4001, step_kind::reconnect, true},
        {4002, step_kind::reconnect, true},  {4003, step_kind::reconnect, false},
        {4004, step_kind::fail, false},      {4005, step_kind::reconnect, true},
        {4006, step_kind::reconnect, true},  // not defined by Discord: unknown → resume
        {4007, step_kind::reconnect, false}, {4008, step_kind::reconnect, true},
        {4009, step_kind::reconnect, false}, {4010, step_kind::fail, false},
        {4011, step_kind::fail, false},      {4012, step_kind::fail, false},
        {4013, step_kind::fail, false},      {4014, step_kind::fail, false},
        {1000, step_kind::reconnect, true},  {1001, step_kind::reconnect, true},
        {1006, step_kind::reconnect, true},  {4999, step_kind::reconnect, true},
    };
    for (const auto& e : table) {
        INFO("close code " << e.code);
        fixture f;
        f.make_ready();
        auto s = f.fsm.on_closed(e.code, later);
        CHECK(s.kind == e.kind);
        if (s.kind == step_kind::reconnect) {
            CHECK(s.resume == e.resume);
            CHECK(s.close_code == 0);   // already closed by the server
            CHECK(f.fsm.session().valid() == e.resume);
            CHECK(s.slow_down == (e.code == 4008));
        } else {
            CHECK(s.fatal_code == e.code);
        }
    }
}

TEST_CASE("fsm: the close policy flags cord's own bugs", "[gateway-fsm]")
{
    CHECK(policy_for_close(4001).our_bug);
    CHECK(policy_for_close(4002).our_bug);
    CHECK(policy_for_close(4005).our_bug);
    CHECK(policy_for_close(4008).slow_down);
    CHECK(!policy_for_close(4000).our_bug);
    CHECK(policy_for_close(std::nullopt).action == close_action::resume);
}

TEST_CASE("fsm: a dropped connection with no close code resumes", "[gateway-fsm]")
{
    fixture f;
    f.make_ready();
    auto s = f.fsm.on_closed(std::nullopt, later);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.resume);
    auto t = fixture{};
    t.make_ready();
    CHECK(t.fsm.on_transport_error("reset", later).resume);
}

TEST_CASE("fsm: a missing HELLO or READY hits its deadline and reconnects", "[gateway-fsm]")
{
    fixture f;
    f.fsm.on_connected(t0);
    CHECK(f.fsm.next_wakeup() == t0 + 20s);
    CHECK(f.fsm.on_tick(t0 + 19s).kind == step_kind::none);
    auto s = f.fsm.on_tick(t0 + 20s);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.close_code == resumable_close_code);
    CHECK(s.delay >= 500ms);   // a failed connection backs off

    fixture g;
    g.rnd = 0.99;   // first beat late, so the deadline comes first
    g.fsm.on_connected(t0);
    g.fsm.on_hello(100s, t0);
    g.fsm.on_handshake_sent(t0 + 1s);
    CHECK(g.fsm.on_tick(t0 + 30s).kind == step_kind::none);
    g.fsm.on_dispatch(1, t0 + 20s);   // progress (a replayed event) extends the deadline
    CHECK(g.fsm.on_tick(t0 + 31s).kind == step_kind::none);
    CHECK(g.fsm.on_tick(t0 + 50s).kind == step_kind::reconnect);
}

TEST_CASE("fsm: backoff doubles from min to max with jitter in [base/2, base]", "[gateway-fsm]")
{
    std::mt19937_64 engine{99};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
    session_fsm fsm{fsm_config{.backoff_min = 1s, .backoff_max = 60s, .random = [&] { return dist(engine); }}};
    for (int i = 0; i < 200; ++i) {   // after a session that lasted: soon, never at once
        auto d = fsm.backoff(0);
        REQUIRE(d >= 250ms);
        REQUIRE(d <= 500ms);
    }
    for (int failures = 1; failures <= 20; ++failures) {
        auto base = std::min<std::chrono::milliseconds>(60s, std::chrono::milliseconds{1000LL << std::min(failures - 1, 10)});
        for (int i = 0; i < 200; ++i) {
            auto d = fsm.backoff(failures);
            INFO("failures " << failures << " delay " << d.count());
            REQUIRE(d >= base / 2);
            REQUIRE(d <= base);
            REQUIRE(d <= 60s);
        }
    }
}

TEST_CASE("fsm: consecutive failures grow the backoff; READY resets it", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.999;
    f.make_ready();
    CHECK(f.fsm.on_transport_error("x", later).delay < 500ms);
    std::chrono::milliseconds last{0};
    for (int i = 1; i <= 10; ++i) {
        auto s = f.fsm.on_transport_error("connect refused", later);
        CHECK(s.delay >= last);
        CHECK(s.delay <= 60s);
        last = s.delay;
    }
    CHECK(last > 50s);
    f.make_ready();   // a session that lasts resets it
    CHECK(f.fsm.on_closed(4000, later).delay < 500ms);
    CHECK(f.fsm.failures() == 0);
}

TEST_CASE("fsm: a resume that keeps failing falls back to identify", "[gateway-fsm]")
{
    fixture f;   // max_resume_attempts = 3
    f.make_ready();
    CHECK(f.fsm.on_transport_error("drop", later).resume);
    for (int i = 0; i < 2; ++i) {
        f.fsm.on_connected(t0);
        REQUIRE(f.fsm.on_hello(40s, t0).kind == step_kind::send_resume);
        CHECK(f.fsm.on_transport_error("drop", later).resume);
    }
    f.fsm.on_connected(t0);
    REQUIRE(f.fsm.on_hello(40s, t0).kind == step_kind::send_resume);
    auto s = f.fsm.on_transport_error("drop", later);
    CHECK(!s.resume);
    f.fsm.on_connected(t0);
    CHECK(f.fsm.on_hello(40s, t0).kind == step_kind::send_identify);
}

TEST_CASE("fsm: a malformed payload reconnects and resumes from the last good seq", "[gateway-fsm]")
{
    fixture f;
    f.make_ready();
    auto s = f.fsm.on_malformed(later);
    CHECK(s.kind == step_kind::reconnect);
    CHECK(s.resume);
    CHECK(s.close_code == resumable_close_code);
    CHECK(f.fsm.session().seq == 5);
}

TEST_CASE("fsm: per-connection state starts fresh on every connection", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.0;
    f.make_ready();
    REQUIRE(f.fsm.on_tick(t0).kind == step_kind::send_heartbeat);
    REQUIRE(f.fsm.awaiting_ack());
    f.fsm.on_reconnect_request(later);
    f.fsm.on_connected(t0 + 1s);
    CHECK(!f.fsm.awaiting_ack());
    CHECK(f.fsm.current_phase() == phase::awaiting_hello);
    f.fsm.on_hello(40s, t0 + 1s);
    // The first beat on the new connection is not a zombie even though the old one had no ACK.
    CHECK(f.fsm.on_tick(t0 + 1s).kind == step_kind::send_heartbeat);
}

TEST_CASE("fsm: a fatal close code ends with the code to report", "[gateway-fsm]")
{
    for (int code : {4004, 4010, 4011, 4012, 4013, 4014}) {
        fixture f;
        f.fsm.on_connected(t0);
        f.fsm.on_hello(40s, t0);
        auto s = f.fsm.on_closed(code, later);
        CHECK(s.kind == step_kind::fail);
        CHECK(s.fatal_code == code);
    }
}

TEST_CASE("ledger: exactly once by delivery: a late seq is delivered, a replay is not", "[gateway-fsm]")
{
    delivery_ledger l;
    CHECK(l.record(2) == delivery::deliver);   // seq 2 overtook seq 1
    CHECK(l.resume_seq() == 0);                // a RESUME would ask for 1 again
    CHECK(l.highest() == 2);
    CHECK(l.classify(1) == delivery::late);
    CHECK(l.record(1) == delivery::late);
    CHECK(l.resume_seq() == 2);
    CHECK(l.record(1) == delivery::duplicate);
    CHECK(l.record(2) == delivery::duplicate);
    CHECK(l.record(3) == delivery::deliver);
    CHECK(l.record(5) == delivery::deliver);
    CHECK(l.resume_seq() == 3);
    CHECK(l.record(5) == delivery::duplicate);
    CHECK(l.record(4) == delivery::late);
    CHECK(l.resume_seq() == 5);
    CHECK(l.forgotten() == 0);
}

TEST_CASE("ledger: a gap older than the window is given up, in bounded time and memory", "[gateway-fsm]")
{
    delivery_ledger l;
    l.record(1);
    CHECK(l.record(3) == delivery::deliver);   // 2 missing
    CHECK(l.record(3 + delivery_ledger::window) == delivery::deliver);
    CHECK(l.resume_seq() == 3);                // 2 pushed out of the window: given up
    CHECK(l.forgotten() == 1);
    CHECK(l.record(2) == delivery::duplicate);
    // A huge jump from a hostile server: no loop over the seqs in between.
    CHECK(l.record(UINT64_MAX - 1) == delivery::deliver);
    CHECK(l.resume_seq() == UINT64_MAX - 1 - delivery_ledger::window);
    CHECK(l.record(UINT64_MAX) == delivery::deliver);
    CHECK(l.record(UINT64_MAX) == delivery::duplicate);
    l.reset(10);
    CHECK(l.record(10) == delivery::duplicate);
    CHECK(l.record(11) == delivery::deliver);
}

TEST_CASE("fsm: a session that ends soon after READY / RESUMED counts as a failure", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.999;
    f.make_ready();
    // op 7 right after every RESUMED: the backoff grows instead of reconnecting at once.
    std::chrono::milliseconds last{0};
    auto now = t0;
    for (int i = 1; i <= 8; ++i) {
        auto s = f.fsm.on_reconnect_request(now + 10ms);
        REQUIRE(s.kind == step_kind::reconnect);
        CHECK(s.resume);
        CHECK(s.delay >= 500ms);
        CHECK(s.delay >= last);
        last = s.delay;
        now += s.delay;
        f.fsm.on_connected(now);
        REQUIRE(f.fsm.on_hello(40s, now).kind == step_kind::send_resume);
        f.fsm.on_resumed(now);
    }
    CHECK(last > 50s);
    CHECK(f.fsm.failures() == 8);
    // One that lasts resets it.
    CHECK(f.fsm.on_reconnect_request(now + 31s).delay < 500ms);
    CHECK(f.fsm.failures() == 0);
}

TEST_CASE("fsm: IDENTIFYs that keep ending before READY stop the shard, whatever the close code", "[gateway-fsm]")
{
    fixture f;   // max_identify_attempts = 4
    auto now = t0;
    step s;
    for (int i = 1; i <= 4; ++i) {
        f.fsm.on_connected(now);
        REQUIRE(f.fsm.on_hello(40s, now).kind == step_kind::send_identify);
        s = f.fsm.on_closed(4000, now + 1s);   // a bad token answered with 4000, not 4004
        INFO("identify " << i);
        if (i < 4) {
            CHECK(s.kind == step_kind::reconnect);
            CHECK(!s.resume);   // there is no session to resume
        }
    }
    CHECK(s.kind == step_kind::fail);
    CHECK(s.never_ready);
    CHECK(s.fatal_code == 4000);
    CHECK(f.fsm.identify_failures() == 4);

    // READY in between resets the count; a failed RESUME does not count as an IDENTIFY.
    fixture g;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 3; ++i) {
            g.fsm.on_connected(now);
            REQUIRE(g.fsm.on_hello(40s, now).kind == step_kind::send_identify);
            REQUIRE(g.fsm.on_invalid_session(false, now).kind == step_kind::reconnect);
        }
        g.make_ready(now);
        CHECK(g.fsm.identify_failures() == 0);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(g.fsm.on_closed(std::nullopt, now + 1h).kind == step_kind::reconnect);
            g.fsm.on_connected(now + 1h);
            REQUIRE(g.fsm.on_hello(40s, now + 1h).kind == step_kind::send_resume);
        }
        CHECK(g.fsm.identify_failures() == 0);
        g.fsm.on_resumed(now + 1h);
        REQUIRE(g.fsm.on_closed(4009, now + 2h).kind == step_kind::reconnect);   // the session ends
        now += 3h;
    }
}

TEST_CASE("fsm: a shard makes at most max_connects_per_minute connection attempts a minute", "[gateway-fsm]")
{
    session_fsm fsm{fsm_config{.backoff_min = 1ms,
                               .backoff_max = 2ms,
                               .max_connects_per_minute = 12,
                               .random = [] { return 0.5; }}};
    auto now = t0;
    int waited = 0;
    for (int i = 0; i < 40; ++i) {
        fsm.on_connecting(now);
        auto s = fsm.on_transport_error("refused", now);
        REQUIRE(s.kind == step_kind::reconnect);
        if (s.budget_wait) {
            ++waited;
            CHECK(s.delay > 2ms);
        }
        now += s.delay;
    }
    // 40 attempts at 12 a minute take more than three minutes, whatever the backoff says.
    CHECK(now - t0 >= 3min);
    CHECK(waited >= 3);
}

TEST_CASE("fsm: op 9 (not resumable) waits 1-5 s even after failed connects", "[gateway-fsm]")
{
    fixture f;
    f.rnd = 0.5;
    for (int i = 0; i < 6; ++i)
        f.fsm.on_transport_error("refused", t0);   // 6 failures: the backoff is about 30 s
    REQUIRE(f.fsm.backoff(f.fsm.failures()) > 10s);
    f.make_ready(t0);
    auto s = f.fsm.on_invalid_session(false, t0 + 1s);
    CHECK(s.delay >= 1s);
    CHECK(s.delay <= 5s);
    // Sessions that keep ending with op 9 do back off.
    std::chrono::milliseconds last{0};
    for (int i = 0; i < 6; ++i) {
        f.make_ready(t0);
        last = f.fsm.on_invalid_session(false, t0 + 1s).delay;
    }
    CHECK(last > 10s);
}
