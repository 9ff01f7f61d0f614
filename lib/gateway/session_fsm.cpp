// cord: the shard's policy, without I/O.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/session_fsm.hpp"

#include <algorithm>
#include <random>

namespace cord::gateway {

namespace {

milliseconds scale(milliseconds d, double factor)
{
    return milliseconds{static_cast<milliseconds::rep>(static_cast<double>(d.count()) * factor)};
}

} // namespace

session_fsm::session_fsm(fsm_config config) : config_(std::move(config))
{
    if (!config_.random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        config_.random = [engine] { return std::uniform_real_distribution<double>{0.0, 1.0}(*engine); };
    }
}

double session_fsm::random() const
{
    // Clamp: an injected source must not push a delay outside its documented bounds.
    return std::clamp(config_.random(), 0.0, 0.999999);
}

void session_fsm::restore(const session_info& session)
{
    session_id_ = session.session_id;
    resume_url_ = session.resume_url;
    seq_ = session.seq;
    resume_failures_ = 0;
}

session_info session_fsm::session() const { return {session_id_, seq_, resume_url_}; }

bool session_fsm::will_resume() const noexcept
{
    return !session_id_.empty() && !resume_url_.empty() && resume_failures_ < config_.max_resume_attempts;
}

std::string_view session_fsm::connect_url(std::string_view gateway_url) const noexcept
{
    return will_resume() ? std::string_view{resume_url_} : gateway_url;
}

void session_fsm::on_connected(clock::time_point now)
{
    phase_ = phase::awaiting_hello;
    resuming_ = will_resume();
    interval_ = milliseconds{0};
    next_beat_ = clock::time_point::max();
    deadline_ = now + config_.hello_timeout;
    awaiting_ack_ = false;
}

step session_fsm::on_hello(milliseconds heartbeat_interval, clock::time_point now)
{
    if (phase_ != phase::awaiting_hello || heartbeat_interval <= milliseconds{0})
        return {};
    interval_ = heartbeat_interval;
    next_beat_ = now + scale(interval_, random());
    phase_ = phase::handshaking;
    deadline_ = now + config_.ready_timeout;
    if (resuming_)
        return {.kind = step_kind::send_resume};
    forget_session();   // a new session numbers its dispatches from 1
    return {.kind = step_kind::send_identify};
}

void session_fsm::on_handshake_sent(clock::time_point now)
{
    if (phase_ == phase::handshaking)
        deadline_ = now + config_.ready_timeout;
}

step session_fsm::on_tick(clock::time_point now)
{
    if (deadline_ <= now) {
        bool hello = phase_ == phase::awaiting_hello;
        return reconnect(true, resumable_close_code,
                         hello ? "no HELLO before the deadline" : "no READY or RESUMED before the deadline");
    }
    if (next_beat_ <= now) {
        if (awaiting_ack_)
            return reconnect(true, resumable_close_code, "no heartbeat ACK since the last heartbeat (zombie)");
        awaiting_ack_ = true;
        beat_sent_at_ = now;
        next_beat_ = now + interval_;
        return {.kind = step_kind::send_heartbeat};
    }
    return {};
}

clock::time_point session_fsm::next_wakeup() const noexcept { return std::min(next_beat_, deadline_); }

step session_fsm::on_heartbeat_request() const
{
    if (phase_ == phase::idle)
        return {};
    return {.kind = step_kind::send_heartbeat};
}

void session_fsm::on_heartbeat_ack(clock::time_point now)
{
    if (!awaiting_ack_)
        return;
    awaiting_ack_ = false;
    latency_ = std::chrono::duration_cast<milliseconds>(now - beat_sent_at_);
}

bool session_fsm::on_dispatch(std::uint64_t seq, clock::time_point now)
{
    if (phase_ == phase::handshaking)
        deadline_ = now + config_.ready_timeout;   // a long replay is progress, not a stuck handshake
    if (seq != 0 && seq <= seq_)
        return false;
    if (seq != 0)
        seq_ = seq;
    return true;
}

void session_fsm::on_ready(std::string session_id, std::string resume_url)
{
    session_id_ = std::move(session_id);
    resume_url_ = std::move(resume_url);
    phase_ = phase::ready;
    deadline_ = clock::time_point::max();
    failures_ = 0;
    resume_failures_ = 0;
}

void session_fsm::on_resumed()
{
    phase_ = phase::ready;
    deadline_ = clock::time_point::max();
    failures_ = 0;
    resume_failures_ = 0;
}

step session_fsm::on_reconnect_request() { return reconnect(true, resumable_close_code, "op 7 Reconnect"); }

step session_fsm::on_invalid_session(bool resumable)
{
    if (resumable)
        return reconnect(true, resumable_close_code, "op 9 Invalid Session (resumable)");
    forget_session();
    auto s = reconnect(false, resumable_close_code, "op 9 Invalid Session (not resumable)");
    auto wait = invalid_session_wait_min + scale(invalid_session_wait_max - invalid_session_wait_min, random());
    s.delay = std::max(s.delay, wait);
    return s;
}

step session_fsm::on_closed(std::optional<int> code)
{
    auto policy = policy_for_close(code);
    switch (policy.action) {
    case close_action::fatal:
        end_connection();
        return {.kind = step_kind::fail, .fatal_code = *code, .reason = "fatal close code"};
    case close_action::identify:
        forget_session();
        return reconnect(false, 0, "close code: the session cannot be resumed");
    case close_action::resume: break;
    }
    auto s = reconnect(true, 0, code ? "closed by the gateway" : "connection dropped");
    s.slow_down = policy.slow_down;
    return s;
}

step session_fsm::on_transport_error(std::string_view what) { return reconnect(true, 0, what); }

step session_fsm::on_malformed() { return reconnect(true, resumable_close_code, "malformed payload"); }

milliseconds session_fsm::backoff(int failures) const
{
    if (failures <= 0)
        return milliseconds{0};
    auto base = config_.backoff_min;
    for (int i = 1; i < failures && base < config_.backoff_max; ++i)
        base *= 2;
    base = std::min(base, config_.backoff_max);
    return base / 2 + scale(base - base / 2, random());
}

step session_fsm::reconnect(bool resume, int close_code, std::string_view reason)
{
    end_connection();
    return {.kind = step_kind::reconnect,
            .resume = resume && will_resume(),
            .delay = backoff(failures_),
            .close_code = close_code,
            .reason = reason};
}

void session_fsm::end_connection()
{
    if (phase_ != phase::ready) {
        ++failures_;
        if (!session_id_.empty() && ++resume_failures_ >= config_.max_resume_attempts)
            forget_session();   // the session is gone for good: identify anew
    }
    phase_ = phase::idle;
    next_beat_ = clock::time_point::max();
    deadline_ = clock::time_point::max();
    awaiting_ack_ = false;
}

void session_fsm::forget_session()
{
    session_id_.clear();
    resume_url_.clear();
    seq_ = 0;
    resume_failures_ = 0;
}

} // namespace cord::gateway
