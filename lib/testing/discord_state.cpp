// cord::testing: the emulator's in-memory Discord.
// SPDX-License-Identifier: BSL-1.0
#include "discord_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace cord::testing::detail {

namespace {

constexpr std::uint64_t discord_epoch_ms = 1420070400000ULL;

// Permissions of @everyone in a seeded guild: what a typical bot role has (all but admin).
constexpr const char* everyone_permissions = "2222085186637376";

bj::object base_user(std::uint64_t id, std::string_view name, bool bot)
{
    bj::object u;
    u["id"] = id_str(id);
    u["username"] = name;
    u["global_name"] = nullptr;
    u["discriminator"] = "0";
    u["avatar"] = nullptr;
    u["bot"] = bot;
    u["system"] = false;
    u["public_flags"] = 0;
    u["flags"] = 0;
    u["banner"] = nullptr;
    u["accent_color"] = nullptr;
    u["avatar_decoration_data"] = nullptr;
    return u;
}

} // namespace

discord_state::discord_state(std::size_t seeded_guilds)
{
    bot_id = add_user("cord-fake-bot", true);
    users[bot_id]["verified"] = true;
    users[bot_id]["mfa_enabled"] = false;
    owner_id = add_user("guild-owner");
    for (std::size_t i = 0; i < seeded_guilds; ++i)
        add_guild(fmt::format("Fake Guild {}", i + 1));
}

std::uint64_t discord_state::next_id()
{
    auto now_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count());
    std::uint64_t id = (now_ms - discord_epoch_ms) << 22;
    // Ids must grow strictly (messages are ordered by id): bump the increment bits.
    if (id <= last_id_)
        id = last_id_ + 1;
    last_id_ = id;
    return id;
}

std::string discord_state::now_iso8601() { return iso8601(std::chrono::system_clock::now()); }

std::string discord_state::iso8601(std::chrono::system_clock::time_point at)
{
    auto secs = std::chrono::system_clock::to_time_t(at);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count()
        % 1000000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.{:06}+00:00", buf, micros);
}

guild_rec& discord_state::guild(std::uint64_t id)
{
    auto it = guilds.find(id);
    if (it == guilds.end())
        throw unknown(10004, "Unknown Guild");
    return it->second;
}

channel_rec& discord_state::channel(std::uint64_t id)
{
    auto it = channels.find(id);
    if (it == channels.end())
        throw unknown(10003, "Unknown Channel");
    return it->second;
}

message_rec& discord_state::message(channel_rec& ch, std::uint64_t id)
{
    auto it = ch.messages.find(id);
    if (it == ch.messages.end())
        throw unknown(10008, "Unknown Message");
    return it->second;
}

const bj::object& discord_state::user(std::uint64_t id)
{
    auto it = users.find(id);
    if (it == users.end())
        throw unknown(10013, "Unknown User");
    return it->second;
}

bj::object& discord_state::member(guild_rec& g, std::uint64_t user_id)
{
    auto it = g.members.find(user_id);
    if (it == g.members.end())
        throw unknown(10007, "Unknown Member");
    return it->second;
}

bj::object& discord_state::role(guild_rec& g, std::uint64_t role_id)
{
    auto it = g.roles.find(role_id);
    if (it == g.roles.end())
        throw unknown(10011, "Unknown Role");
    return it->second;
}

void discord_state::check_permissions(std::uint64_t id) const
{
    auto denied_id = [&](std::uint64_t x) { return x != 0 && denied.count(x) != 0; };
    std::uint64_t guild_id = 0;
    if (auto it = channels.find(id); it != channels.end())
        guild_id = it->second.guild_id;
    if (denied_id(id) || denied_id(guild_id))
        throw rest_failure{403, 50013, "Missing Permissions", {}};
}

std::uint64_t discord_state::add_user(std::string_view username, bool bot)
{
    auto id = next_id();
    users[id] = base_user(id, username, bot);
    return id;
}

std::uint64_t discord_state::add_guild(std::string_view name)
{
    auto id = next_id();
    guild_rec g;
    auto& o = g.obj;
    o["id"] = id_str(id);
    o["name"] = name;
    o["icon"] = nullptr;
    o["icon_hash"] = nullptr;
    o["splash"] = nullptr;
    o["discovery_splash"] = nullptr;
    o["owner_id"] = id_str(owner_id);
    o["afk_channel_id"] = nullptr;
    o["afk_timeout"] = 300;
    o["widget_enabled"] = false;
    o["widget_channel_id"] = nullptr;
    o["verification_level"] = 0;
    o["default_message_notifications"] = 0;
    o["explicit_content_filter"] = 0;
    o["features"] = bj::array{};
    o["mfa_level"] = 0;
    o["application_id"] = nullptr;
    o["system_channel_id"] = nullptr;
    o["system_channel_flags"] = 0;
    o["rules_channel_id"] = nullptr;
    o["max_presences"] = nullptr;
    o["max_members"] = 500000;
    o["vanity_url_code"] = nullptr;
    o["description"] = nullptr;
    o["banner"] = nullptr;
    o["premium_tier"] = 0;
    o["premium_subscription_count"] = 0;
    o["preferred_locale"] = "en-US";
    o["public_updates_channel_id"] = nullptr;
    o["max_video_channel_users"] = 25;
    o["nsfw_level"] = 0;
    o["premium_progress_bar_enabled"] = false;
    o["safety_alerts_channel_id"] = nullptr;
    o["stickers"] = bj::array{};
    // @everyone has the guild's id.
    bj::object everyone;
    everyone["id"] = id_str(id);
    everyone["name"] = "@everyone";
    everyone["color"] = 0;
    everyone["colors"] = bj::object{{"primary_color", 0}, {"secondary_color", nullptr},
                                    {"tertiary_color", nullptr}};
    everyone["hoist"] = false;
    everyone["icon"] = nullptr;
    everyone["unicode_emoji"] = nullptr;
    everyone["position"] = 0;
    everyone["permissions"] = everyone_permissions;
    everyone["managed"] = false;
    everyone["mentionable"] = false;
    everyone["flags"] = 0;
    g.roles[id] = std::move(everyone);
    guilds[id] = std::move(g);
    add_member(id, owner_id);
    add_member(id, bot_id);
    auto general = add_channel(id, "general");
    guilds[id].obj["system_channel_id"] = id_str(general);
    return id;
}

std::uint64_t discord_state::add_channel(std::uint64_t guild_id, std::string_view name, int type)
{
    auto& g = guild(guild_id);
    auto id = next_id();
    channel_rec ch;
    ch.guild_id = guild_id;
    auto& o = ch.obj;
    o["id"] = id_str(id);
    o["type"] = type;
    o["guild_id"] = id_str(guild_id);
    o["name"] = name;
    o["position"] = static_cast<std::int64_t>(g.channels.size());
    o["permission_overwrites"] = bj::array{};
    o["nsfw"] = false;
    o["parent_id"] = nullptr;
    o["flags"] = 0;
    if (type == 0 || type == 5) {
        o["topic"] = nullptr;
        o["last_message_id"] = nullptr;
        o["rate_limit_per_user"] = 0;
        o["last_pin_timestamp"] = nullptr;
    }
    if (type == 2 || type == 13) {
        o["bitrate"] = 64000;
        o["user_limit"] = 0;
        o["rtc_region"] = nullptr;
    }
    channels[id] = std::move(ch);
    g.channels.push_back(id);
    return id;
}

bj::object& discord_state::add_member(std::uint64_t guild_id, std::uint64_t user_id)
{
    auto& g = guild(guild_id);
    user(user_id);
    bj::object m;
    m["nick"] = nullptr;
    m["avatar"] = nullptr;
    m["banner"] = nullptr;
    m["roles"] = bj::array{};
    m["joined_at"] = now_iso8601();
    m["premium_since"] = nullptr;
    m["deaf"] = false;
    m["mute"] = false;
    m["flags"] = 0;
    m["pending"] = false;
    m["communication_disabled_until"] = nullptr;
    return g.members[user_id] = std::move(m);
}

std::uint64_t discord_state::dm_channel(std::uint64_t user_id)
{
    if (auto it = dm_by_user.find(user_id); it != dm_by_user.end())
        return it->second;
    const auto& u = user(user_id);
    auto id = next_id();
    channel_rec ch;
    ch.obj["id"] = id_str(id);
    ch.obj["type"] = 1;
    ch.obj["last_message_id"] = nullptr;
    ch.obj["flags"] = 0;
    ch.obj["recipients"] = bj::array{u};
    channels[id] = std::move(ch);
    dm_by_user[user_id] = id;
    return id;
}

bj::object discord_state::create_message(channel_rec& ch, std::uint64_t author, const bj::object& fields)
{
    auto id = next_id();
    message_rec m;
    auto& o = m.obj;
    o["id"] = id_str(id);
    o["type"] = 0;
    o["channel_id"] = ch.obj["id"];
    bj::object author_obj = user(author);
    for (const char* private_field : {"verified", "mfa_enabled", "email", "locale"})
        author_obj.erase(private_field);
    o["author"] = std::move(author_obj);
    o["content"] = "";
    o["timestamp"] = now_iso8601();
    o["edited_timestamp"] = nullptr;
    o["tts"] = false;
    o["mention_everyone"] = false;
    o["mentions"] = bj::array{};
    o["mention_roles"] = bj::array{};
    o["attachments"] = bj::array{};
    o["embeds"] = bj::array{};
    o["pinned"] = false;
    o["flags"] = 0;
    o["components"] = bj::array{};
    for (const char* key : {"content", "tts", "embeds", "components", "sticker_ids", "poll", "flags",
                            "nonce", "attachments"})
        if (auto* v = fields.if_contains(key))
            o[key] = *v;
    o.erase("sticker_ids");
    if (auto* ref = fields.if_contains("message_reference"); ref && ref->is_object()) {
        o["message_reference"] = *ref;
        o["type"] = 19;   // REPLY
    }
    // Mentions: <@id> in the content, resolved against known users.
    if (auto* c = o.if_contains("content"); c && c->is_string()) {
        std::string_view text = c->get_string();
        bj::array mentions;
        for (std::size_t pos = 0; (pos = text.find("<@", pos)) != std::string_view::npos; ++pos) {
            auto end = text.find('>', pos);
            if (end == std::string_view::npos)
                break;
            auto digits = text.substr(pos + 2, end - pos - 2);
            if (!digits.empty() && digits[0] == '!')
                digits.remove_prefix(1);
            auto uid = parse_id(digits);
            if (auto u = users.find(uid); u != users.end())
                mentions.push_back(u->second);
        }
        o["mentions"] = std::move(mentions);
        o["mention_everyone"] = text.find("@everyone") != std::string_view::npos;
    }
    ch.obj["last_message_id"] = id_str(id);
    auto& stored = ch.messages[id] = std::move(m);
    return render_message(ch, stored);
}

bj::object discord_state::render_message(const channel_rec& ch, const message_rec& m) const
{
    bj::object o = m.obj;
    if (ch.guild_id != 0)
        o["guild_id"] = id_str(ch.guild_id);
    if (!m.reactions.empty()) {
        bj::array rs;
        for (const auto& r : m.reactions) {
            bool me = std::find(r.users.begin(), r.users.end(), bot_id) != r.users.end();
            auto n = static_cast<std::int64_t>(r.users.size());
            rs.push_back(bj::object{{"count", n},
                                    {"count_details", bj::object{{"burst", 0}, {"normal", n}}},
                                    {"me", me}, {"me_burst", false}, {"emoji", r.emoji},
                                    {"burst_colors", bj::array{}}});
        }
        o["reactions"] = std::move(rs);
    }
    return o;
}

bj::object discord_state::render_member(std::uint64_t, const bj::object& member, std::uint64_t user_id) const
{
    bj::object m = member;
    if (auto u = users.find(user_id); u != users.end())
        m["user"] = u->second;
    return m;
}

bj::object discord_state::render_guild(const guild_rec& g) const
{
    bj::object o = g.obj;
    bj::array roles, emojis;
    for (const auto& [id, r] : g.roles)
        roles.push_back(r);
    for (const auto& [id, e] : g.emojis)
        emojis.push_back(e);
    o["roles"] = std::move(roles);
    o["emojis"] = std::move(emojis);
    o["widget_enabled"] = g.widget_enabled;
    o["widget_channel_id"] = g.widget_channel ? bj::value(id_str(g.widget_channel)) : bj::value(nullptr);
    return o;
}

bj::object discord_state::guild_create(std::uint64_t guild_id) const
{
    const auto& g = guilds.at(guild_id);
    bj::object o = render_guild(g);
    o["joined_at"] = g.members.count(bot_id) ? g.members.at(bot_id).at("joined_at") : bj::value(nullptr);
    o["large"] = g.members.size() > 50;
    o["unavailable"] = false;
    o["member_count"] = static_cast<std::int64_t>(g.members.size());
    o["voice_states"] = bj::array{};
    bj::array members, chans;
    for (const auto& [uid, m] : g.members)
        members.push_back(render_member(guild_id, m, uid));
    for (auto cid : g.channels) {
        bj::object c = channels.at(cid).obj;
        c.erase("guild_id");   // as in GUILD_CREATE: channels come without guild_id
        chans.push_back(std::move(c));
    }
    o["members"] = std::move(members);
    o["channels"] = std::move(chans);
    o["threads"] = bj::array{};
    o["presences"] = bj::array{};
    o["stage_instances"] = bj::array{};
    o["guild_scheduled_events"] = bj::array{};
    o["soundboard_sounds"] = bj::array{};
    return o;
}

std::uint64_t discord_state::general_channel(std::uint64_t guild_id) const
{
    auto it = guilds.find(guild_id);
    if (it == guilds.end() || it->second.channels.empty())
        return 0;
    return it->second.channels.front();
}

std::string error_body(const rest_failure& f)
{
    bj::object o;
    o["code"] = f.code;
    o["message"] = f.message;
    if (!f.fields.empty()) {
        bj::object errors;
        for (const auto& fe : f.fields) {
            // "embeds.0.title" → errors.embeds["0"].title._errors[]
            bj::object* node = &errors;
            std::string_view path = fe.path;
            while (!path.empty()) {
                auto dot = path.find('.');
                auto key = path.substr(0, dot);
                auto& child = (*node)[key];
                if (!child.is_object())
                    child = bj::object{};
                node = &child.get_object();
                path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
            }
            auto& list = (*node)["_errors"];
            if (!list.is_array())
                list = bj::array{};
            list.get_array().push_back(bj::object{{"code", fe.code}, {"message", fe.message}});
        }
        o["errors"] = std::move(errors);
    }
    return bj::serialize(o);
}

} // namespace cord::testing::detail
