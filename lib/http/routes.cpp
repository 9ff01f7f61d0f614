// cord: private. Compile-time checks of the route table's own rules (lib/http/routes.hpp);
// test/http/routes_test.cpp checks it against endpoints.tsv, test/http/coverage_test.cpp against
// operations.tsv.
// SPDX-License-Identifier: BSL-1.0
#include "http/routes.hpp"

namespace cord::http::routes {
namespace {

constexpr bool names_unique()
{
    for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t j = i + 1; j < all.size(); ++j)
            if (all[i].name == all[j].name)
                return false;
    return true;
}

/// rate-limits.md: the major parameter is the first id of a path under /channels, /guilds or
/// /webhooks (with the token for /webhooks/{id}/{token}), and none elsewhere.
constexpr bool major_fits_path(const rest::route& r)
{
    std::string_view p = r.path;
    auto token_second = [&] {
        auto second = p.find("}/{");
        return p.starts_with("/webhooks/{") && second != std::string_view::npos &&
               p.substr(second).find("_token}") != std::string_view::npos && p.find('/', 10) == second + 1;
    };
    switch (r.major) {
    case rest::major_param::channel_id: return p.starts_with("/channels/{channel_id}");
    case rest::major_param::guild_id: return p.starts_with("/guilds/{guild_id}");
    case rest::major_param::webhook_id: return p.starts_with("/webhooks/{webhook_id}") && !token_second();
    case rest::major_param::webhook_id_token: return token_second();
    case rest::major_param::none:
        return !p.starts_with("/channels/") && !(p.starts_with("/guilds/{")) && !p.starts_with("/webhooks/");
    }
    return false;
}

constexpr bool majors_fit()
{
    for (const rest::route& r : all)
        if (!r.path.starts_with('/') || !major_fits_path(r))
            return false;
    return true;
}

/// Only routes authenticated by a token in the path (and /gateway) go without Authorization,
/// and only those with an interaction token leave the global limit.
constexpr bool unauthorized_only_where_allowed()
{
    for (const rest::route& r : all) {
        bool token = r.path.find("_token}") != std::string_view::npos;
        if (!r.authorized && !token && r.path != "/gateway")
            return false;
        if (r.interaction_token != (r.path.find("{interaction_token}") != std::string_view::npos))
            return false;
        if (r.interaction_token && r.authorized)
            return false;
    }
    return true;
}

/// A removed route names no operation, and every other one does.
constexpr bool removed_have_no_operation()
{
    for (const rest::route& r : all)
        if (r.removed.empty() == r.operation.empty())
            return false;
    return true;
}

static_assert(all.size() >= 81, "the 79 racket-cord http: functions, get-gateway and get-gateway-bot at least");
static_assert(names_unique());
static_assert(majors_fit());
static_assert(unauthorized_only_where_allowed());
static_assert(removed_have_no_operation());

} // namespace
} // namespace cord::http::routes
