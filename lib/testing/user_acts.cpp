// cord::testing: what a user does in the emulated Discord (join a guild, post a message), for
// fake_discord's methods and the /_fake/ control routes alike.
// SPDX-License-Identifier: BSL-1.0
#include "core.hpp"
#include "surface_routes.hpp"

namespace cord::testing::detail {

std::uint64_t server_core::user_named(std::string_view username)
{
    for (const auto& [id, u] : state.users)
        if (!u.at("bot").as_bool() && u.at("username").as_string() == username)
            return id;
    return state.add_user(username);
}

void server_core::join_guild(std::uint64_t guild, std::uint64_t user)
{
    state.add_member(guild, user);
    bj::object d = state.render_member(guild, state.guilds.at(guild).members.at(user), user);
    d["guild_id"] = id_str(guild);
    emit({"GUILD_MEMBER_ADD", std::move(d), guild});
}

bj::object server_core::post_as_user(std::uint64_t author, std::uint64_t channel, std::string_view content)
{
    auto& ch = state.channel(channel);
    // As a REST post: auto moderation may block it, and it is activity in a thread.
    check_automod(*this, ch, author, content);
    std::vector<pending_event> woken;
    wake_thread(state, ch, woken);
    for (const auto& ev : woken)
        emit(ev);
    auto msg = state.create_message(ch, author, bj::object{{"content", content}});
    bj::object ev = msg;
    if (ch.guild_id)
        if (auto& g = state.guild(ch.guild_id); g.members.count(author))
            ev["member"] = g.members.at(author);
    emit({"MESSAGE_CREATE", std::move(ev), ch.guild_id});
    return msg;
}

} // namespace cord::testing::detail
