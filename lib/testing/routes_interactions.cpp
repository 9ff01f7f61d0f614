// cord::testing: the interaction token routes (the callback, @original and followups) with
// Discord's rules, every answer recorded; and the control route POST/GET /_fake/interactions.
// These routes need no Authorization (the token in the path is the credential) and are
// exempt from the global limit; each interaction has its own bucket.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"

#include <fmt/format.h>

namespace cord::testing::detail {

namespace {

// Flags a bot may set on an interaction's message (reference/interactions.md §2).
constexpr std::uint64_t suppress_embeds = 1u << 2, suppress_notifications = 1u << 12, voice_message = 1u << 13,
                        components_v2 = 1u << 15;
constexpr std::uint64_t settable_flags =
    suppress_embeds | flag_ephemeral | suppress_notifications | voice_message | components_v2;

const bj::object& empty_object()
{
    static const bj::object none;
    return none;
}

const bj::object& object_field(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v && v->is_object() ? v->get_object() : empty_object();
}

std::uint64_t flags_of(const bj::object& o)
{
    auto* v = o.if_contains("flags");
    if (v && v->is_int64() && v->get_int64() >= 0)
        return static_cast<std::uint64_t>(v->get_int64());
    if (v && v->is_uint64())
        return v->get_uint64();
    return 0;
}

json body_json(const route_ctx& c) { return c.body.is_null() ? json{} : to_cord(c.body); }

// Discord's checks of a message body sent through an interaction (`prefix` "data." for a callback).
void check_message(const bj::object& d, std::string_view prefix, bool needs_content, std::uint64_t allowed_flags)
{
    std::vector<field_failure> fails;
    auto path = [&](std::string_view k) { return std::string{prefix} + std::string{k}; };
    if (auto* v = d.if_contains("content"); v && !v->is_null()) {
        if (!v->is_string())
            fails.push_back({path("content"), "STRING_TYPE_CONVERT", "Could not interpret the value as string."});
        else if (v->get_string().size() > 2000)
            fails.push_back({path("content"), "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."});
    }
    if (auto* v = d.if_contains("embeds"); v && v->is_array() && v->get_array().size() > 10)
        fails.push_back({path("embeds"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."});
    auto flags = flags_of(d);
    if (flags & ~allowed_flags)
        fails.push_back({path("flags"), "MESSAGE_FLAGS_INVALID", "Invalid message flags"});
    if (auto* v = d.if_contains("components"); v && v->is_array()) {
        auto n = v->get_array().size();
        if (!(flags & components_v2) && n > 5)
            fails.push_back({path("components"), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."});
        if (n > 40)
            fails.push_back({path("components"), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length."});
    }
    if (!fails.empty())
        throw invalid_form(std::move(fails));
    if (!needs_content)
        return;
    auto non_empty = [&](std::string_view k) {
        auto* v = d.if_contains(k);
        return v && ((v->is_string() && !v->get_string().empty()) || (v->is_array() && !v->get_array().empty())
                     || v->is_object());
    };
    if (!non_empty("content") && !non_empty("embeds") && !non_empty("components") && !non_empty("attachments")
        && !non_empty("poll"))
        throw rest_failure{400, 50006, "Cannot send an empty message", {}};
}

// What every message of an interaction carries besides its content.
void decorate(route_ctx& c, const interaction_rec& rec, bj::object& msg, bool followup)
{
    msg["webhook_id"] = id_str(c.st.bot_id);
    msg["application_id"] = id_str(c.st.bot_id);
    msg["type"] = rec.command_type == chat_input ? 20 : rec.command_type ? 23 : 0;
    bj::object meta{{"id", id_str(rec.id)}, {"type", rec.type}, {"user", c.st.user(rec.user_id)},
                    {"authorizing_integration_owners", rec.payload.at("authorizing_integration_owners")}};
    if (!rec.command_name.empty())
        meta["name"] = rec.command_name;
    if (rec.type == message_component)
        meta["interacted_message_id"] = id_str(rec.component_message);
    if (followup && rec.original)
        meta["original_response_message_id"] = id_str(rec.original);
    if (auto* target = object_field(rec.payload, "data").if_contains("target_id"))
        meta[rec.command_type == user_command ? "target_user" : "target_message_id"] =
            rec.command_type == user_command ? bj::value(c.st.user(id_of(target))) : *target;
    msg["interaction_metadata"] = std::move(meta);
}

// Stores a message the interaction posts: in the channel (MESSAGE_CREATE), or ephemeral (only
// its user sees it: no event, not in the channel's routes).
bj::object post_message(route_ctx& c, interaction_rec& rec, const bj::object& data, std::uint64_t flags, bool followup)
{
    bj::object fields;
    merge_fields(fields, data, {"content", "tts", "embeds", "components", "attachments", "poll"});
    fields["flags"] = flags;
    if (flags & flag_ephemeral) {
        channel_rec scratch;   // the message is made as in the channel, then kept apart
        scratch.obj["id"] = id_str(rec.channel_id);
        scratch.guild_id = rec.guild_id;
        auto msg = c.st.create_message(scratch, c.st.bot_id, fields);
        decorate(c, rec, msg, followup);
        c.core.interactions.ephemeral[id_of(msg.if_contains("id"))] = {rec.channel_id, rec.guild_id, msg};
        return msg;
    }
    auto& ch = c.st.channel(rec.channel_id);
    auto msg = c.st.create_message(ch, c.st.bot_id, fields);
    auto id = id_of(msg.if_contains("id"));
    decorate(c, rec, ch.messages.at(id).obj, followup);
    msg = c.st.render_message(ch, ch.messages.at(id));
    bj::object ev = msg;
    if (ch.guild_id)
        if (auto& g = c.st.guild(ch.guild_id); g.members.count(c.st.bot_id))
            ev["member"] = g.members.at(c.st.bot_id);
    emit(c, "MESSAGE_CREATE", std::move(ev), ch.guild_id);
    return msg;
}

struct located {
    bj::object* obj = nullptr;         ///< the stored message
    channel_rec* channel = nullptr;    ///< null for an ephemeral one
    message_rec* rec = nullptr;
};

located locate_message(route_ctx& c, const interaction_rec& rec, std::uint64_t id)
{
    if (auto e = c.core.interactions.ephemeral.find(id); e != c.core.interactions.ephemeral.end())
        return {&e->second.obj, nullptr, nullptr};
    // The interaction's messages, and the one its component sits on, are in its channel.
    if (auto ch = c.st.channels.find(rec.channel_id); ch != c.st.channels.end())
        if (auto m = ch->second.messages.find(id); m != ch->second.messages.end())
            return {&m->second.obj, &ch->second, &m->second};
    throw unknown(10008, "Unknown Message");
}

bj::object render(route_ctx& c, const located& at)
{
    return at.channel ? c.st.render_message(*at.channel, *at.rec) : *at.obj;
}

// Edits a message of the interaction (or the one its component sits on); a deferred
// message stops loading. An ephemeral message stays ephemeral.
bj::object edit_message(route_ctx& c, const interaction_rec& rec, std::uint64_t id, const bj::object& body)
{
    auto at = locate_message(c, rec, id);
    auto& m = *at.obj;
    auto old_flags = flags_of(m);
    merge_fields(m, body, {"content", "embeds", "components", "attachments", "poll"});
    // Only SUPPRESS_EMBEDS may change; IS_COMPONENTS_V2 may be set, never cleared.
    std::uint64_t flags = old_flags & ~flag_loading;
    if (body.contains("flags")) {
        auto asked = flags_of(body);
        flags = (flags & ~suppress_embeds) | (asked & suppress_embeds) | (asked & components_v2);
    }
    m["flags"] = flags;
    m["edited_timestamp"] = discord_state::now_iso8601();
    auto msg = render(c, at);
    if (at.channel)
        emit(c, "MESSAGE_UPDATE", msg, at.channel->guild_id);
    return msg;
}

void delete_message(route_ctx& c, const interaction_rec& rec, std::uint64_t id)
{
    auto at = locate_message(c, rec, id);
    if (!at.channel) {
        c.core.interactions.ephemeral.erase(id);
        return;
    }
    bj::object d{{"id", id_str(id)}, {"channel_id", at.channel->obj.at("id")}};
    if (at.channel->guild_id)
        d["guild_id"] = id_str(at.channel->guild_id);
    auto guild = at.channel->guild_id;
    at.channel->messages.erase(id);
    emit(c, "MESSAGE_DELETE", std::move(d), guild);
}

bool is_ephemeral(const bj::object& msg) { return (flags_of(msg) & flag_ephemeral) != 0; }

// Runs one answer of the bot and records it, accepted or refused.
template <class F>
rest_response answering(route_ctx& c, interaction_rec& rec, answer_kind kind, int callback, F&& f)
{
    interaction_answer a;
    a.kind = kind;
    a.callback_type = callback;
    a.body = body_json(c);
    try {
        rest_response r = f(a);
        a.status = r.status;
        c.core.record_answer(rec, std::move(a));
        return r;
    } catch (const rest_failure& e) {
        auto refused = refused_answer(kind, callback, e);
        refused.body = std::move(a.body);
        c.core.record_answer(rec, std::move(refused));
        throw;
    }
}

int int_field(const bj::object& o, std::string_view key)
{
    auto* v = o.if_contains(key);
    return v && v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
}

void check_autocomplete(const bj::object& data)
{
    std::vector<field_failure> fails;
    auto* choices = data.if_contains("choices");
    if (choices && choices->is_array()) {
        const auto& list = choices->get_array();
        if (list.size() > 25)
            fails.push_back({"data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."});
        for (std::size_t i = 0; i < list.size(); ++i) {
            const bj::object* ch = list[i].if_object();
            auto* name = ch ? ch->if_contains("name") : nullptr;
            if (!name || !name->is_string() || name->get_string().empty() || name->get_string().size() > 100)
                fails.push_back({fmt::format("data.choices.{}.name", i), "BASE_TYPE_BAD_LENGTH",
                                 "Must be between 1 and 100 in length."});
            if (!ch || !ch->contains("value"))
                fails.push_back({fmt::format("data.choices.{}.value", i), "BASE_TYPE_REQUIRED", "This field is required"});
        }
    } else if (choices && !choices->is_null()) {
        fails.push_back({"data.choices", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"});
    }
    if (!fails.empty())
        throw invalid_form(std::move(fails));
}

void check_modal(const bj::object& data)
{
    form_check f;
    f.required(data, "custom_id");
    f.string(data, "custom_id", 1, 100);
    f.required(data, "title");
    f.string(data, "title", 1, 45);
    f.required(data, "components");
    for (auto& fail : f.fails)
        fail.path = "data." + fail.path;
    auto* comps = data.if_contains("components");
    if (comps && comps->is_array() && (comps->get_array().empty() || comps->get_array().size() > 5))
        f.fails.push_back({"data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."});
    f.done();
}

bj::object callback_response(const interaction_rec& rec, int type, const bj::object* msg)
{
    bj::object interaction{{"id", id_str(rec.id)}, {"type", rec.type}, {"channel_id", id_str(rec.channel_id)}};
    if (rec.guild_id)
        interaction["guild_id"] = id_str(rec.guild_id);
    if (msg) {
        interaction["response_message_id"] = msg->at("id");
        interaction["response_message_loading"] = (flags_of(*msg) & flag_loading) != 0;
        interaction["response_message_ephemeral"] = is_ephemeral(*msg);
    }
    bj::object out{{"interaction", std::move(interaction)}};
    if (msg && (type == cb_message || type == cb_update))
        out["resource"] = bj::object{{"type", type}, {"message", *msg}};
    return out;
}

rest_response create_response(route_ctx& c)
{
    auto& book = c.core.interactions;
    auto it = book.by_id.find(c.id("interaction_id"));
    if (it == book.by_id.end() || it->second.token != c.params.at("interaction_token"))
        throw unknown(10062, "Unknown interaction");
    auto& rec = it->second;
    int type = c.body.is_object() ? int_field(c.body.get_object(), "type") : 0;
    return answering(c, rec, answer_kind::callback, type, [&](interaction_answer& a) {
        const auto& body = body_object(c);
        if (!body.contains("type"))
            throw invalid_form({{"type", "BASE_TYPE_REQUIRED", "This field is required"}});
        if (auto refusal = callback_refusal(rec, type, book.now()))
            throw *refusal;
        const auto& data = object_field(body, "data");
        std::optional<bj::object> msg;
        switch (type) {
        case cb_message:
            check_message(data, "data.", true, settable_flags);
            msg = post_message(c, rec, data, flags_of(data), false);
            break;
        case cb_deferred_message:
            // The only flag a defer carries is EPHEMERAL; the user sees "thinking…".
            check_message(data, "data.", false, flag_ephemeral | suppress_notifications);
            msg = post_message(c, rec, bj::object{{"content", ""}},
                               (flags_of(data) & flag_ephemeral) | flag_loading, false);
            break;
        case cb_deferred_update:
            rec.original = rec.component_message;
            break;
        case cb_update:
            check_message(data, "data.", false, settable_flags);
            msg = edit_message(c, rec, rec.component_message, data);
            break;
        case cb_autocomplete:
            check_autocomplete(data);
            break;
        case cb_modal:
            check_modal(data);
            rec.modal = data;
            break;
        default:
            break;
        }
        if (msg) {
            rec.original = id_of(msg->if_contains("id"));
            a.message_id = snowflake{rec.original};
            a.ephemeral = is_ephemeral(*msg);
        } else if (rec.original) {
            a.message_id = snowflake{rec.original};
        }
        rec.initial = type;
        if (c.query("with_response") == "true")
            return json_response(200, callback_response(rec, type, msg ? &*msg : nullptr));
        return no_content();
    });
}

// --- the token routes ---------------------------------------------------------------------------

// The same routes for an ordinary webhook (an id other than the application's): the messages it
// executed. It has no @original (only an interaction does).
rest_response ordinary_webhook_message(route_ctx& c)
{
    auto hook = c.st.webhooks.find(c.id("webhook_id"));
    if (hook == c.st.webhooks.end())
        throw unknown(10015, "Unknown Webhook");
    if (hook->second.at("token").as_string() != c.params.at("webhook_token"))
        throw rest_failure{401, 50027, "Invalid Webhook Token", {}};
    if (!c.params.count("message_id"))
        throw unknown(10008, "Unknown Message");
    auto& ch = c.st.channel(id_of(hook->second.if_contains("channel_id")));
    auto mid = c.id("message_id");
    auto& m = c.st.message(ch, mid);
    if (id_of(m.obj.if_contains("webhook_id")) != hook->first)
        throw unknown(10008, "Unknown Message");
    if (c.req.method == "GET")
        return json_response(200, c.st.render_message(ch, m));
    if (c.req.method == "DELETE") {
        bj::object d{{"id", id_str(mid)}, {"channel_id", ch.obj.at("id")}};
        if (ch.guild_id)
            d["guild_id"] = id_str(ch.guild_id);
        ch.messages.erase(mid);
        emit(c, "MESSAGE_DELETE", std::move(d), ch.guild_id);
        return no_content();
    }
    const auto& body = body_object(c);
    check_message(body, "", false, suppress_embeds | components_v2);
    merge_fields(m.obj, body, {"content", "embeds", "components", "attachments"});
    m.obj["edited_timestamp"] = discord_state::now_iso8601();
    auto msg = c.st.render_message(ch, m);
    emit(c, "MESSAGE_UPDATE", msg, ch.guild_id);
    return json_response(200, msg);
}

bool is_application(route_ctx& c) { return c.id("webhook_id") == c.st.bot_id; }

interaction_rec& token_owner(route_ctx& c)
{
    auto* rec = c.core.interactions.find_token(c.params.at("webhook_token"));
    if (!rec)
        throw rest_failure{401, 50027, "Invalid Webhook Token", {}};
    return *rec;
}

void check_token(route_ctx& c, const interaction_rec& rec)
{
    if (auto refusal = token_route_refusal(rec, c.core.interactions.now()))
        throw *refusal;
}

std::uint64_t original_of(const interaction_rec& rec)
{
    if (!rec.original)
        throw unknown(10008, "Unknown Message");   // a modal or an autocomplete answer has no message
    return rec.original;
}

// A message of this interaction: @original or one of its followups.
std::uint64_t own_message(route_ctx& c, const interaction_rec& rec)
{
    auto id = c.id("message_id");
    if (id != rec.original && !rec.followups.count(id))
        throw unknown(10008, "Unknown Message");
    return id;
}

rest_response get_original(route_ctx& c)
{
    if (!is_application(c))
        return ordinary_webhook_message(c);
    auto& rec = token_owner(c);
    check_token(c, rec);
    return json_response(200, render(c, locate_message(c, rec, original_of(rec))));
}

// PATCH of one of an interaction's messages: @original or a followup, found by `which`.
template <class Which>
rest_response edit_answer(route_ctx& c, answer_kind kind, Which which)
{
    if (!is_application(c))
        return ordinary_webhook_message(c);
    auto& rec = token_owner(c);
    return answering(c, rec, kind, 0, [&](interaction_answer& a) {
        check_token(c, rec);
        auto id = which(rec);
        const auto& body = body_object(c);
        check_message(body, "", false, suppress_embeds | components_v2 | flag_ephemeral);
        auto msg = edit_message(c, rec, id, body);
        a.message_id = snowflake{id};
        a.ephemeral = is_ephemeral(msg);
        return json_response(200, msg);
    });
}

rest_response edit_original(route_ctx& c)
{
    return edit_answer(c, answer_kind::edit_original, [](const interaction_rec& rec) { return original_of(rec); });
}

rest_response delete_original(route_ctx& c)
{
    if (!is_application(c))
        return ordinary_webhook_message(c);
    auto& rec = token_owner(c);
    return answering(c, rec, answer_kind::delete_original, 0, [&](interaction_answer& a) {
        check_token(c, rec);
        auto id = original_of(rec);
        a.ephemeral = c.core.interactions.ephemeral.count(id) != 0;
        delete_message(c, rec, id);
        a.message_id = snowflake{id};
        return no_content();
    });
}

rest_response get_followup(route_ctx& c)
{
    if (!is_application(c))
        return ordinary_webhook_message(c);
    auto& rec = token_owner(c);
    check_token(c, rec);
    return json_response(200, render(c, locate_message(c, rec, own_message(c, rec))));
}

rest_response edit_followup(route_ctx& c)
{
    return edit_answer(c, answer_kind::edit_followup, [&c](const interaction_rec& rec) { return own_message(c, rec); });
}

rest_response delete_followup(route_ctx& c)
{
    if (!is_application(c))
        return ordinary_webhook_message(c);
    auto& rec = token_owner(c);
    return answering(c, rec, answer_kind::delete_followup, 0, [&](interaction_answer& a) {
        check_token(c, rec);
        auto id = own_message(c, rec);
        a.ephemeral = c.core.interactions.ephemeral.count(id) != 0;
        delete_message(c, rec, id);
        rec.followups.erase(id);
        a.message_id = snowflake{id};
        return no_content();
    });
}

std::string_view kind_name(answer_kind k)
{
    switch (k) {
    case answer_kind::callback: return "callback";
    case answer_kind::edit_original: return "edit_original";
    case answer_kind::delete_original: return "delete_original";
    case answer_kind::followup: return "followup";
    case answer_kind::edit_followup: return "edit_followup";
    case answer_kind::delete_followup: return "delete_followup";
    }
    return "unknown";
}

} // namespace

rest_response interaction_followup(route_ctx& c)
{
    if (!is_application(c))   // an interaction's token under another id
        throw unknown(10015, "Unknown Webhook");
    auto& rec = token_owner(c);
    return answering(c, rec, answer_kind::followup, 0, [&](interaction_answer& a) {
        check_token(c, rec);
        const auto& body = body_object(c);
        check_message(body, "", true, settable_flags);
        bj::object msg;
        // Discord's deprecated quirk: the first followup after a defer fills the loading
        // message instead of posting a new one, and its ephemeral flag is ignored.
        auto loading = rec.initial == cb_deferred_message && rec.followups.empty() && rec.original
            && [&] {
                   try {
                       return (flags_of(*locate_message(c, rec, rec.original).obj) & flag_loading) != 0;
                   } catch (const rest_failure&) {
                       return false;
                   }
               }();
        if (loading) {
            bj::object edit = body;
            edit.erase("flags");
            msg = edit_message(c, rec, rec.original, edit);
        } else {
            msg = post_message(c, rec, body, flags_of(body), true);
            rec.followups.insert(id_of(msg.if_contains("id")));
        }
        a.message_id = snowflake{id_of(msg.if_contains("id"))};
        a.ephemeral = is_ephemeral(msg);
        return json_response(200, msg);   // `wait` is always true for followups
    });
}

void add_interaction_routes(std::vector<route>& r)
{
    // No Authorization (the token is the credential), never counted against the global limit.
    r.insert(r.end(), {
        {"POST", "/interactions/{interaction_id}/{interaction_token}/callback", create_response, false, false},
        {"GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", get_original, false, false},
        {"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", edit_original, false, false},
        {"DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", delete_original, false, false},
        {"GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", get_followup, false, false},
        {"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", edit_followup, false, false},
        {"DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", delete_followup, false, false},
    });
}

static bj::object answers_json(const interaction_rec& rec)
{
    bj::array list;
    for (const auto& a : rec.answers) {
        bj::object o{{"kind", kind_name(a.kind)}, {"status", a.status}};
        if (a.callback_type)
            o["callback_type"] = a.callback_type;
        if (a.error_code)
            o["error_code"] = a.error_code;
        o["body"] = a.body.is_null() ? bj::value(nullptr) : to_bj(a.body);
        if (a.message_id.value)
            o["message_id"] = id_str(a.message_id.value);
        o["ephemeral"] = a.ephemeral;
        list.push_back(std::move(o));
    }
    return {{"id", id_str(rec.id)}, {"answers", std::move(list)}};
}

rest_response server_core::interactions_control(const rest_request& req, std::string_view path)
{
    // POST /_fake/interactions {act}: a user's act, delivered; answers {"id", "token", "payload"}.
    // GET /_fake/interactions/{id}: what the bot answered so far.
    try {
        if (req.method == "POST" && path == "/interactions") {
            boost::system::error_code ec;
            auto v = bj::parse(req.body, ec);
            if (ec || !v.is_object())
                throw rest_failure{400, 50109, "The request body contains invalid JSON.", {}};
            auto& rec = create_interaction(v.get_object());
            deliver_interaction(rec.id);
            return json_response(200, bj::object{{"id", id_str(rec.id)}, {"token", rec.token}, {"payload", rec.payload}});
        }
        if (req.method == "GET" && path.starts_with("/interactions/")) {
            auto it = interactions.by_id.find(parse_id(path.substr(14)));
            if (it == interactions.by_id.end())
                throw unknown(10062, "Unknown interaction");
            return json_response(200, answers_json(it->second));
        }
        return failure_response({405, 0, "405: Method Not Allowed", {}});
    } catch (const rest_failure& f) {
        return failure_response(f);
    }
}

} // namespace cord::testing::detail
