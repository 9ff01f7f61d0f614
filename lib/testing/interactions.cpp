// cord::testing: Discord's rules for answering an interaction (reference/interactions.md §2).
// SPDX-License-Identifier: BSL-1.0
#include "interactions.hpp"

#include <algorithm>

namespace cord::testing::detail {

interaction_rec* interaction_book::find_token(std::string_view token)
{
    auto it = by_token.find(token);
    if (it == by_token.end())
        return nullptr;
    auto rec = by_id.find(it->second);
    return rec == by_id.end() ? nullptr : &rec->second;
}

std::vector<int> accepted_callbacks(int interaction_type, bool modal_from_component)
{
    switch (interaction_type) {
    case application_command: return {cb_message, cb_deferred_message, cb_modal};
    case message_component: return {cb_message, cb_deferred_message, cb_deferred_update, cb_update, cb_modal};
    case autocomplete: return {cb_autocomplete};
    case modal_submit:
        if (modal_from_component)
            return {cb_message, cb_deferred_message, cb_deferred_update, cb_update};
        return {cb_message, cb_deferred_message};
    case ping: return {cb_pong};
    default: return {};
    }
}

std::optional<rest_failure> callback_refusal(const interaction_rec& r, int type, clock::time_point now)
{
    auto age = now - r.created;
    if (age > token_lifetime)
        return rest_failure{404, 10062, "Unknown interaction", {}};
    if (r.initial != 0)
        return rest_failure{400, 40060, "Interaction has already been acknowledged.", {}};
    // Past 3 s without an answer Discord has invalidated the token ("This interaction failed").
    if (age > first_response_window)
        return rest_failure{404, 10062, "Unknown interaction", {}};
    auto ok = accepted_callbacks(r.type, r.component_message != 0);
    if (std::find(ok.begin(), ok.end(), type) == ok.end()) {
        std::string list;
        for (auto t : ok)
            list += (list.empty() ? "" : ", ") + std::to_string(t);
        return rest_failure{400, 50035, "Invalid Form Body",
                            {{"type", "BASE_TYPE_CHOICES", "Value must be one of {" + list + "}."}}};
    }
    return std::nullopt;
}

std::optional<rest_failure> token_route_refusal(const interaction_rec& r, clock::time_point now)
{
    if (now - r.created > token_lifetime)
        return rest_failure{401, 50027, "Invalid Webhook Token", {}};
    // Until the first response the interaction has no webhook; an autocomplete never gets one.
    if (r.initial == 0 || r.initial == cb_autocomplete)
        return rest_failure{404, 10015, "Unknown Webhook", {}};
    return std::nullopt;
}

interaction_answer refused_answer(answer_kind kind, int callback_type, const rest_failure& f)
{
    interaction_answer a;
    a.kind = kind;
    a.callback_type = callback_type;
    a.status = f.status;
    a.error_code = f.code;
    return a;
}

} // namespace cord::testing::detail
