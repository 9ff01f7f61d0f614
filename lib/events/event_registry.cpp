// cord: the client's handler registry.
// SPDX-License-Identifier: BSL-1.0
#include "events/event_registry.hpp"

#include <cord/error.hpp>
#include <cord/event_name.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cord::detail {

std::string handler_key(std::string_view name)
{
    if (name == "*")
        return "*";
    std::string key = cord::discord_event_name(name);   // the naming rule lives in one place
    bool valid = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!valid)
        throw error(errc::invalid_argument,
                    fmt::format("event name \"{}\" is neither racket-cord's form (raw-message-create) "
                                "nor Discord's (MESSAGE_CREATE)",
                                name.substr(0, 80)));
    return key;
}

client::subscription event_registry::add(std::string_view name, client::handler h,
                                          client::coroutine_handler c)
{
    std::string key = handler_key(name);
    std::lock_guard lock{mutex_};
    auto next = std::make_shared<table>(*table_);
    auto id = next_id_++;
    entry e{id, std::move(h), std::move(c)};
    if (key == "*")
        next->any.push_back(std::move(e));
    else
        next->by_name[key].push_back(std::move(e));
    table_ = std::move(next);
    version_.fetch_add(1, std::memory_order_acq_rel);
    return id;
}

client::subscription event_registry::reserve_id()
{
    std::lock_guard lock{mutex_};
    return next_id_++;
}

void event_registry::remove(client::subscription id)
{
    std::lock_guard lock{mutex_};
    auto next = std::make_shared<table>(*table_);
    auto drop = [id](const entry& e) { return e.id == id; };
    std::erase_if(next->any, drop);
    for (auto it = next->by_name.begin(); it != next->by_name.end();) {
        std::erase_if(it->second, drop);
        it = it->second.empty() ? next->by_name.erase(it) : std::next(it);
    }
    table_ = std::move(next);
    version_.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace cord::detail
