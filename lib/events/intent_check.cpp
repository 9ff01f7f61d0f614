// cord: the warning for a handler whose event the configured intents cannot deliver.
// SPDX-License-Identifier: BSL-1.0
#include "events/event_intents.hpp"

#include <cord/event_name.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cord::detail {

namespace {

std::string names_joined(intents set, std::string_view joiner)
{
    // to_string joins with '|': "GUILD_MESSAGES|DIRECT_MESSAGES" reads better with words.
    std::string out;
    for (char c : to_string(set)) {
        if (c == '|')
            out += joiner;
        else
            out += c;
    }
    return out;
}

std::string privileged_advice(intents needed)
{
    auto privileged = needed & privileged_intents;
    if (privileged == intents::none)
        return {};
    return fmt::format(" ({} is privileged: switch it on in the Discord Developer Portal too, under Bot, "
                       "Privileged Gateway Intents)",
                       names_joined(privileged, " and "));
}

} // namespace

std::optional<event_gate> gate_of(std::string_view discord_name)
{
    auto n = event_number(discord_name);
    if (n == 0)
        return std::nullopt;
    return event_gates()[n - 1];
}

std::uint16_t event_number(std::string_view discord_name)
{
    auto gates = event_gates();
    auto it = std::lower_bound(gates.begin(), gates.end(), discord_name,
                               [](const event_gate& g, std::string_view n) { return g.name < n; });
    if (it == gates.end() || it->name != discord_name)
        return 0;
    return static_cast<std::uint16_t>(it - gates.begin() + 1);
}

std::string_view event_name_of(std::uint16_t n)
{
    auto gates = event_gates();
    return n == 0 || n > gates.size() ? std::string_view{} : gates[n - 1].name;
}

std::string missing_intent_warning(std::string_view discord_name, intents configured)
{
    auto gate = gate_of(discord_name);
    if (!gate)
        return {};
    auto needed = static_cast<intents>(gate->any_of);
    auto who = fmt::format("a handler of {} ({})", discord_name, racket_event_name(discord_name));
    if (needed != intents::none && (configured & needed) == intents::none) {
        if (!gate->soft_note.empty())
            return fmt::format("{} needs {}, which client_options::intents ({}) lacks (Discord's documentation: "
                               "\"{}\"){}",
                               who, names_joined(needed, " or "), to_string(configured), gate->soft_note,
                               privileged_advice(needed));
        return fmt::format("{} will never run: the event needs {}, which client_options::intents ({}) lacks{}", who,
                           names_joined(needed, " or "), to_string(configured), privileged_advice(needed));
    }
    if (gate->content_needs_intent && !has_intents(configured, intents::message_content))
        return fmt::format("{} gets empty content, embeds, attachments and components (except in DMs, messages "
                           "that mention the bot, and its own): add intents::message_content{}",
                           who, privileged_advice(intents::message_content));
    return {};
}

} // namespace cord::detail
