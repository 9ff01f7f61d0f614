// Unit: the REST surface against Discord's own description of its API. The route table covers
// every operation of operations.tsv but those tools/gen/rest_exclusions.tsv leaves out (nothing
// missing, nothing unknown; method, path and parameters equal), and the checked-in generated
// files are what tools/gen/rest_surface.py and tools/gen/fake_answers.py write today. A
// refreshed spec therefore fails here, naming its new operations. Needs
// ../shared/reference/discord-api/ beside the source tree (or CORD_DISCORD_API_DIR); without it
// the test says so and is reported as skipped (exit 77).
#define CATCH_CONFIG_RUNNER
#include "http/routes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace routes = cord::http::routes;

namespace {

fs::path reference_dir()
{
    if (const char* dir = std::getenv("CORD_DISCORD_API_DIR"))
        return dir;
    return fs::path{CORD_SOURCE_DIR}.parent_path() / "shared" / "reference" / "discord-api";
}

std::vector<std::vector<std::string>> tsv(const fs::path& path)
{
    std::ifstream in(path);
    INFO(path);
    REQUIRE(in.good());
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.starts_with('#'))
            continue;
        std::vector<std::string> fields;
        std::string field;
        std::istringstream ls(line);
        while (std::getline(ls, field, '\t'))
            fields.push_back(field);
        rows.push_back(std::move(fields));
    }
    return rows;
}

struct operation {
    std::string method, path, query;   ///< query: the parameters' names, space-separated
    std::size_t path_params = 0;
};

/// operations.tsv, by operation_id.
std::map<std::string, operation> operations()
{
    std::map<std::string, operation> ops;
    for (auto& f : tsv(reference_dir() / "operations.tsv")) {
        if (f.at(0) == "operation_id")
            continue;
        REQUIRE(f.size() >= 8);
        operation op{f[1], f[2], "", 0};
        if (f[6] != "-") {
            std::istringstream ps(f[6]);
            std::string p;
            while (ps >> p)
                ++op.path_params;
        }
        if (f[7] != "-") {
            std::istringstream qs(f[7]);
            std::string q;
            while (qs >> q)
                op.query += (op.query.empty() ? "" : " ") + q.substr(0, q.find(':'));
        }
        ops.emplace(f[0], op);
    }
    return ops;
}

std::set<std::string> exclusions()
{
    std::set<std::string> out;
    for (auto& f : tsv(fs::path{CORD_SOURCE_DIR} / "tools" / "gen" / "rest_exclusions.tsv")) {
        if (f.at(0) == "operation_id")
            continue;
        INFO(f[0]);
        REQUIRE(f.size() == 2);
        CHECK_FALSE(f[1].empty());   // every exclusion says why
        out.insert(f[0]);
    }
    return out;
}

std::string shape(std::string_view path)
{
    return std::regex_replace(std::string{path}, std::regex{R"(\{[^}]*\})"}, "{}");
}

std::size_t holes(std::string_view path)
{
    return static_cast<std::size_t>(std::count(path.begin(), path.end(), '{'));
}

} // namespace

TEST_CASE("the route table covers every operation but the listed exclusions", "[http-coverage]")
{
    auto ops = operations();
    auto excluded = exclusions();
    REQUIRE(ops.size() > 200);

    std::map<std::string, std::vector<const cord::rest::route*>> rows_of;
    for (const auto& r : routes::all)
        if (!r.operation.empty())
            rows_of[std::string{r.operation}].push_back(&r);

    std::string missing, unknown, both;
    for (const auto& [id, op] : ops) {
        bool out = excluded.count(id) == 1;
        bool in = rows_of.count(id) == 1;
        if (!out && !in)
            missing += " " + id;
        if (out && in)
            both += " " + id;
    }
    for (const auto& [id, rows] : rows_of)
        if (ops.count(id) == 0)
            unknown += " " + id;
    for (const auto& id : excluded)
        if (ops.count(id) == 0)
            unknown += " " + id + "(excluded)";
    INFO("operations without a route (regenerate with tools/gen/rest_surface.py):" << missing);
    CHECK(missing.empty());
    INFO("routes or exclusions naming no operation of operations.tsv:" << unknown);
    CHECK(unknown.empty());
    INFO("operations both excluded and routed:" << both);
    CHECK(both.empty());

    for (const auto& [id, rows] : rows_of) {
        auto it = ops.find(id);
        if (it == ops.end())
            continue;
        const operation& op = it->second;
        for (const cord::rest::route* r : rows) {
            INFO(r->name << " -> " << id);
            CHECK(cord::rest::to_string(r->method) == op.method);
            CHECK(r->query_params == op.query);
            CHECK(holes(r->path) == op.path_params);
            if (r->interaction_token && r->path.starts_with("/webhooks/"))
                // An interaction's followups are webhook routes: the docs name the holes
                // {application_id}/{interaction_token}, the spec {webhook_id}/{webhook_token}.
                CHECK(shape(r->path) == shape(op.path));
            else
                CHECK(r->path == op.path);
        }
    }
}

namespace {

/// Runs a generator of tools/gen/ in --check mode: it must find its files up to date.
void check_generated(const std::string& script)
{
    std::string cmd = "python3 '" + std::string{CORD_SOURCE_DIR} + "/tools/gen/" + script + "' '" +
                      reference_dir().string() + "' --check 2>&1";
    std::string output;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    for (int guard = 0; guard < 10000 && std::fgets(buf, sizeof buf, p); ++guard)
        output += buf;
    int status = pclose(p);
    INFO(output);
    CHECK(status == 0);
    CHECK(output.find("up to date") != std::string::npos);
}

} // namespace

TEST_CASE("the generated files are what the generator writes from today's reference", "[http-coverage]")
{
    check_generated("rest_surface.py");
}

TEST_CASE("the emulator's shaped answers are what fake_answers.py writes from today's reference", "[http-coverage]")
{
    check_generated("fake_answers.py");
}

int main(int argc, char* argv[])
{
    if (!fs::is_directory(reference_dir())) {
        std::printf("http-coverage: skipped: Discord's API reference is not at %s "
                    "(set CORD_DISCORD_API_DIR to run it)\n",
                    reference_dir().string().c_str());
        return 77;   // meson: skipped
    }
    return Catch::Session().run(argc, argv);
}
