// cord: the client's handler registry.
// SPDX-License-Identifier: BSL-1.0
#include "client/event_registry.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cord::detail {

std::string discord_event_name(std::string_view name)
{
    if (name == "*")
        return "*";
    std::string_view body = name;
    if (body.starts_with("raw-"))
        body.remove_prefix(4);
    if (body.empty())
        throw error(errc::invalid_argument, fmt::format("event name \"{}\" is empty", name));
    std::string out;
    out.reserve(body.size());
    for (char c : body) {
        if (c >= 'a' && c <= 'z')
            out += static_cast<char>(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            out += c;
        else if (c == '-')
            out += '_';
        else
            throw error(errc::invalid_argument,
                        fmt::format("event name \"{}\" is neither racket-cord's form (raw-message-create) "
                                    "nor Discord's (MESSAGE_CREATE)",
                                    name.substr(0, 80)));
    }
    return out;
}

client::subscription event_registry::add(std::string_view name, client::handler h,
                                          client::coroutine_handler c)
{
    std::string key = discord_event_name(name);
    std::lock_guard lock{mutex_};
    auto next = std::make_shared<table>(*table_);
    auto id = next_id_++;
    entry e{id, std::move(h), std::move(c)};
    if (key == "*")
        next->any.push_back(std::move(e));
    else
        next->by_name[key].push_back(std::move(e));
    table_ = std::move(next);
    return id;
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
}

bool event_registry::wants(std::string_view discord_name) const
{
    auto t = snapshot();
    return !t->any.empty() || t->by_name.find(discord_name) != t->by_name.end();
}

} // namespace cord::detail
