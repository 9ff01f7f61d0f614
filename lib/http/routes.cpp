// cord: private. Compile-time checks of the route table's own rules (lib/http/routes.hpp);
// test/http/routes_test.cpp checks it against endpoints.tsv.
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
    switch (r.major) {
    case rest::major_param::channel_id: return p.starts_with("/channels/{channel_id}");
    case rest::major_param::guild_id: return p.starts_with("/guilds/{guild_id}");
    case rest::major_param::webhook_id:
        return p.starts_with("/webhooks/{webhook_id}") &&
               !p.starts_with("/webhooks/{webhook_id}/{webhook_token}");
    case rest::major_param::webhook_id_token: return p.starts_with("/webhooks/{webhook_id}/{webhook_token}");
    case rest::major_param::none:
        return !p.starts_with("/channels/") && !p.starts_with("/guilds/") && !p.starts_with("/webhooks/");
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

/// Only routes authenticated by a token in the path (and /gateway) go without Authorization.
constexpr bool unauthorized_only_where_allowed()
{
    for (const rest::route& r : all)
        if (!r.authorized && r.major != rest::major_param::webhook_id_token && r.path != "/gateway")
            return false;
    return true;
}

static_assert(all.size() == 81, "79 racket-cord http: functions, get-gateway and get-gateway-bot");
static_assert(names_unique());
static_assert(majors_fit());
static_assert(unauthorized_only_where_allowed());

} // namespace
} // namespace cord::http::routes
