// cord::testing: private. The emulator's in-memory Discord: users, guilds, channels,
// messages and everything hanging off them, as Discord's JSON objects.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "bjson.hpp"
#include "rest_types.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cord::testing::detail {

struct reaction_rec {
    std::string key;    ///< "🔥" or "name:id", as in the route
    bj::object emoji;   ///< {id, name}
    std::vector<std::uint64_t> users;
};

struct message_rec {
    bj::object obj;   ///< without "reactions" (rendered from `reactions`)
    std::vector<reaction_rec> reactions;
};

struct channel_rec {
    bj::object obj;
    std::map<std::uint64_t, message_rec> messages;   ///< ids grow with time: ordered oldest first
    std::vector<std::pair<std::uint64_t, std::string>> pins;   ///< message id, pinned_at
    std::uint64_t guild_id = 0;                      ///< 0 for DMs
};

struct guild_rec {
    bj::object obj;   ///< the guild object without roles/emojis (rendered)
    std::vector<std::uint64_t> channels;
    std::map<std::uint64_t, bj::object> roles;
    std::map<std::uint64_t, bj::object> members;   ///< by user id, member object without "user"
    std::map<std::uint64_t, bj::object> bans;
    std::map<std::uint64_t, bj::object> emojis;
    std::map<std::uint64_t, bj::object> integrations;
    bool widget_enabled = false;
    std::uint64_t widget_channel = 0;
};

class discord_state {
public:
    explicit discord_state(std::size_t seeded_guilds);

    /// A fresh snowflake: now since Discord's epoch, plus a counter.
    std::uint64_t next_id();
    static std::string now_iso8601();
    /// `at` as Discord writes timestamps: 2024-01-02T03:04:05.123456+00:00.
    static std::string iso8601(std::chrono::system_clock::time_point at);

    std::uint64_t bot_id = 0;
    std::uint64_t owner_id = 0;   ///< a user owning every seeded guild

    std::map<std::uint64_t, bj::object> users;
    std::map<std::uint64_t, guild_rec> guilds;
    std::map<std::uint64_t, channel_rec> channels;
    std::map<std::uint64_t, bj::object> webhooks;   ///< with "token"
    std::map<std::string, bj::object> invites;      ///< by code
    std::map<std::uint64_t, std::uint64_t> dm_by_user;
    std::set<std::uint64_t> denied;                 ///< channels / guilds without permissions
    bj::object bot_presence;
    /// The routes beyond the seed's (surface_routes.hpp): one object per resource.
    bj::object surface;

    // Lookups that throw Discord's 404 (rest_failure) when the id is unknown.
    guild_rec& guild(std::uint64_t id);
    channel_rec& channel(std::uint64_t id);
    message_rec& message(channel_rec& ch, std::uint64_t id);
    const bj::object& user(std::uint64_t id);
    bj::object& member(guild_rec& g, std::uint64_t user_id);
    bj::object& role(guild_rec& g, std::uint64_t role_id);

    /// Throws 403 / 50013 when permissions on this channel (or its guild) are denied.
    void check_permissions(std::uint64_t channel_or_guild) const;

    std::uint64_t add_guild(std::string_view name);
    std::uint64_t add_channel(std::uint64_t guild, std::string_view name, int type = 0);
    std::uint64_t add_user(std::string_view username, bool bot = false);
    bj::object& add_member(std::uint64_t guild, std::uint64_t user);
    std::uint64_t dm_channel(std::uint64_t user);

    /// Stores a new message and returns it rendered.
    bj::object create_message(channel_rec& ch, std::uint64_t author, const bj::object& fields);

    // Rendering: the objects Discord returns.
    bj::object render_message(const channel_rec& ch, const message_rec& m) const;
    bj::object render_guild(const guild_rec& g) const;
    bj::object render_member(std::uint64_t guild, const bj::object& member, std::uint64_t user) const;
    bj::object guild_create(std::uint64_t guild) const;

    std::uint64_t general_channel(std::uint64_t guild) const;

private:
    std::uint64_t last_id_ = 0;
};

} // namespace cord::testing::detail
