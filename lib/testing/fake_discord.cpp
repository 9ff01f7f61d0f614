// cord::testing::fake_discord: the public face of the emulator. Owns (or borrows) the
// executor, the listener and the core; every method is safe from any thread.
// SPDX-License-Identifier: BSL-1.0
#include <cord/testing/fake_discord.hpp>

#include "core.hpp"
#include "interaction_posts.hpp"
#include "listener.hpp"
#include "surface_routes.hpp"
#include "tls_cert.hpp"

#include <cord/error.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <fmt/format.h>

#include <charconv>
#include <thread>

namespace cord::testing {

namespace asio = boost::asio;
using namespace detail;

struct fake_discord::impl {
    std::unique_ptr<asio::io_context> own_ioc;
    asio::any_io_executor ex;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread thread;
    std::shared_ptr<server_core> core;
    std::shared_ptr<listener> acceptor;
    std::unique_ptr<interaction_posts> posts;   // HTTP interactions: the application key, POSTs
    std::string ca_pem;
    std::uint16_t port = 0;
    bool stopped = false;

    void start(fake_discord_options options)
    {
        bool tls = options.tls;
        std::string tls_names = options.tls_names;
        auto requested_port = options.port;
        core = std::make_shared<server_core>(std::move(options));
        posts = std::make_unique<interaction_posts>(core->state.bot_id);
        self_signed cert;
        if (tls) {
            cert = make_self_signed(tls_names);
            ca_pem = cert.cert_pem;
        }
        acceptor = std::make_shared<listener>(ex, core, requested_port, cert.cert_pem, cert.key_pem);
        port = acceptor->port();
        core->public_url_ws = fmt::format("{}://127.0.0.1:{}", tls ? "wss" : "ws", port);
        acceptor->start();
    }

    // On the executor: stop accepting and close every socket (each session then ends).
    static void shutdown_on_executor(const std::shared_ptr<server_core>& core, listener& acceptor)
    {
        acceptor.close();
        std::vector<std::function<void()>> closers;
        {
            std::lock_guard lock{core->mu};
            for (auto& [id, f] : core->closers)
                closers.push_back(f);
        }
        for (auto& f : closers)
            f();
    }

    bool drained()
    {
        std::lock_guard lock{core->mu};
        return core->closers.empty();
    }
};

fake_discord::fake_discord(fake_discord_options options) : impl_(std::make_unique<impl>())
{
    impl_->own_ioc = std::make_unique<asio::io_context>(1);
    impl_->ex = impl_->own_ioc->get_executor();
    impl_->work.emplace(impl_->own_ioc->get_executor());
    bool own_thread = options.own_thread;
    impl_->start(std::move(options));
    if (own_thread)
        impl_->thread = std::thread([ioc = impl_->own_ioc.get()] { ioc->run(); });
}

fake_discord::fake_discord(on_executor executor, fake_discord_options options)
    : impl_(std::make_unique<impl>())
{
    impl_->ex = std::move(executor.executor);
    impl_->start(std::move(options));
}

fake_discord::~fake_discord() { stop(); }

void fake_discord::stop()
{
    auto& i = *impl_;
    if (i.stopped)
        return;
    i.stopped = true;
    asio::post(i.ex, [core = i.core, acc = i.acceptor] { impl::shutdown_on_executor(core, *acc); });
    if (!i.own_ioc)
        return;   // the caller's executor finishes the sessions; they keep the core alive
    // Let the sessions see their sockets close, bounded in time, then stop the loop.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{2};
    while (std::chrono::steady_clock::now() < deadline) {
        if (!i.thread.joinable())
            i.own_ioc->poll();
        if (i.drained())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    i.work.reset();
    i.own_ioc->stop();
    if (i.thread.joinable())
        i.thread.join();
}

std::size_t fake_discord::poll() { return impl_->own_ioc ? impl_->own_ioc->poll() : 0; }
std::size_t fake_discord::run_one() { return impl_->own_ioc ? impl_->own_ioc->run_one() : 0; }

std::string fake_discord::rest_url() const
{
    return fmt::format("{}://127.0.0.1:{}/api/v10", impl_->ca_pem.empty() ? "http" : "https", impl_->port);
}

std::string fake_discord::gateway_url() const { return impl_->core->public_url_ws; }
std::uint16_t fake_discord::port() const { return impl_->port; }
std::string fake_discord::ca_pem() const { return impl_->ca_pem; }

// --- state ------------------------------------------------------------------------------------

snowflake fake_discord::bot_user_id() const
{
    std::lock_guard lock{impl_->core->mu};
    return snowflake{impl_->core->state.bot_id};
}

std::vector<snowflake> fake_discord::guild_ids() const
{
    std::lock_guard lock{impl_->core->mu};
    std::vector<snowflake> out;
    for (auto& [id, g] : impl_->core->state.guilds)
        out.emplace_back(id);
    return out;
}

snowflake fake_discord::general_channel(snowflake guild) const
{
    std::lock_guard lock{impl_->core->mu};
    return snowflake{impl_->core->state.general_channel(guild.value)};
}

namespace {

template <class F>
auto with_state(server_core& core, F&& f)
{
    std::lock_guard lock{core.mu};
    try {
        return f(core.state);
    } catch (const rest_failure& e) {
        throw cord::error(errc::invalid_argument, fmt::format("fake_discord: {}", e.message));
    }
}

} // namespace

snowflake fake_discord::add_guild(std::string_view name)
{
    auto& core = *impl_->core;
    return with_state(core, [&](discord_state& st) {
        auto id = st.add_guild(name);
        core.emit({"GUILD_CREATE", st.guild_create(id), id});
        return snowflake{id};
    });
}

snowflake fake_discord::add_channel(snowflake guild, std::string_view name)
{
    auto& core = *impl_->core;
    return with_state(core, [&](discord_state& st) {
        auto id = st.add_channel(guild.value, name);
        core.emit({"CHANNEL_CREATE", st.channels.at(id).obj, guild.value});
        return snowflake{id};
    });
}

snowflake fake_discord::add_user(std::string_view username)
{
    return with_state(*impl_->core, [&](discord_state& st) { return snowflake{st.add_user(username)}; });
}

void fake_discord::add_member(snowflake guild, snowflake user)
{
    auto& core = *impl_->core;
    with_state(core, [&](discord_state&) {
        core.join_guild(guild.value, user.value);
        return 0;
    });
}

json fake_discord::post_message_as(snowflake author, snowflake channel, std::string_view content)
{
    auto& core = *impl_->core;
    return with_state(core, [&](discord_state&) { return to_cord(core.post_as_user(author.value, channel.value, content)); });
}

// --- polls ---

void fake_discord::vote_in_poll(snowflake channel, snowflake message, snowflake user, std::vector<int> answer_ids)
{
    auto& core = *impl_->core;
    with_state(core, [&](discord_state&) {
        cast_poll_votes(core, channel.value, message.value, user.value, answer_ids, true);
        return 0;
    });
}

void fake_discord::remove_poll_vote(snowflake channel, snowflake message, snowflake user, std::vector<int> answer_ids)
{
    auto& core = *impl_->core;
    with_state(core, [&](discord_state&) {
        cast_poll_votes(core, channel.value, message.value, user.value, answer_ids, false);
        return 0;
    });
}

std::optional<json> fake_discord::message(snowflake channel, snowflake message) const
{
    std::lock_guard lock{impl_->core->mu};
    auto& st = impl_->core->state;
    auto ch = st.channels.find(channel.value);
    if (ch == st.channels.end())
        return std::nullopt;
    auto m = ch->second.messages.find(message.value);
    if (m == ch->second.messages.end())
        return std::nullopt;
    return to_cord(st.render_message(ch->second, m->second));
}

// --- scheduled events, threads (clock) ---------------------------------------------------------

void fake_discord::mark_interested(snowflake guild, snowflake event, snowflake user, bool interested)
{
    auto& core = *impl_->core;
    with_state(core, [&](discord_state&) {
        detail::mark_interested(core, guild.value, event.value, user.value, interested);
        return 0;
    });
}

void fake_discord::advance_thread_clock(std::chrono::minutes by)
{
    std::lock_guard lock{impl_->core->mu};
    detail::advance_thread_clock(*impl_->core, by);
}

void fake_discord::deny_permissions(snowflake id, bool denied)
{
    std::lock_guard lock{impl_->core->mu};
    if (denied)
        impl_->core->state.denied.insert(id.value);
    else
        impl_->core->state.denied.erase(id.value);
}

// --- rate limits --------------------------------------------------------------------------------

void fake_discord::set_route_limit(std::string_view method, std::string_view route_template, bucket_config bucket)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->limiter.set_route(method, route_template, std::move(bucket));
}

void fake_discord::set_global_limit(int per_second)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->limiter.set_global(per_second);
}

// --- observation --------------------------------------------------------------------------------

std::vector<recorded_request> fake_discord::requests() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->requests;
}

void fake_discord::clear_requests()
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->requests.clear();
}

std::vector<recorded_identify> fake_discord::identifies() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->identifies;
}

fake_counters fake_discord::counters() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->counters;
}

std::size_t fake_discord::open_gateway_connections() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->open_links(std::nullopt).size();
}

std::vector<json> fake_discord::presence_updates() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->presences;
}

// --- gateway ------------------------------------------------------------------------------------

namespace {

bj::object object_of(const json& d)
{
    auto v = to_bj(d);
    if (!v.is_object())
        throw cord::error(errc::invalid_argument, "fake_discord: a dispatch's d must be an object");
    return std::move(v.get_object());
}

frame control_frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

} // namespace

void fake_discord::dispatch(std::string_view event, const json& d)
{
    auto obj = object_of(d);
    auto guild = id_of(obj.if_contains("guild_id"));
    std::lock_guard lock{impl_->core->mu};
    impl_->core->emit({std::string{event}, std::move(obj), guild});
}

void fake_discord::dispatch_to_shard(int shard_id, std::string_view event, const json& d)
{
    auto obj = object_of(d);
    std::lock_guard lock{impl_->core->mu};
    impl_->core->emit_to_shard(shard_id, event, obj);
}

void fake_discord::dispatch_repeated(int shard_id, std::string_view event, const json& d, std::size_t count)
{
    // Built by hand rather than with fmt: this is the benchmark's hot loop.
    std::string head = R"({"op":0,"s":)";
    std::string tail = fmt::format(R"(,"t":"{}","d":{}}})", event, d.dump());
    std::lock_guard lock{impl_->core->mu};
    auto& core = *impl_->core;
    for (auto& [id, s] : core.sessions) {
        if (s->shard_id != shard_id)
            continue;
        std::vector<frame> frames;
        frames.reserve(count);
        char digits[24];
        for (std::size_t n = 0; n < count; ++n) {
            auto seq = ++s->seq;
            auto [end, ec] = std::to_chars(digits, digits + sizeof digits, seq);
            std::string text;
            text.reserve(head.size() + static_cast<std::size_t>(end - digits) + tail.size());
            text.append(head).append(digits, end).append(tail);
            auto f = std::make_shared<const std::string>(std::move(text));
            s->history.emplace_back(seq, f);
            frames.push_back(std::move(f));
        }
        while (s->history.size() > core.options.resume_history)
            s->history.pop_front();
        if (auto it = core.links.find(s->connection); it != core.links.end())
            if (auto l = it->second.lock())
                l->send_many(std::move(frames));
    }
}

// --- application commands and interactions ------------------------------------------------------

namespace {

// The act's "who and where" fields from an interaction_actor.
void put_actor(bj::object& act, const interaction_actor& who)
{
    if (who.user.value)
        act["user_id"] = id_str(who.user.value);
    if (who.dm)
        act["dm"] = true;
    else if (who.channel.value)
        act["channel_id"] = id_str(who.channel.value);
    else if (who.guild.value)
        act["guild_id"] = id_str(who.guild.value);
    act["locale"] = who.locale;
}

bj::object options_object(const json& options)
{
    if (options.is_null())
        return {};
    auto v = to_bj(options);
    if (!v.is_object())
        throw cord::error(errc::invalid_argument, "fake_discord: options are a JSON object {\"name\": value}");
    return std::move(v.get_object());
}

fake_interaction public_view(const interaction_rec& rec)
{
    return {snowflake{rec.id}, rec.token, to_cord(rec.payload)};
}

fake_interaction play(server_core& core, const bj::object& act)
{
    return with_state(core, [&](discord_state&) {
        auto& rec = core.create_interaction(act);
        core.deliver_interaction(rec.id);
        return public_view(rec);
    });
}

} // namespace

snowflake fake_discord::application_id() const
{
    std::lock_guard lock{impl_->core->mu};
    return snowflake{impl_->core->state.bot_id};
}

json fake_discord::application_commands(std::optional<snowflake> guild) const
{
    std::lock_guard lock{impl_->core->mu};
    bj::array out;
    auto& scopes = impl_->core->commands.scopes;
    if (auto it = scopes.find(guild ? guild->value : 0); it != scopes.end())
        for (const auto& [id, cmd] : it->second)
            out.push_back(cmd);
    return to_cord(out);
}

command_writes fake_discord::command_write_counts() const
{
    std::lock_guard lock{impl_->core->mu};
    return impl_->core->commands.writes;
}

fake_interaction fake_discord::invoke_command(std::string_view command, const json& options,
                                              const interaction_actor& who)
{
    bj::object act{{"type", "command"}, {"command", command}, {"options", options_object(options)}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::invoke_user_command(std::string_view command, snowflake target,
                                                   const interaction_actor& who)
{
    bj::object act{{"type", "user_command"}, {"command", command}, {"target_id", id_str(target.value)}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::invoke_message_command(std::string_view command, snowflake message,
                                                      const interaction_actor& who)
{
    bj::object act{{"type", "message_command"}, {"command", command}, {"message_id", id_str(message.value)}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::click_button(snowflake message, std::string_view custom_id,
                                            const interaction_actor& who)
{
    bj::object act{{"type", "button"}, {"message_id", id_str(message.value)}, {"custom_id", custom_id}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::choose_in_select(snowflake message, std::string_view custom_id,
                                                std::vector<std::string> values, const interaction_actor& who)
{
    bj::array list;
    for (auto& v : values)
        list.push_back(bj::string(v));
    bj::object act{{"type", "select"}, {"message_id", id_str(message.value)}, {"custom_id", custom_id},
                   {"values", std::move(list)}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::submit_modal(snowflake opened_by, const std::map<std::string, std::string>& fields)
{
    bj::object values;
    for (const auto& [k, v] : fields)
        values[k] = v;
    bj::object act{{"type", "modal"}, {"interaction_id", id_str(opened_by.value)}, {"fields", std::move(values)}};
    return play(*impl_->core, act);
}

fake_interaction fake_discord::type_in_autocomplete(std::string_view command, std::string_view option,
                                                    std::string_view partial, const json& others,
                                                    const interaction_actor& who)
{
    bj::object act{{"type", "autocomplete"}, {"command", command}, {"option", option}, {"value", partial},
                   {"options", options_object(others)}};
    put_actor(act, who);
    return play(*impl_->core, act);
}

fake_interaction fake_discord::create_interaction(const json& act)
{
    auto v = to_bj(act);
    if (!v.is_object())
        throw cord::error(errc::invalid_argument, "fake_discord: an act is a JSON object");
    auto& core = *impl_->core;
    return with_state(core, [&](discord_state&) { return public_view(core.create_interaction(v.get_object())); });
}

void fake_discord::deliver(snowflake interaction)
{
    auto& core = *impl_->core;
    with_state(core, [&](discord_state&) {
        core.deliver_interaction(interaction.value);
        return 0;
    });
}

std::vector<interaction_answer> fake_discord::answers(snowflake interaction) const
{
    std::lock_guard lock{impl_->core->mu};
    auto& book = impl_->core->interactions.by_id;
    auto it = book.find(interaction.value);
    return it == book.end() ? std::vector<interaction_answer>{} : it->second.answers;
}

std::vector<interaction_answer> fake_discord::wait_for_answers(snowflake interaction, std::size_t count,
                                                               std::chrono::milliseconds timeout)
{
    auto& core = *impl_->core;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto enough = [&] {
        auto it = core.interactions.by_id.find(interaction.value);
        return it != core.interactions.by_id.end() && it->second.answers.size() >= count;
    };
    // Driven by poll() (own_thread = false): run the emulator while waiting.
    bool self_driven = impl_->own_ioc && !impl_->thread.joinable();
    std::unique_lock lock{core.mu};
    while (!enough() && std::chrono::steady_clock::now() < deadline) {
        if (self_driven) {
            lock.unlock();
            impl_->own_ioc->poll();
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
            lock.lock();
        } else {
            core.answered.wait_until(lock, deadline);
        }
    }
    auto it = core.interactions.by_id.find(interaction.value);
    return it == core.interactions.by_id.end() ? std::vector<interaction_answer>{} : it->second.answers;
}

void fake_discord::advance_interaction_clock(std::chrono::milliseconds by)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->interactions.offset += by;
}

// --- faults -------------------------------------------------------------------------------------

void fake_discord::drop_connections(std::optional<int> shard)
{
    std::lock_guard lock{impl_->core->mu};
    for (auto& l : impl_->core->open_links(shard))
        l->drop();
}

void fake_discord::send_reconnect(std::optional<int> shard)
{
    std::lock_guard lock{impl_->core->mu};
    for (auto& l : impl_->core->open_links(shard))
        l->send(control_frame(R"({"op":7,"d":null,"s":null,"t":null})"));
}

void fake_discord::send_invalid_session(bool resumable, std::optional<int> shard)
{
    std::lock_guard lock{impl_->core->mu};
    auto& core = *impl_->core;
    for (auto& l : core.open_links(shard)) {
        // Not resumable: the session is gone, so a RESUME of it gets op 9 (false) too.
        if (!resumable && l->session) {
            core.sessions.erase(l->session->id);
            l->session.reset();
        }
        l->send(control_frame(fmt::format(R"({{"op":9,"d":{},"s":null,"t":null}})", resumable)));
    }
}

void fake_discord::close_connections(int code, std::optional<int> shard)
{
    std::lock_guard lock{impl_->core->mu};
    auto& core = *impl_->core;
    // Discord's answer to these is "start a new session": a RESUME of the old one gets op 9.
    bool ends_session = code == 4003 || code == 4007 || code == 4009;
    for (auto& l : core.open_links(shard)) {
        if (ends_session && l->session) {
            core.sessions.erase(l->session->id);
            l->session.reset();
        }
        l->closing = true;
        l->close(code);
    }
}

void fake_discord::withhold_heartbeat_acks(bool on)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->withhold_acks = on;
}

void fake_discord::stall_writes(std::chrono::milliseconds duration)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->stall_until = clock::now() + duration;
}

void fake_discord::send_malformed(std::optional<int> shard)
{
    std::lock_guard lock{impl_->core->mu};
    for (auto& l : impl_->core->open_links(shard))
        l->send(control_frame(R"({"op":0,"s":1,"t":"MESSAGE_CREATE","d":{"id":)"));
}

void fake_discord::send_malformed_data(int shard)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->emit_text_to_shard(shard, "MESSAGE_CREATE", R"({"id":"1","content":tru})");
}

void fake_discord::delay_rest(std::chrono::milliseconds delay)
{
    delay_rest(delay, "");
}

void fake_discord::delay_rest(std::chrono::milliseconds delay, std::string_view path_prefix)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->rest_delay = delay;
    impl_->core->rest_delay_prefix = path_prefix;
}

void fake_discord::fail_rest(int status, int count)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->fail_status = status;
    impl_->core->fail_count = count;
}

void fake_discord::rate_limit_rest(int count, std::chrono::milliseconds retry_after, bool global)
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->storm_count = count;
    impl_->core->storm_retry_after = retry_after;
    impl_->core->storm_global = global;
}

void fake_discord::invalidate_sessions()
{
    std::lock_guard lock{impl_->core->mu};
    impl_->core->sessions.clear();
}

// --- HTTP interactions (interaction_posts.cpp) --------------------------------------------------

std::string fake_discord::public_key_hex() const { return impl_->posts->public_key_hex(); }

endpoint_answer fake_discord::post_to_endpoint(std::string_view url, std::string_view body, signature_fault fault)
{
    return impl_->posts->post(url, body, fault);
}

endpoint_answer fake_discord::ping_endpoint(std::string_view url) { return impl_->posts->ping(url); }

endpoint_answer fake_discord::deliver_to_endpoint(snowflake interaction, std::string_view url)
{
    std::string payload, token;
    {
        std::lock_guard lock{impl_->core->mu};
        auto& book = impl_->core->interactions.by_id;
        auto it = book.find(interaction.value);
        if (it == book.end())
            throw cord::error(errc::invalid_argument, "fake_discord: no interaction " + interaction.str());
        payload = bj::serialize(it->second.payload);
        token = it->second.token;
    }
    auto answer = impl_->posts->post(url, payload, signature_fault::none);
    if (answer.status == 200) {
        // The HTTP answer is the initial response: through the callback route's own rules.
        detail::rest_request callback;
        callback.method = "POST";
        callback.target_path = "/api/v10/interactions/" + interaction.str() + "/" + token + "/callback";
        callback.headers["content-type"] = "application/json";
        callback.body = answer.body;
        impl_->core->handle_rest(callback);
    }
    return answer;
}

endpoint_answer fake_discord::post_webhook_event(std::string_view url, std::string_view event_type, const json& data)
{
    return impl_->posts->webhook_event(url, event_type, data.dump());
}

std::vector<endpoint_answer> fake_discord::endpoint_answers() const { return impl_->posts->answers(); }

void fake_discord::trust_endpoint_certificate(std::string_view pem) { impl_->posts->trust(pem); }

} // namespace cord::testing
