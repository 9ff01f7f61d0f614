// cord tests: the harness of the http tests (see harness.hpp).
#include "harness.hpp"

#include <cord/http.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <map>

namespace cord_test {

namespace asio = boost::asio;
using cord::json;

namespace {

cord::testing::fake_discord_options fake_options()
{
    cord::testing::fake_discord_options o;
    o.rate_limits = false;
    o.global_limit_per_second = 0;
    o.identify_window = std::chrono::milliseconds{0};   // no pacing: a flow test's shards identify at once
    return o;
}

cord::rest_options rest_options_for(const cord::testing::fake_discord& fake)
{
    cord::rest_options o;
    o.base_url = fake.rest_url();
    o.tls.allow_plaintext = true;
    o.max_retries = 0;
    o.request_timeout = std::chrono::seconds{10};
    return o;
}

query_pairs parse_query(std::string_view q)
{
    query_pairs out;
    while (!q.empty()) {
        auto amp = q.find('&');
        auto item = q.substr(0, amp);
        auto eq = item.find('=');
        out.emplace_back(harness::percent_decode(item.substr(0, eq)),
                         eq == std::string_view::npos ? std::string{}
                                                      : harness::percent_decode(item.substr(eq + 1)));
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    }
    return out;
}

struct part {
    std::string name, filename, content_type, content;
};

/// The parts of a multipart/form-data body.
std::vector<part> parse_multipart(const std::string& content_type, const std::string& body)
{
    std::vector<part> parts;
    auto at = content_type.find("boundary=");
    REQUIRE(at != std::string::npos);
    std::string boundary = content_type.substr(at + 9);
    if (boundary.size() >= 2 && boundary.front() == '"')
        boundary = boundary.substr(1, boundary.size() - 2);
    const std::string delimiter = "--" + boundary;
    std::size_t pos = body.find(delimiter);
    REQUIRE(pos != std::string::npos);
    for (int guard = 0; guard < 64; ++guard) {
        pos += delimiter.size();
        if (body.compare(pos, 2, "--") == 0)
            return parts;
        REQUIRE(body.compare(pos, 2, "\r\n") == 0);
        pos += 2;
        auto head_end = body.find("\r\n\r\n", pos);
        REQUIRE(head_end != std::string::npos);
        std::string head = body.substr(pos, head_end - pos);
        auto next = body.find("\r\n" + delimiter, head_end + 4);
        REQUIRE(next != std::string::npos);
        part p;
        p.content = body.substr(head_end + 4, next - head_end - 4);
        auto field = [&](std::string_view key) {
            auto k = head.find(std::string{key} + "=\"");
            if (k == std::string::npos)
                return std::string{};
            k += key.size() + 2;
            return head.substr(k, head.find('"', k) - k);
        };
        p.name = field("name");
        p.filename = field("filename");
        parts.push_back(std::move(p));
        pos = next + 2;
    }
    FAIL("multipart body with too many parts");
    return parts;
}

} // namespace

struct harness::impl {
    cord::testing::fake_discord fake{fake_options()};
    asio::io_context ioc;
    cord::rest_client rest{ioc.get_executor(), "fake-bot-token", rest_options_for(fake)};
};

harness::harness(const cord::rest::route* route)
    : impl_(std::make_unique<impl>()), fake(impl_->fake), rest(impl_->rest), route_(route)
{
    auto g = fake.guild_ids().at(0);
    auto ch = fake.general_channel(g);
    auto u = fake.add_user("alice");
    fake.add_member(g, u);
    guild = g.str();
    channel = ch.str();
    user = u.str();
    user_message = std::string{fake.post_message_as(u, ch, "hello from alice")["id"].as_string()};
    bot_message =
        std::string{run(cord::http::create_message(rest, channel, "hello from the bot"))["id"].as_string()};
    mark();
}

harness::~harness() = default;

json harness::run(cord::awaitable<json> call)
{
    auto done = asio::co_spawn(impl_->ioc, std::move(call), asio::use_future);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{15};
    while (done.wait_for(std::chrono::seconds{0}) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline) {
        if (impl_->ioc.stopped())
            impl_->ioc.restart();
        impl_->ioc.run_one_for(std::chrono::milliseconds{50});
    }
    REQUIRE(done.wait_for(std::chrono::seconds{0}) == std::future_status::ready);
    return done.get();
}

cord::http::discord_error harness::run_error(cord::awaitable<json> call)
{
    try {
        json r = run(std::move(call));
        FAIL("expected a discord_error, got " << r.dump());
    } catch (const cord::http::discord_error& e) {
        return e;
    }
    throw std::logic_error("unreachable");
}

void harness::mark()
{
    fake.clear_requests();
}

cord::testing::recorded_request harness::expect(const expected_request& e)
{
    REQUIRE(route_ != nullptr);
    return expect(*route_, e);
}

cord::testing::recorded_request harness::expect(const cord::rest::route& route, const expected_request& e)
{
    auto all = fake.requests();
    INFO("route " << route.name);
    for (const auto& r : all)
        INFO("received " << r.method << ' ' << r.path << '?' << r.query << " -> " << r.status);
    REQUIRE(all.size() == 1);
    const auto& r = all.front();
    CHECK(r.method == cord::rest::to_string(route.method));
    CHECK(r.path == "/api/v10" + e.path);
    CHECK(parse_query(r.query) == e.query);

    auto header = [&](const std::string& name) -> std::optional<std::string> {
        auto it = r.headers.find(name);
        if (it == r.headers.end())
            return std::nullopt;
        return it->second;
    };
    auto ua = header("user-agent");
    REQUIRE(ua.has_value());
    CHECK(ua->starts_with("DiscordBot ("));
    if (route.authorized)
        CHECK(header("authorization") == std::optional<std::string>{"Bot fake-bot-token"});
    else
        CHECK_FALSE(header("authorization").has_value());
    auto reason_header = header("x-audit-log-reason");
    if (route.audit_log_reason && e.sends_reason) {
        REQUIRE(reason_header.has_value());
        CHECK(percent_decode(*reason_header) == reason);
    } else {
        CHECK_FALSE(reason_header.has_value());
    }

    auto content_type = header("content-type").value_or("");
    if (e.form) {
        REQUIRE(content_type.starts_with("multipart/form-data"));
        REQUIRE(e.files.size() <= 1);
        auto parts = parse_multipart(content_type, r.body);
        std::vector<std::pair<std::string, cord::json_fragment>> fields;   // every value a text
        for (auto& p : parts) {
            if (p.name == "file") {
                REQUIRE(e.files.size() == 1);
                CHECK(p.filename == e.files[0].first);
                CHECK(p.content == e.files[0].second);
            } else {
                CHECK(p.filename.empty());
                fields.emplace_back(p.name, p.content);
            }
        }
        CHECK(parts.size() == fields.size() + e.files.size());
        INFO("form fields of " << r.body);
        CHECK(same_json(json::object(fields), json::parse(e.body.value_or("{}"))));
    } else if (!e.files.empty()) {
        REQUIRE(content_type.starts_with("multipart/form-data"));
        auto parts = parse_multipart(content_type, r.body);
        std::map<std::string, part> by_name;
        for (auto& p : parts)
            by_name[p.name] = p;
        if (e.body) {
            REQUIRE(by_name.count("payload_json") == 1);
            INFO("payload_json " << by_name["payload_json"].content);
            CHECK(same_json(json::parse(by_name["payload_json"].content), json::parse(*e.body)));
        }
        CHECK(parts.size() == e.files.size() + (e.body ? 1 : 0));
        for (std::size_t i = 0; i < e.files.size(); ++i) {
            auto name = "files[" + std::to_string(i) + "]";
            INFO(name);
            REQUIRE(by_name.count(name) == 1);
            CHECK(by_name[name].filename == e.files[i].first);
            CHECK(by_name[name].content == e.files[i].second);
        }
    } else if (e.body) {
        CHECK(content_type.starts_with("application/json"));
        INFO("body " << r.body);
        CHECK(same_json(json::parse(r.body), json::parse(*e.body)));
    } else {
        CHECK(r.body.empty());
    }
    return r;
}

std::string harness::percent_encode(std::string_view s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string harness::percent_decode(std::string_view s)
{
    auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(digit(s[i + 1]) * 16 + digit(s[i + 2]));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

bool same_json(const json& a, const json& b)
{
    if (a.type() != b.type())
        return false;
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto [key, value] : a.members()) {
            auto other = b.find(key);
            if (!other || !same_json(value, *other))
                return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_json(a[i], b[i]))
                return false;
        return true;
    }
    return a.dump() == b.dump();
}

} // namespace cord_test
