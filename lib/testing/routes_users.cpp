// cord::testing: /users/..., /gateway, /webhooks/... and /invites/... routes.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"

#include <fmt/format.h>

namespace cord::testing::detail {

namespace {

rest_response get_current_user(route_ctx& c) { return json_response(200, c.st.user(c.st.bot_id)); }

rest_response get_user(route_ctx& c)
{
    bj::object u = c.st.user(c.id("user_id"));
    u.erase("verified");
    u.erase("mfa_enabled");
    return json_response(200, u);
}

rest_response modify_current_user(route_ctx& c)
{
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "username", 2, 32);
    f.done();
    auto& u = c.st.users.at(c.st.bot_id);
    merge_fields(u, b, {"username", "avatar", "banner"});
    if (auto* a = b.if_contains("avatar"); a && a->is_string())
        u["avatar"] = fmt::format("{:032x}", std::hash<std::string_view>{}(a->get_string()));
    emit(c, "USER_UPDATE", u, 0);
    return json_response(200, u);
}

rest_response get_current_user_guilds(route_ctx& c)
{
    int limit = query_int(c, "limit", 200, 1, 200);
    auto before = parse_id(c.query("before"));
    auto after = parse_id(c.query("after"));
    bool counts = c.query("with_counts") == "true";
    bj::array out;
    for (auto& [id, g] : c.st.guilds) {
        if (!g.members.count(c.st.bot_id) || (after && id <= after) || (before && id >= before))
            continue;
        if (static_cast<int>(out.size()) == limit)
            break;
        bj::object p{{"id", g.obj["id"]}, {"name", g.obj["name"]}, {"icon", g.obj["icon"]},
                     {"banner", g.obj["banner"]}, {"owner", false}, {"permissions", "2222085186637376"},
                     {"features", g.obj["features"]}};
        if (counts) {
            p["approximate_member_count"] = static_cast<std::int64_t>(g.members.size());
            p["approximate_presence_count"] = 0;
        }
        out.push_back(std::move(p));
    }
    return json_response(200, out);
}

rest_response leave_guild(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = c.st.guild(gid);
    if (!g.members.erase(c.st.bot_id))
        throw unknown(10004, "Unknown Guild");
    emit(c, "GUILD_DELETE", {{"id", id_str(gid)}}, gid);
    return no_content();
}

rest_response get_user_dms(route_ctx&) { return json_response(200, bj::array{}); }   // bots get []

rest_response create_dm(route_ctx& c)
{
    const auto& b = body_object(c);
    if (b.contains("access_tokens")) {   // create-group-dm: an OAuth2 feature
        auto id = c.st.next_id();
        channel_rec ch;
        ch.obj = {{"id", id_str(id)}, {"type", 3}, {"name", nullptr}, {"icon", nullptr},
                  {"owner_id", id_str(c.st.bot_id)}, {"last_message_id", nullptr}, {"flags", 0},
                  {"recipients", bj::array{}}};
        c.st.channels[id] = ch;
        return json_response(200, ch.obj);
    }
    form_check f;
    f.required(b, "recipient_id");
    f.done();
    auto uid = id_of(b.if_contains("recipient_id"));
    if (!uid)
        throw invalid_form({{"recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake."}});
    return json_response(200, c.st.channels.at(c.st.dm_channel(uid)).obj);
}

rest_response get_gateway(route_ctx& c)
{
    return json_response(200, bj::object{{"url", c.core.public_url_ws}});
}

rest_response get_gateway_bot(route_ctx& c)
{
    const auto& o = c.core.options;
    return json_response(200, bj::object{
        {"url", c.core.public_url_ws},
        {"shards", o.recommended_shards},
        {"session_start_limit", bj::object{{"total", o.session_start_total},
                                           {"remaining", c.core.session_starts_remaining},
                                           {"reset_after", 14400000},
                                           {"max_concurrency", o.max_concurrency}}}});
}

// --- webhooks -----------------------------------------------------------------------------------

bj::object& webhook_of(route_ctx& c, bool check_token)
{
    auto it = c.st.webhooks.find(c.id("webhook_id"));
    if (it == c.st.webhooks.end())
        throw unknown(10015, "Unknown Webhook");
    if (check_token && it->second.at("token").as_string() != c.params.at("webhook_token"))
        throw rest_failure{401, 50027, "Invalid Webhook Token", {}};
    return it->second;
}

bj::object without_user(bj::object w)
{
    w.erase("user");
    return w;
}

rest_response get_webhook(route_ctx& c) { return json_response(200, webhook_of(c, false)); }
rest_response get_webhook_token(route_ctx& c) { return json_response(200, without_user(webhook_of(c, true))); }

rest_response modify_webhook_common(route_ctx& c, bool with_token)
{
    auto& w = webhook_of(c, with_token);
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "name", 1, 80);
    f.done();
    merge_fields(w, b, {"name", "avatar"});
    if (!with_token)
        if (auto cid = id_of(b.if_contains("channel_id")); cid) {
            c.st.channel(cid);
            w["channel_id"] = id_str(cid);
        }
    auto gid = id_of(w.if_contains("guild_id"));
    emit(c, "WEBHOOKS_UPDATE", {{"guild_id", w["guild_id"]}, {"channel_id", w["channel_id"]}}, gid);
    return json_response(200, with_token ? without_user(w) : w);
}

rest_response modify_webhook(route_ctx& c) { return modify_webhook_common(c, false); }
rest_response modify_webhook_token(route_ctx& c) { return modify_webhook_common(c, true); }

rest_response delete_webhook_common(route_ctx& c, bool with_token)
{
    auto& w = webhook_of(c, with_token);
    auto gid = id_of(w.if_contains("guild_id"));
    bj::object d{{"guild_id", w["guild_id"]}, {"channel_id", w["channel_id"]}};
    c.st.webhooks.erase(c.id("webhook_id"));
    emit(c, "WEBHOOKS_UPDATE", d, gid);
    return no_content();
}

rest_response delete_webhook(route_ctx& c) { return delete_webhook_common(c, false); }
rest_response delete_webhook_token(route_ctx& c) { return delete_webhook_common(c, true); }

rest_response execute_webhook(route_ctx& c)
{
    // The same route with the application's id (an interaction's token) is a followup.
    if (c.id("webhook_id") == c.st.bot_id || c.core.interactions.find_token(c.params.at("webhook_token")))
        return interaction_followup(c);
    auto& w = webhook_of(c, true);
    auto& ch = c.st.channel(id_of(w.if_contains("channel_id")));
    const auto& b = body_object(c);
    form_check f;
    f.string(b, "content", 0, 2000);
    f.string(b, "username", 1, 80);
    f.done();
    auto non_empty = [&](std::string_view k) {
        auto* v = b.if_contains(k);
        return v && ((v->is_string() && !v->get_string().empty()) || (v->is_array() && !v->get_array().empty()));
    };
    if (!non_empty("content") && !non_empty("embeds") && !non_empty("components") && !non_empty("attachments"))
        throw rest_failure{400, 50006, "Cannot send an empty message", {}};
    auto msg = c.st.create_message(ch, c.st.bot_id, b);
    auto& stored = ch.messages.rbegin()->second.obj;
    bj::object author{{"id", w["id"]}, {"username", b.contains("username") ? b.at("username") : w["name"]},
                      {"avatar", w["avatar"]}, {"discriminator", "0000"}, {"bot", true}};
    stored["author"] = author;
    stored["webhook_id"] = w["id"];
    msg["author"] = author;
    msg["webhook_id"] = w["id"];
    emit(c, "MESSAGE_CREATE", msg, ch.guild_id);
    if (c.query("wait") == "true")
        return json_response(200, msg);
    return no_content();
}

// --- invites ------------------------------------------------------------------------------------

rest_response get_invite(route_ctx& c)
{
    auto it = c.st.invites.find(c.params.at("invite_code"));
    if (it == c.st.invites.end())
        throw unknown(10006, "Unknown Invite");
    return json_response(200, it->second);
}

rest_response delete_invite(route_ctx& c)
{
    auto it = c.st.invites.find(c.params.at("invite_code"));
    if (it == c.st.invites.end())
        throw unknown(10006, "Unknown Invite");
    bj::object inv = it->second;
    auto gid = id_of(inv["guild"].as_object().if_contains("id"));
    c.st.invites.erase(it);
    emit(c, "INVITE_DELETE", {{"channel_id", inv["channel"].as_object()["id"]}, {"guild_id", id_str(gid)},
                              {"code", inv["code"]}}, gid);
    return json_response(200, inv);
}

} // namespace

void add_user_routes(std::vector<route>& r)
{
    r.insert(r.end(), {
        {"GET", "/users/@me", get_current_user},
        {"PATCH", "/users/@me", modify_current_user},
        {"GET", "/users/{user_id}", get_user},
        {"GET", "/users/@me/guilds", get_current_user_guilds},
        {"DELETE", "/users/@me/guilds/{guild_id}", leave_guild},
        {"GET", "/users/@me/channels", get_user_dms},
        {"POST", "/users/@me/channels", create_dm},
        {"GET", "/gateway", get_gateway, false},
        {"GET", "/gateway/bot", get_gateway_bot},
        {"GET", "/webhooks/{webhook_id}", get_webhook},
        {"PATCH", "/webhooks/{webhook_id}", modify_webhook},
        {"DELETE", "/webhooks/{webhook_id}", delete_webhook},
        {"GET", "/webhooks/{webhook_id}/{webhook_token}", get_webhook_token, false},
        {"PATCH", "/webhooks/{webhook_id}/{webhook_token}", modify_webhook_token, false},
        {"DELETE", "/webhooks/{webhook_id}/{webhook_token}", delete_webhook_token, false},
        {"POST", "/webhooks/{webhook_id}/{webhook_token}", execute_webhook, false},
        {"GET", "/invites/{invite_code}", get_invite},
        {"DELETE", "/invites/{invite_code}", delete_invite},
    });
}

void add_misc_routes(std::vector<route>&) {}

} // namespace cord::testing::detail
