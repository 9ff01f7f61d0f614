// cord: intent names.
// SPDX-License-Identifier: BSL-1.0
#include <cord/intents.hpp>

#include <utility>

namespace cord {

std::string to_string(intents set)
{
    static constexpr std::pair<intents, const char*> names[] = {
        {intents::guilds, "GUILDS"},
        {intents::guild_members, "GUILD_MEMBERS"},
        {intents::guild_moderation, "GUILD_MODERATION"},
        {intents::guild_expressions, "GUILD_EXPRESSIONS"},
        {intents::guild_integrations, "GUILD_INTEGRATIONS"},
        {intents::guild_webhooks, "GUILD_WEBHOOKS"},
        {intents::guild_invites, "GUILD_INVITES"},
        {intents::guild_voice_states, "GUILD_VOICE_STATES"},
        {intents::guild_presences, "GUILD_PRESENCES"},
        {intents::guild_messages, "GUILD_MESSAGES"},
        {intents::guild_message_reactions, "GUILD_MESSAGE_REACTIONS"},
        {intents::guild_message_typing, "GUILD_MESSAGE_TYPING"},
        {intents::direct_messages, "DIRECT_MESSAGES"},
        {intents::direct_message_reactions, "DIRECT_MESSAGE_REACTIONS"},
        {intents::direct_message_typing, "DIRECT_MESSAGE_TYPING"},
        {intents::message_content, "MESSAGE_CONTENT"},
        {intents::guild_scheduled_events, "GUILD_SCHEDULED_EVENTS"},
        {intents::auto_moderation_configuration, "AUTO_MODERATION_CONFIGURATION"},
        {intents::auto_moderation_execution, "AUTO_MODERATION_EXECUTION"},
        {intents::guild_message_polls, "GUILD_MESSAGE_POLLS"},
        {intents::direct_message_polls, "DIRECT_MESSAGE_POLLS"},
    };
    std::string out;
    for (auto [bit, name] : names) {
        if (!has_intents(set, bit))
            continue;
        if (!out.empty())
            out += '|';
        out += name;
    }
    auto unknown = to_bits(set & ~all_intents);
    if (unknown != 0) {
        if (!out.empty())
            out += '|';
        out += "UNDEFINED(" + std::to_string(unknown) + ")";
    }
    return out.empty() ? "NONE" : out;
}

} // namespace cord
