// The responder's state machine: every legal and illegal sequence of responses, the auto-defer
// at its margin (and never after an answer), Discord's 3 s and 15 min limits, on a clock the
// test moves by hand.
#include "interactions/responder_state.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using namespace std::chrono_literals;
using namespace cord::detail::interactions;
using verb = decision::verb;

const clock::time_point t0{std::chrono::hours{1000}};

// Asks for `a` at t0 + `at` and reports success; returns the decision.
decision act(responder_state& r, action a, clock::duration at = 100ms, bool ok = true)
{
    auto d = r.begin(a, t0 + at);
    if (d.what != verb::refuse && d.what != verb::nothing && d.what != verb::wait)
        r.finish(d, ok);
    return d;
}

bool refused_saying(const decision& d, const std::string& words)
{
    return d.what == verb::refuse && d.why.find(words) != std::string::npos;
}

} // namespace

TEST_CASE("a command: reply, then edits and followups; a second reply is refused, not sent", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0};
    auto first = act(r, action::reply);
    CHECK(first.what == verb::callback);
    CHECK(first.callback == callback_type::channel_message);
    CHECK(r.responded());
    CHECK_FALSE(r.auto_defer_at());

    CHECK(refused_saying(act(r, action::reply), "40060"));
    CHECK(refused_saying(act(r, action::defer), "before any response"));
    CHECK(refused_saying(act(r, action::modal), "first response"));
    CHECK(refused_saying(act(r, action::update), "edit_original"));
    CHECK(act(r, action::edit_original).what == verb::edit_original);
    CHECK(act(r, action::get_original).what == verb::get_original);
    CHECK(act(r, action::followup).what == verb::followup);
    CHECK(act(r, action::delete_original).what == verb::delete_original);
}

TEST_CASE("a command: defer, then the reply fills the thinking message; a followup first does too", "[interactions-responder]")
{
    SECTION("reply after defer")
    {
        responder_state r{interaction_kind::command, t0};
        auto d = act(r, action::defer);
        CHECK(d.callback == callback_type::deferred_channel_message);
        CHECK(act(r, action::defer).what == verb::nothing);   // idempotent
        CHECK(act(r, action::reply, 10s).what == verb::edit_original);   // past 3 s: not an initial response
        CHECK(refused_saying(act(r, action::reply, 11s), "40060"));
        CHECK(act(r, action::followup, 12s).what == verb::followup);
    }
    SECTION("followup after defer")
    {
        responder_state r{interaction_kind::command, t0};
        act(r, action::defer);
        CHECK(act(r, action::followup).what == verb::edit_original);
        CHECK(act(r, action::followup).what == verb::followup);
    }
    SECTION("a failed first edit leaves the thinking message to fill")
    {
        responder_state r{interaction_kind::command, t0};
        act(r, action::defer);
        CHECK(act(r, action::reply, 1s, false).what == verb::edit_original);
        CHECK(act(r, action::reply, 2s).what == verb::edit_original);
    }
}

TEST_CASE("the auto-defer fires at its margin when the handler has not answered", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0, {.auto_defer_margin = 2500ms}};
    REQUIRE(r.auto_defer_at() == t0 + 2500ms);
    auto d = act(r, action::auto_defer, 2500ms);
    CHECK(d.what == verb::callback);
    CHECK(d.callback == callback_type::deferred_channel_message);
    CHECK(r.auto_deferred());
    CHECK_FALSE(r.auto_defer_at());
    // The handler that took 5 s still succeeds: its reply edits the deferred message.
    CHECK(act(r, action::reply, 5s).what == verb::edit_original);
    // A modal is too late now, and the refusal says why.
    auto modal = act(r, action::modal, 5s);
    CHECK(refused_saying(modal, "auto-defer"));
    CHECK(refused_saying(modal, "2500 ms"));
}

TEST_CASE("the auto-defer never fires once the handler answered, nor while its answer is in flight", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0};
    auto reply = r.begin(action::reply, t0 + 2s);
    REQUIRE(reply.what == verb::callback);
    CHECK_FALSE(r.auto_defer_at());
    CHECK(r.begin(action::auto_defer, t0 + 2500ms).what == verb::nothing);
    r.finish(reply, true);
    CHECK(r.begin(action::auto_defer, t0 + 2600ms).what == verb::nothing);
    CHECK(r.initial_response() == callback_type::channel_message);
    CHECK_FALSE(r.auto_deferred());
}

TEST_CASE("a reply racing the auto-defer waits for it, then edits", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0};
    auto defer = r.begin(action::auto_defer, t0 + 2500ms);
    REQUIRE(defer.what == verb::callback);
    CHECK(r.begin(action::reply, t0 + 2600ms).what == verb::wait);
    CHECK(r.begin(action::followup, t0 + 2600ms).what == verb::wait);
    r.finish(defer, true);
    CHECK(r.begin(action::reply, t0 + 2700ms).what == verb::edit_original);
}

TEST_CASE("a failed initial response can be tried again; a 10062 ends the interaction", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0};
    CHECK(act(r, action::reply, 100ms, false).what == verb::callback);
    CHECK_FALSE(r.responded());
    CHECK(r.auto_defer_at());
    auto again = r.begin(action::reply, t0 + 200ms);
    CHECK(again.what == verb::callback);
    r.finish(again, false, true);
    CHECK(refused_saying(r.begin(action::reply, t0 + 300ms), "10062"));
    CHECK(refused_saying(r.begin(action::followup, t0 + 300ms), "10062"));
    CHECK_FALSE(r.auto_defer_at());
}

TEST_CASE("Discord's deadlines: 3 s for the first response, 15 min for the token", "[interactions-responder]")
{
    SECTION("a first response at 3 s would be 10062: refused locally")
    {
        responder_state r{interaction_kind::command, t0};
        CHECK(refused_saying(act(r, action::reply, 3s), "3 s"));
        CHECK(refused_saying(act(r, action::defer, 3s), "3 s"));
        CHECK(act(r, action::reply, 2999ms).what == verb::callback);
    }
    SECTION("edits and followups within 15 min, none after")
    {
        responder_state r{interaction_kind::command, t0};
        act(r, action::defer);
        CHECK(act(r, action::reply, 14min).what == verb::edit_original);
        CHECK(act(r, action::followup, 14min + 59s).what == verb::followup);
        CHECK(refused_saying(act(r, action::followup, 15min), "15 minutes"));
        CHECK(refused_saying(act(r, action::edit_original, 20min), "expired"));
    }
}

TEST_CASE("nothing to edit or follow up before a response", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0};
    for (auto a : {action::edit_original, action::delete_original, action::get_original, action::followup})
        CHECK(refused_saying(act(r, a), "reply() or defer() first"));
    CHECK_FALSE(r.responded());
}

TEST_CASE("a component: update edits its message, defer_update acknowledges silently", "[interactions-responder]")
{
    SECTION("update, then update again edits the same message")
    {
        responder_state r{interaction_kind::component, t0};
        CHECK(act(r, action::update).callback == callback_type::update_message);
        CHECK(act(r, action::update).what == verb::edit_original);
        CHECK(act(r, action::defer_update).what == verb::nothing);
        CHECK(refused_saying(act(r, action::reply), "40060"));
    }
    SECTION("the auto-defer acknowledges silently; a reply is then a new message")
    {
        responder_state r{interaction_kind::component, t0};
        CHECK(act(r, action::auto_defer, 2500ms).callback == callback_type::deferred_update_message);
        CHECK(act(r, action::update, 4s).what == verb::edit_original);
        CHECK(act(r, action::reply, 4s).what == verb::followup);
    }
    SECTION("a reply, then update() is refused: the reply is not the component's message")
    {
        responder_state r{interaction_kind::component, t0};
        CHECK(act(r, action::reply).callback == callback_type::channel_message);
        CHECK(refused_saying(act(r, action::update), "component's message"));
        CHECK(refused_saying(act(r, action::defer_update), "already answered"));
    }
    SECTION("a component may open a modal")
    {
        responder_state r{interaction_kind::component, t0};
        CHECK(act(r, action::modal).callback == callback_type::modal);
    }
}

TEST_CASE("update and defer_update are for components only", "[interactions-responder]")
{
    for (auto kind : {interaction_kind::command, interaction_kind::modal_submit, interaction_kind::autocomplete}) {
        responder_state r{kind, t0};
        CHECK(refused_saying(act(r, action::update), "component"));
        CHECK(refused_saying(act(r, action::defer_update), "component"));
    }
}

TEST_CASE("a modal is a first response only, never for a modal submit, and ends the exchange", "[interactions-responder]")
{
    SECTION("after a modal there is no message")
    {
        responder_state r{interaction_kind::command, t0};
        CHECK(act(r, action::modal).callback == callback_type::modal);
        for (auto a : {action::reply, action::followup, action::edit_original, action::modal})
            CHECK(refused_saying(act(r, a), "a modal"));
    }
    SECTION("a modal submit takes messages, not a modal")
    {
        responder_state r{interaction_kind::modal_submit, t0};
        CHECK(refused_saying(act(r, action::modal), "modal submit"));
        CHECK(act(r, action::auto_defer, 2500ms).callback == callback_type::deferred_channel_message);
        CHECK(act(r, action::reply, 4s).what == verb::edit_original);
    }
    SECTION("a modal after the handler deferred is refused")
    {
        responder_state r{interaction_kind::command, t0};
        act(r, action::defer);
        auto d = act(r, action::modal);
        CHECK(refused_saying(d, "first response"));
        CHECK(d.why.find("auto-defer answered") == std::string::npos);   // the handler deferred, not cord
    }
}

TEST_CASE("an autocomplete takes choices only and cannot be deferred", "[interactions-responder]")
{
    SECTION("messages and defers are refused")
    {
        responder_state r{interaction_kind::autocomplete, t0};
        CHECK(refused_saying(act(r, action::reply), "autocomplete(choices)"));
        CHECK(refused_saying(act(r, action::defer), "no message or deferred answer"));
        CHECK(refused_saying(act(r, action::modal), "cannot be answered with a modal"));
        CHECK(act(r, action::autocomplete).callback == callback_type::autocomplete_result);
        CHECK(refused_saying(act(r, action::autocomplete), "autocomplete choices"));
        CHECK(refused_saying(act(r, action::followup), "autocomplete choices"));
    }
    SECTION("at the margin the auto-defer answers with (no) choices")
    {
        responder_state r{interaction_kind::autocomplete, t0};
        CHECK(act(r, action::auto_defer, 2500ms).callback == callback_type::autocomplete_result);
        CHECK(r.auto_deferred());
    }
    SECTION("autocomplete() answers nothing else")
    {
        responder_state r{interaction_kind::command, t0};
        CHECK(refused_saying(act(r, action::autocomplete), "not an autocomplete"));
    }
}

TEST_CASE("a PING gets a PONG and nothing else", "[interactions-responder]")
{
    responder_state r{interaction_kind::ping, t0};
    CHECK_FALSE(r.auto_defer_at());
    CHECK(refused_saying(act(r, action::reply), "not answered with a message"));
    CHECK(act(r, action::auto_defer).callback == callback_type::pong);
}

TEST_CASE("an app installed to the user only gets 5 followups; a failed one does not count", "[interactions-responder]")
{
    responder_state r{interaction_kind::command, t0, {.user_install_only = true}};
    act(r, action::reply);
    for (int i = 0; i < 4; ++i)
        REQUIRE(act(r, action::followup).what == verb::followup);
    CHECK(act(r, action::followup, 1s, false).what == verb::followup);   // failed: the slot is free again
    CHECK(act(r, action::followup).what == verb::followup);              // the 5th
    CHECK(refused_saying(act(r, action::followup), "40094"));

    responder_state any{interaction_kind::command, t0};
    act(any, action::reply);
    for (int i = 0; i < 10; ++i)
        CHECK(act(any, action::followup).what == verb::followup);
}
