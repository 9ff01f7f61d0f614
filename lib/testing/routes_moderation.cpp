// cord::testing: moderation beyond the seed's: bulk ban, and auto-moderation rules
// (discord_state::surface["automod"][guild id][rule id]) whose keyword rules block messages.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <algorithm>
#include <cctype>

namespace cord::testing::detail {

namespace {

// --- bans --------------------------------------------------------------------------------------

rest_response bulk_ban(route_ctx& c)
{
    auto gid = c.id("guild_id");
    auto& g = c.st.guild(gid);
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    auto* ids = b.if_contains("user_ids");
    if (!ids || !ids->is_array())
        throw invalid_form({{"user_ids", "BASE_TYPE_REQUIRED", "This field is required"}});
    if (ids->as_array().empty() || ids->as_array().size() > 200)
        throw invalid_form({{"user_ids", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 200 in length."}});
    if (auto* s = b.if_contains("delete_message_seconds");
        s && (!s->is_int64() || s->get_int64() < 0 || s->get_int64() > 604800))
        throw invalid_form({{"delete_message_seconds", "NUMBER_TYPE_MAX", "int value should be <= 604800."}});
    auto reason = c.req.headers.count("x-audit-log-reason") ? bj::value(c.req.headers.at("x-audit-log-reason"))
                                                             : bj::value(nullptr);
    bj::array banned, failed;
    for (const auto& v : ids->as_array()) {
        auto uid = id_of(&v);
        if (uid == 0 || !c.st.users.count(uid) || g.bans.count(uid) || uid == c.st.bot_id) {
            failed.push_back(v.is_string() ? v : bj::value(id_str(uid)));
            continue;
        }
        const auto& user = c.st.users.at(uid);
        g.bans[uid] = bj::object{{"reason", reason}, {"user", user}};
        if (g.members.erase(uid))
            emit(c, "GUILD_MEMBER_REMOVE", {{"guild_id", id_str(gid)}, {"user", user}}, gid);
        emit(c, "GUILD_BAN_ADD", {{"guild_id", id_str(gid)}, {"user", user}}, gid);
        banned.push_back(id_str(uid));
    }
    if (banned.empty())
        throw rest_failure{403, 500000, "Failed to ban users", {}};
    return json_response(200, bj::object{{"banned_users", banned}, {"failed_users", failed}});
}

// --- auto moderation ---------------------------------------------------------------------------

constexpr int keyword_trigger = 1;

bj::object& rules_of(discord_state& st, std::uint64_t guild)
{
    return slot(slot(st.surface, "automod"), std::to_string(guild));
}

bj::object& rule_of(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    return item_or_404(rules_of(c.st, gid), c.id("rule_id"), 10066, "Unknown auto moderation rule");
}

void check_rule(const bj::object& b, bool creating)
{
    form_check f;
    if (creating) {
        f.required(b, "name");
        f.required(b, "event_type");
        f.required(b, "trigger_type");
        f.required(b, "actions");
    }
    f.string(b, "name", 1, 100);
    f.integer(b, "event_type");
    f.integer(b, "trigger_type");
    f.boolean(b, "enabled");
    f.done();
    if (auto* t = b.if_contains("trigger_type"); t && t->is_int64() && (t->get_int64() < 1 || t->get_int64() > 6))
        throw invalid_form({{"trigger_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 3, 4, 5, 6}."}});
    if (auto* a = b.if_contains("actions"); a && (!a->is_array() || (creating && a->as_array().empty())))
        throw invalid_form({{"actions", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."}});
}

rest_response list_rules(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    bj::array out;
    for (const auto& kv : rules_of(c.st, gid))
        out.push_back(kv.value());
    return json_response(200, out);
}

rest_response get_rule(route_ctx& c) { return json_response(200, rule_of(c)); }

rest_response create_rule(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    check_rule(b, true);
    auto id = c.st.next_id();
    bj::object rule{{"id", id_str(id)},
                    {"guild_id", id_str(gid)},
                    {"creator_id", id_str(c.st.bot_id)},
                    {"trigger_metadata", bj::object{}},
                    {"enabled", false},
                    {"exempt_roles", bj::array{}},
                    {"exempt_channels", bj::array{}}};
    merge_fields(rule, b, {"name", "event_type", "trigger_type", "trigger_metadata", "actions", "enabled",
                           "exempt_roles", "exempt_channels"});
    rules_of(c.st, gid)[std::to_string(id)] = rule;
    emit(c, "AUTO_MODERATION_RULE_CREATE", rule, gid);
    return json_response(200, rule);
}

rest_response modify_rule(route_ctx& c)
{
    auto& rule = rule_of(c);
    const auto& b = body_object(c);
    check_rule(b, false);
    merge_fields(rule, b, {"name", "event_type", "trigger_metadata", "actions", "enabled", "exempt_roles",
                           "exempt_channels"});
    emit(c, "AUTO_MODERATION_RULE_UPDATE", rule, c.id("guild_id"));
    return json_response(200, rule);
}

rest_response delete_rule(route_ctx& c)
{
    bj::object rule = rule_of(c);
    auto gid = c.id("guild_id");
    rules_of(c.st, gid).erase(std::to_string(c.id("rule_id")));
    emit(c, "AUTO_MODERATION_RULE_DELETE", rule, gid);
    return no_content();
}

std::string lower(std::string_view s)
{
    std::string out{s};
    for (char& ch : out)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

/// Discord's keyword filter: "*" at either end matches a word's prefix or suffix; without it,
/// the keyword must be a whole word.
bool matches(std::string_view content, std::string_view keyword)
{
    bool prefix = keyword.ends_with('*'), suffix = keyword.starts_with('*');
    std::string k = lower(keyword.substr(suffix ? 1 : 0, keyword.size() - (suffix ? 1 : 0) - (prefix ? 1 : 0)));
    std::string text = lower(content);
    if (k.empty())
        return false;
    auto word_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; };
    for (std::size_t at = text.find(k); at != std::string::npos; at = text.find(k, at + 1)) {
        bool starts_word = at == 0 || !word_char(text[at - 1]);
        bool ends_word = at + k.size() == text.size() || !word_char(text[at + k.size()]);
        if ((starts_word || suffix) && (ends_word || prefix))
            return true;
    }
    return false;
}

} // namespace

void check_automod(route_ctx& c, const channel_rec& ch, std::uint64_t author, std::string_view content)
{
    check_automod(c.core, ch, author, content);
}

void check_automod(server_core& core, const channel_rec& ch, std::uint64_t author, std::string_view content)
{
    if (ch.guild_id == 0)
        return;
    auto& rules = rules_of(core.state, ch.guild_id);
    for (const auto& kv : rules) {
        const auto& rule = kv.value().as_object();
        if (!rule.at("enabled").as_bool() || rule.at("trigger_type").to_number<int>() != keyword_trigger)
            continue;
        const auto* md = rule.at("trigger_metadata").as_object().if_contains("keyword_filter");
        if (!md || !md->is_array())
            continue;
        for (const auto& k : md->as_array()) {
            if (!k.is_string() || !matches(content, k.as_string()))
                continue;
            for (const auto& action : rule.at("actions").as_array()) {
                bj::object d{{"guild_id", id_str(ch.guild_id)},
                             {"action", action},
                             {"rule_id", rule.at("id")},
                             {"rule_trigger_type", keyword_trigger},
                             {"user_id", id_str(author)},
                             {"channel_id", ch.obj.at("id")},
                             {"content", content},
                             {"matched_keyword", k},
                             {"matched_content", k.as_string()}};
                core.emit({"AUTO_MODERATION_ACTION_EXECUTION", std::move(d), ch.guild_id});
            }
            throw rest_failure{400, 200000, "Message was blocked by automatic moderation", {}};
        }
    }
}

void add_moderation_routes(std::vector<route>& out)
{
    out.push_back({"POST", "/guilds/{guild_id}/bulk-ban", bulk_ban});
    out.push_back({"GET", "/guilds/{guild_id}/auto-moderation/rules", list_rules});
    out.push_back({"POST", "/guilds/{guild_id}/auto-moderation/rules", create_rule});
    out.push_back({"GET", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", get_rule});
    out.push_back({"PATCH", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", modify_rule});
    out.push_back({"DELETE", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", delete_rule});
}

} // namespace cord::testing::detail
