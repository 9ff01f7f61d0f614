// cord: private. The router's table and the run of one interaction: find its handler, arm the
// auto-defer, run the handler, answer its failure. Shared by cord::client (gateway
// interactions) and the HTTP interactions endpoint.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/responder_core.hpp"

#include <cord/interactions/router.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace cord::detail::interactions {

class router_core {
public:
    enum class table : std::uint8_t { commands, components, modals, autocompletes };

    explicit router_core(router_options options);

    void add(table t, std::string key, interaction_handler h);
    bool empty() const;

    /// Runs `core`'s interaction to its end (never throws): the handler, or the log line for an
    /// interaction no handler takes.
    awaitable<void> run(std::shared_ptr<responder_core> core);

    /// The settings a responder of this router gets.
    responder_settings settings() const;

    const router_options options;

private:
    std::optional<interaction_handler> find(const cord::interaction& in) const;
    awaitable<void> answer_failure(responder_core& core) const;
    void log_unknown_once(const std::string& label);

    mutable std::mutex mutex_;
    std::map<std::string, interaction_handler, std::less<>> tables_[4];
    std::set<std::string, std::less<>> unknown_seen_;   // bounded: see log_unknown_once
};

/// The autocomplete table's key for `option` of the command at `path`.
std::string autocomplete_key(std::string_view path, std::string_view option);

} // namespace cord::detail::interactions
