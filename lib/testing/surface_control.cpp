// cord::testing: the standalone program's control routes for what users do with the resources
// beyond the seed's, the same acts as fake_discord's methods (a test and a hand-driven emulator
// behave alike). Users are named as in POST /_fake/messages: a new name is a new user, who joins
// the guild first.
//   POST /_fake/polls/votes {"channel_id", "message_id", "username", "answer_ids": [n…], "remove"?: bool}
//   POST /_fake/scheduled-events/interest {"guild_id", "event_id", "username", "interested"?: bool}
//   POST /_fake/thread-clock?minutes=N
// SPDX-License-Identifier: BSL-1.0
#include "core.hpp"
#include "surface_routes.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace cord::testing::detail {

namespace {

/// The control body's fields; anything missing or of the wrong type is Discord's 50035.
struct control_body {
    bj::object o;

    explicit control_body(const std::string& body)
    {
        boost::system::error_code ec;
        auto v = bj::parse(body, ec);
        if (ec || !v.is_object())
            throw rest_failure{400, 50109, "The request body contains invalid JSON.", {}};
        o = std::move(v.get_object());
    }
    std::uint64_t id(std::string_view key) const
    {
        const bj::value* v = o.if_contains(key);
        std::uint64_t n = 0;
        if (v && v->is_string()) {
            auto s = v->get_string();
            auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), n);
            if (err == std::errc{} && end == s.data() + s.size() && n)
                return n;
        }
        throw invalid_form({{std::string{key}, "NUMBER_TYPE_COERCE", "Value is not snowflake."}});
    }
    std::string text(std::string_view key, std::string fallback) const
    {
        const bj::value* v = o.if_contains(key);
        return v && v->is_string() ? std::string{v->get_string()} : fallback;
    }
    bool flag(std::string_view key, bool fallback) const
    {
        const bj::value* v = o.if_contains(key);
        return v && v->is_bool() ? v->get_bool() : fallback;
    }
    std::vector<int> numbers(std::string_view key) const
    {
        const bj::value* v = o.if_contains(key);
        if (!v || !v->is_array() || v->get_array().empty())
            throw invalid_form({{std::string{key}, "BASE_TYPE_REQUIRED", "This field is required"}});
        std::vector<int> out;
        for (const auto& n : v->get_array()) {
            if (!n.is_int64() || n.get_int64() < 1 || n.get_int64() > 10)
                throw invalid_form({{std::string{key}, "NUMBER_TYPE_COERCE", "Value is not an answer id."}});
            out.push_back(static_cast<int>(n.get_int64()));
        }
        return out;
    }
};

} // namespace

rest_response server_core::surface_control(const rest_request& req, std::string_view path)
{
    try {
        if (path == "/thread-clock") {
            auto text = route_ctx{*this, state, req, {}, nullptr, {}}.query("minutes");
            int minutes = 0;
            auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), minutes);
            // At most a week at a time: the longest auto-archive duration is 7 days.
            if (text.empty() || err != std::errc{} || end != text.data() + text.size() || minutes < 1
                || minutes > 10080)
                throw invalid_form({{"minutes", "NUMBER_TYPE_MAX", "minutes must be 1 to 10080."}});
            advance_thread_clock(*this, std::chrono::minutes{minutes});
            return no_content();
        }
        control_body b{req.body};
        if (path == "/polls/votes") {
            auto channel = b.id("channel_id");
            auto guild = state.channel(channel).guild_id;
            auto user = user_named(b.text("username", "user"));
            if (guild && !state.guild(guild).members.count(user))
                join_guild(guild, user);
            cast_poll_votes(*this, channel, b.id("message_id"), user, b.numbers("answer_ids"), !b.flag("remove", false));
            return no_content();
        }
        auto guild = b.id("guild_id");
        state.guild(guild);
        auto user = user_named(b.text("username", "user"));
        if (!state.guild(guild).members.count(user))
            join_guild(guild, user);
        mark_interested(*this, guild, b.id("event_id"), user, b.flag("interested", true));
        return no_content();
    } catch (const rest_failure& f) {
        return failure_response(f);
    }
}

} // namespace cord::testing::detail
