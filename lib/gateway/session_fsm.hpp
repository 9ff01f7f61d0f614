// cord: private. The shard's policy as a sans-io state machine: every decision a shard makes
// (heartbeat timing, zombie detection, identify or resume, what to do after op 7, op 9, a
// close code or a transport error, backoff) lives here, with time and randomness injected,
// so that it is unit-tested without sockets (like Boost.Redis's run_fsm).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "gateway/close_policy.hpp"

#include <cord/gateway_options.hpp>

#include <chrono>
#include <cstdint>
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
    fail,        ///< stop with gateway_error::from_close_code(fatal_code)
};

struct step {
    step_kind kind = step_kind::none;
    bool resume = false;       ///< reconnect: RESUME (true) or IDENTIFY afresh
    milliseconds delay{0};     ///< reconnect: wait before connecting again
    int close_code = 0;        ///< reconnect: code to close our side with; 0 when already closed
    int fatal_code = 0;        ///< fail: the close code
    bool slow_down = false;    ///< reconnect after 4008: send slower on the next connection
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
    /// Uniform random numbers in [0, 1): heartbeat jitter, backoff jitter, op 9 wait.
    std::function<double()> random;
};

/// The op 9 (false) wait before identifying anew: 1–5 s.
inline constexpr milliseconds invalid_session_wait_min{1000};
inline constexpr milliseconds invalid_session_wait_max{5000};

class session_fsm {
public:
    explicit session_fsm(fsm_config config);

    // --- the session (survives connections) ----------------------------------------------------
    /// Adopts an exported session: the next connection RESUMEs it.
    void restore(const session_info& session);
    session_info session() const;
    std::uint64_t seq() const noexcept { return seq_; }
    /// The next connection resumes (a session exists and has not failed too often).
    bool will_resume() const noexcept;
    /// Where the next connection goes: the resume URL when resuming, else `gateway_url`.
    std::string_view connect_url(std::string_view gateway_url) const noexcept;

    // --- one connection ---------------------------------------------------------------------------
    /// A new connection is open: per-connection state starts fresh; HELLO is due by the deadline.
    void on_connected(clock::time_point now);
    /// op 10: schedules the first heartbeat at `interval × jitter` and says IDENTIFY or RESUME.
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
    /// op 0 with `s`: false for a sequence number already delivered (a replay), which must not
    /// be dispatched again.
    bool on_dispatch(std::uint64_t seq, clock::time_point now);
    /// READY: a new session.
    void on_ready(std::string session_id, std::string resume_url);
    /// RESUMED: the session continues.
    void on_resumed();
    /// op 7.
    step on_reconnect_request();
    /// op 9.
    step on_invalid_session(bool resumable);
    /// The server closed the connection (`code`) or it dropped (no code).
    step on_closed(std::optional<int> code);
    /// Connecting failed or the connection broke without a close frame.
    step on_transport_error(std::string_view what);
    /// A payload we cannot read (not JSON, corrupt compression): resume from the last good seq.
    step on_malformed();

    phase current_phase() const noexcept { return phase_; }
    milliseconds heartbeat_interval() const noexcept { return interval_; }
    milliseconds latency() const noexcept { return latency_; }
    bool awaiting_ack() const noexcept { return awaiting_ack_; }
    /// Consecutive connections that ended before READY / RESUMED.
    int failures() const noexcept { return failures_; }
    /// The capped, jittered backoff after `failures` failed connections: uniform in
    /// [base/2, base] with base = min(max, min × 2^(failures-1)).
    milliseconds backoff(int failures) const;

private:
    step reconnect(bool resume, int close_code, std::string_view reason);
    void end_connection();
    void forget_session();
    double random() const;

    fsm_config config_;
    // session
    std::string session_id_;
    std::string resume_url_;
    std::uint64_t seq_ = 0;
    int resume_failures_ = 0;
    // connection
    phase phase_ = phase::idle;
    bool resuming_ = false;
    milliseconds interval_{0};
    clock::time_point next_beat_ = clock::time_point::max();
    clock::time_point deadline_ = clock::time_point::max();
    clock::time_point beat_sent_at_{};
    bool awaiting_ack_ = false;
    milliseconds latency_{0};
    int failures_ = 0;
};

} // namespace cord::gateway
