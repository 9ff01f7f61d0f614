// cord: CORD_API_BASE / CORD_GATEWAY_URL.
// SPDX-License-Identifier: BSL-1.0
#include "client/environment.hpp"

#include "log/peer_text.hpp"
#include "net/url.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace cord::detail {

namespace {

bool is_loopback(std::string_view host)
{
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

// Reads `name` as a URL; returns whether it is plaintext.
bool check_url(std::string_view name, const std::string& value)
{
    net::url u;
    try {
        u = net::parse_url(value);
    } catch (const error& e) {
        throw error(errc::invalid_argument, fmt::format("{} is not a usable URL: {}", name, e.what()));
    }
    if (!u.tls && !is_loopback(u.host))
        throw error(errc::invalid_argument,
                    fmt::format("{} is plaintext ({}://) to {}, which is not this machine: only a local stand-in "
                                "may be reached without TLS",
                                name, u.scheme, quote_peer_text(u.host)));
    return !u.tls;
}

} // namespace

environment process_environment()
{
    return [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string{name}.c_str());
        if (!v || !*v)
            return std::nullopt;
        return std::string{v};
    };
}

void apply_environment(client_options& options, const environment& env,
                       const std::function<void(std::string_view)>& notice)
{
    bool plaintext = false;
    if (auto base = env("CORD_API_BASE"); base && options.rest.base_url == rest_options{}.base_url) {
        plaintext |= check_url("CORD_API_BASE", *base);
        options.rest.base_url = *base;
        notice(fmt::format("CORD_API_BASE: REST calls go to {}, not Discord", quote_peer_text(*base)));
    }
    if (auto url = env("CORD_GATEWAY_URL"); url && options.gateway.url == gateway_options{}.url) {
        plaintext |= check_url("CORD_GATEWAY_URL", *url);
        options.gateway.url = *url;
        notice(fmt::format("CORD_GATEWAY_URL: shards connect to {}, not Discord", quote_peer_text(*url)));
    }
    if (plaintext)
        options.tls.allow_plaintext = true;
}

} // namespace cord::detail
