// cord: the shard's policy, without I/O.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/session_fsm.hpp"

#include <algorithm>
#include <random>

namespace cord::gateway {

namespace {

using namespace std::chrono_literals;

milliseconds scale(milliseconds d, double factor)
{
    return milliseconds{static_cast<milliseconds::rep>(static_cast<double>(d.count()) * factor)};
}

constexpr clock::duration budget_window = 60s;

} // namespace

std::optional<milliseconds> usable_heartbeat_interval(std::int64_t interval_ms) noexcept
{
    if (interval_ms <= 0)
        return std::nullopt;
    return std::clamp(milliseconds{std::min<std::int64_t>(interval_ms, heartbeat_interval_max.count())},
                      heartbeat_interval_min, heartbeat_interval_max);
}

clock::time_point saturating_add(clock::time_point t, milliseconds d) noexcept
{
    // Compared in milliseconds: converting a huge `d` to the clock's nanoseconds would overflow.
    using std::chrono::duration_cast;
    auto since = duration_cast<milliseconds>(t.time_since_epoch());
    if (d >= duration_cast<milliseconds>(clock::duration::max()) - since)
        return clock::time_point::max();
    if (d <= duration_cast<milliseconds>(clock::duration::min()) - since)
        return clock::time_point::min();
    return t + d;
}

session_fsm::session_fsm(fsm_config config) : config_(std::move(config))
{
    if (!config_.random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        config_.random = [engine] { return std::uniform_real_distribution<double>{0.0, 1.0}(*engine); };
    }
    config_.max_identify_attempts = std::max(config_.max_identify_attempts, 1);
    config_.max_connects_per_minute = std::max(config_.max_connects_per_minute, 1);
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
    ledger_.reset(session.seq);
    resume_failures_ = 0;
}

session_info session_fsm::session() const { return {session_id_, ledger_.resume_seq(), resume_url_}; }

bool session_fsm::will_resume() const noexcept
{
    return !session_id_.empty() && !resume_url_.empty() && resume_failures_ < config_.max_resume_attempts;
}

std::string_view session_fsm::connect_url(std::string_view gateway_url) const noexcept
{
    return will_resume() ? std::string_view{resume_url_} : gateway_url;
}

void session_fsm::on_connecting(clock::time_point now)
{
    while (!connects_.empty() && connects_.front() + budget_window <= now)
        connects_.pop_front();
    connects_.push_back(now);
    while (connects_.size() > static_cast<std::size_t>(config_.max_connects_per_minute))
        connects_.pop_front();
}

clock::time_point session_fsm::budget_allows(clock::time_point now) const
{
    // The oldest of the last max_connects_per_minute attempts must be a window old.
    if (connects_.size() < static_cast<std::size_t>(config_.max_connects_per_minute))
        return now;
    return std::max(now, connects_.front() + budget_window);
}

void session_fsm::on_connected(clock::time_point now)
{
    phase_ = phase::awaiting_hello;
    resuming_ = will_resume();
    interval_ = milliseconds{0};
    next_beat_ = clock::time_point::max();
    deadline_ = saturating_add(now, config_.hello_timeout);
    awaiting_ack_ = false;
    reading_paused_ = false;
    paused_since_beat_ = false;
    last_close_code_ = 0;
}

step session_fsm::on_hello(milliseconds heartbeat_interval, clock::time_point now)
{
    if (phase_ != phase::awaiting_hello)
        return {};
    if (heartbeat_interval <= milliseconds{0})
        return reconnect(true, resumable_close_code, "HELLO without a positive heartbeat_interval", now);
    interval_ = std::clamp(heartbeat_interval, heartbeat_interval_min, heartbeat_interval_max);
    next_beat_ = saturating_add(now, scale(interval_, random()));
    phase_ = phase::handshaking;
    deadline_ = saturating_add(now, config_.ready_timeout);
    if (resuming_)
        return {.kind = step_kind::send_resume};
    forget_session();   // a new session numbers its dispatches from 1
    return {.kind = step_kind::send_identify};
}

void session_fsm::on_handshake_sent(clock::time_point now)
{
    if (phase_ == phase::handshaking)
        deadline_ = saturating_add(now, config_.ready_timeout);
}

step session_fsm::on_tick(clock::time_point now)
{
    if (deadline_ <= now) {
        bool hello = phase_ == phase::awaiting_hello;
        return reconnect(true, resumable_close_code,
                         hello ? "no HELLO before the deadline" : "no READY or RESUMED before the deadline", now);
    }
    if (next_beat_ <= now) {
        if (awaiting_ack_ && !paused_since_beat_) {
            auto s = reconnect(true, resumable_close_code, "no heartbeat ACK since the last heartbeat (zombie)", now);
            s.zombie = true;
            return s;
        }
        if (!awaiting_ack_)
            beat_sent_at_ = now;   // an ACK still unread answers the earlier beat
        awaiting_ack_ = true;
        paused_since_beat_ = reading_paused_;
        next_beat_ = saturating_add(now, interval_);
        return {.kind = step_kind::send_heartbeat};
    }
    return {};
}

void session_fsm::on_reading_paused(bool paused)
{
    reading_paused_ = paused;
    if (paused)
        paused_since_beat_ = true;
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

delivery session_fsm::classify(std::uint64_t seq) const noexcept
{
    return seq == 0 ? delivery::deliver : ledger_.classify(seq);
}

delivery session_fsm::on_dispatch(std::uint64_t seq, clock::time_point now)
{
    if (phase_ == phase::handshaking)
        deadline_ = saturating_add(now, config_.ready_timeout);   // a long replay is progress, not a stuck handshake
    return seq == 0 ? delivery::deliver : ledger_.record(seq);
}

void session_fsm::on_ready(std::string session_id, std::string resume_url, clock::time_point now)
{
    session_id_ = std::move(session_id);
    resume_url_ = std::move(resume_url);
    phase_ = phase::ready;
    ready_at_ = now;
    deadline_ = clock::time_point::max();
    resume_failures_ = 0;
    identify_failures_ = 0;
}

void session_fsm::on_resumed(clock::time_point now)
{
    phase_ = phase::ready;
    ready_at_ = now;
    deadline_ = clock::time_point::max();
    resume_failures_ = 0;
}

step session_fsm::on_reconnect_request(clock::time_point now)
{
    return reconnect(true, resumable_close_code, "op 7 Reconnect", now);
}

step session_fsm::on_invalid_session(bool resumable, clock::time_point now)
{
    if (resumable)
        return reconnect(true, resumable_close_code, "op 9 Invalid Session (resumable)", now);
    forget_session();
    auto s = reconnect(false, resumable_close_code, "op 9 Invalid Session (not resumable)", now);
    if (s.kind != step_kind::reconnect)
        return s;
    // Discord asks for 1–5 s. Failed connects before this one do not stretch it; sessions
    // that keep ending this way do (a server answering every READY with op 9).
    auto wait = invalid_session_wait_min + scale(invalid_session_wait_max - invalid_session_wait_min, random());
    auto delay = std::max(wait, backoff(short_sessions_));
    auto earliest = budget_allows(now);
    s.budget_wait = saturating_add(now, delay) < earliest;
    s.delay = s.budget_wait ? std::chrono::ceil<milliseconds>(earliest - now) : delay;
    return s;
}

step session_fsm::on_closed(std::optional<int> code, clock::time_point now)
{
    last_close_code_ = code.value_or(0);
    auto policy = policy_for_close(code);
    switch (policy.action) {
    case close_action::fatal:
        end_connection(now);
        return {.kind = step_kind::fail, .fatal_code = *code, .reason = "fatal close code"};
    case close_action::identify:
        forget_session();
        return reconnect(false, 0, "close code: the session cannot be resumed", now);
    case close_action::resume: break;
    }
    auto s = reconnect(true, 0, code ? "closed by the gateway" : "connection dropped", now);
    s.slow_down = policy.slow_down;
    return s;
}

step session_fsm::on_transport_error(std::string_view what, clock::time_point now)
{
    return reconnect(true, 0, what, now);
}

step session_fsm::on_malformed(clock::time_point now)
{
    return reconnect(true, resumable_close_code, "malformed payload", now);
}

milliseconds session_fsm::backoff(int failures) const
{
    if (failures <= 0)
        return config_.backoff_min / 4 + scale(config_.backoff_min / 4, random());
    auto base = config_.backoff_min;
    for (int i = 1; i < failures && base < config_.backoff_max; ++i)
        base *= 2;
    base = std::min(base, config_.backoff_max);
    return base / 2 + scale(base - base / 2, random());
}

step session_fsm::reconnect(bool resume, int close_code, std::string_view reason, clock::time_point now)
{
    bool identified = phase_ == phase::handshaking && !resuming_;
    end_connection(now);
    if (identified && ++identify_failures_ >= config_.max_identify_attempts)
        return {.kind = step_kind::fail, .fatal_code = last_close_code_, .never_ready = true, .reason = reason};
    auto delay = backoff(failures_);
    auto earliest = budget_allows(now);
    bool budget = saturating_add(now, delay) < earliest;
    return {.kind = step_kind::reconnect,
            .resume = resume && will_resume(),
            .delay = budget ? std::chrono::ceil<milliseconds>(earliest - now) : delay,
            .close_code = close_code,
            .budget_wait = budget,
            .reason = reason};
}

void session_fsm::end_connection(clock::time_point now)
{
    bool failed = true;
    if (phase_ == phase::ready) {
        bool lasted = now - ready_at_ >= config_.stable_after;
        failed = !lasted;
        short_sessions_ = lasted ? 0 : short_sessions_ + 1;
    } else if (!session_id_.empty() && ++resume_failures_ >= config_.max_resume_attempts) {
        forget_session();   // the session is gone for good: identify anew
    }
    failures_ = failed ? failures_ + 1 : 0;
    phase_ = phase::idle;
    next_beat_ = clock::time_point::max();
    deadline_ = clock::time_point::max();
    awaiting_ack_ = false;
}

void session_fsm::forget_session()
{
    session_id_.clear();
    resume_url_.clear();
    ledger_.reset(0);
    resume_failures_ = 0;
}

} // namespace cord::gateway
