// Unit tests of cord::json: parsing, access, errors, iteration, building.
#include <cord/error.hpp>
#include <cord/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using cord::json;

namespace {

std::string read_data(const std::string& name)
{
    std::ifstream in(std::string{CORD_TEST_DATA} + "/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

cord::errc code_of(const cord::error& e) { return static_cast<cord::errc>(e.code().value()); }

template <class F>
std::string error_text(F&& f, cord::errc expected)
{
    try {
        f();
    } catch (const cord::error& e) {
        CHECK(code_of(e) == expected);
        return e.what();
    }
    FAIL("no cord::error thrown");
    return {};
}

} // namespace

TEST_CASE("json parses scalars and reports their types", "[json]")
{
    CHECK(json::parse("null").is_null());
    CHECK(json::parse("true").as_bool());
    CHECK(json::parse("-42").as_int() == -42);
    CHECK(json::parse("18446744073709551615").as_uint() == 18446744073709551615ULL);
    CHECK(json::parse("1.5").as_double() == 1.5);
    CHECK(json::parse("7").as_double() == 7.0);
    CHECK(json::parse("\"h\\u00e9\"").as_string() == "h\xc3\xa9");
    CHECK(json{}.is_null());
    CHECK(json{}.dump() == "null");
    CHECK(json::parse("[1]").type() == cord::json_type::array);
    CHECK(json::parse("{}").type() == cord::json_type::object);
}

TEST_CASE("json reads nested members by key and index", "[json]")
{
    auto j = json::parse(R"({"d":{"author":{"id":"80351110224678912","bot":false},"embeds":[{"title":"a"},{"title":"b"}]}})");
    CHECK(j["d"]["author"]["id"].as_string() == "80351110224678912");
    CHECK(j["d"]["author"]["id"].as_snowflake().value == 80351110224678912ULL);
    CHECK_FALSE(j["d"]["author"]["bot"].as_bool());
    CHECK(j["d"]["embeds"].size() == 2);
    CHECK(j["d"]["embeds"][1]["title"].as_string() == "b");
    CHECK(j["d"].contains("author"));
    CHECK_FALSE(j["d"].contains("content"));
    CHECK_FALSE(j["d"]["embeds"].contains("x"));   // not an object: false, no throw
    CHECK_FALSE(j["d"].find("content").has_value());
    CHECK(j["d"].find("author")->is_object());
    CHECK(j["d"]["author"].value_or("username", "nobody") == "nobody");
    CHECK(j["d"]["author"].value_or("bot", true) == false);
}

TEST_CASE("json string views outlive the temporaries that produced them", "[json]")
{
    std::string_view content;
    json keep;
    {
        auto doc = json::parse(R"({"content":"hello world"})");
        keep = doc["content"];
        content = keep.as_string();
    }
    CHECK(content == "hello world");
}

TEST_CASE("json lookups on a temporary hand its document on; on a named json they leave it whole", "[json]")
{
    json inner, found;
    std::string_view title;
    {
        auto doc = json::parse(R"({"d":{"embeds":[{"title":"a"},{"title":"b","fields":[{"name":"n"}]}]}})");
        auto d = doc["d"];   // a named json: still whole after every lookup below
        inner = std::move(doc)["d"]["embeds"][1];
        found = *json{d}.find("embeds");
        title = d["embeds"][0]["title"].as_string();
        CHECK(d["embeds"].size() == 2);
        CHECK_FALSE(json{d}.find("nothing").has_value());
        CHECK_THROWS_AS(json{d}["embeds"][std::size_t{2}], cord::error);
        CHECK_THROWS_AS(json{d}["embeds"][-1], cord::error);
    }
    CHECK(inner["title"].as_string() == "b");
    CHECK(std::move(inner)["fields"][0]["name"].as_string() == "n");
    CHECK(found.size() == 2);
    CHECK(title == "a");
}

namespace {

// Every object in `j`, checked: a lookup of each key finds its first member of that name (the
// members walked in document order), and keys not there are not found.
void check_lookups(const json& j, std::size_t& objects)
{
    if (j.is_array()) {
        for (json item : j.items())
            check_lookups(item, objects);
        return;
    }
    if (!j.is_object())
        return;
    ++objects;
    std::vector<std::pair<std::string, std::string>> first;   // key, dump of its first value
    for (const auto& m : j.members()) {   // not a structured binding: clang 14 cannot capture one
        auto seen = std::find_if(first.begin(), first.end(), [&](const auto& f) { return f.first == m.key; });
        if (seen == first.end())
            first.emplace_back(std::string{m.key}, m.value.dump());
        check_lookups(m.value, objects);
    }
    for (const auto& [key, dump] : first) {
        INFO("key '" << key << "' of " << j.dump());
        REQUIRE(j.contains(key));
        CHECK(j[key].dump() == dump);
        CHECK(j.find(key)->dump() == dump);
        CHECK(json{j}[key].dump() == dump);
    }
    for (std::string absent : {"", "i", "idx", "id ", "zzzz_not_a_key", "\xC3\xA9"}) {
        if (std::none_of(first.begin(), first.end(), [&](const auto& f) { return f.first == absent; })) {
            CHECK_FALSE(j.contains(absent));
            CHECK_FALSE(j.find(absent).has_value());
        }
    }
}

} // namespace

TEST_CASE("json finds members by name in every object of real and odd documents", "[json]")
{
    std::size_t objects = 0;
    for (const char* name : {"discord/message.json", "discord/message_create.json", "discord/guild_create.json",
                             "discord/ready.json", "discord/presence_update.json", "discord/error_50035.json"})
        check_lookups(json::parse(read_data(name)), objects);
    CHECK(objects >= 30);   // the documents hold dozens
    // Values of every width on the tape before the key (numbers take two words, nested values
    // are skipped whole), an empty key, escapes, duplicates (the first wins), empty objects.
    check_lookups(json::parse(R"({"a":1,"b":-2,"c":1.5,"d":18446744073709551615,"e":true,"f":null,"g":"s",
        "h":[1,[2,{"x":3}],{}],"i":{"j":{"k":[]}},"":0,"e\u0301":"accent","q\"":1,"a":"second","z":{}})"),
                   objects);
    check_lookups(json::parse("{}"), objects);
    check_lookups(json::parse(R"([{"id":"1"},{"id":"2","id":"3"}])"), objects);
    auto dup = json::parse(R"({"k":1,"k":2})");
    CHECK(dup["k"].as_int() == 1);
}

TEST_CASE("json access errors name the key path and the type found", "[json]")
{
    auto j = json::parse(R"({"d":{"author":{"id":42},"embeds":[{"title":"a"}]}})");

    auto what = error_text([&] { (void)j["d"]["author"]["id"].as_string(); }, cord::errc::json_access);
    CHECK(what.find("d.author.id") != std::string::npos);
    CHECK(what.find("expected string") != std::string::npos);
    CHECK(what.find("found integer") != std::string::npos);

    what = error_text([&] { (void)j["d"]["author"]["username"]; }, cord::errc::json_access);
    CHECK(what.find("'username'") != std::string::npos);
    CHECK(what.find("d.author") != std::string::npos);

    what = error_text([&] { (void)j["d"]["embeds"][3]; }, cord::errc::json_access);
    CHECK(what.find("index 3 out of range (size 1)") != std::string::npos);
    CHECK(what.find("d.embeds") != std::string::npos);

    what = error_text([&] { (void)j["d"]["embeds"]["title"]; }, cord::errc::json_access);
    CHECK(what.find("cannot look up key 'title' in array at d.embeds") != std::string::npos);

    what = error_text([&] { (void)j["d"]["embeds"][0]["title"].as_int(); }, cord::errc::json_access);
    CHECK(what.find("d.embeds.0.title") != std::string::npos);

    error_text([&] { (void)json::parse("-1").as_uint(); }, cord::errc::json_access);
    error_text([&] { (void)json::parse("\"12a\"").as_snowflake(); }, cord::errc::json_access);
    error_text([&] { (void)json::parse("1.5").as_int(); }, cord::errc::json_access);
    error_text([&] { (void)json::parse("true").size(); }, cord::errc::json_access);
    error_text([&] { (void)json{}["x"]; }, cord::errc::json_access);
    error_text([&] { (void)json::parse("[1]")[-1]; }, cord::errc::json_access);
    error_text([&] { (void)json::parse("[1]").members(); }, cord::errc::json_access);
}

TEST_CASE("json parse errors give the offset of the fault", "[json]")
{
    auto what = error_text([] { json::parse(R"({"a":1,})"); }, cord::errc::json_parse);
    CHECK(what.find("offset 7") != std::string::npos);
    CHECK(what.find("unexpected character '}'") != std::string::npos);

    what = error_text([] { json::parse(R"({"a":"unterminated)"); }, cord::errc::json_parse);
    CHECK(what.find("unterminated string") != std::string::npos);

    what = error_text([] { json::parse(""); }, cord::errc::json_parse);
    CHECK(what.find("offset 0") != std::string::npos);

    what = error_text([] { json::parse("[1,2] x"); }, cord::errc::json_parse);
    CHECK(what.find("offset 6") != std::string::npos);

    what = error_text([] { json::parse("{\"a\":\"\xff\"}"); }, cord::errc::json_parse);
    CHECK(what.find("UTF-8") != std::string::npos);

    error_text([] { json::parse("nul"); }, cord::errc::json_parse);
    error_text([] { json::parse("01"); }, cord::errc::json_parse);
}

TEST_CASE("json parse of an empty view with no data is an error, not a null copy (fuzz regression)", "[json]")
{
    // Found by fuzz/envelope_fuzz: an empty view (a HELLO without `d`, say) reached simdjson's
    // memcpy with a null source; the sanitizer build reports it.
    auto what = error_text([] { json::parse(std::string_view{}); }, cord::errc::json_parse);
    CHECK(what.find("offset 0") != std::string::npos);
}

TEST_CASE("json iterates arrays and objects in document order", "[json]")
{
    auto j = json::parse(R"({"a":1,"b":[10,20,30],"c":{"x":true}})");
    std::vector<std::string> keys;
    for (auto [key, value] : j.members())
        keys.emplace_back(key);
    CHECK(keys == std::vector<std::string>{"a", "b", "c"});

    std::int64_t sum = 0;
    std::size_t n = 0;
    for (json v : j["b"].items()) {
        sum += v.as_int();
        ++n;
    }
    CHECK(sum == 60);
    CHECK(n == 3);

    // Iterating a temporary keeps its document alive.
    n = 0;
    for (json v : json::parse("[1,2]").items())
        n += static_cast<std::size_t>(v.as_int());
    CHECK(n == 3);

    for (json v : json::parse("[]").items())
        FAIL("empty array yielded " << v.dump());
}

TEST_CASE("json dump round-trips to minified text", "[json]")
{
    std::string text = R"({ "a" : [1, 2.5, "x\"y", null, true], "b" : {} })";
    auto j = json::parse(text);
    CHECK(j.dump() == R"({"a":[1,2.5,"x\"y",null,true],"b":{}})");
    CHECK(j["a"].dump() == R"([1,2.5,"x\"y",null,true])");
    CHECK(json::parse(j.dump()).dump() == j.dump());
}

TEST_CASE("json builds request bodies with correct escaping", "[json]")
{
    auto body = json::object({
        {"content", "quote \" backslash \\ newline \n tab \t bell \x07 \xc3\xa9"},
        {"tts", false},
        {"nonce", 12345},
        {"ratio", 0.25},
        {"channel_id", cord::snowflake{81384788765712384}},
        {"embeds", json::array({json::object({{"title", "t"}}), nullptr})},
        {"roles", std::vector<std::string>{"1", "2"}},
    });
    CHECK(body["content"].as_string() == "quote \" backslash \\ newline \n tab \t bell \x07 \xc3\xa9");
    CHECK(body.dump().find("\\u0007") != std::string::npos);
    CHECK(body["tts"].as_bool() == false);
    CHECK(body["nonce"].as_int() == 12345);
    CHECK(body["ratio"].as_double() == 0.25);
    CHECK(body["channel_id"].as_string() == "81384788765712384");
    CHECK(body["embeds"][0]["title"].as_string() == "t");
    CHECK(body["embeds"][1].is_null());
    CHECK(body["roles"][1].as_string() == "2");
    CHECK(json::array({}).dump() == "[]");
    CHECK(json::object({}).dump() == "{}");

    // An embedded json keeps its structure.
    auto inner = json::parse(R"({"k":[1,{"z":null}]})");
    CHECK(json::object({{"inner", inner}})["inner"]["k"][1].contains("z"));
}

TEST_CASE("json builder refuses values JSON cannot carry", "[json]")
{
    error_text([] { json::object({{"bad", "\xff\xfe"}}); }, cord::errc::invalid_argument);
    error_text([] { json::array({std::numeric_limits<double>::infinity()}); }, cord::errc::invalid_argument);
}

TEST_CASE("json reads Discord's documented message example", "[json]")
{
    auto m = json::parse(read_data("discord/message.json"));
    CHECK(m["id"].as_snowflake().value == 334385199974967042ULL);
    CHECK(m["channel_id"].as_string() == "290926798999357250");
    CHECK(m["author"]["id"].as_snowflake().value == 53908099506183680ULL);
    CHECK(m["author"]["username"].as_string() == "Mason");
    CHECK(m["content"].as_string() == "Supa Hot");
    CHECK(m["embeds"].empty());
    CHECK(m["edited_timestamp"].is_null());
    CHECK(m["reactions"][0]["emoji"]["name"].as_string() == "\xf0\x9f\x94\xa5");   // U+1F525
    CHECK(m["reactions"][0]["emoji"]["id"].is_null());
    CHECK(m["reactions"][0]["count"].as_int() == 1);
    CHECK(m.size() == 15);
}

TEST_CASE("json reads Discord's documented guild and gateway examples", "[json]")
{
    auto g = json::parse(read_data("discord/guild.json"));
    CHECK(g["name"].as_string() == "Discord Testers");
    CHECK(g["owner_id"].as_snowflake().value == 73193882359173120ULL);
    CHECK(g["features"].size() == 9);
    CHECK(g["features"][0].as_string() == "ANIMATED_ICON");
    CHECK(g["max_members"].as_int() == 250000);
    CHECK(g["splash"].is_null());

    auto ready = json::parse(read_data("discord/ready.json"));
    CHECK(ready["op"].as_int() == 0);
    CHECK(ready["t"].as_string() == "READY");
    auto d = ready["d"];
    CHECK(d["v"].as_int() == 10);
    CHECK(d["session_id"].as_string() == "session_id_i_stored");
    CHECK(d["shard"][1].as_int() == 1);
    CHECK(d["guilds"].size() == 2);
    for (json guild : d["guilds"].items())
        CHECK(guild["unavailable"].as_bool());
    CHECK(d["application"]["flags"].as_int() == 8192);
    // The error path of a value deep inside a real payload.
    try {
        (void)d["user"]["accent_color"].as_string();
        FAIL("no throw");
    } catch (const cord::error& e) {
        CHECK(std::string{e.what()}.find("d.user.accent_color") != std::string::npos);
    }

    auto mc = json::parse(read_data("discord/message_create.json"));
    CHECK(mc["d"]["guild_id"].as_snowflake() == d["guilds"][0]["id"].as_snowflake());
    CHECK(json::parse(mc.dump()).dump() == mc.dump());
}
