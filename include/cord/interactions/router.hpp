// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::interaction_router: which handler answers an interaction. Commands by name and
// subcommand path ("admin ban"), components and modals by custom_id prefix ("vote:"),
// autocompletes by command path and option. The longest match wins, so "admin" can take
// every subcommand of /admin that has no handler of its own. The same router serves
// interactions from the gateway (cord::client owns one: bot.command(...)) and from an HTTP
// interactions endpoint.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/interactions/interaction.hpp>
#include <cord/interactions/responder.hpp>
#include <cord/interactions/router_options.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cord {

/// A handler: reads the interaction, answers through the responder. It runs as a coroutine
/// beside other handlers; the responder lives until it returns.
using interaction_handler = std::function<awaitable<void>(interaction, responder&)>;

namespace detail::interactions {
class router_core;
}

/// Maps interactions to handlers. Registration is safe from any thread, also while
/// interactions arrive; a handler registered twice for the same key replaces the first.
class interaction_router {
public:
    /// A router with `options`.
    explicit interaction_router(router_options options = {});
    ~interaction_router();   ///< handlers still running keep what they use alive
    interaction_router(const interaction_router&) = delete;
    interaction_router& operator=(const interaction_router&) = delete;

    /// A slash command or a context-menu command: its name, then for slash commands its
    /// group and subcommand, separated by spaces ("ping", "admin ban", "config set color").
    void command(std::string_view path, interaction_handler h);
    /// Buttons and selects whose custom_id starts with `prefix`.
    void on_component(std::string_view prefix, interaction_handler h);
    /// Modals submitted whose custom_id starts with `prefix`.
    void on_modal(std::string_view prefix, interaction_handler h);
    /// Autocomplete of `option` of the command at `path`.
    void on_autocomplete(std::string_view path, std::string_view option, interaction_handler h);
    /// Whether any handler is registered.
    bool empty() const;

    /// The options it was made with.
    const router_options& options() const noexcept;
    /// For cord's client and endpoint: the table, shared with the handlers running from it.
    std::shared_ptr<detail::interactions::router_core> core() const noexcept { return core_; }

private:
    std::shared_ptr<detail::interactions::router_core> core_;
};

} // namespace cord
