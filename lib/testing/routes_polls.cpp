// cord::testing: polls. A message posted with a `poll` carries Discord's poll object (answer ids
// from 1, an expiry from the duration, results); the votes users cast (fake_discord::vote_in_poll)
// live in discord_state::surface["poll_votes"][message id][answer id] as user ids in vote order,
// and every change rewrites the message's poll.results.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace cord::testing::detail {

namespace {

constexpr int max_answers = 10;
constexpr std::size_t question_max = 300, answer_max = 55;   // Discord's docs: text lengths
constexpr std::int64_t max_hours = 768, default_hours = 24;

/// now + `hours`, in the emulator's ISO 8601 form (comparable as text with now_iso8601()).
std::string iso_in_hours(std::int64_t hours)
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours{hours});
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.000000+00:00", buf);
}

/// A poll media's text, checked (prefix: "poll.question", "poll.answers.3.poll_media").
void check_media(form_check& f, const bj::value* media, const std::string& prefix, std::size_t max, bool text_required)
{
    if (!media || !media->is_object()) {
        f.fails.push_back({prefix, "BASE_TYPE_REQUIRED", "This field is required"});
        return;
    }
    const auto& m = media->get_object();
    bool has_emoji = m.contains("emoji") && !m.at("emoji").is_null();
    form_check inner;
    if (text_required || !has_emoji)
        inner.required(m, "text");
    inner.string(m, "text", 1, max);
    for (auto& fe : inner.fails)
        f.fails.push_back({prefix + "." + fe.path, fe.code, fe.message});
    if (has_emoji && !m.at("emoji").is_object())
        f.fails.push_back({prefix + ".emoji", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"});
}

void check_request(const bj::value& v)
{
    if (!v.is_object())
        throw invalid_form({{"poll", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"}});
    const auto& p = v.get_object();
    form_check f;
    check_media(f, p.if_contains("question"), "poll.question", question_max, true);
    const auto* answers = p.if_contains("answers");
    if (!answers || answers->is_null()) {
        f.fails.push_back({"poll.answers", "BASE_TYPE_REQUIRED", "This field is required"});
    } else if (!answers->is_array()) {
        f.fails.push_back({"poll.answers", "BASE_TYPE_LIST", "Must be a list."});
    } else if (answers->get_array().empty() || answers->get_array().size() > max_answers) {
        f.fails.push_back({"poll.answers", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length."});
    } else {
        const auto& list = answers->get_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto at = fmt::format("poll.answers.{}", i);
            if (!list[i].is_object())
                f.fails.push_back({at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"});
            else
                check_media(f, list[i].get_object().if_contains("poll_media"), at + ".poll_media", answer_max, false);
        }
    }
    form_check opts;
    opts.integer(p, "duration");
    opts.boolean(p, "allow_multiselect");
    opts.integer(p, "layout_type");
    for (auto& fe : opts.fails)
        f.fails.push_back({"poll." + fe.path, fe.code, fe.message});
    if (auto* d = p.if_contains("duration"); d && d->is_int64() && (d->get_int64() < 1 || d->get_int64() > max_hours))
        f.fails.push_back({"poll.duration", "NUMBER_TYPE_MAX", "int value should be between 1 and 768."});
    if (auto* l = p.if_contains("layout_type"); l && l->is_int64() && l->get_int64() != 1)
        f.fails.push_back({"poll.layout_type", "BASE_TYPE_CHOICES", "Value must be one of {1}."});
    f.done();
}

bj::object& votes_of(discord_state& st, std::uint64_t message)
{
    return slot(slot(st.surface, "poll_votes"), std::to_string(message));
}

bj::object& poll_of(message_rec& m)
{
    auto* p = m.obj.if_contains("poll");
    if (!p || !p->is_object())
        throw unknown(10008, "Unknown Message");
    return p->as_object();
}

/// The answer ids of a poll, in order.
std::vector<std::int64_t> answer_ids(const bj::object& poll)
{
    std::vector<std::int64_t> ids;
    for (const auto& a : poll.at("answers").as_array())
        ids.push_back(a.at("answer_id").as_int64());
    return ids;
}

bool ended(const bj::object& poll)
{
    return poll.at("results").at("is_finalized").as_bool()
        || std::string_view{poll.at("expiry").as_string()} <= discord_state::now_iso8601();
}

/// Discord's answer_counts: one entry per answer with votes ("no entry: no votes"); the bot
/// never votes (apps may not), so me_voted is false.
void update_results(discord_state& st, std::uint64_t message, bj::object& poll)
{
    auto& votes = votes_of(st, message);
    bj::array counts;
    for (auto id : answer_ids(poll)) {
        auto* voters = votes.if_contains(std::to_string(id));
        auto n = voters ? static_cast<std::int64_t>(voters->as_array().size()) : 0;
        if (n > 0)
            counts.push_back(bj::object{{"id", id}, {"count", n}, {"me_voted", false}});
    }
    poll["results"].as_object()["answer_counts"] = std::move(counts);
}

// --- routes ------------------------------------------------------------------------------------

rest_response answer_voters(route_ctx& c)
{
    auto& ch = c.st.channel(c.id("channel_id"));
    auto mid = c.id("message_id");
    auto& poll = poll_of(c.st.message(ch, mid));
    auto answer = c.params.at("answer_id");
    auto ids = answer_ids(poll);
    if (std::none_of(ids.begin(), ids.end(), [&](std::int64_t id) { return std::to_string(id) == answer; }))
        throw invalid_form({{"answer_id", "BASE_TYPE_CHOICES",
                             fmt::format("Value must be one of {{1..{}}}.", ids.size())}});
    int limit = query_int(c, "limit", 25, 1, 100);
    auto after = parse_id(c.query("after"));
    std::vector<std::uint64_t> users;
    if (auto* voters = votes_of(c.st, mid).if_contains(answer))
        for (const auto& u : voters->as_array())
            users.push_back(id_of(&u));
    std::sort(users.begin(), users.end());
    bj::array out;
    for (auto uid : users)
        if (uid > after && static_cast<int>(out.size()) < limit)
            out.push_back(c.st.user(uid));
    return json_response(200, bj::object{{"users", std::move(out)}});
}

rest_response end_poll(route_ctx& c)
{
    auto& ch = c.st.channel(c.id("channel_id"));
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    auto* p = m.obj.if_contains("poll");
    if (!p || !p->is_object())
        throw rest_failure{400, 520006, "Cannot expire a non-poll message", {}};
    if (id_of(m.obj.at("author").as_object().if_contains("id")) != c.st.bot_id)
        throw rest_failure{403, 50005, "Cannot edit a message authored by another user", {}};
    auto& poll = p->as_object();
    if (ended(poll))
        throw rest_failure{400, 520001, "Poll expired", {}};
    // Discord tallies ended polls once more in the background; the emulator's count is exact,
    // so the final tally is at once.
    poll["expiry"] = discord_state::now_iso8601();
    update_results(c.st, mid, poll);
    poll["results"].as_object()["is_finalized"] = true;
    auto msg = c.st.render_message(ch, m);
    emit(c, "MESSAGE_UPDATE", msg, ch.guild_id);
    return json_response(200, msg);
}

} // namespace

bj::object new_poll(const bj::value& request)
{
    check_request(request);
    const auto& p = request.get_object();
    bj::array answers;
    std::int64_t next = 1;   // Discord's docs: answer ids start at 1 and go up
    for (const auto& a : p.at("answers").as_array())
        answers.push_back(bj::object{{"answer_id", next++}, {"poll_media", a.at("poll_media")}});
    auto flag = [&](std::string_view k) { return p.contains(k) && p.at(k).is_bool() && p.at(k).get_bool(); };
    auto* d = p.if_contains("duration");
    return {{"question", bj::object{{"text", p.at("question").at("text")}}},
            {"answers", std::move(answers)},
            {"expiry", iso_in_hours(d && d->is_int64() ? d->get_int64() : default_hours)},
            {"allow_multiselect", flag("allow_multiselect")},
            {"layout_type", 1},
            {"results", bj::object{{"is_finalized", false}, {"answer_counts", bj::array{}}}}};
}

void cast_poll_votes(server_core& core, std::uint64_t channel, std::uint64_t message, std::uint64_t user,
                     const std::vector<int>& answers, bool add)
{
    auto& st = core.state;
    auto& ch = st.channel(channel);
    auto& poll = poll_of(st.message(ch, message));
    st.user(user);
    if (user == st.bot_id)
        throw rest_failure{400, 520000, "Poll voting blocked (apps may not vote)", {}};
    if (ended(poll))
        throw rest_failure{400, 520001, "Poll expired", {}};
    auto ids = answer_ids(poll);
    for (int a : answers)
        if (std::find(ids.begin(), ids.end(), a) == ids.end())
            throw invalid_form({{"answer_id", "BASE_TYPE_CHOICES", fmt::format("Unknown answer {}.", a)}});
    auto& votes = votes_of(st, message);
    auto user_key = id_str(user);
    auto voted_for = [&](int a) {
        auto* v = votes.if_contains(std::to_string(a));
        return v && std::find(v->as_array().begin(), v->as_array().end(), bj::value(user_key)) != v->as_array().end();
    };
    if (add && !poll.at("allow_multiselect").as_bool()) {
        bool voted_other = std::any_of(ids.begin(), ids.end(), [&](std::int64_t a) {
            return voted_for(static_cast<int>(a)) && std::find(answers.begin(), answers.end(), a) == answers.end();
        });
        if (answers.size() > 1 || (voted_other && !answers.empty()))
            throw rest_failure{400, 520000, "Poll voting blocked (one answer only: remove the vote first)", {}};
    }
    for (int a : answers) {
        if (voted_for(a) == add)
            continue;   // already so: Discord sends no event
        auto& list = votes[std::to_string(a)];
        if (!list.is_array())
            list = bj::array{};
        if (add)
            list.as_array().push_back(user_key);
        else
            erase_where(list.as_array(), [&](const bj::value& v) { return v == bj::value(user_key); });
        bj::object d{{"user_id", user_key}, {"channel_id", id_str(channel)}, {"message_id", id_str(message)},
                     {"answer_id", a}};
        if (ch.guild_id)
            d["guild_id"] = id_str(ch.guild_id);
        core.emit({add ? "MESSAGE_POLL_VOTE_ADD" : "MESSAGE_POLL_VOTE_REMOVE", std::move(d), ch.guild_id});
    }
    update_results(st, message, poll);
}

void add_poll_routes(std::vector<route>& out)
{
    out.push_back({"GET", "/channels/{channel_id}/polls/{message_id}/answers/{answer_id}", answer_voters});
    out.push_back({"POST", "/channels/{channel_id}/polls/{message_id}/expire", end_poll});
}

} // namespace cord::testing::detail
