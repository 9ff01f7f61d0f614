// fake_discord's application commands: global and guild routes, upsert by name, bulk overwrite
// keeping ids, Discord's validation errors, limits, permissions and the write counts a test
// of "sync writes only when different" reads. Driven with a raw Beast HTTP client.
// SPDX-License-Identifier: BSL-1.0
#include "raw_client.hpp"

#include <cord/testing/fake_discord.hpp>

#include <catch2/catch.hpp>

#include <string>

using cord::testing::fake_discord;
using cord::testing::fake_discord_options;
using namespace fake_test;

namespace {

std::string global_commands(const fake_discord& fake)
{
    return "/api/v10/applications/" + fake.application_id().str() + "/commands";
}

std::string guild_commands(const fake_discord& fake, cord::snowflake guild)
{
    return "/api/v10/applications/" + fake.application_id().str() + "/guilds/" + guild.str() + "/commands";
}

const std::string ping = R"({"name":"ping","description":"Replies pong"})";

// The first field error at a path of Discord's `errors` object, e.g. {"options", "0", "name"}.
std::string error_code_at(const cord::json& body, std::initializer_list<const char*> path)
{
    cord::json node = body["errors"];
    for (const char* key : path) {
        if (!node.contains(key))
            return "(no " + std::string{key} + ")";
        node = node[key];
    }
    return std::string{node["_errors"][0]["code"].as_string()};
}

} // namespace

TEST_CASE("fake commands: create is an upsert by name (201 then 200, same id), get, list, edit, delete", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto base = global_commands(fake);

    auto created = http.request("POST", base, ping);
    REQUIRE(created.status == 201);
    auto cmd = created.json();
    CHECK(cmd["name"].as_string() == "ping");
    CHECK(cmd["type"].as_int() == 1);
    CHECK(cmd["application_id"].as_snowflake() == fake.application_id());
    CHECK(cmd["description"].as_string() == "Replies pong");
    CHECK(cmd["default_member_permissions"].is_null());
    CHECK_FALSE(cmd.contains("guild_id"));
    auto id = std::string{cmd["id"].as_string()};

    auto again = http.request("POST", base, R"({"name":"ping","description":"Replies pong, again"})");
    REQUIRE(again.status == 200);
    CHECK(again.json()["id"].as_string() == id);
    CHECK(again.json()["description"].as_string() == "Replies pong, again");
    CHECK(again.json()["version"].as_string() != cmd["version"].as_string());

    // Same name, other type: another command.
    auto menu = http.request("POST", base, R"({"name":"ping","type":2})");
    REQUIRE(menu.status == 201);
    CHECK(menu.json()["id"].as_string() != id);
    CHECK(menu.json()["description"].as_string() == "");

    auto got = http.request("GET", base + "/" + id);
    REQUIRE(got.status == 200);
    CHECK(got.json()["name"].as_string() == "ping");
    auto list = http.request("GET", base);
    REQUIRE(list.status == 200);
    CHECK(list.json().size() == 2);

    auto edited = http.request("PATCH", base + "/" + id,
                               R"({"description":"Edited","default_member_permissions":"8"})");
    REQUIRE(edited.status == 200);
    CHECK(edited.json()["description"].as_string() == "Edited");
    CHECK(edited.json()["default_member_permissions"].as_string() == "8");
    CHECK(edited.json()["id"].as_string() == id);

    CHECK(http.request("DELETE", base + "/" + id).status == 204);
    auto gone = http.request("GET", base + "/" + id);
    CHECK(gone.status == 404);
    CHECK(gone.json()["code"].as_int() == 10063);
    CHECK(http.request("DELETE", base + "/" + id).json()["code"].as_int() == 10063);
    CHECK(fake.application_commands().size() == 1);

    auto counts = fake.command_write_counts();
    CHECK(counts.creates == 3);
    CHECK(counts.edits == 1);
    CHECK(counts.deletes == 2);
    CHECK(counts.overwrites == 0);
}

TEST_CASE("fake commands: guild commands are apart from global ones and need a guild of the bot", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    auto created = http.request("POST", guild_commands(fake, guild), ping);
    REQUIRE(created.status == 201);
    CHECK(created.json()["guild_id"].as_snowflake() == guild);
    // A global command with the same name may coexist.
    CHECK(http.request("POST", global_commands(fake), ping).status == 201);
    CHECK(fake.application_commands(guild).size() == 1);
    CHECK(fake.application_commands().size() == 1);
    CHECK(http.request("GET", guild_commands(fake, fake.guild_ids().at(1))).json().size() == 0);

    auto unknown_guild = http.request("GET", guild_commands(fake, cord::snowflake{12345}));
    CHECK(unknown_guild.status == 404);
    CHECK(unknown_guild.json()["code"].as_int() == 10004);
    auto other_app = http.request("GET", "/api/v10/applications/12345/commands");
    CHECK(other_app.status == 403);
    CHECK(other_app.json()["code"].as_int() == 50001);
    CHECK(http.request("GET", global_commands(fake), {}, "").status == 401);
}

TEST_CASE("fake commands: Discord's validation answers 50035 with field errors", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto base = global_commands(fake);
    auto refused = [&](const std::string& body) {
        auto r = http.request("POST", base, body);
        CHECK(r.status == 400);
        CHECK(r.json()["code"].as_int() == 50035);
        return r.json();
    };

    CHECK(error_code_at(refused(R"({"name":"Ping","description":"d"})"), {"name"}) == "APPLICATION_COMMAND_INVALID_NAME");
    CHECK(error_code_at(refused(R"({"name":"two words","description":"d"})"), {"name"})
          == "APPLICATION_COMMAND_INVALID_NAME");
    CHECK(error_code_at(refused(R"({"name":"","description":"d"})"), {"name"}) == "BASE_TYPE_BAD_LENGTH");
    CHECK(error_code_at(refused(R"({"name":")" + std::string(33, 'a') + R"(","description":"d"})"), {"name"})
          == "BASE_TYPE_BAD_LENGTH");
    CHECK(error_code_at(refused(R"({"description":"d"})"), {"name"}) == "BASE_TYPE_REQUIRED");
    CHECK(error_code_at(refused(R"({"name":"ping"})"), {"description"}) == "BASE_TYPE_REQUIRED");
    CHECK(error_code_at(refused(R"({"name":"ping","description":")" + std::string(101, 'd') + "\"}"), {"description"})
          == "BASE_TYPE_BAD_LENGTH");
    // Context menus: any case and spaces, but no description and no options.
    CHECK(http.request("POST", base, R"({"name":"Show Profile","type":2})").status == 201);
    CHECK(error_code_at(refused(R"({"name":"Show","type":3,"description":"no"})"), {"description"})
          == "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID");
    // Unicode letters are names too.
    CHECK(http.request("POST", base, R"({"name":"café","description":"d"})").status == 201);

    // Options: required before optional, unique names, nesting, choices.
    auto opts = [](const std::string& options) {
        return R"({"name":"cmd","description":"d","options":[)" + options + "]}";
    };
    CHECK(error_code_at(refused(opts(R"({"type":3,"name":"a","description":"d"},{"type":3,"name":"b","description":"d","required":true})")),
                        {"options", "1", "required"})
          == "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID");
    CHECK(error_code_at(refused(opts(R"({"type":3,"name":"a","description":"d"},{"type":4,"name":"a","description":"d"})")),
                        {"options", "1", "name"})
          == "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS");
    CHECK(error_code_at(refused(opts(R"({"type":3,"name":"Bad","description":"d"})")), {"options", "0", "name"})
          == "APPLICATION_COMMAND_INVALID_NAME");
    CHECK(error_code_at(refused(opts(R"({"type":3,"name":"a"})")), {"options", "0", "description"})
          == "BASE_TYPE_REQUIRED");
    CHECK(error_code_at(refused(opts(R"({"type":1,"name":"s","description":"d","options":[{"type":1,"name":"t","description":"d"}]})")),
                        {"options", "0", "options", "0", "type"})
          == "APPLICATION_COMMAND_OPTION_TYPE_INVALID");
    CHECK(error_code_at(refused(opts(R"({"type":2,"name":"g","description":"d","options":[{"type":2,"name":"h","description":"d"}]})")),
                        {"options", "0", "options", "0", "type"})
          == "APPLICATION_COMMAND_OPTION_TYPE_INVALID");
    CHECK(error_code_at(refused(opts(R"({"type":1,"name":"s","description":"d"},{"type":3,"name":"x","description":"d"})")),
                        {"options"})
          == "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID");
    std::string many;
    for (int i = 0; i < 26; ++i)
        many += (i ? "," : "") + std::string{R"({"type":5,"name":"o)"} + std::to_string(i) + R"(","description":"d"})";
    CHECK(error_code_at(refused(opts(many)), {"options"}) == "BASE_TYPE_MAX_LENGTH");
    std::string choices;
    for (int i = 0; i < 26; ++i)
        choices += (i ? "," : "") + std::string{R"({"name":"c)"} + std::to_string(i) + R"(","value":"v"})";
    CHECK(error_code_at(refused(opts(R"({"type":3,"name":"a","description":"d","choices":[)" + choices + "]}")),
                        {"options", "0", "choices"})
          == "BASE_TYPE_MAX_LENGTH");
    CHECK(error_code_at(refused(opts(R"({"type":5,"name":"a","description":"d","choices":[{"name":"x","value":"y"}]})")),
                        {"options", "0", "choices"})
          == "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED");

    // A group of subcommands with options is fine.
    CHECK(http.request("POST", base,
                       opts(R"({"type":2,"name":"config","description":"d","options":[{"type":1,"name":"set","description":"d",)"
                            R"("options":[{"type":3,"name":"key","description":"d","required":true},)"
                            R"({"type":4,"name":"value","description":"d","autocomplete":true}]}]},)"
                            R"({"type":1,"name":"show","description":"d"})"))
              .status
          == 201);
    CHECK(fake.application_commands().size() == 3);
}

TEST_CASE("fake commands: a scope holds at most 100 CHAT_INPUT and 15 USER commands (30032)", "[commands]")
{
    fake_discord fake{{.global_limit_per_second = 0, .rate_limits = false}};
    http_client http{fake.port()};
    auto base = guild_commands(fake, fake.guild_ids().at(0));
    for (int i = 0; i < 100; ++i)
        REQUIRE(http.request("POST", base, R"({"name":"c)" + std::to_string(i) + R"(","description":"d"})").status == 201);
    auto over = http.request("POST", base, R"({"name":"c100","description":"d"})");
    CHECK(over.status == 400);
    CHECK(over.json()["code"].as_int() == 30032);
    // An upsert of an existing name still works at the limit.
    CHECK(http.request("POST", base, R"({"name":"c0","description":"e"})").status == 200);
    for (int i = 0; i < 15; ++i)
        REQUIRE(http.request("POST", base, R"({"type":2,"name":"U)" + std::to_string(i) + "\"}").status == 201);
    CHECK(http.request("POST", base, R"({"type":2,"name":"U15"})").json()["code"].as_int() == 30032);
    std::string too_many = "[";
    for (int i = 0; i < 16; ++i)
        too_many += (i ? "," : "") + std::string{R"({"type":3,"name":"M)"} + std::to_string(i) + "\"}";
    CHECK(http.request("PUT", base, too_many + "]").json()["code"].as_int() == 30032);
}

TEST_CASE("fake commands: bulk overwrite replaces the set, keeps ids of kept names, refuses duplicates", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto base = global_commands(fake);
    auto first = http.request("PUT", base,
                              R"([{"name":"ping","description":"p"},{"name":"echo","description":"e"},{"name":"Info","type":2}])");
    REQUIRE(first.status == 200);
    REQUIRE(first.json().size() == 3);
    std::string ping_id, echo_id;
    for (std::size_t i = 0; i < 3; ++i) {
        auto c = first.json()[i];
        if (c["name"].as_string() == "ping")
            ping_id = std::string{c["id"].as_string()};
        if (c["name"].as_string() == "echo")
            echo_id = std::string{c["id"].as_string()};
    }
    REQUIRE(!ping_id.empty());

    // ping stays (same id, new description), echo goes, roll comes.
    auto second = http.request("PUT", base, R"([{"name":"ping","description":"p2"},{"name":"roll","description":"r"}])");
    REQUIRE(second.status == 200);
    REQUIRE(second.json().size() == 2);
    bool kept = false;
    for (std::size_t i = 0; i < 2; ++i) {
        auto c = second.json()[i];
        if (c["name"].as_string() == "ping") {
            kept = c["id"].as_string() == ping_id;
            CHECK(c["description"].as_string() == "p2");
        } else {
            CHECK(c["id"].as_string() != echo_id);
        }
    }
    CHECK(kept);
    CHECK(http.request("GET", base + "/" + echo_id).json()["code"].as_int() == 10063);

    // Writing the same set again changes nothing, not even versions.
    auto before = http.request("GET", base).json().dump();
    CHECK(http.request("PUT", base, R"([{"name":"ping","description":"p2"},{"name":"roll","description":"r"}])").status
          == 200);
    CHECK(http.request("GET", base).json().dump() == before);

    auto dup = http.request("PUT", base, R"([{"name":"a","description":"d"},{"name":"a","description":"d"}])");
    CHECK(dup.status == 400);
    CHECK(error_code_at(dup.json(), {"1", "name"}) == "APPLICATION_COMMANDS_DUPLICATE_NAME");
    auto bad = http.request("PUT", base, R"([{"name":"ok","description":"d"},{"name":"BAD","description":"d"}])");
    CHECK(bad.status == 400);
    CHECK(error_code_at(bad.json(), {"1", "name"}) == "APPLICATION_COMMAND_INVALID_NAME");
    CHECK(http.request("GET", base).json().dump() == before);   // a refused overwrite changes nothing

    CHECK(http.request("PUT", base, "[]").json().size() == 0);
    CHECK(fake.application_commands().size() == 0);
    CHECK(fake.command_write_counts().overwrites == 6);
    CHECK(fake.command_write_counts().total() == 6);
}

TEST_CASE("fake commands: reads count no writes; the counts tell a start that wrote nothing", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto base = guild_commands(fake, fake.guild_ids().at(0));
    REQUIRE(http.request("PUT", base, "[" + ping + "]").status == 200);
    auto after_first = fake.command_write_counts();
    CHECK(after_first.total() == 1);
    // A second start that finds the same set only reads.
    auto listed = http.request("GET", base);
    REQUIRE(listed.json().size() == 1);
    CHECK(http.request("GET", base + "/" + std::string{listed.json()[0]["id"].as_string()}).status == 200);
    CHECK(fake.command_write_counts().total() == after_first.total());
}

TEST_CASE("fake commands: with_localizations and the locale of the request", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto base = global_commands(fake);
    REQUIRE(http.request("POST", base,
                         R"({"name":"hello","description":"Says hello","name_localizations":{"fr":"bonjour"},)"
                         R"("description_localizations":{"fr":"Dit bonjour"}})")
                .status
            == 201);
    auto plain = http.request("GET", base).json()[0];
    CHECK_FALSE(plain.contains("name_localizations"));
    auto with = http.request("GET", base + "?with_localizations=true").json()[0];
    CHECK(with["name_localizations"]["fr"].as_string() == "bonjour");
    auto french = http.request("GET", base, {}, "fake-bot-token", {{"X-Discord-Locale", "fr"}}).json()[0];
    CHECK(french["name_localized"].as_string() == "bonjour");
    CHECK(french["description_localized"].as_string() == "Dit bonjour");
}

TEST_CASE("fake commands: permissions are read with the bot token and set only with a Bearer token", "[commands]")
{
    fake_discord fake;
    http_client http{fake.port()};
    auto guild = fake.guild_ids().at(0);
    auto base = guild_commands(fake, guild);
    auto id = std::string{http.request("POST", base, ping).json()["id"].as_string()};
    auto perms = base + "/" + id + "/permissions";

    auto none = http.request("GET", perms);
    CHECK(none.status == 404);
    CHECK(none.json()["code"].as_int() == 10066);
    CHECK(http.request("GET", base + "/permissions").json().size() == 0);

    std::string body = R"({"permissions":[{"id":")" + guild.str() + R"(","type":1,"permission":false}]})";
    auto with_bot = http.request("PUT", perms, body);
    CHECK(with_bot.status == 403);
    CHECK(with_bot.json()["code"].as_int() == 50001);
    auto set = http.request("PUT", perms, body, "", {{"Authorization", "Bearer user-oauth-token"}});
    REQUIRE(set.status == 200);
    CHECK(set.json()["permissions"][0]["permission"].as_bool() == false);
    CHECK(set.json()["guild_id"].as_snowflake() == guild);
    CHECK(http.request("GET", perms).json()["permissions"].size() == 1);
    CHECK(http.request("GET", base + "/permissions").json().size() == 1);
    auto bad = http.request("PUT", perms, R"({"permissions":[{"id":"1","type":7,"permission":true}]})", "",
                            {{"Authorization", "Bearer user-oauth-token"}});
    CHECK(bad.status == 400);
    CHECK(error_code_at(bad.json(), {"permissions", "0", "type"}) == "BASE_TYPE_CHOICES");
    CHECK(fake.command_write_counts().permission_sets == 3);

    // Deleting the command drops its permissions.
    CHECK(http.request("DELETE", base + "/" + id).status == 204);
    CHECK(http.request("GET", base + "/permissions").json().size() == 0);
}
