// Fake tier: a guild's stickers and the application's emojis through cord::http against the
// emulator: a sticker uploaded as Discord's form fields and file, its GUILD_STICKERS_UPDATE
// (GUILD_EXPRESSIONS only), the seeded sticker pack, and an application emoji's life.
#include "flow_checks.hpp"
#include "harness.hpp"
#include "shard_watchers.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace http = cord::http;
using cord::json;
using cord_test::expect_error;
using cord_test::harness;
using cord_test::str;
using cord_test::watchers;

namespace {

const cord::attachment wave_png{"wave.png", std::string("\x89PNG\r\n\x1a\n", 8), "image/png", ""};

} // namespace

TEST_CASE("a guild sticker uploaded as form fields, and the standard packs", "[http-surface-flows]")
{
    harness h;
    watchers gw{h.fake, cord::intents::guilds | cord::intents::guild_expressions, cord::intents::guilds};

    const json body = json::parse(R"({"name":"wave","description":"waves hello","tags":"👋"})");
    const http::create_guild_sticker_options with_file{.reason = h.reason, .file = &wave_png};
    json s = h.run(http::create_guild_sticker(h.rest, h.guild, body, with_file));
    const std::string id = str(s["id"]);
    // The form's fields and its file, as the emulator read them.
    CHECK(str(s["name"]) == "wave");
    CHECK(str(s["description"]) == "waves hello");
    CHECK(str(s["tags"]) == "👋");
    CHECK(s["format_type"].as_int() == 1);   // PNG, from the file part's type
    CHECK(s["type"].as_int() == 2);          // GUILD
    CHECK(str(s["guild_id"]) == h.guild);
    CHECK(s["available"].as_bool());

    REQUIRE(gw.run_until([&] { return !gw.with("GUILD_STICKERS_UPDATE").empty(); }));
    json update = gw.with("GUILD_STICKERS_UPDATE").front();
    CHECK(str(update["guild_id"]) == h.guild);
    REQUIRE(update["stickers"].size() == 1);
    CHECK(str(update["stickers"][0]["id"]) == id);

    json list = h.run(http::list_guild_stickers(h.rest, h.guild));
    REQUIRE(list.size() == 1);
    CHECK(str(list[0]["id"]) == id);
    CHECK(str(h.run(http::get_guild_sticker(h.rest, h.guild, id))["name"]) == "wave");
    CHECK(str(h.run(http::get_sticker(h.rest, id))["guild_id"]) == h.guild);

    json changed = h.run(http::modify_guild_sticker(h.rest, h.guild, id, json::parse(R"({"name":"wave2","description":""})"),
                                                    {.reason = h.reason}));
    CHECK(str(changed["name"]) == "wave2");
    CHECK(str(changed["tags"]) == "👋");
    h.run(http::delete_guild_sticker(h.rest, h.guild, id, {.reason = h.reason}));
    expect_error(h, http::get_guild_sticker(h.rest, h.guild, id), 404, 10060);
    expect_error(h, http::get_sticker(h.rest, id), 404, 10060);
    REQUIRE(gw.run_until([&] { return gw.with("GUILD_STICKERS_UPDATE").size() == 3; }));
    CHECK(gw.with("GUILD_STICKERS_UPDATE").back()["stickers"].size() == 0);
    // Without GUILD_EXPRESSIONS none of the three arrived: not before a later CHANNEL_CREATE.
    h.fake.add_channel(cord::snowflake::parse(h.guild), "later");
    REQUIRE(gw.run_until([&] { return !gw.without("CHANNEL_CREATE").empty(); }));
    CHECK(gw.without("GUILD_STICKERS_UPDATE").empty());

    // Discord's rules: the file is required and must be an image or Lottie; name 2-30, tags
    // required, description empty or 2-100.
    const http::create_guild_sticker_options no_file{};
    expect_error(h, http::create_guild_sticker(h.rest, h.guild, body, no_file), 400, 50035);
    const cord::attachment text{"wave.txt", "hello", "text/plain", ""};
    const http::create_guild_sticker_options text_file{.file = &text};
    expect_error(h, http::create_guild_sticker(h.rest, h.guild, body, text_file), 400, 50046);
    const http::create_guild_sticker_options png_file{.file = &wave_png};
    for (const char* bad : {R"({"name":"w","tags":"x"})", R"({"name":"wave"})",
                            R"({"name":"wave","tags":"x","description":"d"})"}) {
        INFO(bad);
        expect_error(h, http::create_guild_sticker(h.rest, h.guild, json::parse(bad), png_file), 400, 50035);
    }
    expect_error(h, http::list_guild_stickers(h.rest, "123"), 404, 10004);

    // The standard packs: one seeded pack, its sticker found by id.
    json packs = h.run(http::list_sticker_packs(h.rest))["sticker_packs"];
    REQUIRE(packs.size() == 1);
    const std::string pack = str(packs[0]["id"]);
    REQUIRE(packs[0]["stickers"].size() >= 1);
    const std::string standard = str(packs[0]["stickers"][0]["id"]);
    CHECK(str(h.run(http::get_sticker_pack(h.rest, pack))["name"]) == str(packs[0]["name"]));
    json st = h.run(http::get_sticker(h.rest, standard));
    CHECK(st["type"].as_int() == 1);   // STANDARD
    CHECK(str(st["pack_id"]) == pack);
    expect_error(h, http::get_sticker_pack(h.rest, "123"), 404, 10061);
}

TEST_CASE("an application emoji's life", "[http-surface-flows]")
{
    harness h;
    const std::string app = h.fake.application_id().str();
    const json body = json::parse(R"({"name":"cord_ok","image":"data:image/png;base64,iVBORw0KGgo="})");
    json e = h.run(http::create_application_emoji(h.rest, app, body));
    const std::string id = str(e["id"]);
    CHECK(str(e["name"]) == "cord_ok");
    CHECK_FALSE(e["animated"].as_bool());
    CHECK(str(e["user"]["id"]) == h.fake.bot_user_id().str());

    json list = h.run(http::list_application_emojis(h.rest, app));
    REQUIRE(list["items"].size() == 1);   // Discord wraps the list: {"items": [...]}
    CHECK(str(list["items"][0]["id"]) == id);
    CHECK(str(h.run(http::get_application_emoji(h.rest, app, id))["name"]) == "cord_ok");
    json renamed = h.run(http::modify_application_emoji(h.rest, app, id, json::parse(R"({"name":"cord_ok_2"})")));
    CHECK(str(renamed["name"]) == "cord_ok_2");
    h.run(http::delete_application_emoji(h.rest, app, id));
    expect_error(h, http::get_application_emoji(h.rest, app, id), 404, 10014);
    expect_error(h, http::delete_application_emoji(h.rest, app, id), 404, 10014);
    CHECK(h.run(http::list_application_emojis(h.rest, app))["items"].size() == 0);

    // Names of 2-32 letters, digits and underscores; an image data URI.
    for (const char* bad : {R"({"name":"no-dash","image":"data:image/png;base64,AA=="})",
                            R"({"name":"x","image":"data:image/png;base64,AA=="})", R"({"name":"no_image"})",
                            R"({"name":"not_a_uri","image":"https://example.com/a.png"})"}) {
        INFO(bad);
        expect_error(h, http::create_application_emoji(h.rest, app, json::parse(bad)), 400, 50035);
    }
    expect_error(h, http::list_application_emojis(h.rest, "123"), 403, 50001);
}
