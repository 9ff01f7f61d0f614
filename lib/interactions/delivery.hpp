// cord: private. What a verified POST to the interactions endpoint is, and the answers the
// endpoint gives by itself, pure (../shared/reference/interactions.md §1, §6):
//   - an interaction PING (type 1) → 200 {"type":1} at once;
//   - another interaction (types 2–5) → the handler's first response, or the auto-defer;
//   - a webhook-event PING (envelope type 0) → 204;
//   - a webhook event (envelope type 1 with an `event` object) → 204, and the event under its
//     gateway-style name ("APPLICATION_AUTHORIZED" → "raw-application-authorized").
// The one ambiguity (type 1 is an interaction PING and a webhook event) is settled by `event`.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "interactions/responder_state.hpp"

#include <cord/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cord::detail::interactions {

struct delivery {
    enum class what : std::uint8_t { interaction_ping, interaction, webhook_ping, webhook_event, refused };
    what kind = what::refused;
    interaction_kind interaction = interaction_kind::ping;   ///< for what::interaction
    std::string event_name{};   ///< for what::webhook_event: "raw-entitlement-create"…
    std::string why{};          ///< for what::refused: the log line's words (answered 400)
};

/// Classifies a verified, parsed body. Never throws: what it cannot read is refused.
delivery classify(const json& body);

/// The PONG body.
inline constexpr std::string_view pong_body = R"({"type":1})";

/// What the endpoint answers by itself at the auto-defer margin (responder_state's rule): a
/// deferred message (5) for commands and modal submits, a deferred update (6) for components,
/// an autocomplete result with no choices (8) for an autocomplete.
std::string auto_defer_body(interaction_kind kind);

/// Whether `answer` may be the first response to an interaction of `kind` (an object whose
/// integer `type` is a callback type that kind accepts): nullopt if so, else why not.
std::optional<std::string> check_first_response(interaction_kind kind, const json& answer);

} // namespace cord::detail::interactions
