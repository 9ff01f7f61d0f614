// cord::testing: /channels/... routes (channels, messages, reactions, pins, permission
// overwrites, invites, typing, group DM recipients, channel webhooks).
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cord::testing::detail {

namespace {

channel_rec& channel_of(route_ctx& c) { return c.st.channel(c.id("channel_id")); }

rest_response get_channel(route_ctx& c) { return json_response(200, channel_of(c).obj); }

rest_response modify_channel(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "name", 1, 100);
    f.string(b, "topic", 0, 1024);
    f.integer(b, "position");
    f.integer(b, "rate_limit_per_user");
    f.boolean(b, "nsfw");
    f.done();
    merge_fields(ch.obj, b, {"name", "topic", "position", "nsfw", "rate_limit_per_user", "bitrate", "user_limit",
                             "permission_overwrites", "parent_id", "rtc_region", "default_auto_archive_duration",
                             "flags", "icon"});
    update_thread(c, ch, b);
    emit(c, "CHANNEL_UPDATE", ch.obj, ch.guild_id);
    return json_response(200, ch.obj);
}

rest_response delete_channel(route_ctx& c)
{
    auto id = c.id("channel_id");
    auto& ch = channel_of(c);
    c.st.check_permissions(id);
    bj::object obj = ch.obj;
    auto guild_id = ch.guild_id;
    if (guild_id) {
        auto& g = c.st.guild(guild_id);
        std::erase(g.channels, id);
        end_stage_of(c, id);
        emit(c, "CHANNEL_DELETE", obj, guild_id);
    } else {
        for (auto it = c.st.dm_by_user.begin(); it != c.st.dm_by_user.end(); ++it)
            if (it->second == id) {
                c.st.dm_by_user.erase(it);
                break;
            }
    }
    c.st.channels.erase(id);
    return json_response(200, obj);
}

rest_response get_messages(route_ctx& c)
{
    auto& ch = channel_of(c);
    int limit = query_int(c, "limit", 50, 1, 100);
    auto before = parse_id(c.query("before"));
    auto after = parse_id(c.query("after"));
    auto around = parse_id(c.query("around"));
    std::vector<const message_rec*> picked;   // newest first
    if (around) {
        std::vector<const message_rec*> all;
        for (auto it = ch.messages.rbegin(); it != ch.messages.rend(); ++it)
            all.push_back(&it->second);
        auto centre = std::find_if(all.begin(), all.end(), [&](auto* m) {
            return parse_id(m->obj.at("id").get_string()) <= around;
        });
        auto start = centre - std::min<std::ptrdiff_t>(centre - all.begin(), limit / 2);
        for (auto it = start; it != all.end() && static_cast<int>(picked.size()) < limit; ++it)
            picked.push_back(*it);
    } else if (after) {
        for (auto it = ch.messages.upper_bound(after); it != ch.messages.end()
             && static_cast<int>(picked.size()) < limit; ++it)
            picked.push_back(&it->second);
        std::reverse(picked.begin(), picked.end());
    } else {
        auto end = before ? ch.messages.lower_bound(before) : ch.messages.end();
        for (auto it = std::make_reverse_iterator(end); it != ch.messages.rend()
             && static_cast<int>(picked.size()) < limit; ++it)
            picked.push_back(&it->second);
    }
    bj::array out;
    for (auto* m : picked)
        out.push_back(c.st.render_message(ch, *m));
    return json_response(200, out);
}

rest_response get_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    return json_response(200, c.st.render_message(ch, c.st.message(ch, c.id("message_id"))));
}

void check_message_body(const bj::object& b, bool creating)
{
    form_check f;
    f.string(b, "content", 0, 2000);
    f.boolean(b, "tts");
    if (auto* e = b.if_contains("embeds"); e && !e->is_null()) {
        if (!e->is_array())
            f.fails.push_back({"embeds", "BASE_TYPE_LIST", "Must be a list."});
        else if (e->get_array().size() > 10)
            f.fails.push_back({"embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."});
        else
            for (std::size_t i = 0; i < e->get_array().size(); ++i) {
                const auto& em = e->get_array()[i];
                if (!em.is_object())
                    f.fails.push_back({fmt::format("embeds.{}", i), "MODEL_TYPE_CONVERT",
                                       "Only dictionaries may be used in a ModelType"});
                else
                    f.string(em.get_object(), "title", 0, 256);
                for (auto& fe : f.fails)
                    if (fe.path == "title")
                        fe.path = fmt::format("embeds.{}.title", i);
            }
    }
    f.done();
    if (!creating)
        return;
    auto non_empty = [&](std::string_view k) {
        auto* v = b.if_contains(k);
        if (!v || v->is_null())
            return false;
        if (v->is_string())
            return !v->get_string().empty();
        if (v->is_array())
            return !v->get_array().empty();
        return true;
    };
    if (!non_empty("content") && !non_empty("embeds") && !non_empty("sticker_ids") && !non_empty("components")
        && !non_empty("attachments") && !non_empty("poll") && !non_empty("message_reference"))
        throw rest_failure{400, 50006, "Cannot send an empty message", {}};
}

bj::object with_member(route_ctx& c, const channel_rec& ch, bj::object msg, std::uint64_t author)
{
    if (ch.guild_id)
        if (auto& g = c.st.guild(ch.guild_id); g.members.count(author))
            msg["member"] = g.members.at(author);
    return msg;
}

rest_response create_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    const auto& b = body_object(c);
    check_message_body(b, true);
    if (auto* text = b.if_contains("content"); text && text->is_string())
        check_automod(c, ch, c.st.bot_id, text->get_string());
    if (auto* ref = b.if_contains("message_reference"); ref && ref->is_object()) {
        auto mid = id_of(ref->get_object().if_contains("message_id"));
        if (mid && !ch.messages.count(mid))
            throw invalid_form({{"message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"}});
    }
    wake_thread(c.st, ch, c.events);
    bj::object fields = b;
    if (auto* poll = b.if_contains("poll"); poll && !poll->is_null())
        fields["poll"] = new_poll(*poll);
    auto msg = c.st.create_message(ch, c.st.bot_id, fields);
    emit(c, "MESSAGE_CREATE", with_member(c, ch, msg, c.st.bot_id), ch.guild_id);
    return json_response(200, msg);
}

rest_response edit_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    auto& m = c.st.message(ch, c.id("message_id"));
    if (id_of(m.obj["author"].get_object().if_contains("id")) != c.st.bot_id)
        throw rest_failure{403, 50005, "Cannot edit a message authored by another user", {}};
    const auto& b = body_object(c);
    check_message_body(b, false);
    merge_fields(m.obj, b, {"content", "embeds", "components", "flags", "attachments", "allowed_mentions"});
    m.obj.erase("allowed_mentions");
    m.obj["edited_timestamp"] = discord_state::now_iso8601();
    auto msg = c.st.render_message(ch, m);
    emit(c, "MESSAGE_UPDATE", msg, ch.guild_id);
    return json_response(200, msg);
}

bj::object message_ids(const channel_rec& ch, std::uint64_t message_id)
{
    bj::object d{{"id", id_str(message_id)}, {"channel_id", ch.obj.at("id")}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    return d;
}

rest_response delete_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    if (id_of(m.obj["author"].get_object().if_contains("id")) != c.st.bot_id)
        c.st.check_permissions(c.id("channel_id"));   // MANAGE_MESSAGES for others' messages
    ch.messages.erase(mid);
    std::erase_if(ch.pins, [&](auto& p) { return p.first == mid; });
    emit(c, "MESSAGE_DELETE", message_ids(ch, mid), ch.guild_id);
    return no_content();
}

rest_response bulk_delete(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "messages");
    f.done();
    const auto* list = b.at("messages").if_array();
    if (!list || list->size() < 2 || list->size() > 100)
        throw invalid_form({{"messages", "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."}});
    auto two_weeks_ago = (static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count()) - 1420070400000ULL - 14ULL * 86400000ULL) << 22;
    bj::array ids;
    for (const auto& v : *list) {
        auto id = id_of(&v);
        if (id != 0 && id < two_weeks_ago)
            throw rest_failure{400, 50034, "You can only bulk delete messages that are under 14 days old.", {}};
        ch.messages.erase(id);
        ids.push_back(id_str(id));
    }
    bj::object d{{"ids", ids}, {"channel_id", ch.obj["id"]}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    emit(c, "MESSAGE_DELETE_BULK", d, ch.guild_id);
    return no_content();
}

// --- reactions --------------------------------------------------------------------------------

// Unicode emoji are sent as themselves (URL-encoded), custom ones as name:id.
bj::object parse_emoji(route_ctx& c, const channel_rec& ch, const std::string& key)
{
    auto colon = key.find(':');
    if (colon != std::string::npos) {
        auto eid = parse_id(std::string_view{key}.substr(colon + 1));
        bool known = false;
        if (ch.guild_id)
            known = c.st.guild(ch.guild_id).emojis.count(eid) != 0;
        if (!known)
            throw rest_failure{400, 10014, "Unknown Emoji", {}};
        return {{"id", id_str(eid)}, {"name", key.substr(0, colon)}};
    }
    bool has_non_ascii = std::any_of(key.begin(), key.end(), [](char ch8) { return (ch8 & 0x80) != 0; });
    if (key.empty() || !has_non_ascii)
        throw rest_failure{400, 10014, "Unknown Emoji", {}};
    return {{"id", nullptr}, {"name", key}};
}

bj::object reaction_event(route_ctx& c, const channel_rec& ch, std::uint64_t mid, std::uint64_t user,
                          const bj::object& emoji)
{
    bj::object d{{"user_id", id_str(user)}, {"channel_id", ch.obj.at("id")}, {"message_id", id_str(mid)},
                 {"emoji", emoji}, {"burst", false}, {"type", 0}};
    if (ch.guild_id) {
        d["guild_id"] = id_str(ch.guild_id);
        auto& g = c.st.guild(ch.guild_id);
        if (g.members.count(user))
            d["member"] = c.st.render_member(ch.guild_id, g.members.at(user), user);
    }
    return d;
}

rest_response add_reaction(route_ctx& c)
{
    auto& ch = channel_of(c);
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    auto key = c.params.at("emoji");
    auto emoji = parse_emoji(c, ch, key);
    auto it = std::find_if(m.reactions.begin(), m.reactions.end(), [&](auto& r) { return r.key == key; });
    if (it == m.reactions.end()) {
        if (m.reactions.size() >= 20)
            throw rest_failure{400, 30010, "Maximum number of reactions reached (20)", {}};
        m.reactions.push_back({key, emoji, {}});
        it = std::prev(m.reactions.end());
    }
    if (std::find(it->users.begin(), it->users.end(), c.st.bot_id) == it->users.end()) {
        it->users.push_back(c.st.bot_id);
        emit(c, "MESSAGE_REACTION_ADD", reaction_event(c, ch, mid, c.st.bot_id, emoji), ch.guild_id);
    }
    return no_content();
}

rest_response remove_reaction_of(route_ctx& c, std::uint64_t user)
{
    auto& ch = channel_of(c);
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    auto key = c.params.at("emoji");
    auto emoji = parse_emoji(c, ch, key);
    auto it = std::find_if(m.reactions.begin(), m.reactions.end(), [&](auto& r) { return r.key == key; });
    if (it != m.reactions.end() && std::erase(it->users, user)) {
        if (it->users.empty())
            m.reactions.erase(it);
        bj::object d = reaction_event(c, ch, mid, user, emoji);
        d.erase("member");
        emit(c, "MESSAGE_REACTION_REMOVE", d, ch.guild_id);
    }
    return no_content();
}

rest_response delete_own_reaction(route_ctx& c) { return remove_reaction_of(c, c.st.bot_id); }

rest_response delete_user_reaction(route_ctx& c)
{
    c.st.check_permissions(c.id("channel_id"));
    return remove_reaction_of(c, c.id("user_id"));
}

rest_response get_reactions(route_ctx& c)
{
    auto& ch = channel_of(c);
    auto& m = c.st.message(ch, c.id("message_id"));
    auto key = c.params.at("emoji");
    parse_emoji(c, ch, key);
    int limit = query_int(c, "limit", 25, 1, 100);
    auto after = parse_id(c.query("after"));
    bj::array users;
    auto it = std::find_if(m.reactions.begin(), m.reactions.end(), [&](auto& r) { return r.key == key; });
    if (it != m.reactions.end()) {
        auto ids = it->users;
        std::sort(ids.begin(), ids.end());
        for (auto uid : ids)
            if (uid > after && static_cast<int>(users.size()) < limit)
                users.push_back(c.st.user(uid));
    }
    return json_response(200, users);
}

rest_response delete_all_reactions(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto mid = c.id("message_id");
    c.st.message(ch, mid).reactions.clear();
    bj::object d{{"channel_id", ch.obj.at("id")}, {"message_id", id_str(mid)}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    emit(c, "MESSAGE_REACTION_REMOVE_ALL", d, ch.guild_id);
    return no_content();
}

rest_response delete_all_reactions_for_emoji(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    auto key = c.params.at("emoji");
    auto emoji = parse_emoji(c, ch, key);
    std::erase_if(m.reactions, [&](auto& r) { return r.key == key; });
    bj::object d{{"channel_id", ch.obj.at("id")}, {"message_id", id_str(mid)}, {"emoji", emoji}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    emit(c, "MESSAGE_REACTION_REMOVE_EMOJI", d, ch.guild_id);
    return no_content();
}

// --- pins ---------------------------------------------------------------------------------------

void pins_update(route_ctx& c, channel_rec& ch)
{
    bj::object d{{"channel_id", ch.obj.at("id")},
                 {"last_pin_timestamp", ch.pins.empty() ? bj::value(nullptr) : bj::value(ch.pins.back().second)}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    ch.obj["last_pin_timestamp"] = d["last_pin_timestamp"];
    emit(c, "CHANNEL_PINS_UPDATE", d, ch.guild_id);
}

rest_response pin_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    if (std::none_of(ch.pins.begin(), ch.pins.end(), [&](auto& p) { return p.first == mid; })) {
        if (ch.pins.size() >= 250)
            throw rest_failure{400, 30003, "Maximum number of pins reached (250)", {}};
        ch.pins.emplace_back(mid, discord_state::now_iso8601());
        m.obj["pinned"] = true;
        pins_update(c, ch);
    }
    return no_content();
}

rest_response unpin_message(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    if (std::erase_if(ch.pins, [&](auto& p) { return p.first == mid; })) {
        m.obj["pinned"] = false;
        pins_update(c, ch);
    }
    return no_content();
}

rest_response get_pins(route_ctx& c)   // GET /messages/pins: {items:[{pinned_at, message}], has_more}
{
    auto& ch = channel_of(c);
    int limit = query_int(c, "limit", 50, 1, 50);
    auto before = c.query("before");
    bj::array items;
    bool more = false;
    for (auto it = ch.pins.rbegin(); it != ch.pins.rend(); ++it) {
        if (!before.empty() && it->second >= before)
            continue;
        if (static_cast<int>(items.size()) == limit) {
            more = true;
            break;
        }
        items.push_back(bj::object{{"pinned_at", it->second},
                                   {"message", c.st.render_message(ch, ch.messages.at(it->first))}});
    }
    return json_response(200, bj::object{{"items", items}, {"has_more", more}});
}

rest_response get_pins_old(route_ctx& c)   // deprecated GET /pins: an array of messages
{
    auto& ch = channel_of(c);
    bj::array out;
    for (auto it = ch.pins.rbegin(); it != ch.pins.rend() && out.size() < 50; ++it)
        out.push_back(c.st.render_message(ch, ch.messages.at(it->first)));
    return json_response(200, out);
}

// --- permission overwrites, invites, typing, recipients, webhooks ------------------------------

rest_response edit_permissions(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto oid = c.id("overwrite_id");
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "type");
    f.integer(b, "type");
    f.done();
    auto type = b.at("type").to_number<std::int64_t>();
    if (type != 0 && type != 1)
        throw invalid_form({{"type", "BASE_TYPE_CHOICES", "Value must be one of (0, 1)."}});
    auto str_or_zero = [&](std::string_view k) {
        auto* v = b.if_contains(k);
        return v && v->is_string() ? std::string{v->get_string()} : std::string{"0"};
    };
    auto& list = ch.obj["permission_overwrites"].as_array();
    erase_where(list, [&](auto& o) { return id_of(o.as_object().if_contains("id")) == oid; });
    list.push_back(bj::object{{"id", id_str(oid)}, {"type", type}, {"allow", str_or_zero("allow")},
                              {"deny", str_or_zero("deny")}});
    emit(c, "CHANNEL_UPDATE", ch.obj, ch.guild_id);
    return no_content();
}

rest_response delete_permission(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    auto oid = c.id("overwrite_id");
    auto& list = ch.obj["permission_overwrites"].as_array();
    if (erase_where(list, [&](auto& o) { return id_of(o.as_object().if_contains("id")) == oid; }))
        emit(c, "CHANNEL_UPDATE", ch.obj, ch.guild_id);
    return no_content();
}

rest_response get_channel_invites(route_ctx& c)
{
    auto& ch = channel_of(c);
    if (!ch.guild_id)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    bj::array out;
    for (auto& [code, inv] : c.st.invites)
        if (id_of(inv.at("channel").as_object().if_contains("id")) == c.id("channel_id"))
            out.push_back(inv);
    return json_response(200, out);
}

rest_response create_invite(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    if (!ch.guild_id)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    const auto& b = body_object(c);
    form_check f;
    f.integer(b, "max_age");
    f.integer(b, "max_uses");
    f.boolean(b, "temporary");
    f.done();
    std::string code = random_code(8);
    auto& g = c.st.guild(ch.guild_id);
    auto num = [&](std::string_view k, std::int64_t fallback) {
        auto* v = b.if_contains(k);
        return v && v->is_number() ? v->to_number<std::int64_t>() : fallback;
    };
    bj::object inv{{"type", 0}, {"code", code},
                   {"guild", bj::object{{"id", g.obj["id"]}, {"name", g.obj["name"]}, {"icon", nullptr},
                                        {"features", bj::array{}}}},
                   {"channel", bj::object{{"id", ch.obj["id"]}, {"name", ch.obj["name"]}, {"type", ch.obj["type"]}}},
                   {"inviter", c.st.user(c.st.bot_id)}, {"uses", 0}, {"max_uses", num("max_uses", 0)},
                   {"max_age", num("max_age", 86400)}, {"temporary", b.contains("temporary") && b.at("temporary").is_bool() && b.at("temporary").get_bool()},
                   {"created_at", discord_state::now_iso8601()}, {"expires_at", nullptr}};
    c.st.invites[code] = inv;
    bj::object d{{"channel_id", ch.obj["id"]}, {"code", code}, {"created_at", inv["created_at"]},
                 {"guild_id", id_str(ch.guild_id)}, {"inviter", inv["inviter"]}, {"max_age", inv["max_age"]},
                 {"max_uses", inv["max_uses"]}, {"temporary", inv["temporary"]}, {"uses", 0}};
    emit(c, "INVITE_CREATE", d, ch.guild_id);
    return json_response(200, inv);
}

rest_response trigger_typing(route_ctx& c)
{
    auto& ch = channel_of(c);
    bj::object d{{"channel_id", ch.obj["id"]}, {"user_id", id_str(c.st.bot_id)},
                 {"timestamp", std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count()}};
    if (ch.guild_id)
        d["guild_id"] = id_str(ch.guild_id);
    emit(c, "TYPING_START", d, ch.guild_id);
    return no_content();
}

rest_response group_dm_recipient(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.user(c.id("user_id"));
    if (ch.obj["type"].to_number<int>() != 3)
        throw rest_failure{400, 50024, "Cannot execute action on this channel type", {}};
    return no_content();
}

rest_response create_webhook(route_ctx& c)
{
    auto& ch = channel_of(c);
    c.st.check_permissions(c.id("channel_id"));
    const auto& b = body_object(c);
    form_check f;
    f.required(b, "name");
    f.string(b, "name", 1, 80);
    f.done();
    std::string name{b.at("name").get_string()};
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.find("clyde") != std::string::npos || lower.find("discord") != std::string::npos)
        throw invalid_form({{"name", "USERNAME_INVALID_CONTAINS", "Username cannot contain \"discord\""}});
    auto id = c.st.next_id();
    bj::object w{{"id", id_str(id)}, {"type", 1}, {"guild_id", ch.guild_id ? bj::value(id_str(ch.guild_id)) : bj::value(nullptr)},
                 {"channel_id", ch.obj["id"]}, {"user", c.st.user(c.st.bot_id)}, {"name", name},
                 {"avatar", nullptr}, {"token", fmt::format("fake-webhook-token-{}", id)},
                 {"application_id", nullptr}};
    c.st.webhooks[id] = w;
    emit(c, "WEBHOOKS_UPDATE", {{"guild_id", w["guild_id"]}, {"channel_id", ch.obj["id"]}}, ch.guild_id);
    return json_response(200, w);
}

rest_response get_channel_webhooks(route_ctx& c)
{
    channel_of(c);
    auto cid = c.id("channel_id");
    bj::array out;
    for (auto& [id, w] : c.st.webhooks)
        if (id_of(w.if_contains("channel_id")) == cid)
            out.push_back(w);
    return json_response(200, out);
}

} // namespace

void add_channel_routes(std::vector<route>& r)
{
    const std::string_view ch = "/channels/{channel_id}";
    (void)ch;
    r.insert(r.end(), {
        {"GET", "/channels/{channel_id}", get_channel},
        {"PATCH", "/channels/{channel_id}", modify_channel},
        {"DELETE", "/channels/{channel_id}", delete_channel},
        {"GET", "/channels/{channel_id}/messages", get_messages},
        {"POST", "/channels/{channel_id}/messages", create_message},
        {"GET", "/channels/{channel_id}/messages/{message_id}", get_message},
        {"PATCH", "/channels/{channel_id}/messages/{message_id}", edit_message},
        {"DELETE", "/channels/{channel_id}/messages/{message_id}", delete_message},
        {"POST", "/channels/{channel_id}/messages/bulk-delete", bulk_delete},
        {"PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", add_reaction},
        {"DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", delete_own_reaction},
        {"DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}", delete_user_reaction},
        {"GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", get_reactions},
        {"DELETE", "/channels/{channel_id}/messages/{message_id}/reactions", delete_all_reactions},
        {"DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", delete_all_reactions_for_emoji},
        {"GET", "/channels/{channel_id}/messages/pins", get_pins},
        {"PUT", "/channels/{channel_id}/messages/pins/{message_id}", pin_message},
        {"DELETE", "/channels/{channel_id}/messages/pins/{message_id}", unpin_message},
        {"GET", "/channels/{channel_id}/pins", get_pins_old},
        {"PUT", "/channels/{channel_id}/pins/{message_id}", pin_message},
        {"DELETE", "/channels/{channel_id}/pins/{message_id}", unpin_message},
        {"PUT", "/channels/{channel_id}/permissions/{overwrite_id}", edit_permissions},
        {"DELETE", "/channels/{channel_id}/permissions/{overwrite_id}", delete_permission},
        {"GET", "/channels/{channel_id}/invites", get_channel_invites},
        {"POST", "/channels/{channel_id}/invites", create_invite},
        {"POST", "/channels/{channel_id}/typing", trigger_typing},
        {"PUT", "/channels/{channel_id}/recipients/{user_id}", group_dm_recipient},
        {"DELETE", "/channels/{channel_id}/recipients/{user_id}", group_dm_recipient},
        {"POST", "/channels/{channel_id}/webhooks", create_webhook},
        {"GET", "/channels/{channel_id}/webhooks", get_channel_webhooks},
    });
}

} // namespace cord::testing::detail
