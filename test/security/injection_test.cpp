// Promise 3: no value a caller passes can split a header or move a request off its route.
// Ids, tokens, emoji, audit-log reasons, file names and content types carrying CR/LF, NUL,
// "../", '?', '#', '%', bytes that are not UTF-8, or sheer length either fail with a
// cord::error (invalid_argument) before anything is sent, or arrive at the emulator encoded:
// the route intact, the value decoding back to itself, no header added.
#include "http/harness.hpp"

#include <cord/error.hpp>
#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

using cord::json;
using cord::testing::recorded_request;
using cord_test::harness;

namespace {

std::string with_nul(std::string_view before, std::string_view after)
{
    std::string s{before};
    s += '\0';
    s += after;
    return s;
}

// Values that would do harm if put on the wire as they are.
std::vector<std::string> hostile_values()
{
    return {"../../guilds/1",
            "..",
            ".",
            "a/b",
            "a?b=c",
            "a#b",
            "%2e%2e",
            "%2F",
            "100%",
            "a\r\nX-Injected: yes",
            "a\nX-Injected: yes",
            "a\rb",
            with_nul("a", "b"),
            "\xff\xfe",
            "\xc0\xaf",   // an overlong '/'
            "a b",
            std::string(20000, 'x')};
}

// Runs a call. A refusal must be a cord::error (invalid_argument) with nothing sent: then
// nullopt. Otherwise (an answer, or a Discord error) exactly one request went out: returned.
// With `one_line_message`, the refusal quotes the value on one line and briefly: an error
// is logged, and a value breaking the log line would forge a second one.
template <class F>
std::optional<recorded_request> attempt(harness& h, F&& call, bool one_line_message = true)
{
    h.mark();
    try {
        (void)h.run(call());
    } catch (const cord::http::discord_error&) {
        // Discord answered: the request went out; what went out is checked below.
    } catch (const cord::error& e) {
        std::string what = e.what();
        INFO("refused: " << what.substr(0, 300));
        CHECK(e.code() == cord::make_error_code(cord::errc::invalid_argument));
        CHECK(h.fake.requests().empty());
        if (one_line_message) {
            CHECK(what.find_first_of(std::string{"\r\n\0", 3}) == std::string::npos);
            CHECK(what.size() < 400);
        }
        return std::nullopt;
    }
    auto all = h.fake.requests();
    REQUIRE(all.size() == 1);
    return all.front();
}

bool visible_ascii(std::string_view s)
{
    for (unsigned char c : s)
        if (c <= 0x20 || c >= 0x7f)
            return false;
    return true;
}

// What holds for every request that went out: a path and query of visible ASCII only, and no
// header but those cord sets.
void check_not_split(const recorded_request& r)
{
    INFO("path " << r.path << " query " << r.query);
    CHECK(visible_ascii(r.path));
    CHECK(visible_ascii(r.query));
    CHECK(r.headers.count("x-injected") == 0);
    for (const auto& [name, value] : r.headers) {
        INFO("header " << name);
        CHECK(value.find_first_of("\r\n", 0, 2) == std::string::npos);
        CHECK(value.find('\0') == std::string::npos);
    }
}

// Percent-escapes only: what an encoded header value or path segment may hold.
bool percent_encoded(std::string_view s)
{
    for (unsigned char c : s)
        if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%'))
            return false;
    return true;
}

} // namespace

TEST_CASE("ids, tokens and raw paths with hostile values are refused before sending", "[security-injection]")
{
    harness h;
    auto values = hostile_values();
    for (const auto& v : values) {
        INFO("value \"" << v.substr(0, 40) << "\"");
        CHECK_FALSE(attempt(h, [&] { return cord::http::get_webhook_with_token(h.rest, "1", v); }));
        if (v != "a/b")   // a raw path may have more segments
            CHECK_FALSE(attempt(h, [&] { return h.rest.request("GET", "/channels/" + v); }));
    }
    // Ids: digits only, at most 20 of them.
    values.push_back(std::string(21, '1'));
    values.push_back("\xd9\xa1\xd9\xa2");   // Arabic-Indic digits
    values.push_back("-1");
    values.push_back("");
    for (const auto& v : values) {
        INFO("id \"" << v.substr(0, 40) << "\"");
        CHECK_FALSE(attempt(h, [&] { return cord::http::get_channel(h.rest, v); }));
        CHECK_FALSE(attempt(h, [&] {
            cord::http::get_messages_options before;
            before.before = v;
            return cord::http::get_channel_messages(h.rest, h.channel, before);
        }));
        CHECK_FALSE(attempt(h, [&] { return cord::http::bulk_delete_messages(h.rest, h.channel, {v, h.user_message}); }));
    }
}

TEST_CASE("an emoji is refused or sent percent-encoded inside its own path segment", "[security-injection]")
{
    harness h;
    const std::string route = "/api/v10/channels/" + h.channel + "/messages/" + h.bot_message + "/reactions/";
    auto values = hostile_values();
    values.push_back("\xf0\x9f\x91\x8d");   // 👍: the ordinary case goes out
    values.push_back("blob:123");
    std::size_t sent = 0;
    for (const auto& emoji : values) {
        INFO("emoji \"" << emoji.substr(0, 40) << "\"");
        auto r = attempt(h, [&] { return cord::http::create_reaction(h.rest, h.channel, h.bot_message, emoji); });
        if (!r)
            continue;
        ++sent;
        check_not_split(*r);
        REQUIRE(r->path.starts_with(route));
        REQUIRE(r->path.ends_with("/@me"));
        auto segment = r->path.substr(route.size(), r->path.size() - route.size() - 4);
        CHECK(percent_encoded(segment));
        CHECK(harness::percent_decode(segment) == emoji);
        CHECK(r->query.empty());
    }
    CHECK(sent >= 2);
    // Dot segments and bytes that are not UTF-8 never go out.
    for (std::string emoji : {"..", ".", "\xff\xfe", "\xc0\xaf"})
        CHECK_FALSE(attempt(h, [&] { return cord::http::create_reaction(h.rest, h.channel, h.bot_message, emoji); }));
}

TEST_CASE("an audit-log reason is refused or sent percent-encoded in X-Audit-Log-Reason", "[security-injection]")
{
    harness h;
    const std::string route = "/api/v10/channels/" + h.channel + "/messages/pins/" + h.bot_message;
    auto values = hostile_values();
    values.push_back("r\xc3\xb4le \xf0\x9f\x91\x8d");   // non-ASCII UTF-8 is fine
    values.push_back(std::string(512, 'r'));            // Discord's maximum
    std::size_t sent = 0;
    for (const auto& reason : values) {
        INFO("reason \"" << reason.substr(0, 40) << "\"");
        auto r = attempt(h, [&] {
            return cord::http::add_pinned_channel_message(h.rest, h.channel, h.bot_message, reason);
        });
        if (!r)
            continue;
        ++sent;
        check_not_split(*r);
        CHECK(r->path == route);
        REQUIRE(r->headers.count("x-audit-log-reason") == 1);
        const auto& header = r->headers.at("x-audit-log-reason");
        CHECK(percent_encoded(header));
        CHECK(harness::percent_decode(header) == reason);
    }
    CHECK(sent >= 2);
    // Not UTF-8, or longer than Discord takes: refused.
    for (std::string reason : {std::string{"\xff\xfe"}, std::string(513, 'r')})
        CHECK_FALSE(attempt(h, [&] {
            return cord::http::add_pinned_channel_message(h.rest, h.channel, h.bot_message, reason);
        }));
}

TEST_CASE("a file name or content type is refused or sent verbatim inside its multipart part",
          "[security-injection]")
{
    harness h;
    const std::string route = "/api/v10/channels/" + h.channel + "/messages";
    auto send = [&](const std::string& filename, const std::string& content_type) {
        return attempt(
            h,
            [&] {
                cord::http::create_message_options with_file;
                with_file.files.push_back(cord::attachment{filename, "file bytes", content_type, ""});
                return cord::http::create_message(h.rest, h.channel, "", with_file);
            },
            false);
    };
    // The body must be exactly payload_json, then the file's part with these two header lines:
    // a value that added a line or ended the part early would not match.
    auto check_body = [&](const recorded_request& r, const std::string& filename, const std::string& content_type) {
        check_not_split(r);
        CHECK(r.path == route);
        const auto& type = r.headers.at("content-type");
        REQUIRE(type.starts_with("multipart/form-data; boundary="));
        std::string boundary = type.substr(type.find('=') + 1);
        std::string head = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                           "Content-Type: application/json\r\n\r\n";
        std::string tail = "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"" +
                           filename + "\"\r\nContent-Type: " + content_type + "\r\n\r\nfile bytes\r\n--" + boundary +
                           "--\r\n";
        REQUIRE(r.body.starts_with(head));
        REQUIRE(r.body.ends_with(tail));
        auto payload = json::parse(r.body.substr(head.size(), r.body.size() - head.size() - tail.size()));
        CHECK(payload["attachments"][0]["filename"].as_string() == filename);
    };

    std::size_t sent = 0;
    auto names = hostile_values();
    names.push_back("r\xc3\xa9sum\xc3\xa9.pdf");
    for (const auto& name : names) {
        INFO("file name \"" << name.substr(0, 40) << "\"");
        if (auto r = send(name, "text/plain")) {
            ++sent;
            check_body(*r, name, "text/plain");
        }
    }
    for (const auto& type : hostile_values()) {
        INFO("content type \"" << type.substr(0, 40) << "\"");
        if (auto r = send("notes.txt", type)) {
            ++sent;
            check_body(*r, "notes.txt", type);
        }
    }
    CHECK(sent >= 2);
    // Line breaks, NUL and quotes would end the header line or the quoted name: refused.
    for (const auto& bad : std::vector<std::string>{"a\r\nX-Injected: yes", "a\nb", with_nul("a", "b"), "a\"b"}) {
        INFO("value \"" << bad << "\"");
        CHECK_FALSE(send(bad, "text/plain"));
        CHECK_FALSE(send("notes.txt", bad));
    }
}

TEST_CASE("an image type goes into the JSON body escaped, never into a header", "[security-injection]")
{
    harness h;
    const std::string png{"\x89PNG\r\n\x1a\n....", 12};
    for (const auto& type : hostile_values()) {
        INFO("image type \"" << type.substr(0, 40) << "\"");
        auto r = attempt(h, [&] { return cord::http::create_guild_emoji(h.rest, h.guild, "blob", png, type, {}); });
        if (!r)
            continue;
        check_not_split(*r);
        CHECK(r->path == "/api/v10/guilds/" + h.guild + "/emojis");
        std::string image{json::parse(r->body)["image"].as_string()};
        std::string mime = type.find('/') == std::string::npos ? "image/" + type : type;
        CHECK(image.starts_with("data:" + mime + ";base64,"));
    }
}
