// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cstdint>
#include <string>

namespace cord {

/// Gateway intents: which groups of events a shard subscribes to (sent in IDENTIFY).
/// Combine with `|`. Bits Discord does not define are never set by cord.
enum class intents : std::uint32_t {
    none = 0,
    guilds = 1u << 0,
    guild_members = 1u << 1,            ///< privileged
    guild_moderation = 1u << 2,         ///< formerly GUILD_BANS
    guild_expressions = 1u << 3,        ///< formerly GUILD_EMOJIS_AND_STICKERS
    guild_integrations = 1u << 4,
    guild_webhooks = 1u << 5,
    guild_invites = 1u << 6,
    guild_voice_states = 1u << 7,
    guild_presences = 1u << 8,          ///< privileged
    guild_messages = 1u << 9,
    guild_message_reactions = 1u << 10,
    guild_message_typing = 1u << 11,
    direct_messages = 1u << 12,
    direct_message_reactions = 1u << 13,
    direct_message_typing = 1u << 14,
    message_content = 1u << 15,         ///< privileged
    guild_scheduled_events = 1u << 16,
    auto_moderation_configuration = 1u << 20,
    auto_moderation_execution = 1u << 21,
    guild_message_polls = 1u << 24,
    direct_message_polls = 1u << 25,

    // Former names, kept so code written against older docs still compiles.
    guild_bans = guild_moderation,
    guild_emojis_and_stickers = guild_expressions,
};

/// The union of two sets of intents.
constexpr intents operator|(intents a, intents b) noexcept
{
    return static_cast<intents>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// The intents in both sets.
constexpr intents operator&(intents a, intents b) noexcept
{
    return static_cast<intents>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
/// Every bit not in `a` (bits Discord does not define included: mask with all_intents).
constexpr intents operator~(intents a) noexcept
{
    return static_cast<intents>(~static_cast<std::uint32_t>(a));
}
constexpr intents& operator|=(intents& a, intents b) noexcept { return a = a | b; }   ///< a = a | b
constexpr intents& operator&=(intents& a, intents b) noexcept { return a = a & b; }   ///< a = a & b

/// The bit value sent to Discord.
constexpr std::uint32_t to_bits(intents i) noexcept { return static_cast<std::uint32_t>(i); }

/// True when every bit of `wanted` is in `set`.
constexpr bool has_intents(intents set, intents wanted) noexcept { return (set & wanted) == wanted; }

/// Intents that must be switched on in the Developer Portal (else close code 4014).
inline constexpr intents privileged_intents =
    intents::guild_members | intents::guild_presences | intents::message_content;

/// Every intent Discord defines.
inline constexpr intents all_intents = static_cast<intents>(0x0331'FFFFu);

/// Every intent that needs no approval: a sensible default for a bot.
inline constexpr intents unprivileged_intents = all_intents & ~privileged_intents;

/// True when `set` has no bit Discord leaves undefined (such a bit gets close code 4013).
constexpr bool valid_intents(intents set) noexcept { return (set & ~all_intents) == intents::none; }

/// Names of the bits in `set`, Discord's spelling, joined by `|` (e.g. "GUILDS|GUILD_MESSAGES").
std::string to_string(intents set);

} // namespace cord
