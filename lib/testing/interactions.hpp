// cord::testing: private. Interactions as the emulated Discord keeps them: each one's payload,
// token and answers, its ephemeral messages, and the rules for the answers (which callback an
// interaction accepts, the 3-second and 15-minute windows, one initial response) as pure
// functions of the record and the interaction clock.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "bjson.hpp"
#include "rate_limits.hpp"
#include "rest_types.hpp"

#include <cord/testing/fake_interactions.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cord::testing::detail {

/// InteractionType.
enum interaction_type : int { ping = 1, application_command = 2, message_component = 3, autocomplete = 4, modal_submit = 5 };

/// InteractionCallbackType values the emulator knows.
enum callback_type : int {
    cb_pong = 1, cb_message = 4, cb_deferred_message = 5, cb_deferred_update = 6, cb_update = 7,
    cb_autocomplete = 8, cb_modal = 9, cb_launch_activity = 12
};

constexpr std::uint64_t flag_ephemeral = 1u << 6;
constexpr std::uint64_t flag_loading = 1u << 7;

/// Discord's windows: the first answer within 3 s of creation, the token for 15 minutes.
constexpr std::chrono::seconds first_response_window{3};
constexpr std::chrono::minutes token_lifetime{15};

struct interaction_rec {
    std::uint64_t id = 0;
    std::string token;
    int type = 0;
    bj::object payload;                 ///< the INTERACTION_CREATE d
    clock::time_point created{};        ///< on the interaction clock
    std::uint64_t guild_id = 0;         ///< 0 in a DM
    std::uint64_t channel_id = 0;
    std::uint64_t user_id = 0;
    std::string command_name;           ///< for interaction_metadata and message types
    int command_type = 0;               ///< ApplicationCommandType for commands and autocomplete
    std::uint64_t component_message = 0;   ///< the message a component (or the modal's opener) sits on
    int initial = 0;                    ///< the accepted initial callback type; 0 before
    std::uint64_t original = 0;         ///< @original's message id once there is one
    std::set<std::uint64_t> followups;  ///< followup message ids
    bj::object modal;                   ///< the data of a modal answer (callback 9)
    std::vector<interaction_answer> answers;
};

/// A message only its interaction's user sees: never in the channel's message routes.
struct ephemeral_message {
    std::uint64_t channel_id = 0;
    std::uint64_t guild_id = 0;
    bj::object obj;
};

/// Every interaction of the app, by id and by token, and the interaction clock.
struct interaction_book {
    std::map<std::uint64_t, interaction_rec> by_id;
    std::map<std::string, std::uint64_t, std::less<>> by_token;
    std::map<std::uint64_t, ephemeral_message> ephemeral;
    clock::duration offset{};   ///< advance_interaction_clock()

    clock::time_point now() const { return clock::now() + offset; }
    interaction_rec* find_token(std::string_view token);
};

/// The callback types an interaction of `type` accepts. MODAL_SUBMIT takes 6/7 only when its
/// modal was opened from a component (observed; the docs promise 4/5 only).
std::vector<int> accepted_callbacks(int interaction_type, bool modal_from_component);

/// Why a callback of `type` is refused now, or nullopt when it is accepted: 10062 for an
/// unknown or late interaction, 40060 once answered, 50035 for a type the interaction does not take.
std::optional<rest_failure> callback_refusal(const interaction_rec& r, int type, clock::time_point now);

/// Why a token route (@original, followups) is refused now: 50027 once the token expired,
/// 10015 before any initial response (there is no webhook message yet), nullopt when allowed.
std::optional<rest_failure> token_route_refusal(const interaction_rec& r, clock::time_point now);

/// The refused answer as recorded: status and code from the failure.
interaction_answer refused_answer(answer_kind kind, int callback_type, const rest_failure& f);

} // namespace cord::testing::detail
