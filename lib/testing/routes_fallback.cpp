// cord::testing: the answer to a request no hand-written route serves, for every operation
// cord::http calls: Discord's as its API description shapes it (schema_answers.cpp). The ids
// of the path that name something the emulator holds must exist (Discord's 404 and code
// otherwise), a body must hold its schema's required fields (50035), and the answer carries
// the path's ids, so that a call makes a real round trip even where the emulator keeps no state.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "schema_answers.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cord::testing::detail {

namespace {

constexpr std::string_view api_prefix = "/api/v10";

/// The next segment of a path ("" at its end), consumed.
std::string_view next_segment(std::string_view& path)
{
    while (path.starts_with('/'))
        path.remove_prefix(1);
    auto seg = path.substr(0, path.find('/'));
    path.remove_prefix(seg.size());
    return seg;
}

/// How many literal segments of `tmpl` match `path`, or -1 when it does not match at all.
int literal_match(std::string_view tmpl, std::string_view path)
{
    int literals = 0;
    for (;;) {
        auto t = next_segment(tmpl);
        auto p = next_segment(path);
        if (t.empty() || p.empty())
            return t.empty() && p.empty() ? literals : -1;
        if (t.starts_with('{'))
            continue;
        if (t != p)
            return -1;
        ++literals;
    }
}

/// The operation of a method and path (after the API base) whose template has more literal
/// segments than `beat`: as the hand-written routes are matched, the template with the most
/// wins (/messages/pins over /messages/{message_id}).
const schema_answer* operation_of(std::string_view method, std::string_view path, int beat = -1)
{
    const schema_answer* best = nullptr;
    int best_literals = beat;
    for (const auto& a : schema_answers()) {
        if (a.method != method)
            continue;
        int literals = literal_match(a.path, path);
        if (literals > best_literals) {
            best = &a;
            best_literals = literals;
        }
    }
    return best;
}

/// The holes of a template, in order: "{guild_id}" → "guild_id".
std::vector<std::string_view> holes(std::string_view tmpl)
{
    std::vector<std::string_view> out;
    for (auto seg = next_segment(tmpl); !seg.empty(); seg = next_segment(tmpl))
        if (seg.starts_with('{'))
            out.push_back(seg.substr(1, seg.size() - 2));
    return out;
}

bool holds_message(const discord_state& st, std::uint64_t id)
{
    for (const auto& [_, ch] : st.channels)
        if (ch.messages.count(id))
            return true;
    return false;
}

/// Discord's 404 for an id of the path the emulator holds and does not know, in path order.
/// Ids of kinds it keeps no record of (SKUs, stickers…) pass.
void check_ids(route_ctx& c, const schema_answer& op)
{
    auto& st = c.st;
    for (auto name : holes(op.path)) {
        if (name == "guild_id") {
            st.guild(c.id(name));
        } else if (name == "channel_id") {
            st.channel(c.id(name));
        } else if (name == "message_id") {
            auto id = c.id(name);
            if (c.params.count("channel_id"))
                st.message(st.channel(c.id("channel_id")), id);
            else if (!holds_message(st, id)) // a webhook's message: in one of its channels
                throw unknown(10008, "Unknown Message");
        } else if (name == "user_id") {
            st.user(c.id(name));
        } else if (name == "role_id") {
            st.role(st.guild(c.id("guild_id")), c.id(name));
        } else if (name == "application_id") {
            // The application of the token is the bot's (its id is the bot user's).
            if (c.id(name) != st.bot_id)
                throw unknown(10002, "Unknown Application");
        } else if (name == "webhook_id") {
            // An interaction's followups address the application as a webhook.
            auto id = c.id(name);
            if (id != st.bot_id && !st.webhooks.count(id))
                throw unknown(10015, "Unknown Webhook");
        } else if (name == "webhook_token") {
            auto it = st.webhooks.find(c.id("webhook_id"));
            if (it != st.webhooks.end() && it->second.at("token").as_string() != c.params.at("webhook_token"))
                throw rest_failure{401, 50027, "Invalid Webhook Token", {}};
        } else if (name == "command_id") {
            auto id = c.id(name);
            bool known = false;
            for (const auto& [_, cmds] : c.core.commands.scopes)
                known = known || cmds.count(id) != 0;
            if (!known)
                throw unknown(10063, "Unknown application command");
        } else if (name == "interaction_id") {
            if (!c.core.interactions.by_id.count(c.id(name)))
                throw unknown(10062, "Unknown interaction");
        } else if (name == "emoji_id" && c.params.count("guild_id")) {
            if (!st.guild(c.id("guild_id")).emojis.count(c.id(name)))
                throw unknown(10014, "Unknown Emoji");
        } else if (name == "integration_id" && c.params.count("guild_id")) {
            if (!st.guild(c.id("guild_id")).integrations.count(c.id(name)))
                throw unknown(10005, "Unknown Integration");
        } else if (name == "code" && op.path.starts_with("/invites/")) { // else a template's code
            if (!st.invites.count(c.params.at("code")))
                throw unknown(10006, "Unknown Invite");
        }
    }
}

/// 50035 unless the body is what the operation takes: an object holding its required fields
/// (an absent body counts as {}), or an array.
void check_body(route_ctx& c, const schema_answer& op)
{
    if (op.body == body_shape::array) {
        if (!c.body.is_array())
            throw invalid_form({{"", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"}});
        return;
    }
    if (op.body != body_shape::object)
        return;
    const bj::object& body = body_object(c);
    form_check check;
    for (auto rest = op.required; !rest.empty();) {
        auto field = rest.substr(0, rest.find(' '));
        check.required(body, field);
        rest.remove_prefix(std::min(rest.size(), field.size() + 1));
    }
    check.done();
}

/// The shaped answer with the request's ids: a field named after a path id takes its value, the
/// resource's own "id" the id the path ends at, a created resource a fresh id.
bj::value shaped_answer(route_ctx& c, const schema_answer& op)
{
    bj::value v = bj::parse(op.answer);
    auto* o = v.if_object();
    if (!o)
        return v;
    for (const auto& [name, value] : c.params)
        if (auto* field = o->if_contains(name); field && field->is_string())
            *field = value;
    auto* id = o->if_contains("id");
    if (id && id->is_string()) {
        if (op.own_id == "@me") // the bot's user, or its application (the same id)
            *id = id_str(c.st.bot_id);
        else if (!op.own_id.empty())
            *id = c.params.find(op.own_id)->second;
        else if (op.method == "POST" && parse_id(id->get_string()) != 0)
            *id = id_str(c.st.next_id());
    }
    if (auto* app = o->if_contains("application_id");
        app && app->is_string() && !c.params.count("application_id"))
        *app = id_str(c.st.bot_id);
    return v;
}

rest_response answer_from_schema(route_ctx& c)
{
    std::string_view path = c.req.target_path;
    path.remove_prefix(std::min(path.size(), api_prefix.size()));
    const schema_answer* op = operation_of(c.req.method, path);
    if (!op) // schema_route() found it: the same request cannot miss
        throw unknown(0, "404: Not Found");
    check_ids(c, *op);
    if (c.req.method != "GET") {
        if (c.params.count("channel_id"))
            c.st.check_permissions(c.id("channel_id"));
        else if (c.params.count("guild_id"))
            c.st.check_permissions(c.id("guild_id"));
    }
    check_body(c, *op);
    if (op->status == 204)
        return no_content();
    return json_response(op->status, shaped_answer(c, *op));
}

} // namespace

const route* schema_route(std::string_view method, std::string_view path, int literals)
{
    // One route per operation, built once: the pipeline's authentication and rate limits
    // apply to them as to the hand-written ones.
    static const std::vector<route> routes = [] {
        std::vector<route> out;
        for (const auto& a : schema_answers())
            out.push_back({a.method, a.path, answer_from_schema, a.auth, true});
        return out;
    }();
    const schema_answer* op = operation_of(method, path, literals);
    return op ? &routes[static_cast<std::size_t>(op - schema_answers().data())] : nullptr;
}

} // namespace cord::testing::detail
