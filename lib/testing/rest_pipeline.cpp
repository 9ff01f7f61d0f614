// cord::testing: the REST pipeline. Every request is recorded, then goes through injected
// faults, route matching, authentication, rate limits, body parsing and its handler, in
// the order Discord's edge applies them.
// SPDX-License-Identifier: BSL-1.0
#include "core.hpp"
#include "schema_answers.hpp"
#include "surface_routes.hpp"

#include <cord/logging.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace cord::testing::detail {

namespace {

constexpr std::string_view api_prefix = "/api/v10";

std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/')
            path.remove_prefix(1);
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    return out;
}

bool is_placeholder(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

std::string percent_decode(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            auto hex = [](char c) -> int {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                return -1;
            };
            int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i] == '+' ? ' ' : s[i];
    }
    return out;
}

// Routes starting with /channels/{id}, /guilds/{id} or /webhooks/{id}[/{token}] are limited
// per that resource (reference/rate-limits.md, "major parameter"); an interaction's callback
// per interaction (reference/interactions.md §3: the key is the interaction).
std::string major_of(std::string_view tmpl, const std::vector<std::string_view>& segs)
{
    auto t = split_path(tmpl);
    if (t.size() < 2 || !is_placeholder(t[1]))
        return {};
    if (t[0] != "channels" && t[0] != "guilds" && t[0] != "webhooks" && t[0] != "interactions")
        return {};
    std::string major{segs[1]};
    if ((t[0] == "webhooks" || t[0] == "interactions") && t.size() >= 3 && t[2].find("token") != std::string_view::npos)
        major += "/" + std::string{segs[2]};
    return major;
}

rest_response simple_error(int status, std::string_view message)
{
    rest_response r;
    r.status = status;
    r.body = bj::serialize(bj::object{{"message", message}, {"code", 0}});
    return r;
}

std::string header(const rest_request& req, const std::string& name)
{
    auto it = req.headers.find(name);
    return it == req.headers.end() ? std::string{} : it->second;
}

// A multipart/form-data body: its JSON part ("payload_json") or else its text fields (the form
// Create Guild Sticker takes), and its file parts.
struct multipart_parts {
    std::optional<std::string> payload_json;
    bj::object fields;
    std::vector<uploaded_file> files;
};

multipart_parts parse_multipart(const rest_request& req)
{
    multipart_parts out;
    auto ct = header(req, "content-type");
    auto b = ct.find("boundary=");
    if (b == std::string::npos)
        return out;
    std::string boundary = ct.substr(b + 9);
    if (!boundary.empty() && boundary.front() == '"')
        boundary = boundary.substr(1, boundary.find('"', 1) - 1);
    std::string delim = "--" + boundary;
    std::string_view body = req.body;
    // A part's header parameter: name="…", filename="…"; "" when absent.
    auto param = [](std::string_view head, std::string_view key) {
        for (auto at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
            if (at > 0 && head[at - 1] != ' ' && head[at - 1] != ';')
                continue;   // "name=" inside "filename="
            auto start = at + key.size();
            auto end = head.find('"', start);
            return end == std::string_view::npos ? std::string{} : std::string{head.substr(start, end - start)};
        }
        return std::string{};
    };
    std::size_t pos = body.find(delim);
    while (pos != std::string_view::npos) {
        pos += delim.size();
        if (body.substr(pos, 2) == "--")
            break;
        auto head_end = body.find("\r\n\r\n", pos);
        if (head_end == std::string_view::npos)
            break;
        auto head = body.substr(pos, head_end - pos);
        auto next = body.find(delim, head_end);
        if (next == std::string_view::npos)
            break;
        auto content = body.substr(head_end + 4, next - head_end - 4);
        if (content.size() >= 2 && content.substr(content.size() - 2) == "\r\n")
            content.remove_suffix(2);
        auto name = param(head, "name=\"");
        if (head.find("filename=\"") != std::string_view::npos) {
            std::string type;
            if (auto t = head.find("Content-Type: "); t != std::string_view::npos)
                type = std::string{head.substr(t + 14, head.find("\r\n", t) - t - 14)};
            out.files.push_back({name, param(head, "filename=\""), type, content.size()});
        } else if (name == "payload_json") {
            out.payload_json = std::string{content};
        } else if (!name.empty()) {
            out.fields[name] = content;
        }
        pos = next;
    }
    return out;
}

} // namespace

rest_response failure_response(const rest_failure& f)
{
    rest_response r;
    r.status = f.status;
    r.body = error_body(f);
    return r;
}

std::uint64_t route_ctx::id(std::string_view name) const
{
    auto it = params.find(name);
    std::string_view v = it == params.end() ? std::string_view{} : std::string_view{it->second};
    auto id = parse_id(v);
    if (id == 0)
        throw invalid_form({{std::string{name}, "NUMBER_TYPE_COERCE",
                             fmt::format("Value \"{}\" is not snowflake.", v)}});
    return id;
}

std::string route_ctx::query(std::string_view key) const
{
    std::string_view q = req.query;
    while (!q.empty()) {
        auto amp = q.find('&');
        auto pair = q.substr(0, amp);
        auto eq = pair.find('=');
        if (percent_decode(pair.substr(0, eq)) == key)
            return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    }
    return {};
}

rest_response json_response(int status, const bj::value& v)
{
    rest_response r;
    r.status = status;
    r.body = bj::serialize(v);
    return r;
}

rest_response no_content()
{
    rest_response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

server_core::server_core(fake_discord_options opts)
    : options(std::move(opts)), state(options.guilds),
      limiter(options.rate_limits, options.global_limit_per_second),
      session_starts_remaining(options.session_start_remaining)
{
    add_channel_routes(routes_);
    add_guild_routes(routes_);
    add_user_routes(routes_);
    add_misc_routes(routes_);
    add_command_routes(routes_);
    add_interaction_routes(routes_);
    add_thread_routes(routes_);
    add_moderation_routes(routes_);
    add_scheduled_event_routes(routes_);
    add_stage_routes(routes_);
    add_template_routes(routes_);
    add_poll_routes(routes_);
    add_sticker_routes(routes_);
    add_app_emoji_routes(routes_);
}

std::uint64_t server_core::register_closer(std::function<void()> f)
{
    std::lock_guard lock{mu};
    auto id = next_closer_++;
    closers[id] = std::move(f);
    return id;
}

void server_core::unregister_closer(std::uint64_t id)
{
    std::lock_guard lock{mu};
    closers.erase(id);
}

rest_response server_core::handle_rest(const rest_request& req)
{
    std::lock_guard lock{mu};
    ++counters.requests;
    recorded_request rec;
    rec.method = req.method;
    rec.path = req.target_path;
    rec.query = req.query;
    rec.headers = req.headers;
    rec.body = req.body;
    rec.at = std::chrono::steady_clock::now();

    rest_response resp;
    std::string_view path = req.target_path;
    if (options.control_endpoint && path.starts_with("/_fake/")) {
        resp = control_request(req, path.substr(6));
    } else if (fail_count > 0) {
        --fail_count;
        resp = simple_error(fail_status, fmt::format("{}: injected failure", fail_status));
    } else if (storm_count > 0) {
        --storm_count;
        auto refused = too_many_requests(std::chrono::duration<double>(storm_retry_after).count(), storm_global);
        resp.status = refused.status;
        resp.body = std::move(refused.body);
        resp.headers = std::move(refused.headers);
        ++counters.rate_limited;
        ++counters.invalid_requests;
        if (storm_global)
            ++counters.global_rate_limited;
    } else if (!path.starts_with(api_prefix)) {
        resp = simple_error(404, "404: Not Found");
    } else {
        path.remove_prefix(api_prefix.size());
        resp = route_request(req, path);
    }
    if (resp.status == 401 || resp.status == 403)
        ++counters.invalid_requests;
    std::string_view under_api = req.target_path;
    if (under_api.starts_with(api_prefix))
        under_api.remove_prefix(api_prefix.size());
    if (under_api.starts_with(rest_delay_prefix))
        resp.delay = rest_delay;
    rec.status = resp.status;
    requests.push_back(std::move(rec));
    return resp;
}

rest_response server_core::route_request(const rest_request& req, std::string_view path)
{
    auto segs = split_path(path);
    const route* best = nullptr;
    int best_literals = -1;
    bool path_matched = false;
    std::map<std::string, std::string, std::less<>> params;
    for (const auto& r : routes_) {
        auto t = split_path(r.path);
        if (t.size() != segs.size())
            continue;
        int literals = 0;
        bool ok = true;
        for (std::size_t i = 0; i < t.size() && ok; ++i) {
            if (is_placeholder(t[i]))
                ok = !segs[i].empty();
            else if (t[i] == segs[i])
                ++literals;
            else
                ok = false;
        }
        if (!ok)
            continue;
        path_matched = true;
        if (r.method == req.method && literals > best_literals) {
            best = &r;
            best_literals = literals;
        }
    }
    if (const route* shaped = schema_route(req.method, path, best_literals))
        best = shaped;
    if (!best)
        return path_matched ? simple_error(405, "405: Method Not Allowed") : simple_error(404, "404: Not Found");
    auto t = split_path(best->path);
    for (std::size_t i = 0; i < t.size(); ++i)
        if (is_placeholder(t[i]))
            params[std::string{t[i].substr(1, t[i].size() - 2)}] = percent_decode(segs[i]);

    if (best->auth && header(req, "authorization") != "Bot " + options.token)
        return simple_error(401, "401: Unauthorized");

    auto decision = limiter.admit(best->method, best->path, major_of(best->path, segs),
                                  best->counts_global && best->auth, clock::now());
    rest_response resp;
    if (decision.status == 429) {
        ++counters.rate_limited;
        ++counters.invalid_requests;
        if (decision.global)
            ++counters.global_rate_limited;
        resp.status = 429;
        resp.body = std::move(decision.body);
        resp.headers = std::move(decision.headers);
        return resp;
    }

    route_ctx ctx{*this, state, req, std::move(params), nullptr, {}};
    try {
        std::string payload = req.body;
        auto ct = header(req, "content-type");
        std::optional<bj::object> form_fields;
        if (ct.starts_with("multipart/form-data")) {
            auto parts = parse_multipart(req);
            payload = parts.payload_json.value_or("");
            if (!parts.payload_json && !parts.fields.empty())
                form_fields = std::move(parts.fields);
            ctx.files = std::move(parts.files);
        } else if (!req.body.empty() && !ct.starts_with("application/json")
                   && !ct.starts_with("application/x-www-form-urlencoded")) {
            throw invalid_form({{"", "CONTENT_TYPE_INVALID",
                                 "Expected \"Content-Type\" header to be one of {'application/json', "
                                 "'application/x-www-form-urlencoded', 'multipart/form-data'}."}});
        }
        if (!payload.empty()) {
            boost::system::error_code ec;
            ctx.body = bj::parse(payload, ec);
            if (ec)
                throw rest_failure{400, 50109, "The request body contains invalid JSON.", {}};
        }
        if (form_fields) {
            ctx.body = std::move(*form_fields);   // a form's file is the handler's (ctx.files)
        } else if (!ctx.files.empty()) {         // beside payload_json: a message's attachments
            if (!ctx.body.is_object())
                ctx.body = bj::object{};
            auto& atts = ctx.body.get_object()["attachments"];
            bj::array list;
            for (const auto& f : ctx.files)
                list.push_back(bj::object{{"id", id_str(state.next_id())}, {"filename", f.filename},
                                          {"size", 0}, {"url", "https://cdn.invalid/" + f.filename},
                                          {"proxy_url", "https://cdn.invalid/" + f.filename}});
            atts = std::move(list);
        }
        resp = best->handler(ctx);
    } catch (const rest_failure& f) {
        resp = failure_response(f);
    } catch (const std::exception& e) {
        discord_logger().log(log_level::error, "fake-discord",
                             fmt::format("handler for {} {} failed: {}", req.method, best->path, e.what()));
        resp = simple_error(500, "500: Internal Server Error");
    }
    for (const auto& ev : ctx.events)
        emit(ev);
    for (auto& h : decision.headers)
        resp.headers.push_back(std::move(h));
    return resp;
}

rest_response server_core::post_as_control(const std::string& body)
{
    // Body: {"channel_id": "...", "content": "...", "username"?: "..."}: a person typing in a
    // channel, for trying a bot by hand. A new name is a new user, who joins the channel's guild.
    boost::system::error_code ec;
    auto v = bj::parse(body, ec);
    const bj::object* o = ec ? nullptr : v.if_object();
    auto text = [&](std::string_view key) -> std::optional<std::string> {
        const bj::value* f = o ? o->if_contains(key) : nullptr;
        if (f && f->is_string())
            return std::string{f->get_string()};
        return std::nullopt;
    };
    auto channel_text = text("channel_id");
    auto content = text("content");
    std::uint64_t channel = 0;
    if (channel_text) {
        auto [end, err] = std::from_chars(channel_text->data(), channel_text->data() + channel_text->size(), channel);
        if (err != std::errc{} || end != channel_text->data() + channel_text->size())
            channel = 0;
    }
    if (!channel || !content || content->empty())
        return simple_error(400, "400: expected {\"channel_id\": \"id\", \"content\": text, \"username\"?: name}");
    try {
        auto guild = state.channel(channel).guild_id;
        auto author = user_named(text("username").value_or("user"));
        if (guild && !state.guild(guild).members.count(author))
            join_guild(guild, author);
        return json_response(200, post_as_user(author, channel, *content));
    } catch (const rest_failure& f) {
        return failure_response(f);
    }
}

rest_response server_core::control_request(const rest_request& req, std::string_view path)
{
    // POST /_fake/<fault>?shard=N&code=N&... : the standalone program's fault injection.
    route_ctx ctx{*this, state, req, {}, nullptr, {}};
    auto shard_text = ctx.query("shard");
    std::optional<int> shard;
    if (!shard_text.empty())
        shard = std::atoi(shard_text.c_str());
    auto number = [&](std::string_view key, int fallback) {
        auto v = ctx.query(key);
        return v.empty() ? fallback : std::atoi(v.c_str());
    };
    if (path == "/interactions" || path.starts_with("/interactions/"))
        return interactions_control(req, path);
    if (req.method != "POST")
        return simple_error(405, "405: Method Not Allowed");
    auto links_now = open_links(shard);
    if (path == "/fault/drop") {
        for (auto& l : links_now)
            l->drop();
    } else if (path == "/fault/reconnect") {
        for (auto& l : links_now)
            l->send(std::make_shared<const std::string>(R"({"op":7,"d":null,"s":null,"t":null})"));
    } else if (path == "/fault/invalid-session") {
        bool resumable = ctx.query("resumable") == "true";
        for (auto& l : links_now)
            l->send(std::make_shared<const std::string>(
                fmt::format(R"({{"op":9,"d":{},"s":null,"t":null}})", resumable)));
    } else if (path == "/fault/close") {
        for (auto& l : links_now)
            l->close(number("code", 4000));
    } else if (path == "/fault/withhold-acks") {
        withhold_acks = ctx.query("on") != "false";
    } else if (path == "/fault/stall") {
        stall_until = clock::now() + std::chrono::milliseconds{number("ms", 1000)};
    } else if (path == "/fault/malformed") {
        for (auto& l : links_now)
            l->send(std::make_shared<const std::string>("{\"op\":0,\"d\":{\"broken\""));
    } else if (path == "/fault/delay-rest") {
        rest_delay = std::chrono::milliseconds{number("ms", 0)};
    } else if (path == "/fault/fail-rest") {
        fail_status = number("status", 500);
        fail_count = number("count", 1);
    } else if (path == "/fault/invalidate-sessions") {
        sessions.clear();
    } else if (path == "/messages") {
        return post_as_control(req.body);
    } else if (path == "/polls/votes" || path == "/scheduled-events/interest" || path == "/thread-clock") {
        return surface_control(req, path);
    } else if (path == "/dispatch") {
        // Body: {"t": "EVENT_NAME", "d": {...}, "shard"?: n}
        boost::system::error_code ec;
        auto v = bj::parse(req.body, ec);
        if (ec || !v.is_object() || !v.get_object().contains("t") || !v.get_object()["t"].is_string())
            return simple_error(400, "400: expected {\"t\": name, \"d\": object}");
        auto& o = v.get_object();
        bj::object d = o.contains("d") && o["d"].is_object() ? o["d"].get_object() : bj::object{};
        std::string name{o["t"].get_string()};
        if (shard)
            emit_to_shard(*shard, name, d);
        else
            emit({name, d, id_of(d.if_contains("guild_id"))});
    } else {
        return simple_error(404, "404: Not Found");
    }
    return no_content();
}

} // namespace cord::testing::detail
