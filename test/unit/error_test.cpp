// Unit tests of cord's error types.
#include <cord/error.hpp>
#include <cord/logging.hpp>
#include <cord/snowflake.hpp>

#include <catch2/catch.hpp>

using cord::http::discord_error;

TEST_CASE("discord_error reads Discord's error body", "[error]")
{
    auto e = discord_error::from_response(404, R"({"message": "Unknown Message", "code": 10008})",
                                          "GET /channels/{channel_id}/messages/{message_id}");
    CHECK(e.http_code() == 404);
    CHECK(e.discord_code() == 10008);
    CHECK(e.reason() == "Unknown Message");
    CHECK(e.field_errors().empty());
    std::string what = e.what();
    CHECK(what.find("HTTP 404") != std::string::npos);
    CHECK(what.find("10008") != std::string::npos);
    CHECK(what.find("Unknown Message") != std::string::npos);
    CHECK(what.find("GET /channels/{channel_id}/messages/{message_id}") != std::string::npos);
    // It is a cord::error and a std::runtime_error, as racket-cord's exception was an exn.
    const std::runtime_error& base = e;
    CHECK(std::string{base.what()} == what);
}

TEST_CASE("discord_error flattens the field errors of Invalid Form Body", "[error]")
{
    auto e = discord_error::from_response(400, R"({
      "code": 50035, "message": "Invalid Form Body",
      "errors": {
        "activities": {"0": {"platform": {"_errors": [{"code": "BASE_TYPE_CHOICES", "message": "Value must be one of ('desktop', 'android', 'ios')."}]},
                             "type": {"_errors": [{"code": "BASE_TYPE_CHOICES", "message": "Value must be one of (0, 1, 2, 3, 4, 5)."}]}}},
        "_errors": [{"code": "CONTENT_TYPE_INVALID", "message": "Expected Content-Type application/json"}]
      }})");
    CHECK(e.discord_code() == 50035);
    REQUIRE(e.field_errors().size() == 3);
    CHECK(e.field_errors()[0].path == "activities.0.platform");
    CHECK(e.field_errors()[0].code == "BASE_TYPE_CHOICES");
    CHECK(e.field_errors()[1].path == "activities.0.type");
    CHECK(e.field_errors()[1].message == "Value must be one of (0, 1, 2, 3, 4, 5).");
    CHECK(e.field_errors()[2].path.empty());
    CHECK(e.field_errors()[2].code == "CONTENT_TYPE_INVALID");
    CHECK(std::string{e.what()}.find("activities.0.type") != std::string::npos);
}

TEST_CASE("discord_error survives bodies that are not Discord's JSON", "[error]")
{
    auto html = discord_error::from_response(429, "<html><body>Error 1015: You are being rate limited</body></html>");
    CHECK(html.http_code() == 429);
    CHECK(html.discord_code() == 0);
    CHECK(html.reason().find("Error 1015") != std::string::npos);

    auto empty = discord_error::from_response(502, "");
    CHECK(empty.reason() == "HTTP 502 with an empty body");

    auto wrong_shape = discord_error::from_response(400, R"(["not","an","object"])");
    CHECK(wrong_shape.discord_code() == 0);

    auto bad_types = discord_error::from_response(400, R"({"code":"x","message":5})");
    CHECK(bad_types.http_code() == 400);
}

TEST_CASE("discord_error reads code, message and errors each on its own (fuzz regression)", "[error]")
{
    // Found by fuzz/rest_response_fuzz: one member of an unexpected type threw inside the body's
    // reading, and the message and every field error after it were lost.
    auto string_code = discord_error::from_response(400, R"({"code":"50035","message":"Invalid Form Body",
        "errors":{"content":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}})");
    CHECK(string_code.discord_code() == 0);
    CHECK(string_code.reason() == "Invalid Form Body");
    REQUIRE(string_code.field_errors().size() == 1);
    CHECK(string_code.field_errors()[0].path == "content");

    auto number_in_errors = discord_error::from_response(400, R"({"code":50035,"message":"Invalid Form Body",
        "errors":{"a":{"_errors":[{"code":5,"message":"x"},{"code":"C","message":"y"}]}}})");
    CHECK(number_in_errors.discord_code() == 50035);
    REQUIRE(number_in_errors.field_errors().size() == 2);
    CHECK(number_in_errors.field_errors()[0].code == "5");
    CHECK(number_in_errors.field_errors()[1].message == "y");

    auto huge_code = discord_error::from_response(400, R"({"code":99999999999,"message":"m"})");
    CHECK(huge_code.discord_code() == 0);
    CHECK(huge_code.reason() == "m");
}

TEST_CASE("discord_error keeps memory linear in the body however its errors tree repeats paths (fuzz regression)",
          "[error]")
{
    // Caught by fuzz/rest_response_fuzz: each field error copies the path above it, so a 4 KiB body
    // (one long key over many `_errors` entries) became megabytes of field errors and message.
    std::string key(4096, 'k');
    std::string entries;
    for (int i = 0; i < 1000; ++i)
        entries += i ? ",{}" : "{}";
    std::string body = R"({"code":50035,"message":"Invalid Form Body","errors":{")" + key + R"(":{"_errors":[)" +
                       entries + "]}}}";
    auto e = discord_error::from_response(400, body);
    std::size_t kept = 0;
    for (const auto& f : e.field_errors())
        kept += f.path.size() + f.code.size() + f.message.size();
    CHECK(kept <= 64 * 1024);
    CHECK(std::string_view{e.what()}.size() <= 128 * 1024);
    REQUIRE_FALSE(e.field_errors().empty());   // the first ones are kept
    // A peer's text is quoted cut: the path keeps its start.
    CHECK(e.field_errors()[0].path.starts_with(std::string(150, 'k')));
    CHECK(e.field_errors()[0].path.size() <= 203);
    CHECK(e.reason() == "Invalid Form Body");
}

TEST_CASE("discord_error never carries a token", "[error]")
{
    cord::register_secret("MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.registered-secret-value-xxxxxxxxxxx");
    auto e = discord_error::from_response(
        401, R"({"message":"401: Unauthorized for MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.registered-secret-value-xxxxxxxxxxx","code":0})");
    CHECK(std::string{e.what()}.find("registered-secret") == std::string::npos);
    CHECK(e.reason().find("registered-secret") == std::string::npos);
    CHECK(std::string{e.what()}.find("cord stops sending") != std::string::npos);
}

TEST_CASE("gateway_error names the close code and what to do", "[error]")
{
    auto e = cord::gateway_error::from_close_code(4014, "Disallowed intent(s).");
    CHECK(e.close_code() == 4014);
    std::string what = e.what();
    CHECK(what.find("4014") != std::string::npos);
    CHECK(what.find("Developer Portal") != std::string::npos);
    CHECK(what.find("Disallowed intent(s).") != std::string::npos);
    CHECK(e.code() == cord::errc::gateway_closed);

    for (int code : {4004, 4010, 4011, 4012, 4013})
        CHECK_FALSE(cord::describe_close_code(code).empty());
    CHECK(std::string{cord::gateway_error::from_close_code(4004).what()}.find("token") != std::string::npos);
}

TEST_CASE("cord error codes have a category and messages", "[error]")
{
    std::error_code ec = cord::errc::rate_limit_wait;
    CHECK(ec.category().name() == std::string{"cord"});
    CHECK(ec.message() == "rate-limit wait exceeds the allowed maximum");
    cord::error e{cord::errc::timeout, "request timed out after 10 s"};
    CHECK(e.code() == cord::errc::timeout);
}

TEST_CASE("snowflake parses ids and knows their time and shard", "[error]")
{
    auto id = cord::snowflake::parse("175928847299117063");
    CHECK(id.value == 175928847299117063ULL);
    CHECK(id.str() == "175928847299117063");
    // Discord's documented example: 175928847299117063 was created 2016-04-30 11:18:25.796 UTC.
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(id.created_at().time_since_epoch()).count() ==
          1462015105796);
    CHECK(cord::snowflake{41771983423143937}.shard_of(16) == (41771983423143937ULL >> 22) % 16);
    CHECK_THROWS_AS(cord::snowflake::parse(""), cord::error);
    CHECK_THROWS_AS(cord::snowflake::parse("12/../34"), cord::error);
    CHECK_THROWS_AS(cord::snowflake::parse("99999999999999999999999"), cord::error);
}
