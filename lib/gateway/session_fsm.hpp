// cord: private. The shard's policy as a sans-io state machine: every decision a shard makes
// (heartbeat timing, zombie detection, identify or resume, what to do after op 7, op 9, a
// close code or a transport error, backoff) lives here, with time and randomness injected,
// so that it is unit-tested without sockets (like Boost.Redis's run_fsm).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "gateway/close_policy.hpp"
#include "gateway/delivery_ledger.hpp"

#include <cord/gateway_options.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cord::gateway {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// What the connection loop must do next.
enum class step_kind {
    none,
    send_identify,
    send_resume,
    send_heartbeat,
    reconnect,   ///< end this connection (closing with `close_code` if still open), wait `delay`, connect
    fail,        ///< stop: a fatal close code, or IDENTIFY that never leads to a session
};

struct step {
    step_kind kind = step_kind::none;
    bool resume = false;       ///< reconnect: RESUME (true) or IDENTIFY afresh
    milliseconds delay{0};     ///< reconnect: wait before connecting again
    int close_code = 0;        ///< reconnect: code to close our side with; 0 when already closed
    int fatal_code = 0;        ///< fail: the close code (0: the connection ended without one)
    bool never_ready = false;  ///< fail: max_identify_attempts IDENTIFYs in a row ended before READY
    bool slow_down = false;    ///< reconnect after 4008: send slower on the next connection
    bool budget_wait = false;  ///< reconnect: `delay` was stretched by the connection budget
    bool zombie = false;       ///< reconnect: no heartbeat ACK in time
    std::string_view reason;   ///< for the log
};

/// Where a connection is.
enum class phase {
    idle,             ///< no connection
    awaiting_hello,   ///< connected, no HELLO yet
    handshaking,      ///< HELLO received; IDENTIFY or RESUME sent, waiting for READY / RESUMED
    ready,
};

struct fsm_config {
    milliseconds hello_timeout{20000};
    milliseconds ready_timeout{30000};
    milliseconds backoff_min{1000};
    milliseconds backoff_max{60000};
    int max_resume_attempts = 5;
    /// A session that ends sooner than this after READY / RESUMED did not last: it counts as a
    /// failed connection (an op 7 after every RESUMED must not reconnect in a tight loop).
    milliseconds stable_after{30000};
    /// IDENTIFYs in a row that end before READY, whatever the close code, after which the
    /// shard gives up instead of spending the daily identify budget.
    int max_identify_attempts = 4;
    /// Connection attempts allowed in any 60 s; beyond it the next one waits.
    int max_connects_per_minute = 12;
    /// Uniform random numbers in [0, 1): heartbeat jitter, backoff jitter, op 9 wait.
    std::function<double()> random;
};

/// The op 9 (false) wait before identifying anew: 1–5 s.
inline constexpr milliseconds invalid_session_wait_min{1000};
inline constexpr milliseconds invalid_session_wait_max{5000};

/// HELLO's heartbeat_interval is taken within these bounds (Discord sends about 41 s): a
/// shorter one is raised, a longer one lowered (beating more often than asked is always safe).
inline constexpr milliseconds heartbeat_interval_min{100};
inline constexpr milliseconds heartbeat_interval_max{600000};

/// What HELLO's interval (in ms, as the server sent it) becomes: clamped into the bounds, or
/// nothing when it is not positive.
std::optional<milliseconds> usable_heartbeat_interval(std::int64_t interval_ms) noexcept;

/// `t + d`, saturating at the clock's ends: no value from a server or a caller overflows it.
clock::time_point saturating_add(clock::time_point t, milliseconds d) noexcept;

class session_fsm {
public:
    explicit session_fsm(fsm_config config);

    // --- the session (survives connections) ----------------------------------------------------
    /// Adopts an exported session: the next connection RESUMEs it.
    void restore(const session_info& session);
    session_info session() const;
    /// The seq a RESUME continues from: every dispatch up to it was delivered.
    std::uint64_t seq() const noexcept { return ledger_.resume_seq(); }
    /// The highest seq delivered: what heartbeats carry.
    std::uint64_t highest_seq() const noexcept { return ledger_.highest(); }
    /// The next connection resumes (a session exists and has not failed too often).
    bool will_resume() const noexcept;
    /// Where the next connection goes: the resume URL when resuming, else `gateway_url`.
    std::string_view connect_url(std::string_view gateway_url) const noexcept;

    // --- one connection ---------------------------------------------------------------------------
    /// A connection attempt begins (it counts against max_connects_per_minute).
    void on_connecting(clock::time_point now);
    /// A new connection is open: per-connection state starts fresh; HELLO is due by the deadline.
    void on_connected(clock::time_point now);
    /// op 10: schedules the first heartbeat at `interval × jitter` and says IDENTIFY or RESUME;
    /// a second HELLO is ignored; an interval that is not positive ends the connection.
    step on_hello(milliseconds heartbeat_interval, clock::time_point now);
    /// IDENTIFY or RESUME was written: READY / RESUMED is due by the deadline.
    void on_handshake_sent(clock::time_point now);
    /// The time loop: a heartbeat that is due (or a zombie), or a passed deadline.
    step on_tick(clock::time_point now);
    /// When on_tick next has something to do (max() when nothing is scheduled).
    clock::time_point next_wakeup() const noexcept;
    /// op 1 from the server: beat at once (the ACK bookkeeping is unchanged).
    step on_heartbeat_request() const;
    /// op 11.
    void on_heartbeat_ack(clock::time_point now);
    /// The shard stopped (true) or resumed (false) reading its socket, for backpressure from
    /// slow handlers. Heartbeats still go out; an ACK cannot be seen unread, so a missing ACK
    /// counts as a zombie only for a heartbeat after which the shard read for a whole interval.
    void on_reading_paused(bool paused);
    /// What a dispatch with `s` = seq would be, before it is parsed (0: no seq, deliver).
    delivery classify(std::uint64_t seq) const noexcept;
    /// op 0 with `s`, parsed and about to be delivered: `duplicate` for one delivered before in
    /// this session (a replay), which must not be dispatched again.
    delivery on_dispatch(std::uint64_t seq, clock::time_point now);
    /// Whether on_dispatch() reads its `now` (only while the handshake's deadline runs).
    bool dispatch_reads_clock() const noexcept { return phase_ == phase::handshaking; }
    /// READY: a new session.
    void on_ready(std::string session_id, std::string resume_url, clock::time_point now);
    /// RESUMED: the session continues.
    void on_resumed(clock::time_point now);
    /// op 7.
    step on_reconnect_request(clock::time_point now);
    /// op 9.
    step on_invalid_session(bool resumable, clock::time_point now);
    /// The server closed the connection (`code`) or it dropped (no code).
    step on_closed(std::optional<int> code, clock::time_point now);
    /// Connecting failed or the connection broke without a close frame.
    step on_transport_error(std::string_view what, clock::time_point now);
    /// A payload we cannot read (not JSON, corrupt compression): resume from the last good seq.
    step on_malformed(clock::time_point now);

    phase current_phase() const noexcept { return phase_; }
    milliseconds heartbeat_interval() const noexcept { return interval_; }
    milliseconds latency() const noexcept { return latency_; }
    bool awaiting_ack() const noexcept { return awaiting_ack_; }
    /// Consecutive connections that did not last: ended before READY / RESUMED, or within
    /// stable_after of it.
    int failures() const noexcept { return failures_; }
    /// IDENTIFYs in a row that ended before READY.
    int identify_failures() const noexcept { return identify_failures_; }
    /// Dispatches given up on: a gap that later seqs pushed out of the ledger's window.
    std::uint64_t forgotten_seqs() const noexcept { return ledger_.forgotten(); }
    /// The capped, jittered backoff after `failures` failed connections: uniform in
    /// [base/2, base] with base = min(max, min × 2^(failures-1)); after none, uniform in
    /// [min/4, min/2] — never 0, so that no pattern of faults reconnects in a tight loop.
    milliseconds backoff(int failures) const;

private:
    step reconnect(bool resume, int close_code, std::string_view reason, clock::time_point now);
    /// Ends the connection's bookkeeping, counting it as a failure unless it lasted.
    void end_connection(clock::time_point now);
    /// When the connection budget lets the next attempt begin.
    clock::time_point budget_allows(clock::time_point now) const;
    void forget_session();
    double random() const;

    fsm_config config_;
    // session
    std::string session_id_;
    std::string resume_url_;
    delivery_ledger ledger_;
    int resume_failures_ = 0;
    int identify_failures_ = 0;
    int short_sessions_ = 0;             // sessions in a row that ended within stable_after
    std::deque<clock::time_point> connects_;   // attempts in the last 60 s
    int last_close_code_ = 0;
    // connection
    phase phase_ = phase::idle;
    bool resuming_ = false;
    milliseconds interval_{0};
    clock::time_point next_beat_ = clock::time_point::max();
    clock::time_point deadline_ = clock::time_point::max();
    clock::time_point beat_sent_at_{};
    clock::time_point ready_at_{};
    bool awaiting_ack_ = false;
    bool reading_paused_ = false;
    bool paused_since_beat_ = false;   // reading paused at some point since the last heartbeat
    milliseconds latency_{0};
    int failures_ = 0;
};

} // namespace cord::gateway
