// Unit tests of the REST core's request building: paths, queries, reasons, multipart.
// SPDX-License-Identifier: BSL-1.0
#include "rest/encoding.hpp"
#include "rest/multipart.hpp"
#include "rest/path.hpp"
#include "rest/prepared_request.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <catch2/catch.hpp>

using namespace cord::rest;

namespace {

cord::errc code_of(const cord::error& e) { return static_cast<cord::errc>(e.code().value()); }

template <class F>
std::string refused(F&& f)
{
    try {
        f();
    } catch (const cord::error& e) {
        CHECK(code_of(e) == cord::errc::invalid_argument);
        return e.what();
    }
    FAIL("no cord::error thrown");
    return {};
}

constexpr route get_message{"get-channel-message", http_method::get, "/channels/{channel_id}/messages/{message_id}",
                            major_param::channel_id, body_none, false, true};
constexpr route create_reaction{"create-reaction", http_method::put,
                                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                                major_param::channel_id, body_none, false, true};
constexpr route execute_webhook{"execute-webhook", http_method::post, "/webhooks/{webhook_id}/{webhook_token}",
                                major_param::webhook_id_token, body_multipart, false, false};
constexpr route delete_message{"delete-message", http_method::del, "/channels/{channel_id}/messages/{message_id}",
                               major_param::channel_id, body_none, true, true};
constexpr route create_message{"create-message", http_method::post, "/channels/{channel_id}/messages",
                               major_param::channel_id, body_multipart, false, true};

} // namespace

TEST_CASE("path arguments are checked and encoded by hole name", "[rest-path]")
{
    CHECK(build_path(get_message, {"123", "456"}) == "/channels/123/messages/456");
    CHECK(encode_path_argument("user_id", "@me") == "@me");
    CHECK(encode_path_argument("webhook_token", "aB-_.9") == "aB-_.9");
    // a unicode emoji and a custom emoji name:id are percent-encoded whole
    CHECK(encode_path_argument("emoji", "\xF0\x9F\x91\x8D") == "%F0%9F%91%8D");
    CHECK(encode_path_argument("emoji", "blob:123") == "blob%3A123");
    CHECK(encode_path_argument("emoji", "a/../b?c#d%") == "a%2F..%2Fb%3Fc%23d%25");
    CHECK(build_path(create_reaction, {"1", "2", "\xE2\x9C\x85"}) == "/channels/1/messages/2/reactions/%E2%9C%85/@me");

    CHECK_THAT(refused([] { build_path(get_message, {"12a", "1"}); }), Catch::Contains("{channel_id}"));
    // A token is a credential: a refused one is described by its length, never quoted.
    static constexpr route followup{"create-followup-message", http_method::post, "/webhooks/{application_id}/{interaction_token}",
                             major_param::webhook_id_token, body_json, false, false};
    auto why = refused([] { build_path(followup, {"42", "secret-part:of/token"}); });
    CHECK_THAT(why, Catch::Contains("{interaction_token}") && Catch::Contains("not shown"));
    CHECK_THAT(why, !Catch::Contains("secret-part"));
    refused([] { build_path(get_message, {"1/../2", "1"}); });
    refused([] { build_path(get_message, {"1?x=1", "1"}); });
    refused([] { build_path(get_message, {"", "1"}); });
    refused([] { build_path(get_message, {"123456789012345678901", "1"}); });   // 21 digits
    refused([] { build_path(get_message, {"99999999999999999999", "1"}); });    // overflows 64 bits
    refused([] { build_path(get_message, {"1"}); });
    refused([] { build_path(get_message, {"1", "2", "3"}); });
    refused([] { encode_path_argument("webhook_token", "ab/cd"); });
    refused([] { encode_path_argument("webhook_token", ".."); });
    refused([] { encode_path_argument("invite_code", "abc?x"); });
    refused([] { encode_path_argument("emoji", ".."); });
    refused([] { encode_path_argument("emoji", "\xC0\xAF"); });   // overlong '/'
    refused([] { encode_path_argument("message_id", "@me"); });
}

TEST_CASE("the major parameter comes from the route's declared hole", "[rest-path]")
{
    CHECK(major_value(get_message, {"10", "20"}) == "10");
    CHECK(major_value(execute_webhook, {"7", "tok"}) == "7/tok");
    constexpr route user{"get-user", http_method::get, "/users/{user_id}", major_param::none, body_none, false, true};
    CHECK(major_value(user, {"5"}).empty());
    // An interaction's followups are webhook routes whose holes the docs name otherwise.
    constexpr route followup{"get-followup-message", http_method::get,
                             "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                             major_param::webhook_id_token, body_query, false, false, "get_webhook_message",
                             "thread_id", true};
    CHECK(major_value(followup, {"7", "tok", "9"}) == "7/tok");
}

TEST_CASE("an activity instance id is text; interaction-token routes skip the global limit", "[rest-path]")
{
    CHECK(encode_path_argument("instance_id", "i-42") == "i-42");
    CHECK(encode_path_argument("instance_id", "a/b") == "a%2Fb");   // text: every reserved byte encoded
    refused([] { encode_path_argument("message_id", "i-42"); });

    constexpr route callback{"create-interaction-response", http_method::post,
                             "/interactions/{interaction_id}/{interaction_token}/callback", major_param::none,
                             body_multipart, false, false, "create_interaction_response", "with_response", true};
    request req;
    req.target = &callback;
    req.args = {"5", "tok"};
    request_context ctx{"/api/v10", "Bot t"};
    auto p = prepare(req, ctx);
    CHECK(p.interaction_lane);
    CHECK(p.authorization.empty());
    CHECK(p.major.find("tok") == std::string::npos);   // bucketed by the interaction, never naming its token
    req.args = {"5", "other"};
    CHECK(prepare(req, ctx).major != p.major);
    req.target = &get_message;
    req.args = {"1", "2"};
    CHECK_FALSE(prepare(req, ctx).interaction_lane);
}

TEST_CASE("caller-given paths are checked and give a route template", "[rest-path]")
{
    auto r = check_raw_path("/channels/123/messages/456");
    CHECK(r.route_template == "/channels/{id}/messages/{id}");
    CHECK(r.major == "123");
    auto w = check_raw_path("/webhooks/9/secretTok");
    CHECK(w.route_template == "/webhooks/{id}/{token}");
    CHECK(w.major == "9/secretTok");
    CHECK(check_raw_path("/users/@me").major.empty());
    CHECK(check_raw_path("/channels/1/messages/2/reactions/%F0%9F%91%8D/@me").major == "1");
    refused([] { check_raw_path("channels/1"); });
    refused([] { check_raw_path("/channels/../guilds/1"); });
    refused([] { check_raw_path("/channels/1/./x"); });
    refused([] { check_raw_path("/channels//1"); });
    refused([] { check_raw_path("/channels/1?limit=2"); });
    refused([] { check_raw_path("/channels/1#x"); });
    refused([] { check_raw_path("/channels/1 2"); });
    refused([] { check_raw_path("/channels/1%2F..%2F2"); });
    refused([] { check_raw_path("/channels/%2e%2e"); });
    refused([] { check_raw_path("/channels/1%4"); });
    refused([] { check_raw_path("/channels/1\r\nX: y"); });
}

TEST_CASE("query parameters are percent-encoded in order, keys may repeat", "[rest-encoding]")
{
    CHECK(encode_query({}).empty());
    CHECK(encode_query({{"limit", "5"}, {"before", "123"}}) == "limit=5&before=123");
    CHECK(encode_query({{"id", "1"}, {"id", "2"}}) == "id=1&id=2");
    CHECK(encode_query({{"q", "a b&c=d/é"}}) == "q=a%20b%26c%3Dd%2F%C3%A9");
    refused([] { encode_query({{"", "x"}}); });
}

TEST_CASE("the audit-log reason is percent-encoded UTF-8 of at most 512 characters", "[rest-encoding]")
{
    CHECK(encode_audit_log_reason("spam: too many links") == "spam%3A%20too%20many%20links");
    CHECK(encode_audit_log_reason("caf\xC3\xA9\r\n") == "caf%C3%A9%0D%0A");   // no header injection
    CHECK(encode_audit_log_reason(std::string(512, 'x')).size() == 512);
    std::string emoji512;
    for (int i = 0; i < 512; ++i)
        emoji512 += "\xC3\xA9";
    CHECK_NOTHROW(encode_audit_log_reason(emoji512));   // 512 characters, 1024 bytes
    CHECK_THAT(refused([] { encode_audit_log_reason(std::string(513, 'x')); }), Catch::Contains("512"));
    refused([] { encode_audit_log_reason("\xFF"); });
}

TEST_CASE("multipart bodies carry payload_json and files[n] with attachments", "[rest-multipart]")
{
    std::vector<cord::attachment> files{{"a.txt", "hello", "text/plain", "first"},
                                        {"b.bin", std::string("\0\x01\xFF", 3), "application/octet-stream", ""}};
    auto mp = build_multipart(std::string_view{R"({"content":"hi"})"}, files, 42u);
    REQUIRE(mp.content_type.starts_with("multipart/form-data; boundary="));
    std::string boundary = mp.content_type.substr(std::string_view{"multipart/form-data; boundary="}.size());
    const std::string& b = mp.body;
    CHECK(b.starts_with("--" + boundary + "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                                          "Content-Type: application/json\r\n\r\n"));
    CHECK(b.find(R"({"attachments":[{"id":0,"filename":"a.txt","description":"first"},{"id":1,"filename":"b.bin"}],"content":"hi"})")
          != std::string::npos);
    CHECK(b.find("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.txt\"\r\n"
                                   "Content-Type: text/plain\r\n\r\nhello\r\n")
          != std::string::npos);
    CHECK(b.find(std::string("name=\"files[1]\"; filename=\"b.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                             "\0\x01\xFF\r\n", 82)) != std::string::npos);
    CHECK(b.ends_with("--" + boundary + "--\r\n"));

    // the caller's own attachments list is kept
    auto own = build_multipart(std::string_view{R"({"attachments":[{"id":0,"description":"x"}]})"}, {files[0]}, 1u);
    CHECK(own.body.find(R"({"attachments":[{"id":0,"description":"x"}]})") != std::string::npos);

    // the boundary never occurs inside a part
    auto mp2 = build_multipart(std::nullopt, {{"c.txt", b, "text/plain", ""}}, 42u);
    CHECK(mp2.content_type != mp.content_type);

    refused([] { build_multipart(std::nullopt, {{"evil\".txt", "x", "text/plain", ""}}); });
    refused([] { build_multipart(std::nullopt, {{"a\r\nb", "x", "text/plain", ""}}); });
    refused([] { build_multipart(std::nullopt, {{"a.txt", "x", "text/plain\r\nX: y", ""}}); });
}

TEST_CASE("multipart headers refuse every control character but tab (fuzz regression)", "[rest-multipart]")
{
    // Found by fuzz/multipart_fuzz: an ESC, VT or DEL in a file name reached the part's header
    // line, where parsers disagree on what it means (some split lines at VT and FF).
    for (std::string bad : {std::string("a\x1b.txt"), std::string("a\x0b.txt"), std::string("a\x0c.txt"),
                            std::string("a\x7f.txt"), std::string("a\0.txt", 6)}) {
        CHECK_THAT(refused([&] { build_multipart(std::nullopt, {{bad, "x", "text/plain", ""}}); }),
                   Catch::Contains("control characters"));
        refused([&] { build_multipart(std::nullopt, {{"a.txt", "x", "text/" + bad, ""}}); });
    }
    auto tab = build_multipart(std::nullopt, {{"a\tb.txt", "x", "text/plain", ""}}, 7u);
    CHECK(tab.body.find("filename=\"a\tb.txt\"") != std::string::npos);
    auto utf8 = build_multipart(std::nullopt, {{"r\xC3\xA9sum\xC3\xA9.pdf", "x", "application/pdf", ""}}, 7u);
    CHECK(utf8.body.find("filename=\"r\xC3\xA9sum\xC3\xA9.pdf\"") != std::string::npos);
}

TEST_CASE("form-field bodies carry each member as a text part and the file as `file`", "[rest-multipart]")
{
    const cord::attachment png{"wave.png", std::string("\x89PNG\0\x01", 6), "image/png", "ignored"};
    auto body = cord::json::parse(R"({"name":"wave","tags":"👋","description":null,"count":3,"nsfw":false})");
    auto mp = build_form_fields(body, &png, 42u);
    REQUIRE(mp.content_type.starts_with("multipart/form-data; boundary="));
    std::string boundary = mp.content_type.substr(std::string_view{"multipart/form-data; boundary="}.size());
    auto part = [&](std::string_view name, std::string_view content) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string{name} + "\"\r\n\r\n"
            + std::string{content} + "\r\n";
    };
    // In the body's order; strings as their text, other values as JSON text, null left out.
    CHECK(mp.body == part("name", "wave") + part("tags", "👋") + part("count", "3") + part("nsfw", "false")
                         + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"wave.png\"\r\n"
                         + "Content-Type: image/png\r\n\r\n" + png.data + "\r\n--" + boundary + "--\r\n");
    CHECK(mp.body.find("payload_json") == std::string::npos);
    CHECK(mp.body.find("ignored") == std::string::npos);   // a form has no attachment descriptions

    // Without a file: the fields alone; the boundary stays out of every value.
    auto fields_only = build_form_fields(cord::json::parse(R"({"name":"--cord-boundary-x"})"), nullptr, 42u);
    CHECK(fields_only.body.find("name=\"file\"") == std::string::npos);
    CHECK(fields_only.body.find("\r\n\r\n--cord-boundary-x\r\n") != std::string::npos);

    refused([] { build_form_fields(cord::json::parse("[1]"), nullptr); });
    refused([] { build_form_fields(cord::json::parse(R"({"a\"b":"x"})"), nullptr); });
    refused([] { build_form_fields(cord::json::parse(R"({"a\r\nX-Evil: 1":"x"})"), nullptr); });
    const cord::attachment bad{"a\".png", "x", "image/png", ""};
    refused([&] { build_form_fields(cord::json::parse("{}"), &bad); });
}

TEST_CASE("a form-field route sends its body as fields and takes one file", "[rest-request]")
{
    static constexpr route sticker{"create-guild-sticker", http_method::post, "/guilds/{guild_id}/stickers",
                                   major_param::guild_id, body_form_fields, true, true};
    request_context ctx{"/api/v10", "Bot abc"};
    request req;
    req.target = &sticker;
    req.args = {"7"};
    req.body = cord::json::object({{"name", "wave"}, {"tags", "hi"}});
    req.files = {{"wave.png", "PNG", "image/png", ""}};
    auto p = prepare(req, ctx);
    CHECK(p.content_type.starts_with("multipart/form-data; boundary="));
    CHECK(p.body.find("name=\"name\"\r\n\r\nwave\r\n") != std::string::npos);
    CHECK(p.body.find("name=\"file\"; filename=\"wave.png\"") != std::string::npos);
    CHECK(p.body.find("payload_json") == std::string::npos);
    req.files.push_back(req.files.front());
    CHECK_THAT(refused([&] { prepare(req, ctx); }), Catch::Contains("one file"));
}

TEST_CASE("prepare builds target, headers and body of a route call", "[rest-request]")
{
    request_context ctx{"/api/v10", "Bot abc"};
    request req;
    req.target = &delete_message;
    req.args = {"1", "2"};
    req.reason = "cleanup";
    auto p = prepare(req, ctx);
    CHECK(p.method == "DELETE");
    CHECK(p.target == "/api/v10/channels/1/messages/2");
    CHECK(p.authorization == "Bot abc");
    CHECK(p.audit_log_reason == "cleanup");
    CHECK(p.route_key == "DELETE /channels/{channel_id}/messages/{message_id}");
    CHECK(p.major == "1");
    CHECK(p.body.empty());
    CHECK(p.content_type.empty());
    CHECK(p.idempotent);

    request post;
    post.target = &create_message;
    post.args = {"1"};
    post.body = cord::json::object({{"content", "hi"}});
    post.query = {{"x", "a b"}};
    auto q = prepare(post, ctx);
    CHECK(q.target == "/api/v10/channels/1/messages?x=a%20b");
    CHECK(q.content_type == "application/json");
    CHECK(q.body == R"({"content":"hi"})");
    CHECK_FALSE(q.idempotent);
    post.reason = "nope";
    CHECK_THAT(refused([&] { prepare(post, ctx); }), Catch::Contains("create-message"));

    request hook;
    hook.target = &execute_webhook;
    hook.args = {"5", "tok"};
    hook.files = {{"f.png", "PNG", "image/png", ""}};
    auto h = prepare(hook, ctx);
    CHECK(h.authorization.empty());   // webhook-token routes go without Authorization
    CHECK(h.content_type.starts_with("multipart/form-data; boundary="));
    CHECK(h.major == "5/tok");

    request files_where_none;
    files_where_none.target = &delete_message;
    files_where_none.args = {"1", "2"};
    files_where_none.files = {{"f.png", "PNG", "image/png", ""}};
    refused([&] { prepare(files_where_none, ctx); });

    auto raw = prepare_raw("GET", "/channels/5/pins", request{}, ctx);
    CHECK(raw.route_key == "GET /channels/{id}/pins");
    CHECK(raw.major == "5");
    refused([&] { prepare_raw("get x", "/a", request{}, ctx); });
}
