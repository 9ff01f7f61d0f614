// cord::testing: the fake Discord's POSTs to interactions endpoints (see interaction_posts.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interaction_posts.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

namespace cord::testing::detail {

namespace {

constexpr std::chrono::milliseconds post_timeout{10000};

std::string unix_seconds(std::chrono::system_clock::time_point t)
{
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

// Discord's snowflake layout from a time and a counter: ids that sort by creation.
std::uint64_t snowflake_now(std::uint64_t counter)
{
    constexpr std::uint64_t discord_epoch_ms = 1420070400000;
    auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    return ((ms - discord_epoch_ms) << 22) | (counter & 0xfff);
}

} // namespace

interaction_posts::interaction_posts(std::uint64_t application_id) : application_id_(application_id) {}

endpoint_answer interaction_posts::post(std::string_view url, std::string_view body, signature_fault fault)
{
    auto now = std::chrono::system_clock::now();
    auto timestamp = unix_seconds(fault == signature_fault::stale_timestamp ? now - std::chrono::minutes{10} : now);
    std::string sent{body};
    std::string signature;
    switch (fault) {
    case signature_fault::bad_signature:
        signature = signer_.sign(timestamp, "other bytes");   // well-formed, of something else
        break;
    case signature_fault::tampered_body:
        signature = signer_.sign(timestamp, body);
        sent.push_back(' ');   // still the same JSON, but not the signed bytes
        break;
    default:
        signature = signer_.sign(timestamp, body);
        break;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    if (fault != signature_fault::missing_signature)
        headers.emplace_back("X-Signature-Ed25519", signature);
    if (fault != signature_fault::missing_timestamp)
        headers.emplace_back("X-Signature-Timestamp", timestamp);
    auto answer = poster_.post(url, headers, sent, post_timeout);
    std::lock_guard lock{mu_};
    answers_.push_back(answer);
    return answer;
}

endpoint_answer interaction_posts::ping(std::string_view url)
{
    std::uint64_t id = 0;
    {
        std::lock_guard lock{mu_};
        id = snowflake_now(++next_id_);
    }
    auto body = fmt::format(R"({{"application_id":"{}","id":"{}","token":"fake-ping-token-{}","type":1,"version":1}})",
                            application_id_, id, id);
    return post(url, body, signature_fault::none);
}

endpoint_answer interaction_posts::webhook_event(std::string_view url, std::string_view event_type,
                                                 std::string_view data_json)
{
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto body = fmt::format(
        R"({{"version":1,"application_id":"{}","type":1,"event":{{"type":"{}","timestamp":"{:%Y-%m-%dT%H:%M:%S}Z","data":{}}}}})",
        application_id_, event_type, now, data_json);
    return post(url, body, signature_fault::none);
}

std::vector<endpoint_answer> interaction_posts::answers() const
{
    std::lock_guard lock{mu_};
    return answers_;
}

} // namespace cord::testing::detail
