// cord: the responder's I/O glue (see responder_core.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/responder_core.hpp"

#include "interactions/interaction_calls.hpp"
#include "log/component_log.hpp"

#include <cord/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cord::detail::interactions {

namespace asio = boost::asio;

namespace {

constexpr component_log log{"interactions"};
constexpr std::int64_t unknown_interaction = 10062;

interaction_kind kind_of(interaction_type t)
{
    switch (t) {
    case interaction_type::ping: return interaction_kind::ping;
    case interaction_type::application_command: return interaction_kind::command;
    case interaction_type::message_component: return interaction_kind::component;
    case interaction_type::autocomplete: return interaction_kind::autocomplete;
    case interaction_type::modal_submit: return interaction_kind::modal_submit;
    }
    return interaction_kind::command;
}

// Discord's `{type, data?}` for a callback of type `t` carrying `data`.
json callback_body(callback_type t, const json& data)
{
    if (data.is_null())
        return json::object({{"type", static_cast<int>(t)}});
    return json::object({{"type", static_cast<int>(t)}, {"data", data}});
}

} // namespace

json no_choices()
{
    return json::object({{"choices", json::array({})}});
}

std::string label_of(const cord::interaction& in)
{
    switch (in.type()) {
    case interaction_type::application_command: return "/" + in.command_path();
    case interaction_type::autocomplete: return "autocomplete of /" + in.command_path();
    case interaction_type::message_component: return "component " + std::string{in.custom_id()};
    case interaction_type::modal_submit: return "modal " + std::string{in.custom_id()};
    case interaction_type::ping: return "ping";
    }
    return "interaction";
}

responder_core::responder_core(rest_client& r, cord::interaction i, asio::any_io_executor executor,
                               clock::time_point received, responder_settings settings, initial_sink sink,
                               clock_source now)
    : rest(r), in(std::move(i)), label(label_of(in)), strand_(asio::make_strand(executor)), timer_(strand_),
      lock_(executor, 1), sink_(std::move(sink)), now_(now ? std::move(now) : clock_source{&clock::now}),
      margin_(settings.auto_defer_margin),
      state_(kind_of(in.type()), received,
             {.auto_defer_margin = settings.auto_defer_margin,
              .user_install_only = settings.user_install_only || in.user_install_only()})
{
}

// Ends the turn of the action that holds the lock, however it ends.
struct responder_core::unlock_at_exit {
    responder_core* core;
    ~unlock_at_exit() { core->unlock(); }
};

awaitable<void> responder_core::lock()
{
    co_await lock_.async_send(boost::system::error_code{}, asio::use_awaitable);
}

void responder_core::unlock()
{
    lock_.try_receive([](boost::system::error_code) {});
}

bool responder_core::responded() const
{
    std::lock_guard g{state_mutex_};
    return state_.responded();
}

bool responder_core::auto_deferred() const
{
    std::lock_guard g{state_mutex_};
    return state_.auto_deferred();
}

void responder_core::arm_auto_defer()
{
    std::optional<clock::time_point> at;
    {
        std::lock_guard g{state_mutex_};
        at = state_.auto_defer_at();
    }
    if (!at)
        return;
    asio::co_spawn(strand_, [self = shared_from_this(), at = *at]() -> awaitable<void> {
        self->timer_.expires_at(at);
        auto [ec] = co_await self->timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!ec)
            co_await self->auto_defer_when_due();
    }, asio::detached);
}

bool responder_core::handler_done()
{
    bool answered;
    {
        std::lock_guard g{state_mutex_};
        handler_done_ = true;
        answered = state_.responded();
    }
    asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
    return answered;
}

awaitable<void> responder_core::auto_defer_when_due()
{
    co_await lock();
    unlock_at_exit guard{this};
    decision d;
    {
        std::lock_guard g{state_mutex_};
        if (handler_done_)
            co_return;
        d = state_.begin(action::auto_defer, now_());
    }
    if (d.what != decision::verb::callback)
        co_return;
    log(log_level::info, "{}: no answer {} ms after it arrived: cord acknowledges it ({})", label, margin_.count(),
        d.callback == callback_type::autocomplete_result ? "no choices" : "deferred");
    // (Named before the co_await: g++ 12 miscompiles brace lists inside a co_await expression.)
    auto data = d.callback == callback_type::autocomplete_result ? no_choices() : json{};
    try {
        co_await carry_out(d, std::move(data));
    } catch (const std::exception& e) {
        log(log_level::warning, "{}: the auto-defer failed: {}", label, e.what());
    }
}

awaitable<json> responder_core::perform(action a, json data)
{
    co_await lock();
    unlock_at_exit guard{this};
    decision d;
    bool was_auto_deferred;
    {
        std::lock_guard g{state_mutex_};
        d = state_.begin(a, now_());
        was_auto_deferred = state_.auto_deferred();
    }
    if (d.what == decision::verb::refuse) {
        if (a == action::modal && was_auto_deferred)
            log(log_level::warning, "{}: a modal came after cord's auto-defer had answered; open modals before the "
                                    "auto-defer margin",
                label);
        throw error(errc::invalid_argument, fmt::format("{}: {}", label, d.why));
    }
    co_return co_await carry_out(d, std::move(data));
}

awaitable<void> responder_core::send_initial(const json& body)
{
    if (sink_)
        co_await sink_(body);
    else
        co_await post_callback(rest, in.id(), in.token(), body);
}

awaitable<json> responder_core::carry_out(const decision& d, json data)
{
    using verb = decision::verb;
    auto app = in.application_id();
    auto token = in.token();
    json out;
    try {
        switch (d.what) {
        case verb::callback: co_await send_initial(callback_body(d.callback, data)); break;
        case verb::edit_original: out = co_await edit_original(rest, app, token, data); break;
        case verb::delete_original: co_await delete_original(rest, app, token); break;
        case verb::get_original: out = co_await get_original(rest, app, token); break;
        case verb::followup: out = co_await post_followup(rest, app, token, data); break;
        case verb::nothing:
        case verb::wait:   // not under the lock: every earlier action has finished
        case verb::refuse: break;
        }
    } catch (const http::discord_error& e) {
        std::lock_guard g{state_mutex_};
        state_.finish(d, false, e.discord_code() == unknown_interaction);
        throw;
    } catch (...) {
        std::lock_guard g{state_mutex_};
        state_.finish(d, false);
        throw;
    }
    {
        std::lock_guard g{state_mutex_};
        state_.finish(d, true);
    }
    if (d.what == verb::callback)
        asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
    co_return out;
}

} // namespace cord::detail::interactions
