// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::responder: the one object that answers an interaction, a state machine rather than a
// convention. It picks Discord's callback type from what was already sent, refuses a second
// initial response locally (no 40060 round trip), defers by itself when the handler has not
// answered by the auto-defer margin (2.5 s after receipt by default; Discord's deadline is
// 3 s), and knows that the interaction's token lives 15 minutes.
//
//   initial responses (one of):   reply, defer, update, defer_update, modal, autocomplete
//   after one:                    edit_original, delete_original, get_original, followup
//
// After defer(), reply() fills the "thinking…" message (cord edits @original); after
// defer_update(), update() edits the component's message. A modal can only be the first
// response: a handler that may open one must do so before the margin. An autocomplete cannot
// be deferred: at the margin cord answers it with no choices.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/awaitable.hpp>
#include <cord/interactions/interaction.hpp>
#include <cord/json.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace cord {

class rest_client;

/// Who sees a message sent in answer to an interaction.
enum class visibility : std::uint8_t {
    everyone,    ///< a normal message in the channel
    ephemeral,   ///< only the invoking user (flag EPHEMERAL, 64)
};

namespace detail::interactions {
struct responder_core;
}

/// Answers one interaction. Every member may be called from any coroutine; the calls of one
/// responder are carried out one at a time, in the order they were made. Failures throw:
/// cord::error (invalid_argument) for what Discord would refuse (a second initial response, a
/// modal after a deferral, a followup before any response, anything after 15 minutes), and
/// cord::http::discord_error for what Discord refused.
class responder {
public:
    /// For cord's router and endpoint (responders are made for you).
    explicit responder(std::shared_ptr<detail::interactions::responder_core> core);
    ~responder();   ///< the interaction stays answered as it is
    responder(const responder&) = delete;          ///< one responder per interaction
    responder& operator=(const responder&) = delete;

    /// The interaction this responder answers.
    const cord::interaction& source() const noexcept;

    // --- the initial response ------------------------------------------------------------------
    /// A message in answer (callback 4). After defer(): fills the "thinking…" message.
    /// After defer_update(): a followup.
    awaitable<void> reply(std::string_view content, visibility v = visibility::everyone);
    /// The same with a whole message object: content, embeds, components, flags…
    awaitable<void> reply(const json& message);
    /// "thinking…" now, the message later (callback 5): with reply() or edit_original().
    awaitable<void> defer(visibility v = visibility::everyone);
    /// Components: edits the message the component sits on (callback 7); after
    /// defer_update(), edits it through \@original.
    awaitable<void> update(const json& message);
    /// update() with new content only.
    awaitable<void> update(std::string_view content);
    /// Components: acknowledges silently (callback 6); edit the message later with update().
    awaitable<void> defer_update();
    /// Opens a modal (callback 9): `{custom_id, title, components}`. Only as the first response.
    awaitable<void> modal(const json& modal);
    /// Autocomplete: the choices (an array of `{name, value}`, at most 25; callback 8).
    awaitable<void> autocomplete(const json& choices);

    // --- after the initial response --------------------------------------------------------------
    /// Edits the initial response; returns the message.
    awaitable<json> edit_original(const json& message);
    /// edit_original() with new content only.
    awaitable<json> edit_original(std::string_view content);
    /// Deletes the initial response.
    awaitable<void> delete_original();
    /// Reads the initial response.
    awaitable<json> get_original();
    /// A further message; returns it.
    awaitable<json> followup(const json& message);
    /// followup() with content only.
    awaitable<json> followup(std::string_view content, visibility v = visibility::everyone);

    /// Whether an initial response was sent (by the handler or by the auto-defer).
    bool responded() const;
    /// Whether cord's auto-defer made the initial response.
    bool auto_deferred() const;
    /// The REST client the responder sends with: for any other call a handler makes.
    rest_client& rest() const noexcept;

private:
    std::shared_ptr<detail::interactions::responder_core> core_;
};

} // namespace cord
