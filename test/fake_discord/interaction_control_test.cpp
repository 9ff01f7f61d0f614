// fake_discord's POST /_fake/interactions (a user's act, delivered as INTERACTION_CREATE) and
// GET /_fake/interactions/{id} (what the bot answered): for driving a bot by hand, e.g. with
// curl against cord-fake-discord. Served only with control_endpoint.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

fake_discord_options with_control()
{
    fake_discord_options o;
    o.control_endpoint = true;
    o.guilds = 1;
    return o;
}

} // namespace

TEST_CASE("fake control: POST /_fake/interactions plays a slash command; GET shows the answers", "[interaction-control]")
{
    fake_discord fake{with_control()};
    http_client http{fake.port()};
    auto app = fake.application_id().str();
    REQUIRE(http.request("PUT", "/api/v10/applications/" + app + "/commands",
                         R"([{"name":"roll","description":"Rolls a die","options":[{"type":4,"name":"sides","description":"n"}]}])")
                .status
            == 200);
    ws_client ws{fake.port()};
    ws.identify("fake-bot-token", 1);

    auto played = http.request("POST", "/_fake/interactions",
                               R"({"type":"command","command":"roll","options":{"sides":20},"username":"alice"})", "");
    REQUIRE(played.status == 200);
    auto id = std::string{played.json()["id"].as_string()};
    auto token = std::string{played.json()["token"].as_string()};
    auto ev = ws.wait_for(0, "INTERACTION_CREATE");
    REQUIRE(ev);
    CHECK((*ev)["d"]["id"].as_string() == id);
    CHECK((*ev)["d"]["token"].as_string() == token);
    CHECK((*ev)["d"]["member"]["user"]["username"].as_string() == "alice");
    CHECK((*ev)["d"]["data"]["options"][0]["value"].as_int() == 20);

    CHECK(http.request("GET", "/_fake/interactions/" + id, {}, "").json()["answers"].size() == 0);
    REQUIRE(http.request("POST", "/api/v10/interactions/" + id + "/" + token + "/callback",
                         R"({"type":4,"data":{"content":"17","flags":64}})", "")
                .status
            == 204);
    CHECK(http.request("POST", "/api/v10/interactions/" + id + "/" + token + "/callback", R"({"type":5})", "").status
          == 400);
    auto answers = http.request("GET", "/_fake/interactions/" + id, {}, "");
    REQUIRE(answers.status == 200);
    auto list = answers.json()["answers"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["kind"].as_string() == "callback");
    CHECK(list[0]["callback_type"].as_int() == 4);
    CHECK(list[0]["status"].as_int() == 204);
    CHECK(list[0]["ephemeral"].as_bool());
    CHECK(list[0]["body"]["data"]["content"].as_string() == "17");
    CHECK(list[1]["error_code"].as_int() == 40060);
}

TEST_CASE("fake control: /_fake/interactions plays buttons, selects, modals and autocomplete", "[interaction-control]")
{
    fake_discord fake{with_control()};
    http_client http{fake.port()};
    auto app = fake.application_id().str();
    auto channel = fake.general_channel(fake.guild_ids().at(0)).str();
    REQUIRE(http.request("PUT", "/api/v10/applications/" + app + "/commands",
                         R"([{"name":"city","description":"d","options":[{"type":3,"name":"name","description":"n","autocomplete":true}]}])")
                .status
            == 200);
    auto posted = http.request("POST", "/api/v10/channels/" + channel + "/messages",
                               R"({"content":"x","components":[{"type":1,"components":[{"type":2,"style":1,"label":"A","custom_id":"a"}]},)"
                               R"({"type":1,"components":[{"type":3,"custom_id":"s","options":[{"label":"L","value":"l"}]}]}]})");
    REQUIRE(posted.status == 200);
    auto mid = std::string{posted.json()["id"].as_string()};

    auto click = http.request("POST", "/_fake/interactions", R"({"type":"button","message_id":")" + mid + R"(","custom_id":"a"})", "");
    REQUIRE(click.status == 200);
    CHECK(click.json()["payload"]["data"]["custom_id"].as_string() == "a");
    auto select = http.request("POST", "/_fake/interactions",
                               R"({"type":"select","message_id":")" + mid + R"(","custom_id":"s","values":["l"]})", "");
    REQUIRE(select.status == 200);
    CHECK(select.json()["payload"]["data"]["values"][0].as_string() == "l");
    auto typing = http.request("POST", "/_fake/interactions",
                               R"({"type":"autocomplete","command":"city","option":"name","value":"Lo"})", "");
    REQUIRE(typing.status == 200);
    CHECK(typing.json()["payload"]["type"].as_int() == 4);

    // The click is answered with a modal; the modal is then submitted through the control route.
    auto cid = std::string{click.json()["id"].as_string()};
    auto ctoken = std::string{click.json()["token"].as_string()};
    REQUIRE(http.request("POST", "/api/v10/interactions/" + cid + "/" + ctoken + "/callback",
                         R"({"type":9,"data":{"custom_id":"m","title":"T","components":[{"type":18,"label":"Q",)"
                         R"("component":{"type":4,"custom_id":"q","style":1}}]}})", "")
                .status
            == 204);
    auto submitted = http.request("POST", "/_fake/interactions",
                                  R"({"type":"modal","interaction_id":")" + cid + R"(","fields":{"q":"answer"}})", "");
    REQUIRE(submitted.status == 200);
    CHECK(submitted.json()["payload"]["data"]["components"][0]["component"]["value"].as_string() == "answer");
    CHECK(submitted.json()["payload"]["message"]["id"].as_string() == mid);

    // Refusals name what is wrong; unknown interactions are 404; only POST and GET.
    auto bad = http.request("POST", "/_fake/interactions", R"({"type":"command","command":"nope"})", "");
    CHECK(bad.status == 400);
    CHECK(std::string{bad.json()["message"].as_string()}.find("nope") != std::string::npos);
    CHECK(http.request("POST", "/_fake/interactions", "not json", "").status == 400);
    CHECK(http.request("GET", "/_fake/interactions/123", {}, "").status == 404);
    CHECK(http.request("DELETE", "/_fake/interactions", {}, "").status == 405);
}

TEST_CASE("fake control: without control_endpoint there is no /_fake/interactions", "[interaction-control]")
{
    fake_discord fake;
    http_client http{fake.port()};
    CHECK(http.request("POST", "/_fake/interactions", R"({"type":"command","command":"x"})", "").status == 404);
}
