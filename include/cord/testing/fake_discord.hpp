// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::testing::fake_discord: an in-process Discord emulator (REST + gateway, plain or TLS)
// for cord's tests, the demo, the benchmarks, and bot authors' own tests. Library cord-testing.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>
#include <cord/snowflake.hpp>
#include <cord/testing/fake_interactions.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cord::testing {

/// One rate-limit bucket: `limit` requests per `window`, per major parameter value.
struct bucket_config {
    int limit = 5;                            ///< requests allowed per window
    std::chrono::milliseconds window{5000};   ///< the window, from the first request in it
    std::string hash{}; ///< X-RateLimit-Bucket; routes with the same hash share the limit
};

/// How the fake Discord behaves; the defaults are Discord's.
struct fake_discord_options {
    std::string token = "fake-bot-token";   ///< the one bot token the emulator accepts
    bool tls = false;                        ///< https/wss with a self-signed certificate
    std::uint16_t port = 0;                  ///< 0 = ephemeral
    std::chrono::milliseconds heartbeat_interval{41250};   ///< sent in HELLO
    int recommended_shards = 1;              ///< /gateway/bot "shards"
    int max_concurrency = 1;                 ///< session_start_limit.max_concurrency
    int session_start_total = 1000;       ///< session_start_limit.total
    int session_start_remaining = 1000;   ///< session_start_limit.remaining; each IDENTIFY takes one
    int global_limit_per_second = 50;        ///< 0 = no global limit
    bool rate_limits = true;                 ///< false: no per-route buckets at all
    bool own_thread = true;                  ///< run on an internal thread (else call run_one()/poll())
    std::size_t guilds = 2;                  ///< seeded guilds, each with a `#general` channel

    // Added after the first API freeze; defaults keep the behaviour above.
    /// Each rate_limit_key (shard_id % max_concurrency) may IDENTIFY once per this window
    /// (Discord: 5 s); a faster IDENTIFY gets op 9 (false). Tests may shorten it.
    std::chrono::milliseconds identify_window{5000};
    /// Privileged intents "switched on in the Developer Portal" (GUILD_MEMBERS, GUILD_PRESENCES,
    /// MESSAGE_CONTENT by default); asking for another privileged bit closes with 4014.
    std::uint32_t privileged_intents = (1u << 1) | (1u << 8) | (1u << 15);
    /// Gateway send limit per connection (Discord: 120 payloads per 60 s); over it closes with 4008.
    int gateway_send_limit = 120;
    std::chrono::milliseconds gateway_send_window{60000};   ///< the window of gateway_send_limit
    /// Dispatches kept per session for RESUME replay; a RESUME from an older seq gets op 9.
    std::size_t resume_history = 100000;
    /// Serve the fault-injection control routes under /_fake/ (the standalone program does).
    bool control_endpoint = false;
    /// The names the TLS certificate is valid for (subjectAltName, OpenSSL's form). Tests of
    /// host-name verification give it a name the client does not connect to.
    std::string tls_names = "DNS:localhost,IP:127.0.0.1";
};

/// A request as the emulator received it.
struct recorded_request {
    std::string method{};   ///< "GET", "POST"…
    std::string path{};  ///< without the query, e.g. "/api/v10/channels/1/messages"
    std::string query{}; ///< raw, without '?'
    std::map<std::string, std::string> headers{}; ///< names lower-cased
    std::string body{};     ///< as received
    int status = 0;      ///< what the emulator answered
    std::chrono::steady_clock::time_point at{};   ///< when it arrived
};

/// A gateway IDENTIFY as received, with when it arrived.
struct recorded_identify {
    int shard_id = 0;             ///< `d.shard[0]`
    int shard_count = 1;          ///< `d.shard[1]`
    std::uint32_t intents = 0;    ///< `d.intents`
    json payload{}; ///< the whole `d` (token included: tests only)
    std::chrono::steady_clock::time_point at{};   ///< when it was accepted
};

/// What the fake Discord has seen since it started.
struct fake_counters {
    std::uint64_t requests = 0;            ///< REST requests received
    std::uint64_t rate_limited = 0;        ///< 429s answered
    std::uint64_t global_rate_limited = 0; ///< 429s with the global scope
    std::uint64_t invalid_requests = 0;    ///< 401, 403 and 429 (not shared scope)
    std::uint64_t gateway_connections = 0; ///< WebSocket connections opened
    std::uint64_t identifies = 0;          ///< IDENTIFYs accepted (past the identify pacing)
    std::uint64_t resumes = 0;             ///< RESUMEs accepted
    std::uint64_t heartbeats = 0;          ///< op 1 heartbeats received
};

/// How the fake Discord spoils a POST to an interactions endpoint, as Discord's own checks of
/// an endpoint do: an endpoint must refuse each of them with 401.
enum class signature_fault : std::uint8_t {
    none,                ///< signed correctly, timestamp now
    bad_signature,       ///< a well-formed signature of other bytes
    stale_timestamp,     ///< signed correctly, but 10 minutes ago (a replay)
    tampered_body,       ///< signed, then one byte of the body changed
    missing_signature,   ///< no X-Signature-Ed25519 header
    missing_timestamp,   ///< no X-Signature-Timestamp header
};

/// What an interactions endpoint answered to one POST of the fake Discord.
struct endpoint_answer {
    int status = 0;          ///< the HTTP status; 0 when there was no answer (see `error`)
    std::string body{};      ///< as received
    std::map<std::string, std::string> headers{};   ///< names lower-cased
    bool reused_connection = false;   ///< sent on a connection kept alive from an earlier POST
    std::string error{};     ///< why there is no answer (refused, closed, timed out)
    std::chrono::milliseconds elapsed{};   ///< from sending the request to the whole answer
};

/// A local Discord on 127.0.0.1: REST with state (guilds, channels, members, messages,
/// application commands), rate limits, a gateway with sessions and RESUME, interactions played
/// by a test as a user (over the gateway, or signed POSTs to an interactions endpoint), and
/// fault injection.
class fake_discord {
public:
    /// Listens on `options.port` at once; runs on its own thread unless `own_thread` is false.
    explicit fake_discord(fake_discord_options options = {});
    /// Runs on the caller's executor (which must not run handlers concurrently, e.g. an
    /// io_context run by one thread) instead of an own thread; `own_thread` is ignored.
    /// A template, so that `fake_discord{{}}` (options) is not also read as an executor.
    template <class Executor>
        requires std::is_convertible_v<const Executor&, boost::asio::any_io_executor>
    explicit fake_discord(const Executor& executor, fake_discord_options options = {})
        : fake_discord(on_executor{executor}, std::move(options))
    {
    }
    ~fake_discord();   ///< stops and joins; no socket or thread outlives it
    fake_discord(const fake_discord&) = delete;
    fake_discord& operator=(const fake_discord&) = delete;

    /// Closes the listener and every connection (the destructor calls it).
    void stop();

    /// With `own_thread = false` and no executor given: run the internal io_context.
    std::size_t poll();      ///< runs ready handlers; returns how many ran
    std::size_t run_one();   ///< runs one handler, waiting for it; returns how many ran (0 or 1)

    /// "http://127.0.0.1:PORT/api/v10" (https when TLS).
    std::string rest_url() const;
    /// "ws://127.0.0.1:PORT" (wss when TLS); /gateway returns it too.
    std::string gateway_url() const;
    std::uint16_t port() const;   ///< the port it listens on
    /// PEM of the self-signed certificate to trust (TLS only; empty otherwise).
    std::string ca_pem() const;

    // --- state -----------------------------------------------------------------------------
    snowflake bot_user_id() const;           ///< the bot user the token belongs to
    std::vector<snowflake> guild_ids() const;   ///< every guild, seeded and added
    /// The seeded `#general` channel of a guild.
    snowflake general_channel(snowflake guild) const;
    /// A new guild with the bot in it and a `#general` channel; dispatches GUILD_CREATE.
    snowflake add_guild(std::string_view name);
    /// A new text channel; dispatches CHANNEL_CREATE.
    snowflake add_channel(snowflake guild, std::string_view name);
    /// A new user (not a bot), in no guild.
    snowflake add_user(std::string_view username);
    /// Makes `user` a member of `guild`; dispatches GUILD_MEMBER_ADD.
    void add_member(snowflake guild, snowflake user);
    /// Posts a message as `author` (a user, not the bot) and dispatches MESSAGE_CREATE. It meets
    /// the same rules as a REST post: an enabled keyword rule of auto moderation that matches
    /// blocks it (AUTO_MODERATION_ACTION_EXECUTION is dispatched, no message is stored, and this
    /// throws cord::error with errc::invalid_argument naming the block); in an archived thread
    /// it unarchives the thread (THREAD_UPDATE), unless the thread is locked (throws).
    json post_message_as(snowflake author, snowflake channel, std::string_view content);
    /// The emulator's current JSON for a message (nullopt if deleted / unknown).
    std::optional<json> message(snowflake channel, snowflake message) const;

    // --- scheduled events, threads (clock) ---
    /// The member `user` marks interest in the scheduled event `event` of `guild` (or withdraws
    /// it): GET .../scheduled-events/{id}/users lists them and GUILD_SCHEDULED_EVENT_USER_ADD
    /// (_REMOVE) is dispatched when that changes anything. Throws cord::error (invalid_argument)
    /// for an unknown guild or event, or a user who is not a member.
    void mark_interested(snowflake guild, snowflake event, snowflake user, bool interested = true);
    /// Moves the thread clock forward (initially real time). Every unarchived thread whose last
    /// activity (creation, a message, being unarchived) is now at least its auto_archive_duration
    /// old is archived as Discord does: thread_metadata.archived, archive_timestamp (on that
    /// clock) and THREAD_UPDATE.
    void advance_thread_clock(std::chrono::minutes by);

    // --- polls ---
    /// `user` votes for `answer_ids` of the poll of `message` (posted with a `poll`), as a user
    /// does in Discord: one MESSAGE_POLL_VOTE_ADD per new vote (intent GUILD_MESSAGE_POLLS, or
    /// DIRECT_MESSAGE_POLLS in a DM), and the message's poll.results counts it. Throws
    /// cord::error (invalid_argument) for an unknown channel, message, user or answer, a message
    /// without a poll, an ended poll, the bot (apps may not vote), or a second answer of a poll
    /// without allow_multiselect.
    void vote_in_poll(snowflake channel, snowflake message, snowflake user, std::vector<int> answer_ids);
    /// `user` takes back their votes for `answer_ids`: one MESSAGE_POLL_VOTE_REMOVE per vote
    /// removed; the same errors as vote_in_poll().
    void remove_poll_vote(snowflake channel, snowflake message, snowflake user, std::vector<int> answer_ids);

    // --- rate limits -------------------------------------------------------------------------
    /// e.g. set_route_limit("POST", "/channels/{channel_id}/messages", {5, 5s, "msgs"}).
    void set_route_limit(std::string_view method, std::string_view route_template, bucket_config bucket);
    /// As fake_discord_options::global_limit_per_second (0: none).
    void set_global_limit(int per_second);

    // --- observation ------------------------------------------------------------------------
    std::vector<recorded_request> requests() const;      ///< every REST request so far, in order
    void clear_requests();                               ///< forgets the requests recorded so far
    std::vector<recorded_identify> identifies() const;   ///< every accepted IDENTIFY, in order
    fake_counters counters() const;                      ///< the counters now
    std::size_t open_gateway_connections() const;        ///< gateway connections open now
    /// Every op 3 PRESENCE_UPDATE `d` received, in order.
    std::vector<json> presence_updates() const;

    /// Models a missing permission: REST mutations on this channel (or any channel of this
    /// guild, or the guild itself) answer 403 with code 50013 until allowed again.
    void deny_permissions(snowflake channel_or_guild, bool denied = true);

    // --- gateway ------------------------------------------------------------------------------
    /// Sends a dispatch (op 0, next seq of each session) to every READY session whose shard
    /// should see it (by d.guild_id, or shard 0 when there is none) and whose intents allow it.
    void dispatch(std::string_view event, const json& d);
    /// The same, to one shard only (sessions of that shard id).
    void dispatch_to_shard(int shard_id, std::string_view event, const json& d);
    /// Benchmarks: `count` copies of one dispatch to shard `shard_id`, each with its own seq,
    /// queued in one go (one lock, one post per connection).
    void dispatch_repeated(int shard_id, std::string_view event, const json& d, std::size_t count);

    // --- application commands and interactions ------------------------------------------------
    /// The bot's application id (Discord's default: the bot user's id).
    snowflake application_id() const;
    /// The application commands stored now: global ones, or those of `guild`, oldest first.
    json application_commands(std::optional<snowflake> guild = {}) const;
    /// Writes received on application commands since the start.
    command_writes command_write_counts() const;

    /// A user runs a slash command. `command` is what the user picks, with its subcommand path:
    /// "ping", "config set", "config group set". `options` holds the leaf's options by name
    /// ({"text": "hi", "count": 3, "who": "<user id>"}; null: none); users, members, roles, channels and
    /// attachments (a file name) are resolved as Discord does. The command must be registered
    /// (in the guild, or globally); a missing required option or an unknown one is refused.
    fake_interaction invoke_command(std::string_view command, const json& options = {},
                                    const interaction_actor& who = {});
    /// A user picks a user context-menu command on `target`.
    fake_interaction invoke_user_command(std::string_view command, snowflake target, const interaction_actor& who = {});
    /// A user picks a message context-menu command on `message` (in `who.channel`, or found by id).
    fake_interaction invoke_message_command(std::string_view command, snowflake message,
                                            const interaction_actor& who = {});
    /// A user clicks the button `custom_id` on a message the bot posted (in a channel or ephemerally).
    fake_interaction click_button(snowflake message, std::string_view custom_id, const interaction_actor& who = {});
    /// A user chooses `values` in the select `custom_id` of a message the bot posted (ids for
    /// user, role, mentionable and channel selects).
    fake_interaction choose_in_select(snowflake message, std::string_view custom_id, std::vector<std::string> values,
                                      const interaction_actor& who = {});
    /// A user submits the modal the bot opened in answer to `opened_by` (callback 9), with text
    /// input values by custom_id; as the user who opened it, where it was opened.
    fake_interaction submit_modal(snowflake opened_by, const std::map<std::string, std::string>& fields);
    /// A user types `partial` in the autocomplete option `option` of `command` ("name sub" as
    /// for invoke_command); `others` are the options already filled in.
    fake_interaction type_in_autocomplete(std::string_view command, std::string_view option, std::string_view partial,
                                          const json& others = {}, const interaction_actor& who = {});

    /// Creates an interaction (id, token, payload, state) from a user act without delivering it:
    /// `act` in the body shape of POST /_fake/interactions (docs/testing.md). deliver() sends it.
    fake_interaction create_interaction(const json& act);
    /// Sends an interaction created earlier as INTERACTION_CREATE to the shard that owns its
    /// guild (shard 0 for a DM); its 3-second clock starts at creation.
    void deliver(snowflake interaction);

    /// The bot's answers to an interaction so far, in order (refused ones included).
    std::vector<interaction_answer> answers(snowflake interaction) const;
    /// Waits until the interaction has at least `count` answers, at most `timeout`; returns them.
    std::vector<interaction_answer> wait_for_answers(snowflake interaction, std::size_t count,
                                                     std::chrono::milliseconds timeout = std::chrono::seconds{5});
    /// Moves the interaction clock forward (initially real time): interactions then look older,
    /// so the 3-second and 15-minute rules can be tested without waiting.
    void advance_interaction_clock(std::chrono::milliseconds by);

    // --- faults (apply to every open gateway connection unless a shard is given) ---------------
    void drop_connections(std::optional<int> shard = {});             ///< TCP drop, no close frame
    void send_reconnect(std::optional<int> shard = {});               ///< op 7
    void send_invalid_session(bool resumable, std::optional<int> shard = {});   ///< op 9
    /// Close frame with `code`; after 4003, 4007 and 4009 the session is forgotten, as a
    /// client must start a new one.
    void close_connections(int code, std::optional<int> shard = {});
    /// While on, heartbeats get no op 11 ACK (a zombie connection).
    void withhold_heartbeat_acks(bool on);
    /// Gateway connections send nothing for `duration` from now.
    void stall_writes(std::chrono::milliseconds duration);
    void send_malformed(std::optional<int> shard = {});               ///< a frame that is not JSON
    /// A MESSAGE_CREATE with the session's next seq (kept for RESUME like any dispatch) whose
    /// envelope is well formed but whose `d` is not JSON.
    void send_malformed_data(int shard = 0);
    /// Every REST response from now on waits `delay` before it is sent (0: none).
    void delay_rest(std::chrono::milliseconds delay);
    /// Only the REST responses whose path under the API base starts with `path_prefix`
    /// ("/channels") wait `delay` from now on; the others are answered at once.
    void delay_rest(std::chrono::milliseconds delay, std::string_view path_prefix);
    /// The next `count` REST requests get `status` (e.g. 500, 502, 503) with a JSON body.
    void fail_rest(int status, int count = 1);
    /// A 429 storm: the next `count` REST requests get Discord's 429 with `retry_after`
    /// (scope "user", or "global" with X-RateLimit-Global).
    void rate_limit_rest(int count, std::chrono::milliseconds retry_after, bool global = false);
    /// Forgets every session, so a RESUME gets op 9 (false).
    void invalidate_sessions();

    // --- HTTP interactions (the Interactions Endpoint URL and Webhook Events URL) ---------------
    /// The application's Ed25519 public key (64 hex digits, made at start), for the endpoint.
    std::string public_key_hex() const;
    /// POSTs `body` to an interactions endpoint at `url` (http:// or https://), signed with the
    /// application's key as Discord signs it (or spoiled by `fault`), and returns the answer,
    /// which is also recorded. Blocks the caller until the answer, at most 10 s. One connection
    /// is kept alive between POSTs to the same host and port.
    endpoint_answer post_to_endpoint(std::string_view url, std::string_view body,
                                     signature_fault fault = signature_fault::none);
    /// The signed PING Discord sends when the URL is saved (the answer must be {"type":1}).
    endpoint_answer ping_endpoint(std::string_view url);
    /// Delivers an interaction made by create_interaction() as Discord does to an app with an
    /// Interactions Endpoint URL: a signed POST of its payload to `url`. A 200 answer is the
    /// interaction's initial response, held to the same rules as the callback route (3 s, one
    /// initial response, callback types) and recorded in answers(); later edits and followups
    /// then work through the token routes.
    endpoint_answer deliver_to_endpoint(snowflake interaction, std::string_view url);
    /// A webhook event: {version 1, application_id, type 1, event {type, timestamp, data}}.
    endpoint_answer post_webhook_event(std::string_view url, std::string_view event_type, const json& data);
    /// Every answer of an endpoint so far, in order.
    std::vector<endpoint_answer> endpoint_answers() const;
    /// Trusts `pem` (e.g. a self-signed certificate) for https endpoint URLs.
    void trust_endpoint_certificate(std::string_view pem);

private:
    struct on_executor {
        boost::asio::any_io_executor executor;
    };
    fake_discord(on_executor executor, fake_discord_options options);
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace cord::testing
