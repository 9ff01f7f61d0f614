// cord::interaction read in place: commands with subcommand paths and typed options, resolved
// data, components, modal fields in rows and labels, autocomplete's focused option, the
// invoking user in a guild and in a DM; and the canonical form that command sync compares.
#include <cord/error.hpp>
#include <cord/interactions/commands.hpp>
#include <cord/interactions/interaction.hpp>

#include <catch2/catch.hpp>

namespace {

using cord::json;

// An interaction as Discord sends one in a guild, with `data` spliced in.
cord::interaction in_guild(int type, const std::string& data)
{
    return cord::interaction{json::parse(R"({"id":"900","application_id":"42","type":)" + std::to_string(type) +
                                         R"(,"token":"tok-en","version":1,"guild_id":"77","channel_id":"78",)"
                                         R"("app_permissions":"2048","locale":"de","guild_locale":"en-US",)"
                                         R"("authorizing_integration_owners":{"0":"77"},"context":0,)"
                                         R"("member":{"user":{"id":"5","username":"ana"},"roles":[],)"
                                         R"("permissions":"8"},"data":)" +
                                         data + "}")};
}

} // namespace

TEST_CASE("a slash command with a group, a subcommand and typed options", "[interactions-view]")
{
    auto in = in_guild(2, R"({"id":"1","name":"config","type":1,"options":[{"name":"set","type":2,"options":[
        {"name":"color","type":1,"options":[{"name":"value","type":3,"value":"red"},
        {"name":"count","type":4,"value":3},{"name":"ratio","type":10,"value":0.5},
        {"name":"loud","type":5,"value":true},{"name":"who","type":6,"value":"5"}]}]}],
        "resolved":{"users":{"5":{"id":"5","username":"ana"}},"members":{"5":{"nick":"A"}}}})");
    CHECK(in.type() == cord::interaction_type::application_command);
    CHECK(in.id() == cord::snowflake{900});
    CHECK(in.application_id() == cord::snowflake{42});
    CHECK(in.token() == "tok-en");
    CHECK(in.command_name() == "config");
    CHECK(in.command_kind() == cord::command_type::chat_input);
    CHECK(in.command_path() == "config set color");
    REQUIRE(in.options().size() == 5);
    CHECK(in.option("value")->as_string() == "red");
    CHECK(in.option("count")->as_int() == 3);
    CHECK(in.option("ratio")->as_double() == 0.5);
    CHECK(in.option("loud")->as_bool());
    CHECK(in.option("who")->type() == cord::option_type::user);
    auto who = in.option("who")->as_id();
    CHECK(in.resolved_user(who).value()["username"].as_string() == "ana");
    CHECK(in.resolved_member(who).value()["nick"].as_string() == "A");
    CHECK_FALSE(in.resolved_role(who));
    CHECK_FALSE(in.option("missing"));
    CHECK_FALSE(in.option("set"));   // a group is a path, not an option
    CHECK(in.guild_id() == cord::snowflake{77});
    CHECK(in.channel_id() == cord::snowflake{78});
    CHECK(in.user()["username"].as_string() == "ana");
    CHECK(in.member().has_value());
    CHECK(in.locale() == "de");
    CHECK(in.guild_locale() == "en-US");
    CHECK(in.app_permissions() == 2048);
    CHECK(in.context() == 0);
    CHECK_FALSE(in.user_install_only());
}

TEST_CASE("a DM: the user instead of a member; user-install only", "[interactions-view]")
{
    cord::interaction in{json::parse(R"({"id":"1","application_id":"2","type":2,"token":"t","channel":{"id":"9"},
        "user":{"id":"3","username":"bo"},"authorizing_integration_owners":{"1":"3"},
        "data":{"id":"4","name":"Show avatar","type":2,"target_id":"3"}})")};
    CHECK_FALSE(in.guild_id());
    CHECK_FALSE(in.member());
    CHECK(in.channel_id() == cord::snowflake{9});
    CHECK(in.user()["username"].as_string() == "bo");
    CHECK(in.user_install_only());
    CHECK(in.command_kind() == cord::command_type::user);
    CHECK(in.command_path() == "Show avatar");
    CHECK(in.target_id() == cord::snowflake{3});
    CHECK(in.options().empty());
}

TEST_CASE("components: custom_id, values, the message; modal fields in rows and labels", "[interactions-view]")
{
    auto select = in_guild(3, R"({"custom_id":"pick:1","component_type":3,"values":["a","b"]})");
    CHECK(select.custom_id() == "pick:1");
    CHECK(select.component_type() == 3);
    CHECK(select.values() == std::vector<std::string_view>{"a", "b"});
    CHECK_FALSE(select.message());

    auto modal = in_guild(5, R"({"custom_id":"form","components":[
        {"type":1,"components":[{"type":4,"custom_id":"title","value":"Hello"}]},
        {"type":18,"component":{"type":3,"custom_id":"color","values":["blue"]}}]})");
    CHECK(modal.custom_id() == "form");
    CHECK(modal.field("title") == "Hello");
    CHECK(modal.field("color") == "blue");
    CHECK_FALSE(modal.field("form"));   // the modal's own id is no field
    CHECK_FALSE(modal.field("nope"));
}

TEST_CASE("autocomplete: the focused option among partial ones", "[interactions-view]")
{
    auto in = in_guild(4, R"({"name":"play","type":1,"options":[{"name":"song","type":3,"value":"ne","focused":true},
        {"name":"volume","type":4,"value":5}]})");
    REQUIRE(in.focused_option());
    CHECK(in.focused_option()->name() == "song");
    CHECK(in.focused_option()->as_string() == "ne");
    CHECK_FALSE(in.option("volume")->focused());
}

TEST_CASE("an interaction without id, type or token is refused with a clear error", "[interactions-view]")
{
    CHECK_THROWS_AS(cord::interaction{json::parse(R"({"type":2,"token":"t"})")}, cord::error);
    CHECK_THROWS_AS(cord::interaction{json::parse(R"({"id":"1","type":2})")}, cord::error);
    CHECK_THROWS_AS(cord::interaction{json::parse(R"([1,2])")}, cord::error);
    CHECK_NOTHROW(cord::interaction{json::parse(R"({"id":"1","type":1})")});   // a PING has no token
    CHECK_THROWS_AS(cord::interaction{json::parse(R"({"id":"1","type":99999,"token":"t"})")}, cord::error);
}

TEST_CASE("command specs: Discord's objects, and a canonical form blind to Discord's defaults", "[interactions-view]")
{
    auto spec = cord::command_spec::slash("echo", "Says it back")
                    .option(cord::command_option{cord::option_type::string, "text", "What to say"}
                                .required()
                                .max_length(200)
                                .choice("hi", std::string_view{"hi"}))
                    .default_member_permissions(8)
                    .name_localization("de", "echo");
    auto j = spec.to_json();
    CHECK(j["type"].as_int() == 1);
    CHECK(j["name"].as_string() == "echo");
    CHECK(j["description"].as_string() == "Says it back");
    CHECK(j["default_member_permissions"].as_string() == "8");
    CHECK(j["options"][0]["required"].as_bool());
    CHECK(j["options"][0]["choices"][0]["value"].as_string() == "hi");
    CHECK(j["name_localizations"]["de"].as_string() == "echo");

    // What Discord answers for it: ids, a version, explicit defaults, keys in another order.
    auto remote = json::parse(R"({"id":"11","application_id":"42","version":"3","type":1,"name":"echo",
        "description":"Says it back","default_member_permissions":"8","dm_permission":true,"nsfw":false,
        "contexts":null,"integration_types":[0],"name_localizations":{"de":"echo"},"description_localizations":null,
        "options":[{"choices":[{"value":"hi","name":"hi"}],"max_length":200,"description":"What to say",
        "name":"text","type":3,"required":true,"autocomplete":false}]})");
    CHECK(cord::canonical_command(remote) == cord::canonical_command(j));

    auto user = cord::command_spec::user("Show avatar").to_json();
    CHECK_FALSE(user.contains("description"));
    auto user_remote = json::parse(R"({"id":"1","type":2,"name":"Show avatar","description":"","options":[]})");
    CHECK(cord::canonical_command(user_remote) == cord::canonical_command(user));

    // A real difference shows.
    auto changed = json::parse(R"({"type":1,"name":"echo","description":"Says it back, louder",
        "default_member_permissions":"8","name_localizations":{"de":"echo"},
        "options":[{"type":3,"name":"text","description":"What to say","required":true,"max_length":200,
        "choices":[{"name":"hi","value":"hi"}]}]})");
    CHECK(cord::canonical_command(changed) != cord::canonical_command(j));
    auto optional_now = json::parse(R"({"type":1,"name":"echo","description":"Says it back",
        "default_member_permissions":"8","name_localizations":{"de":"echo"},
        "options":[{"type":3,"name":"text","description":"What to say","max_length":200,
        "choices":[{"name":"hi","value":"hi"}]}]})");
    CHECK(cord::canonical_command(optional_now) != cord::canonical_command(j));
}
