// cord: private. Which intents a gateway dispatch needs, so that a handler registered for an
// event the configured intents can never deliver is named at once, not discovered in
// production as silence.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/intents.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cord::detail {

struct event_gate {
    std::string_view name;        ///< Discord's event name
    std::uint32_t any_of;         ///< intents of which one delivers it; 0: always sent
    bool content_needs_intent;    ///< its content fields are empty without MESSAGE_CONTENT
    std::string_view soft_note;   ///< non-empty: Discord sends some of it even without any_of
};

/// Discord's table, sorted by name (generated from its documentation).
std::span<const event_gate> event_gates();

/// The gate of `discord_name`; nullopt for an event cord does not know.
std::optional<event_gate> gate_of(std::string_view discord_name);

/// 1 + the place of `discord_name` in event_gates(), 0 for an event cord does not know: names
/// an event to another thread in two bytes.
std::uint16_t event_number(std::string_view discord_name);
/// The name of event_number() `n`; empty for 0 (or a number no event has).
std::string_view event_name_of(std::uint16_t n);

/// What a bot author must hear about a handler of `discord_name` under `configured`: empty
/// when nothing is missing. Names the missing intent and, when it is privileged, the
/// Developer Portal switch that must be on too.
std::string missing_intent_warning(std::string_view discord_name, intents configured);

} // namespace cord::detail
