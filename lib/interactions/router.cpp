// cord: the interaction router (see <cord/interactions/router.hpp> and router_core.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "interactions/router_core.hpp"

#include "log/component_log.hpp"

#include <cord/error.hpp>

#include <algorithm>

namespace cord {

namespace detail::interactions {

namespace {

constexpr component_log log{"interactions"};
constexpr std::size_t max_unknown_remembered = 1024;

// "admin  Ban " → "admin ban": one space between words, lower case (command and subcommand
// names are lower case; context-menu names keep their case in Discord, so the router
// compares without it).
std::string normalise_path(std::string_view path)
{
    std::string out;
    bool space = false;
    for (char c : path) {
        if (c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

// The handler of the longest prefix of `id` in `t`.
const interaction_handler* longest_prefix(const std::map<std::string, interaction_handler, std::less<>>& t,
                                          std::string_view id)
{
    const interaction_handler* best = nullptr;
    std::size_t best_length = 0;
    for (auto& [prefix, h] : t)
        if (id.starts_with(prefix) && (!best || prefix.size() >= best_length)) {
            best = &h;
            best_length = prefix.size();
        }
    return best;
}

} // namespace

std::string autocomplete_key(std::string_view path, std::string_view option)
{
    return normalise_path(path) + '\n' + std::string{option};
}

router_core::router_core(router_options o) : options(std::move(o)) {}

void router_core::add(table t, std::string key, interaction_handler h)
{
    if (!h)
        throw error(errc::invalid_argument, "interaction router: an empty handler");
    if (t == table::commands)
        key = normalise_path(key);
    if (t == table::commands && key.empty())
        throw error(errc::invalid_argument, "interaction router: a command needs a name");
    std::lock_guard g{mutex_};
    tables_[static_cast<int>(t)].insert_or_assign(std::move(key), std::move(h));
}

bool router_core::empty() const
{
    std::lock_guard g{mutex_};
    return std::all_of(std::begin(tables_), std::end(tables_), [](auto& t) { return t.empty(); });
}

responder_settings router_core::settings() const
{
    return {.auto_defer_margin = options.auto_defer_margin};
}

std::optional<interaction_handler> router_core::find(const cord::interaction& in) const
{
    std::lock_guard g{mutex_};
    auto& commands = tables_[static_cast<int>(table::commands)];
    switch (in.type()) {
    case interaction_type::application_command: {
        // The whole path first, then without its last word: "admin ban" falls back to "admin".
        auto path = normalise_path(in.command_path());
        for (;;) {
            if (auto it = commands.find(path); it != commands.end())
                return it->second;
            auto space = path.rfind(' ');
            if (space == std::string::npos)
                return std::nullopt;
            path.resize(space);
        }
    }
    case interaction_type::autocomplete: {
        auto focused = in.focused_option();
        if (!focused)
            return std::nullopt;
        auto& t = tables_[static_cast<int>(table::autocompletes)];
        auto it = t.find(autocomplete_key(in.command_path(), focused->name()));
        return it == t.end() ? std::nullopt : std::optional{it->second};
    }
    case interaction_type::message_component:
        if (auto h = longest_prefix(tables_[static_cast<int>(table::components)], in.custom_id()))
            return *h;
        return std::nullopt;
    case interaction_type::modal_submit:
        if (auto h = longest_prefix(tables_[static_cast<int>(table::modals)], in.custom_id()))
            return *h;
        return std::nullopt;
    case interaction_type::ping:
        break;
    }
    return std::nullopt;
}

void router_core::log_unknown_once(const std::string& label)
{
    {
        std::lock_guard g{mutex_};
        if (unknown_seen_.contains(label) || unknown_seen_.size() >= max_unknown_remembered)
            return;
        unknown_seen_.insert(label);
    }
    log(log_level::warning, "{}: no handler is registered for it; Discord shows the user that the interaction "
                            "failed (logged once)",
        label);
}

awaitable<void> router_core::run(std::shared_ptr<responder_core> core)
{
    auto handler = find(core->in);
    if (!handler) {
        log_unknown_once(core->label);
        core->handler_done();
        if (core->in.type() == interaction_type::autocomplete) {
            try {   // nothing to suggest: say so at once rather than at the margin
                co_await core->perform(action::autocomplete, no_choices());
            } catch (const std::exception& e) {
                log(log_level::debug, "{}: {}", core->label, e.what());
            }
        }
        co_return;
    }
    core->arm_auto_defer();
    std::exception_ptr failure;
    {
        responder r{core};
        try {
            co_await (*handler)(core->in, r);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            log(log_level::error, "{}: the handler failed: {}", core->label, e.what());
        } catch (...) {
            log(log_level::error, "{}: the handler failed with a non-standard exception", core->label);
        }
        co_await answer_failure(*core);
    }
    if (!core->handler_done() && !failure)
        log(log_level::warning, "{}: the handler returned without answering; Discord shows the user that the "
                                "interaction failed",
            core->label);
}

// Tells the user that something went wrong, in the form the interaction's state allows.
awaitable<void> router_core::answer_failure(responder_core& core) const
{
    if (options.error_message.empty() || core.in.type() == interaction_type::autocomplete)
        co_return;
    auto message = json::object({{"content", options.error_message}, {"flags", 1 << 6}});
    bool refused = false;   // answered already in a way a reply cannot follow: a followup says it
    try {
        co_await core.perform(action::reply, message);   // a reply, or the "thinking…" message filled
        co_return;
    } catch (const error& e) {
        refused = e.code() == errc::invalid_argument;
        if (!refused)
            log(log_level::debug, "{}: the error message could not be sent: {}", core.label, e.what());
    } catch (const std::exception& e) {
        log(log_level::debug, "{}: the error message could not be sent: {}", core.label, e.what());
    }
    if (!refused)
        co_return;
    try {
        co_await core.perform(action::followup, message);
    } catch (const std::exception& e) {
        log(log_level::debug, "{}: the error message could not be sent: {}", core.label, e.what());
    }
}

} // namespace detail::interactions

// --- cord::interaction_router ------------------------------------------------------------------

using detail::interactions::router_core;

interaction_router::interaction_router(router_options options)
    : core_(std::make_shared<router_core>(std::move(options)))
{
}

interaction_router::~interaction_router() = default;

void interaction_router::command(std::string_view path, interaction_handler h)
{
    core_->add(router_core::table::commands, std::string{path}, std::move(h));
}

void interaction_router::on_component(std::string_view prefix, interaction_handler h)
{
    core_->add(router_core::table::components, std::string{prefix}, std::move(h));
}

void interaction_router::on_modal(std::string_view prefix, interaction_handler h)
{
    core_->add(router_core::table::modals, std::string{prefix}, std::move(h));
}

void interaction_router::on_autocomplete(std::string_view path, std::string_view option, interaction_handler h)
{
    core_->add(router_core::table::autocompletes, detail::interactions::autocomplete_key(path, option),
               std::move(h));
}

bool interaction_router::empty() const { return core_->empty(); }
const router_options& interaction_router::options() const noexcept { return core_->options; }

} // namespace cord
