// Unit tests of cord::http's route table: every seed row against endpoints.tsv (method, path,
// major parameter, body kind, audit-log reason, removal), every racket-cord function present,
// and docs/racket-cord.md naming each one. A drift in either file fails here. The rows beyond
// the seed are checked against Discord's operations.tsv by coverage_test.cpp.
// The public header first, alone: it must compile on its own and stay light.
#include <cord/http.hpp>

#if defined(BOOST_BEAST_VERSION) || defined(SIMDJSON_VERSION) || defined(OPENSSL_VERSION_NUMBER)
#error "<cord/http.hpp> must not pull in Beast, simdjson or OpenSSL"
#endif

#include "http/routes.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace routes = cord::http::routes;
using cord::rest::route;

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    INFO(path);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split(const std::string& line, char sep)
{
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, sep))
        out.push_back(field);
    return out;
}

struct tsv_row {
    std::string method, path, major, body, audit, status;
};

/// The rows of endpoints.tsv above "# beyond the seed": the seed's functions and the gateway.
std::map<std::string, tsv_row> seed_rows()
{
    std::map<std::string, tsv_row> rows;
    std::istringstream in(read_file(std::string{CORD_TEST_DATA} + "/endpoints.tsv"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("# beyond the seed"))
            break;
        if (line.empty() || line.starts_with('#') || line.starts_with("name\t"))
            continue;
        auto f = split(line, '\t');
        INFO(line);
        REQUIRE(f.size() >= 7);
        CHECK(rows.emplace(f[0], tsv_row{f[1], f[2], f[3], f[4], f[5], f[6]}).second);
    }
    return rows;
}

std::vector<std::string> seed_functions()
{
    std::vector<std::string> names;
    std::istringstream in(read_file(std::string{CORD_HTTP_TEST_DIR} + "/seed_functions.txt"));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && !line.starts_with('#'))
            names.push_back(line);
    return names;
}

std::string major_name(cord::rest::major_param m)
{
    switch (m) {
    case cord::rest::major_param::none: return "none";
    case cord::rest::major_param::channel_id: return "channel_id";
    case cord::rest::major_param::guild_id: return "guild_id";
    case cord::rest::major_param::webhook_id: return "webhook_id";
    case cord::rest::major_param::webhook_id_token: return "webhook_id+token";
    }
    return "?";
}

/// endpoints.tsv's body column ("none", "json", "multipart+query"…) as route bits.
int body_bits(const std::string& column)
{
    int bits = 0;
    for (const auto& kind : split(column, '+')) {
        if (kind == "json")
            bits |= cord::rest::body_json;
        else if (kind == "query")
            bits |= cord::rest::body_query;
        else if (kind == "multipart")
            bits |= cord::rest::body_multipart;
        else
            CHECK(kind == "none");
    }
    return bits;
}

/// The C++ name of a seed function: '-' -> '_', and the seed's typo fixed.
std::string function_name(std::string_view seed_name)
{
    if (seed_name == "add-guild-member-rols")
        return "add_guild_member_role";
    std::string out{seed_name};
    for (char& c : out)
        if (c == '-')
            c = '_';
    return out;
}

} // namespace

/// endpoints.tsv names the emoji hole {emoji}; operations.tsv (and the table) {emoji_name}.
std::string seed_path(std::string_view table_path)
{
    std::string p{table_path};
    if (auto at = p.find("{emoji_name}"); at != std::string::npos)
        p.replace(at, 12, "{emoji}");
    return p;
}

TEST_CASE("every seed route matches its row of endpoints.tsv", "[http-routes]")
{
    auto rows = seed_rows();
    REQUIRE(rows.size() == 81);
    for (const auto& [name, row] : rows) {
        INFO(name);
        const route* r = routes::find(name);
        REQUIRE(r != nullptr);
        CHECK(cord::rest::to_string(r->method) == row.method);
        CHECK(seed_path(r->path) == row.path);
        CHECK(major_name(r->major) == row.major);
        // operations.tsv may accept more than the seed sends: multipart where JSON is enough, a
        // JSON body on DELETE /bans, a query the seed never sets.
        // A multipart route takes JSON too (files are optional).
        int bits = body_bits(row.body);
        int have = r->body & cord::rest::body_multipart ? r->body | cord::rest::body_json : r->body;
        CHECK((have & bits) == bits);
        CHECK(r->audit_log_reason == (row.audit == "yes"));
        CHECK(r->removed.empty() == (row.status != "removed"));
    }
}

TEST_CASE("every racket-cord http: function has a route", "[http-routes]")
{
    auto names = seed_functions();
    REQUIRE(names.size() == 79);
    std::set<std::string> seed(names.begin(), names.end());
    CHECK(seed.size() == 79);
    for (const auto& name : names) {
        INFO(name);
        CHECK(routes::find(name) != nullptr);
    }
    // Beyond the seed's functions and the two gateway routes, every row is a Discord operation.
    for (const route& r : routes::all) {
        INFO(r.name);
        if (seed.count(std::string{r.name}) == 0 && r.name != "get-gateway" && r.name != "get-gateway-bot")
            CHECK_FALSE(r.operation.empty());
    }
}

TEST_CASE("routes named at compile time are the table's rows", "[http-routes]")
{
    CHECK(&routes::get_channel == routes::find("get-channel"));
    CHECK(&routes::add_guild_member_role == routes::find("add-guild-member-rols"));
    CHECK(routes::add_guild_member_role.path == "/guilds/{guild_id}/members/{user_id}/roles/{role_id}");
    CHECK(routes::find("no-such-function") == nullptr);
}

TEST_CASE("only token-authenticated routes and /gateway go without Authorization", "[http-routes]")
{
    auto names = seed_functions();
    std::set<std::string> seed(names.begin(), names.end());
    seed.insert("get-gateway");
    std::set<std::string> seed_unauthorized;
    std::size_t interaction = 0;
    for (const route& r : routes::all) {
        INFO(r.name);
        bool token = r.path.find("_token}") != std::string_view::npos;
        CHECK(r.authorized == !(token || r.path == "/gateway"));
        if (!r.authorized && seed.count(std::string{r.name}) == 1)
            seed_unauthorized.insert(std::string{r.name});
        if (r.interaction_token) {
            ++interaction;
            CHECK(r.path.find("{interaction_token}") != std::string_view::npos);
        }
    }
    CHECK(seed_unauthorized == std::set<std::string>{"get-webhook-with-token", "modify-webhook-with-token",
                                                     "delete-webhook-with-token", "execute-webhook",
                                                     "get-gateway"});
    // The callback, @original get/edit/delete, followup create/get/edit/delete.
    CHECK(interaction == 8);
    CHECK(routes::create_interaction_response.interaction_token);
    CHECK(routes::create_followup_message.interaction_token);
    CHECK_FALSE(routes::execute_webhook.interaction_token);
}

TEST_CASE("docs/racket-cord.md maps every racket-cord function to its cord function", "[http-routes]")
{
    std::string doc = read_file(std::string{CORD_DOCS_DIR} + "/racket-cord.md");
    for (const auto& name : seed_functions()) {
        INFO(name);
        // One table row: | `http:name` | `cord::http::function(...)` |
        auto at = doc.find("| `http:" + name + "`");
        REQUIRE(at != std::string::npos);
        auto end = doc.find('\n', at);
        std::string row = doc.substr(at, end - at);
        CHECK(row.find("`cord::http::" + function_name(name) + "(") != std::string::npos);
    }
    for (const char* name :
         {"make-client", "start-client", "start-client-no-wait", "stop-client", "update-status", "on-event",
          "exn:fail:network:http:discord", "discord-logger"}) {
        INFO(name);
        CHECK(doc.find(std::string{"`"} + name + "`") != std::string::npos);
    }
}
