// Unit tests of the gateway's byte-level pieces: zlib-stream / zstd-stream decoding, the
// envelope scanner, payload texts and the 4096-byte cap, the event naming rule.
#include "gateway/envelope.hpp"
#include "gateway/inflater.hpp"
#include "gateway/payloads.hpp"

#include <cord/error.hpp>
#include <cord/event_name.hpp>
#include <cord/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace cord::gateway;

namespace {

std::string read_data(const std::string& name)
{
    std::ifstream in(std::string{CORD_TEST_DATA} + "/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The server side of zlib-stream: one deflate context, each payload ends with a sync flush.
struct zlib_sender {
    z_stream zs{};
    zlib_sender() { REQUIRE(deflateInit(&zs, Z_DEFAULT_COMPRESSION) == Z_OK); }
    ~zlib_sender() { deflateEnd(&zs); }
    std::string compress(const std::string& payload)
    {
        std::string out(payload.size() + 1024, '\0');
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
        zs.avail_in = static_cast<uInt>(payload.size());
        zs.next_out = reinterpret_cast<Bytef*>(out.data());
        zs.avail_out = static_cast<uInt>(out.size());
        REQUIRE(deflate(&zs, Z_SYNC_FLUSH) == Z_OK);
        out.resize(out.size() - zs.avail_out);
        return out;
    }
};

struct zstd_sender {
    ZSTD_CStream* cs = ZSTD_createCStream();
    zstd_sender() { ZSTD_initCStream(cs, 3); }
    ~zstd_sender() { ZSTD_freeCStream(cs); }
    std::string compress(const std::string& payload)
    {
        std::string out(ZSTD_compressBound(payload.size()) + 64, '\0');
        ZSTD_inBuffer in{payload.data(), payload.size(), 0};
        ZSTD_outBuffer o{out.data(), out.size(), 0};
        REQUIRE(!ZSTD_isError(ZSTD_compressStream2(cs, &o, &in, ZSTD_e_flush)));
        out.resize(o.pos);
        return out;
    }
};

template <class F>
std::string error_of(F&& f, cord::errc expected)
{
    try {
        f();
    } catch (const cord::error& e) {
        CHECK(e.code() == make_error_code(expected));
        return e.what();
    }
    FAIL("no cord::error thrown");
    return {};
}

} // namespace

TEST_CASE("zlib-stream: several payloads through one context", "[gateway-inflate]")
{
    zlib_sender server;
    auto in = make_inflater(cord::compression::zlib_stream, 1 << 20);
    for (const char* name : {"hello.json", "ready.json", "message_create.json", "guild_create.json"}) {
        auto payload = read_data(name);
        auto bytes = server.compress(payload);
        REQUIRE(ends_with_zlib_flush(bytes));
        REQUIRE(in->feed(bytes));
        CHECK(in->output() == payload);
    }
}

TEST_CASE("zlib-stream: empty messages are parts, not payloads (fuzz regression)", "[gateway-inflate]")
{
    // Found by fuzz/inflate_fuzz: an empty frame reached memcpy with a null source.
    zlib_sender server;
    auto in = make_inflater(cord::compression::zlib_stream, 1 << 20);
    CHECK_FALSE(in->feed(std::string_view{}));
    auto payload = read_data("hello.json");
    REQUIRE(in->feed(server.compress(payload)));
    CHECK(in->output() == payload);
    CHECK_FALSE(in->feed(std::string_view{}));
}

TEST_CASE("zlib-stream: a payload split across messages is inflated once its suffix arrives", "[gateway-inflate]")
{
    zlib_sender server;
    auto in = make_inflater(cord::compression::zlib_stream, 1 << 20);
    auto payload = read_data("guild_create.json");
    REQUIRE(in->feed(server.compress(payload)));   // the stream's first payload carries the zlib header
    for (std::size_t parts : {2u, 3u, 7u}) {
        auto again = server.compress(payload);   // same context: later payloads compress better
        std::size_t step = again.size() / parts + 1;
        for (std::size_t at = 0; at < again.size(); at += step) {
            bool last = at + step >= again.size();
            CHECK(in->feed(std::string_view{again}.substr(at, step)) == last);
        }
        CHECK(in->output() == payload);
    }
    // A split that leaves the suffix itself divided still works.
    auto more = server.compress(payload);
    CHECK(!in->feed(std::string_view{more}.substr(0, more.size() - 2)));
    CHECK(in->feed(std::string_view{more}.substr(more.size() - 2)));
    CHECK(in->output() == payload);
}

TEST_CASE("zlib-stream: large payloads grow the output buffer", "[gateway-inflate]")
{
    zlib_sender server;
    auto in = make_inflater(cord::compression::zlib_stream, 8 << 20);
    std::string big = "{\"op\":0,\"d\":\"" + std::string(3'000'000, 'x') + "\"}";
    REQUIRE(in->feed(server.compress(big)));
    CHECK(in->output() == big);
}

TEST_CASE("zlib-stream: corrupt input and oversize payloads are clear errors", "[gateway-inflate]")
{
    auto in = make_inflater(cord::compression::zlib_stream, 1 << 20);
    std::string garbage = "this is not zlib at all";
    garbage += std::string{"\x00\x00\xff\xff", 4};
    auto msg = error_of([&] { in->feed(garbage); }, cord::errc::invalid_response);
    CHECK_THAT(msg, Catch::Contains("zlib-stream"));
    CHECK_THAT(msg, Catch::Contains("corrupt"));

    zlib_sender server;
    auto small = make_inflater(cord::compression::zlib_stream, 1000);
    auto payload = read_data("guild_create.json");
    auto too_big = error_of([&] { small->feed(server.compress(payload)); }, cord::errc::invalid_response);
    CHECK_THAT(too_big, Catch::Contains("max_frame_size"));
}

TEST_CASE("zstd-stream: one payload per message through one stream", "[gateway-inflate]")
{
    zstd_sender server;
    auto in = make_inflater(cord::compression::zstd_stream, 1 << 20);
    for (const char* name : {"hello.json", "ready.json", "message_create.json", "guild_create.json"}) {
        auto payload = read_data(name);
        REQUIRE(in->feed(server.compress(payload)));
        CHECK(in->output() == payload);
    }
    std::string big(200'000, 'y');
    REQUIRE(in->feed(server.compress(big)));
    CHECK(in->output() == big);
}

TEST_CASE("zstd-stream: corrupt input is a clear error", "[gateway-inflate]")
{
    auto in = make_inflater(cord::compression::zstd_stream, 1 << 20);
    auto msg = error_of([&] { in->feed("definitely not a zstd frame"); }, cord::errc::invalid_response);
    CHECK_THAT(msg, Catch::Contains("zstd-stream"));
}

TEST_CASE("zstd-stream: a window above 16 MB is refused from the frame header", "[gateway-inflate]")
{
    // A frame may demand any window up to zstd's 128 MB default; cord keeps at most 16 MB per shard.
    auto frame_with_window_log = [](int window_log) {
        zstd_sender server;
        REQUIRE(!ZSTD_isError(ZSTD_CCtx_setParameter(server.cs, ZSTD_c_windowLog, window_log)));
        return server.compress(read_data("message_create.json"));
    };
    auto accepted = make_inflater(cord::compression::zstd_stream, 1 << 20);
    REQUIRE(accepted->feed(frame_with_window_log(24)));
    CHECK(accepted->output() == read_data("message_create.json"));

    auto refused = make_inflater(cord::compression::zstd_stream, 1 << 20);
    auto msg = error_of([&] { refused->feed(frame_with_window_log(25)); }, cord::errc::invalid_response);
    CHECK_THAT(msg, Catch::Contains("window is over 16 MB"));
}

TEST_CASE("no compression has no inflater", "[gateway-inflate]")
{
    CHECK(make_inflater(cord::compression::none, 1 << 20) == nullptr);
}

TEST_CASE("envelope: op, s, t and the raw d of real payloads", "[gateway-envelope]")
{
    auto mc = read_data("message_create.json");
    auto env = scan_envelope(mc);
    REQUIRE(env);
    CHECK(env->op == 0);
    CHECK(env->seq == 3u);
    CHECK(env->event == "MESSAGE_CREATE");
    auto d = cord::json::parse(env->d);
    CHECK(d["content"].as_string() == "Supa Hot");
    CHECK(d["author"]["id"].as_string() == "53908099506183680");

    // The envelope's fields are views into the text: keep it alive.
    auto hello_text = read_data("hello.json");
    auto hello = scan_envelope(hello_text);
    REQUIRE(hello);
    CHECK(hello->op == 10);
    CHECK(!hello->seq);
    CHECK(hello->event.empty());
    CHECK(cord::json::parse(hello->d)["heartbeat_interval"].as_int() == 45000);

    auto invalid_text = read_data("invalid_session.json");
    auto invalid = scan_envelope(invalid_text);
    REQUIRE(invalid);
    CHECK(invalid->op == 9);
    CHECK(invalid->d == "false");
}

TEST_CASE("envelope: key order, strings with brackets and escapes inside d", "[gateway-envelope]")
{
    auto env = scan_envelope(R"({"d":{"content":"a } ] \" { [ \\","x":[1,{"y":"}"}]},"s":17,"op":0,"t":"X_Y"})");
    REQUIRE(env);
    CHECK(env->op == 0);
    CHECK(env->seq == 17u);
    CHECK(env->event == "X_Y");
    CHECK(cord::json::parse(env->d)["content"].as_string() == "a } ] \" { [ \\");
    // Discord's order: d last, after op, s and t; its text runs to the envelope's brace.
    std::string discord_order = "{\"t\":\"MESSAGE_CREATE\",\"s\":5,\"op\":0,\"d\":{\"a\":\"}\",\"b\":[1]} \n}\n";
    auto last = scan_envelope(discord_order);
    REQUIRE(last);
    CHECK(last->seq == 5u);
    CHECK(last->d == R"({"a":"}","b":[1]})");
    auto array = scan_envelope(R"({"t":"X","s":1,"op":0,"d":[1,2]})");
    REQUIRE(array);
    CHECK(array->d == "[1,2]");
    // A member after d does not fit that shape: d is then walked.
    auto after = scan_envelope(R"({"t":"X","s":1,"op":0,"d":{},"x":7})");
    REQUIRE(after);
    CHECK(after->d == "{}");
    // ... unless it looks like the end of d: then parsing d is what refuses it.
    auto trailing = scan_envelope(R"({"t":"X","s":1,"op":0,"d":{"a":1},"x":{}})");
    REQUIRE(trailing);
    CHECK_THROWS_AS(cord::json::parse(trailing->d), cord::error);
    auto nulls = scan_envelope(R"({ "t" : null , "s" : null , "op" : 11 , "d" : null })");
    REQUIRE(nulls);
    CHECK(nulls->op == 11);
    CHECK(!nulls->seq);
    CHECK(nulls->d == "null");
    // Strings past the short ones' quick path: long, and with an escaped quote past it.
    std::string long_text = std::string(70, 'x') + R"(\"q)";
    std::string payload = R"({"d":{"c":")" + long_text + R"(","e":")" + std::string(80, 'y')
                          + R"("},"s":2,"op":0,"t":")" + std::string(66, 'T') + R"("})";
    auto walked = scan_envelope(payload);
    REQUIRE(walked);
    CHECK(walked->event == std::string(66, 'T'));
    CHECK(cord::json::parse(walked->d)["c"].as_string() == std::string(70, 'x') + "\"q");
}

TEST_CASE("envelope: the quick path for Discord's shape reads every payload as the general scanner does",
          "[gateway-envelope]")
{
    auto same = [](std::string_view text) {
        INFO(text);
        auto quick = scan_envelope(text);
        auto general = scan_envelope_general(text);
        REQUIRE(quick.has_value() == general.has_value());
        if (!quick)
            return;
        CHECK(quick->op == general->op);
        CHECK(quick->seq == general->seq);
        CHECK(quick->event.data() == general->event.data());
        CHECK(quick->event.size() == general->event.size());
        CHECK(quick->d.data() == general->d.data());
        CHECK(quick->d.size() == general->d.size());
    };
    std::string d = R"({"content":"a,\"b\"}","x":[1,{"y":"]"}]})";
    std::vector<std::string> members = {R"("t":"MESSAGE_CREATE")", R"("s":42)", R"("op":0)"};
    std::vector<std::string> texts;
    // Every order of t, s and op before d, each whole and cut short at every byte.
    std::sort(members.begin(), members.end());
    do {
        auto text = "{" + members[0] + "," + members[1] + "," + members[2] + ",\"d\":" + d + "}";
        for (std::size_t n = 0; n <= text.size(); ++n)
            texts.push_back(text.substr(0, n));
    } while (std::next_permutation(members.begin(), members.end()));
    // Near misses: each takes the general way or is refused by both.
    for (const char* t : {
            R"({"t":null,"s":null,"op":11,"d":null})",
            R"({"t":null,"s":null,"op":10,"d":{"heartbeat_interval":1}})",
            R"({"t":"A","s":1,"op":0,"d":{}} )", R"({"t":"A","s":1,"op":0,"d":{} })",
            R"({"t":"A","s":1,"op":0,"d":[]})", R"({"t":"A","s":1,"op":0,"d":{},"x":1})",
            R"({"t":"A","s":1,"op":0,"d":1})", R"({"t":"A","s":1,"d":{}})",
            R"({"t":"A","t":"B","s":1,"op":0,"d":{}})", R"({"t":"A","s":1,"op":0,"op":1,"d":{}})",
            R"({"t":"A\u0042","s":1,"op":0,"d":{}})", R"({"t":"A\"","s":1,"op":0,"d":{}})",
            R"({"t":5,"s":1,"op":0,"d":{}})", R"({"t":"A","s":-1,"op":0,"d":{}})",
            R"({"t":"A","s":1.5,"op":0,"d":{}})", R"({"t":"A","s":01,"op":0,"d":{}})",
            R"({"t":"A","s":nullx,"op":0,"d":{}})", R"({"t":"A","s":18446744073709551616,"op":0,"d":{}})",
            R"({"t":"A","s":1,"op":-1,"d":{}})", R"({"t":"A","s":1,"op":99999999999,"d":{}})",
            R"({"t":"A","s":1,"op":null,"d":{}})", R"({"t":"A","s":1,"op":0,"d":{"a":1}})",
            R"({"t":"A","s":1,"op":0,"d":{"a":1}}})", R"({"t":"A","s":1,"op":0,"d":{]})",
            R"({ "t":"A","s":1,"op":0,"d":{}})", R"({"t" :"A","s":1,"op":0,"d":{}})",
            R"({"t":"A", "s":1,"op":0,"d":{}})", R"({"x":1,"t":"A","s":1,"op":0,"d":{}})",
            R"({"t":null,"s":1,"op":0,"d":{"a":1},"x":{}})", R"({"t":"","s":0,"op":0,"d":{}})",
            R"({"t":"A","s":1,"op":0,"d":})",
         })
        texts.emplace_back(t);
    for (const auto& text : texts)
        same(text);
}

TEST_CASE("envelope: malformed payloads are refused", "[gateway-envelope]")
{
    for (const char* bad : {"", "not json", "{", "[1,2]", R"({"op":0,"d":{"a":1})", R"({"op":"zero"})",
                            R"({"d":{}})", R"({"op":0,"d":"unterminated})", R"({"op":0} trailing)",
                            R"({"op":0,"s":-1})", R"({"op":0,"t":"A\u0041"})",
                            R"({"op":0,"\u0074":"READY","s":1,"d":{}})"}) {
        INFO(bad);
        CHECK(!scan_envelope(bad));
    }
}

TEST_CASE("payloads: IDENTIFY carries token, intents, properties, shard, presence, large_threshold",
          "[gateway-payload]")
{
    cord::presence p;
    p.status = "idle";
    p.since = 1700000000000;
    p.activities = cord::json::parse(R"([{"name":"tests","type":0}])");
    auto text = identify_payload({.token = "tok",
                                  .intents = cord::intents::guilds | cord::intents::guild_messages,
                                  .shard_id = 2,
                                  .shard_count = 4,
                                  .large_threshold = 250,
                                  .initial_presence = &p});
    auto j = cord::json::parse(text);
    CHECK(j["op"].as_int() == 2);
    CHECK(j["d"]["token"].as_string() == "tok");
    CHECK(j["d"]["intents"].as_int() == 513);
    CHECK(j["d"]["properties"]["browser"].as_string() == "cord");
    CHECK(j["d"]["properties"]["device"].as_string() == "cord");
    CHECK(!j["d"]["properties"]["os"].as_string().empty());
    CHECK(j["d"]["shard"][0].as_int() == 2);
    CHECK(j["d"]["shard"][1].as_int() == 4);
    CHECK(j["d"]["large_threshold"].as_int() == 250);
    CHECK(j["d"]["presence"]["status"].as_string() == "idle");
    CHECK(j["d"]["presence"]["since"].as_int() == 1700000000000);
    CHECK(j["d"]["presence"]["activities"][0]["name"].as_string() == "tests");
    CHECK(!j["d"]["presence"]["afk"].as_bool());
    CHECK(!j["d"].contains("compress"));
}

TEST_CASE("payloads: RESUME, heartbeat, presence, op 8 and op 4", "[gateway-payload]")
{
    auto r = cord::json::parse(resume_payload("tok", "sess\"1", 42));
    CHECK(r["op"].as_int() == 6);
    CHECK(r["d"]["session_id"].as_string() == "sess\"1");
    CHECK(r["d"]["seq"].as_int() == 42);

    CHECK(heartbeat_payload(0) == R"({"op":1,"d":null})");
    CHECK(heartbeat_payload(1234) == R"({"op":1,"d":1234})");

    auto pr = cord::json::parse(presence_payload(cord::presence{}));
    CHECK(pr["op"].as_int() == 3);
    CHECK(pr["d"]["since"].is_null());
    CHECK(pr["d"]["activities"].is_array());
    CHECK(pr["d"]["activities"].empty());
    CHECK(pr["d"]["status"].as_string() == "online");

    auto m = cord::json::parse(request_guild_members_payload(cord::snowflake{41771983423143937ULL}, "ab", 10, {},
                                                             true, "n1"));
    CHECK(m["op"].as_int() == 8);
    CHECK(m["d"]["guild_id"].as_string() == "41771983423143937");
    CHECK(m["d"]["query"].as_string() == "ab");
    CHECK(m["d"]["limit"].as_int() == 10);
    CHECK(m["d"]["presences"].as_bool());
    CHECK(m["d"]["nonce"].as_string() == "n1");
    auto ids = cord::json::parse(request_guild_members_payload(cord::snowflake{1}, "", 0,
                                                               {cord::snowflake{5}, cord::snowflake{6}}, false, "n"));
    CHECK(!ids["d"].contains("query"));
    CHECK(ids["d"]["user_ids"][1].as_string() == "6");

    auto v = cord::json::parse(voice_state_payload(cord::snowflake{1}, cord::snowflake{2}, true, false));
    CHECK(v["op"].as_int() == 4);
    CHECK(v["d"]["channel_id"].as_string() == "2");
    CHECK(v["d"]["self_mute"].as_bool());
    CHECK(!v["d"]["self_deaf"].as_bool());
    auto leave = cord::json::parse(voice_state_payload(cord::snowflake{1}, std::nullopt, false, false));
    CHECK(leave["d"]["channel_id"].is_null());
}

TEST_CASE("payloads: over 4096 bytes is refused with a clear error", "[gateway-payload]")
{
    std::string ok(4096, 'x');
    CHECK_NOTHROW(check_payload_size(ok, 3));
    std::string big(4097, 'x');
    auto msg = error_of([&] { check_payload_size(big, 3); }, cord::errc::payload_too_large);
    CHECK_THAT(msg, Catch::Contains("4097"));
    CHECK_THAT(msg, Catch::Contains("4096"));
    CHECK_THAT(msg, Catch::Contains("op 3"));
}

TEST_CASE("payloads: op 8 requests Discord would leave unanswered are refused", "[gateway-payload]")
{
    using cord::intents;
    const auto members = intents::guilds | intents::guild_members;
    // Every member: needs GUILD_MEMBERS. A prefix or ids do not.
    CHECK_NOTHROW(check_member_request(members, "", 0, 0, false));
    auto msg = error_of([&] { check_member_request(intents::guilds, "", 0, 0, false); },
                        cord::errc::invalid_argument);
    CHECK_THAT(msg, Catch::Contains("GUILD_MEMBERS"));
    CHECK_NOTHROW(check_member_request(intents::guilds, "al", 10, 0, false));
    CHECK_NOTHROW(check_member_request(intents::guilds, "", 0, 3, false));
    // Presences: GUILD_PRESENCES.
    msg = error_of([&] { check_member_request(members, "al", 10, 0, true); }, cord::errc::invalid_argument);
    CHECK_THAT(msg, Catch::Contains("GUILD_PRESENCES"));
    CHECK_NOTHROW(check_member_request(members | intents::guild_presences, "al", 10, 0, true));
    // At most 100 ids; no negative limit.
    CHECK_NOTHROW(check_member_request(intents::guilds, "", 0, 100, false));
    msg = error_of([&] { check_member_request(intents::guilds, "", 0, 101, false); }, cord::errc::invalid_argument);
    CHECK_THAT(msg, Catch::Contains("101"));
    error_of([&] { check_member_request(members, "al", -1, 0, false); }, cord::errc::invalid_argument);
}

TEST_CASE("event names follow racket-cord's rule", "[gateway-event-name]")
{
    CHECK(cord::racket_event_name("MESSAGE_CREATE") == "raw-message-create");
    CHECK(cord::racket_event_name("READY") == "raw-ready");
    CHECK(cord::racket_event_name("GUILD_SOUNDBOARD_SOUNDS_UPDATE") == "raw-guild-soundboard-sounds-update");
    CHECK(cord::racket_event_name("SOME_NEW_EVENT_2") == "raw-some-new-event-2");
    CHECK(cord::racket_event_name("") == "raw-");
    CHECK(cord::discord_event_name("raw-message-create") == "MESSAGE_CREATE");
    CHECK(cord::discord_event_name("message-create") == "MESSAGE_CREATE");
    CHECK(cord::discord_event_name(cord::racket_event_name("VOICE_CHANNEL_START_TIME_UPDATE"))
          == "VOICE_CHANNEL_START_TIME_UPDATE");
}
