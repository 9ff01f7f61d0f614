// cord tests: a fake_discord, a rest_client pointed at it, and checks of what the emulator
// received. Light on purpose: the Asio machinery that drives a call lives in harness.cpp.
#pragma once

#include "rest/route.hpp"

#include <cord/attachment.hpp>
#include <cord/awaitable.hpp>
#include <cord/error.hpp>
#include <cord/json.hpp>
#include <cord/rest_client.hpp>
#include <cord/testing/fake_discord.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord_test {

using query_pairs = std::vector<std::pair<std::string, std::string>>;

/// What one cord::http call should have put on the wire (the route row gives the method,
/// the Authorization rule and whether an audit-log reason is expected).
struct expected_request {
    std::string path;                  ///< after the API base, percent-encoded: "/channels/1/messages"
    query_pairs query{};               ///< decoded, in order
    std::optional<std::string> body{}; ///< JSON text, compared as JSON (key order free); nullopt: no body
    /// Files expected as multipart parts files[0..n-1]: their filenames and bytes.
    std::vector<std::pair<std::string, std::string>> files{};
    /// On a route that accepts an audit-log reason: whether harness::reason was sent.
    bool sends_reason = true;
    /// Sent as form fields (Create Guild Sticker): the members of `body` as text parts, the one
    /// file of `files` as the part `file`, no payload_json.
    bool form = false;
};

/// A seeded emulator (rate limits off: their handling is the REST core's tests' business) and a
/// rest_client on loopback. Ids are the seeded guild and its #general channel, a user who is a
/// member, a message of that user and one of the bot.
class harness {
    struct impl;
    std::unique_ptr<impl> impl_;

public:
    explicit harness(const cord::rest::route* route = nullptr);
    ~harness();

    cord::testing::fake_discord& fake;
    cord::rest_client& rest;

    std::string guild, channel, user, user_message, bot_message;
    /// Passed as the reason of every call whose route accepts one; non-ASCII on purpose.
    const std::string reason = "cord test: rôle cleanup";
    /// Passed as the files of every call whose route takes uploads, and the parts they become.
    const std::vector<cord::attachment> files{{"a.txt", "hello bytes", "text/plain", "alt"}};
    const std::vector<std::pair<std::string, std::string>> file_parts{{"a.txt", "hello bytes"}};

    /// Runs the call to completion (at most 15 s) and returns its result; rethrows its error.
    cord::json run(cord::awaitable<cord::json> call);
    /// Runs the call, which must fail with a cord::http::discord_error; returns it.
    cord::http::discord_error run_error(cord::awaitable<cord::json> call);

    /// Forgets the requests so far: the next expect() looks only at what follows.
    void mark();
    /// Exactly one request since mark(), and it is `e` on this harness's route.
    cord::testing::recorded_request expect(const expected_request& e);
    /// The same on another route.
    cord::testing::recorded_request expect(const cord::rest::route& route, const expected_request& e);

    static std::string percent_encode(std::string_view s);
    static std::string percent_decode(std::string_view s);

private:
    const cord::rest::route* route_;
};

/// JSON equality with object members in any order.
bool same_json(const cord::json& a, const cord::json& b);

} // namespace cord_test
