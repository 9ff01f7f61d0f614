// cord::testing: private. The emulator's shared core: state, rate limits, request log and
// gateway sessions behind one mutex. The Beast sessions (http_session.ipp, gateway_connection.ipp)
// call into it; the public fake_discord API calls into it from any thread.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "commands.hpp"
#include "discord_state.hpp"
#include "interactions.hpp"
#include "rate_limits.hpp"
#include "rest_types.hpp"

#include <cord/testing/fake_discord.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cord::testing::detail {

using frame = std::shared_ptr<const std::string>;

/// One gateway session (what RESUME continues): survives its connection.
struct gateway_session {
    std::string id;
    int shard_id = 0;
    int shard_count = 1;
    std::uint32_t intents = 0;
    std::int64_t seq = 0;
    std::deque<std::pair<std::int64_t, frame>> history;   ///< dispatches, for RESUME replay
    std::uint64_t connection = 0;                        ///< id of the attached link, 0 if none
};

/// One open WebSocket, implemented over a Beast stream. Every method may be called from
/// any thread (under the core's mutex); the work happens on the connection's executor.
class gateway_link {
public:
    virtual ~gateway_link() = default;
    virtual void send(frame text) = 0;
    virtual void send_many(std::vector<frame> texts) = 0;
    virtual void close(int code) = 0;   ///< close frame, after what is queued
    virtual void drop() = 0;            ///< TCP close, no close frame

    // Protocol state, touched only under the core's mutex.
    std::uint64_t id = 0;
    std::shared_ptr<gateway_session> session;   ///< set once READY / RESUMED
    std::deque<clock::time_point> received;     ///< for the send limit
    bool closing = false;
};

/// A route handler's view of one request.
struct route_ctx {
    class server_core& core;
    discord_state& st;
    const rest_request& req;
    std::map<std::string, std::string, std::less<>> params;   ///< {channel_id} → "123"
    bj::value body;                                           ///< parsed JSON body (null if none)
    std::vector<pending_event> events;
    /// The file parts of a multipart body; its text fields (no payload_json) are `body`'s members.
    std::vector<uploaded_file> files{};

    std::uint64_t id(std::string_view name) const;   ///< a path id; 404 if not a number
    std::string query(std::string_view key) const;   ///< "" if absent
};

using route_handler = rest_response (*)(route_ctx&);

struct route {
    std::string_view method;
    std::string_view path;   ///< template as in endpoints.tsv: /channels/{channel_id}/messages
    route_handler handler;
    bool auth = true;          ///< needs Authorization: Bot <token>
    bool counts_global = true; ///< interaction routes are exempt from the global limit
};

// Route tables, one per area (routes_*.cpp).
void add_channel_routes(std::vector<route>& out);
void add_guild_routes(std::vector<route>& out);
void add_user_routes(std::vector<route>& out);
void add_misc_routes(std::vector<route>& out);
void add_command_routes(std::vector<route>& out);
void add_interaction_routes(std::vector<route>& out);

/// POST /webhooks/{application_id}/{token} with an interaction's token: a followup
/// (routes_interactions.cpp); execute_webhook hands it over.
rest_response interaction_followup(route_ctx& c);

// Helpers for handlers.
rest_response json_response(int status, const bj::value& v);
rest_response no_content();
/// Discord's error answer for a refused request: its status, code, message and field errors.
rest_response failure_response(const rest_failure& f);

class server_core {
public:
    explicit server_core(fake_discord_options options);

    const fake_discord_options options;
    mutable std::mutex mu;

    // --- guarded by mu -----------------------------------------------------------------------
    discord_state state;
    rate_limiter limiter;
    std::vector<recorded_request> requests;
    std::vector<recorded_identify> identifies;
    std::vector<json> presences;
    fake_counters counters;
    int fail_status = 0;
    int fail_count = 0;
    int storm_count = 0;   ///< rate_limit_rest(): 429s still to answer
    std::chrono::milliseconds storm_retry_after{0};
    bool storm_global = false;
    int session_starts_remaining;   ///< /gateway/bot session_start_limit.remaining: one per IDENTIFY
    std::chrono::milliseconds rest_delay{0};
    std::string rest_delay_prefix;   // delayed: paths under the API base starting with it ("" = all)
    bool withhold_acks = false;
    clock::time_point stall_until{};
    std::map<std::uint64_t, std::weak_ptr<gateway_link>> links;
    std::map<std::string, std::shared_ptr<gateway_session>, std::less<>> sessions;
    std::map<int, clock::time_point> identify_keys;   ///< rate_limit_key → last IDENTIFY
    std::map<std::uint64_t, std::function<void()>> closers;   ///< every open socket, for stop()
    std::string public_url_ws;   ///< ws://127.0.0.1:PORT
    std::uint64_t next_link_id = 1;
    command_book commands;           ///< application commands, global and per guild
    interaction_book interactions;   ///< interactions, their tokens and answers
    std::condition_variable answered;   ///< notified (under mu) whenever an answer is recorded

    /// The whole REST pipeline: record, faults, auth, rate limits, route, events.
    rest_response handle_rest(const rest_request& req);

    // Gateway protocol (gateway_protocol.cpp). Called from connections' executors.
    void gateway_open(const std::shared_ptr<gateway_link>& link);
    void gateway_message(gateway_link& link, std::string_view text);
    void gateway_closed(gateway_link& link, int client_close_code);

    /// Routes a dispatch to sessions (by guild → shard, and intents). Caller holds mu.
    void emit(const pending_event& ev);
    void emit_to_shard(int shard, std::string_view name, const bj::object& d);
    /// A dispatch whose `d` is the given text, as is (faults: text that is not JSON), to the
    /// shard's sessions that have one of the `needed` intents (0: every session).
    void emit_text_to_shard(int shard, std::string_view name, std::string_view d, std::uint32_t needed = 0);
    /// Sends one dispatch on one session (next seq, recorded for RESUME). Caller holds mu.
    void send_dispatch(gateway_session& s, std::string_view name, const bj::value& d);

    /// Every open link (optionally of one shard). Caller holds mu.
    std::vector<std::shared_ptr<gateway_link>> open_links(std::optional<int> shard);
    std::uint64_t register_closer(std::function<void()> f);
    void unregister_closer(std::uint64_t id);

    // What a user does (user_acts.cpp): shared by fake_discord's methods and the control
    // routes, so a hand-driven emulator behaves as a test-driven one. Caller holds mu.
    /// The user (not a bot) called `username`, added when there is none.
    std::uint64_t user_named(std::string_view username);
    /// Makes `user` a member of `guild` and dispatches GUILD_MEMBER_ADD.
    void join_guild(std::uint64_t guild, std::uint64_t user);
    /// Stores a message by `author` and dispatches MESSAGE_CREATE (with the author's member
    /// object in a guild, as Discord does); returns the message.
    bj::object post_as_user(std::uint64_t author, std::uint64_t channel, std::string_view content);

    // A user's interactions (interaction_acts.cpp). `act` is the body of POST /_fake/interactions:
    // {"type": "command" | "user_command" | "message_command" | "button" | "select" | "modal" |
    // "autocomplete", ...}. Creating and delivering are apart, so that a payload can also reach
    // a bot by another way than the gateway. Caller holds mu; bad acts throw rest_failure.
    /// Builds the payload and registers the interaction (id, token, state); returns it.
    interaction_rec& create_interaction(const bj::object& act);
    /// Sends INTERACTION_CREATE for a created interaction to the shard of its guild.
    void deliver_interaction(std::uint64_t id);
    /// Adds an answer to an interaction's record and wakes wait_for_answers().
    void record_answer(interaction_rec& rec, interaction_answer answer);

private:
    std::vector<route> routes_;
    std::uint64_t next_closer_ = 1;
    rest_response route_request(const rest_request& req, std::string_view path);
    rest_response control_request(const rest_request& req, std::string_view path);
    rest_response post_as_control(const std::string& body);
    rest_response interactions_control(const rest_request& req, std::string_view path);
    rest_response surface_control(const rest_request& req, std::string_view path);
};

/// Which intent a dispatch needs, given whether it concerns a guild (0 = none needed).
std::uint32_t intent_for(std::string_view event, bool in_guild);

} // namespace cord::testing::detail
