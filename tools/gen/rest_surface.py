#!/usr/bin/env python3
"""Writes cord's REST surface from Discord's API as data (reference/discord-api/): the route table
(lib/http/routes.hpp), the declarations of every function beyond the seed's
(include/cord/http/<group>.hpp), their definitions (lib/http/gen_*.cpp), the definitions of the
seed's functions that are one call (lib/http/gen_seed.cpp), the request-log test cases
(test/http/surface_cases.cpp) and docs/rest.md.

    python3 tools/gen/rest_surface.py [path/to/discord-api] [--check]

--check compares instead of writing (exit 1 when a checked-in file is stale).

Names: the seed's functions (test/data/endpoints.tsv, above "# beyond the seed") keep the seed's
names and their hand-written declarations (racket-cord's signatures; SEED_WRITTEN below are
defined by hand too, in lib/http/{channel,guild,user,webhook}.cpp); every other
operation of operations.tsv is named after the docs (endpoints-docs.tsv) in snake_case, unless
tools/gen/rest_exclusions.tsv leaves it out, with its reason."""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_REF = ROOT.parent / "shared" / "reference" / "discord-api"
EXCLUSIONS = ROOT / "tools" / "gen" / "rest_exclusions.tsv"
SEED = ROOT / "test" / "data" / "endpoints.tsv"

# What the seed's removed functions say instead of sending anything.
REMOVED = {
    "delete-guild": "Discord removed Delete Guild (DELETE /guilds/{guild_id}) in July 2025 together with app-owned "
                    "guilds: a bot can no longer own, so no longer delete, a guild. To leave one, call "
                    "cord::http::leave_guild",
    "create-guild-integration": "Discord removed Create Guild Integration (POST /guilds/{guild_id}/integrations) "
                                "in April 2021 and blocks bots from it; there is no replacement: users add "
                                "integrations in Discord, a bot can list them (get_guild_integrations) or delete "
                                "one (delete_guild_integration)",
    "modify-guild-integration": "Discord removed Modify Guild Integration (PATCH /guilds/{guild_id}/integrations/"
                                "{integration_id}) in April 2021 and blocks bots from it; there is no "
                                "replacement: users configure integrations in Discord",
    "sync-guild-integrations": "Discord removed Sync Guild Integration (POST /guilds/{guild_id}/integrations/"
                               "{integration_id}/sync) in April 2021 and blocks bots from it; there is no "
                               "replacement: Discord syncs integrations itself",
    "get-user-dms": "Discord removed Get User DMs (GET /users/@me/channels) in April 2021 (it returned [] for "
                    "bots); there is no replacement: keep the DM channel ids that create_dm and MESSAGE_CREATE "
                    "give you",
}

# Operations Discord documents as plain form fields, not payload_json + files[n]: every member of
# the body is a text field and the one file the part `file` (Create Guild Sticker: "multipart/
# form-data only: name, description, tags, file").
FORM_FIELDS = {"create_guild_sticker"}

# Which public header (include/cord/http/<group>.hpp) declares a generated function: the docs'
# resource, except where the seed's headers already use the name or a resource is split.
RESOURCE_GROUP = {
    "application-command": "application_command",
    "interaction": "interaction",
    "application": "application",
    "application-role-connection-metadata": "application",
    "oauth2": "application",
    "audit-log": "audit_log",
    "auto-moderation": "auto_moderation",
    "emoji": "emoji",
    "entitlement": "monetization",
    "sku": "monetization",
    "subscription": "monetization",
    "guild-scheduled-event": "scheduled_event",
    "guild-template": "guild_template",
    "invite": "invite",
    "message": "message",
    "poll": "poll",
    "soundboard": "soundboard",
    "stage-instance": "stage_instance",
    "sticker": "sticker",
    "voice": "voice",
    "webhook": "webhook_message",
    "user": "connection",
}

GROUP_TITLE = {
    "application": "the application itself, its role-connection metadata and activity instances",
    "application_command": "application commands: global and guild commands, bulk overwrite, permissions",
    "audit_log": "the guild audit log",
    "auto_moderation": "auto-moderation rules",
    "ban": "guild bans beyond the seed's: one ban, bulk ban",
    "connection": "the current user's connections",
    "emoji": "application emojis (guild emojis are the seed's, in <cord/http/guild.hpp>)",
    "guild_settings": "guild settings: preview, widget, vanity URL, welcome screen, onboarding, incident actions",
    "guild_template": "guild templates",
    "interaction": "interaction responses and followup messages (interaction token: no Authorization)",
    "invite": "invites",
    "member": "guild members beyond the seed's: search",
    "message": "messages beyond the seed's: crosspost, search, reactions by emoji, announcement follows",
    "monetization": "entitlements, SKUs and subscriptions",
    "poll": "polls: answer voters, ending a poll",
    "role": "guild roles beyond the seed's: one role, member counts",
    "scheduled_event": "guild scheduled events",
    "soundboard": "soundboard sounds",
    "stage_instance": "stage instances",
    "sticker": "stickers and sticker packs",
    "thread": "threads and forum posts",
    "voice": "voice regions, voice states and voice channel status",
    "webhook_message": "webhook messages and Slack/GitHub-compatible webhooks",
}

# The definitions' translation units: a few, so that a full rebuild stays cheap.
TU_OF_GROUP = {
    "application": "gen_application", "application_command": "gen_application", "connection": "gen_application",
    "emoji": "gen_application", "interaction": "gen_application", "monetization": "gen_application",
    "invite": "gen_channel", "message": "gen_channel", "poll": "gen_channel", "soundboard": "gen_channel",
    "stage_instance": "gen_channel", "sticker": "gen_channel", "thread": "gen_channel", "voice": "gen_channel",
    "webhook_message": "gen_channel",
    "audit_log": "gen_guild", "auto_moderation": "gen_guild", "ban": "gen_guild", "guild_settings": "gen_guild",
    "guild_template": "gen_guild", "member": "gen_guild", "role": "gen_guild", "scheduled_event": "gen_guild",
}

# Seed functions whose C++ name is not the seed's name with '-' -> '_'.
SEED_FUNCTION = {"add-guild-member-rols": "add_guild_member_role"}

# The seed's functions are declared by hand (racket-cord's signatures, documented in
# <cord/http/channel.hpp>, guild, user, webhook, gateway). Their definitions are generated
# (lib/http/gen_seed.cpp) when the signature is the route's ids, then `data` for a JSON body,
# then `reason`; these build their body or query from other arguments and are written by hand
# (lib/http/channel.cpp, guild.cpp, user.cpp, webhook.cpp), as are the removed routes.
SEED_WRITTEN = {
    "get_channel_messages", "create_message", "edit_message", "get_reactions", "bulk_delete_messages",
    "edit_channel_permissions", "create_channel_invite", "get_pinned_messages", "group_dm_add_recipient",
    "create_guild_emoji", "modify_guild_emoji", "get_guild", "list_guild_members", "modify_user_nick",
    "get_guild_bans", "create_guild_ban", "get_guild_prune_count", "begin_guild_prune", "modify_current_user",
    "get_current_user_guilds", "create_dm", "create_webhook", "modify_webhook", "modify_webhook_with_token",
    "execute_webhook",
}
SEED_HEADERS = ["channel", "gateway", "guild", "user", "webhook"]


def shape(path):
    return re.sub(r"\{[^}]*\}", "{}", path)


def holes(path):
    return re.findall(r"\{([^}]*)\}", path)


def snake(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def tsv_rows(path, header):
    rows = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#") or line.startswith(header):
            continue
        rows.append(line.split("\t"))
    return rows


def read_ops(ref):
    lines = ref.joinpath("operations.tsv").read_text().splitlines()
    source = lines[0].lstrip("# ").strip()
    ops = []
    for line in lines[2:]:
        if not line.strip():
            continue
        f = line.split("\t")
        op = dict(zip(["id", "method", "path", "auth", "body", "body_schema", "path_params", "query_params",
                       "status", "response_schema"], f))
        op["path_types"] = [p.split(":", 1)[1] for p in op["path_params"].split()] if op["path_params"] != "-" else []
        op["query"] = []
        if op["query_params"] != "-":
            for q in op["query_params"].split():
                name, typ = q.split(":", 1)
                optional = typ.endswith("?")
                op["query"].append((name, typ[:-1] if optional else typ, optional))
        op["bodies"] = set() if op["body"] == "-" else set(op["body"].split("+"))
        ops.append(op)
    return source, ops


def read_docs(ref):
    lines = ref.joinpath("endpoints-docs.tsv").read_text().splitlines()
    source = lines[0].lstrip("# ").strip()
    docs = []
    for line in lines[2:]:
        f = (line.split("\t") + [""] * 5)[:5]
        resource, method, path, name, notes = f
        if "(REMOVED)" in name or "(SPEC-ONLY)" in name or "(deprecated)" in name:
            continue
        docs.append({"resource": resource, "method": method, "path": path, "name": name, "notes": notes})
    return source, docs


def read_seed():
    rows = []
    for line in SEED.read_text().splitlines():
        if line.startswith("# beyond the seed"):
            break
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        f = line.split("\t")
        rows.append({"name": f[0], "method": f[1], "path": f[2], "major": f[3], "body": f[4],
                     "reason": f[5] == "yes", "status": f[6], "notes": f[7] if len(f) > 7 else ""})
    return rows


def read_exclusions():
    return {f[0]: f[1] for f in tsv_rows(EXCLUSIONS, "operation_id\t")}


def major_of(path):
    h = holes(path)
    if path.startswith("/channels/{"):
        return "channel"
    if path.startswith("/guilds/{"):
        return "guild"
    if path.startswith("/webhooks/{"):
        segs = path.split("/")
        return "webhook_token" if len(segs) > 3 and segs[3].startswith("{") and h[1].endswith("_token") else "webhook"
    return "no_major"


class Row:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def build(ref):
    ops_source, ops = read_ops(ref)
    docs_source, docs = read_docs(ref)
    excluded = read_exclusions()
    by_shape = {}
    for op in ops:
        by_shape.setdefault((op["method"], shape(op["path"])), []).append(op)
    ids = {op["id"] for op in ops}
    for op_id in excluded:
        if op_id not in ids:
            raise SystemExit(f"rest_exclusions.tsv names {op_id}, which operations.tsv does not have")
    docs_of = {}
    for d in docs:
        for op in by_shape.get((d["method"], shape(d["path"])), []):
            docs_of.setdefault(op["id"], []).append(d)

    rows, covered = [], set()
    for s in read_seed():
        fn = SEED_FUNCTION.get(s["name"], s["name"].replace("-", "_"))
        if s["status"] == "removed":
            rows.append(Row(name=s["name"], fn=fn, method=s["method"], path=s["path"], op=None, seed=True,
                            major=major_of(s["path"]), body=s["body"], reason=s["reason"], authorized=True,
                            interaction=False, removed=REMOVED[s["name"]], query=[], group=None,
                            docs_name="", notes=s["notes"], resource=""))
            continue
        match = [op for op in by_shape.get((s["method"], shape(s["path"])), []) if op["id"] not in excluded]
        if len(match) != 1:
            raise SystemExit(f"seed function {s['name']}: {len(match)} operations at {s['method']} {s['path']}")
        op = match[0]
        covered.add(op["id"])
        d = (docs_of.get(op["id"]) or [{"name": "", "notes": "", "resource": ""}])[0]
        row = row_for(op, s["name"], fn, op["path"], d, seed=True, seed_reason=s["reason"])
        row.seed_data, row.seed_reason = s["body"] == "json", s["reason"]
        rows.append(row)

    seed_fns = {r.fn for r in rows}
    for op in ops:
        if op["id"] in excluded:
            continue
        named = docs_of.get(op["id"], [])
        if op["id"] in covered:
            # The seed's function covers the operation; the docs' interaction names for the same
            # route (followups are webhook routes) are functions of their own.
            named = [d for d in named if d["resource"] == "interaction"]
        elif not named:
            print(f"warning: {op['id']} has no docs name; named after the operation", file=sys.stderr)
            named = [{"name": op["id"], "notes": "", "resource": "", "method": op["method"], "path": op["path"]}]
        for d in named:
            fn = snake(d["name"])
            path = op["path"]
            if d["resource"] == "interaction":
                path = re.sub(r"\{([a-z_]+)\.([a-z_]+)\}", r"{\1_\2}", d["path"])
            if fn in seed_fns or any(r.fn == fn for r in rows):
                raise SystemExit(f"two functions named {fn}")
            rows.append(row_for(op, fn.replace("_", "-"), fn, path, d, seed=False))
    for r in rows:
        if not r.seed:
            r.group = group_of(r)
    return {"ops_source": ops_source, "docs_source": docs_source, "rows": rows, "excluded": excluded}


def row_for(op, name, fn, path, d, seed, seed_reason=False):
    token_hole = any(h.endswith("_token") for h in holes(path))
    bodies = op["bodies"]
    body = []
    if op["id"] in FORM_FIELDS:
        body.append("form_fields")
    elif "multipart" in bodies:
        body.append("multipart")
    elif "json" in bodies:
        body.append("json_body")
    if op["query"]:
        body.append("query")
    reason = "X-Audit-Log-Reason" in d["notes"] or seed_reason
    authorized = not ((op["auth"] == "bot,optional" and token_hole) or op["path"] == "/gateway")
    return Row(name=name, fn=fn, method=op["method"], path=path, op=op, seed=seed, major=major_of(path),
               body=" | ".join(body) if body else "no_body", reason=reason, authorized=authorized,
               interaction="{interaction_token}" in path, removed="", query=op["query"], group=None,
               docs_name=d["name"], notes=d["notes"], resource=d["resource"])


def group_of(r):
    p = r.path
    if "/thread" in p:
        return "thread"
    if r.resource == "channel":
        return "voice" if p.endswith("/voice-status") else "message"
    if r.resource == "guild":
        if "/members/search" in p:
            return "member"
        if "/bans/" in p or "/bulk-ban" in p:
            return "ban"
        if "/roles/" in p:
            return "role"
        if p.endswith("/regions"):
            return "voice"
        return "guild_settings"
    if r.resource not in RESOURCE_GROUP:
        raise SystemExit(f"{r.fn}: no header for resource '{r.resource}'")
    return RESOURCE_GROUP[r.resource]


# --- C++ types ----------------------------------------------------------------------------------

def load_schemas(ref):
    return json.loads(ref.joinpath("schemas.json").read_text())["schemas"]


def query_cpp(typ, schemas):
    """(C++ type, put function) for a query parameter's type expression."""
    joined = typ.startswith("string|array<")
    if typ.startswith("array<") or joined:
        inner = typ[typ.index("array<") + 6:-1].rstrip("?")
        if inner == "SnowflakeType":
            elem = "id_arg"
        elif inner.startswith("string") or schemas.get(inner, {}).get("base") == "string":
            elem = "std::string_view"
        else:
            elem = "int"
        return f"std::span<const {elem}>", ("put_joined" if joined else "put_each")
    if typ == "SnowflakeType":
        return "std::optional<id_arg>", "put"
    if typ.startswith("integer"):
        return "std::optional<int>", "put"
    if typ == "boolean":
        return "std::optional<bool>", "put"
    if typ.startswith("string"):
        return "std::string_view", "put"
    s = schemas.get(typ)
    if s and s.get("kind") == "enum":
        return ("std::optional<int>", "put") if s["base"] == "integer" else ("std::string_view", "put")
    raise SystemExit(f"no C++ type for query type {typ}")


def path_cpp(name, typ):
    return "id_arg" if typ == "SnowflakeType" or typ.startswith("integer") else "std::string_view"


def query_doc(name, typ, schemas):
    s = schemas.get(typ.split("<")[-1].rstrip(">?"))
    extra = ""
    if s and s.get("kind") == "enum":
        extra = ": " + ", ".join(f"{v} {k}" if s["base"] == "integer" else str(v) for k, v in list(s["values"].items())[:8])
        if len(s["values"]) > 8:
            extra += ", ..."
    what = {"std::optional<id_arg>": "an id", "std::optional<int>": "an integer", "std::optional<bool>": "true/false"}
    return f"`{name}` ({typ}{extra})"


class Fn:
    """A generated function's C++ pieces."""

    def __init__(self, r, schemas):
        self.r = r
        op = r.op
        self.params = [(h, path_cpp(h, t)) for h, t in zip(holes(r.path), op["path_types"])]
        self.required = [(n, t) for n, t, opt in r.query if not opt]
        for n, t in self.required:
            if not t.startswith("string"):
                raise SystemExit(f"{r.fn}: required query parameter {n} of type {t}")
        self.fields = [(n, *query_cpp(t, schemas), query_doc(n, t, schemas)) for n, t, opt in r.query if opt]
        self.files = "multipart" in r.body
        self.form_file = "form_fields" in r.body
        self.body = "json_body" in r.body or self.files or self.form_file
        self.options = bool(self.fields) or r.reason or self.files or self.form_file
        self.options_type = f"{r.fn}_options"

    def signature(self, defaults):
        args = ["rest_client& client"]
        args += [f"{t} {n}" for n, t in self.params]
        args += [f"std::string_view {n}" for n, _ in self.required]
        if self.body:
            args.append("const json& body")
        if self.options:
            args.append(f"const {self.options_type}& options" + (" = {}" if defaults else ""))
        return packed_signature(self.r.fn, args)


def packed_signature(fn, args):
    """`awaitable<json> fn(args...)`, the arguments packed into lines of at most 110 columns."""
    head = f"awaitable<json> {fn}("
    text = head + ", ".join(args) + ")"
    if len(text) <= 110:
        return text
    lines, line = [], head
    for i, a in enumerate(args):
        piece = a + (", " if i + 1 < len(args) else ")")
        if len(line) + len(piece.rstrip()) > 110 and line.strip() != head.strip():
            lines.append(line.rstrip())
            line = " " * len(head)
        line += piece
    lines.append(line)
    return "\n".join(lines)


def wrap(text, width, prefix):
    out, line = [], ""
    for word in text.split():
        if line and len(prefix) + len(line) + 1 + len(word) > width:
            out.append(prefix + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(prefix + line)
    return out


# --- the route table ----------------------------------------------------------------------------

def cpp_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_routes(m):
    rows = m["rows"]
    out = [
        "// cord: private. The route table: every REST endpoint cord::http calls, as data. Generated by",
        "// tools/gen/rest_surface.py from reference/discord-api/ (operations.tsv, endpoints-docs.tsv) and the",
        "// seed's names (test/data/endpoints.tsv); do not edit. Its sources:",
        f"// {m['ops_source']}",
        f"// {m['docs_source']}",
        "// SPDX-License-Identifier: BSL-1.0",
        "//",
        "// One row per function: the seed's functions under the seed's names (typo included:",
        "// \"add-guild-member-rols\"), every other operation under its docs name. The functions in lib/http/",
        "// name their row through the aliases at the end (routes::get_channel). test/http/routes_test.cpp",
        "// checks the seed's rows against test/data/endpoints.tsv, test/http/coverage_test.cpp every row",
        "// against operations.tsv.",
        "#pragma once",
        "",
        '#include "rest/route.hpp"',
        "",
        "#include <cstdint>",
        "#include <span>",
        "#include <string_view>",
        "",
        "namespace cord::http::routes {",
        "",
        "/// The table's vocabulary, short so that a row reads like a line of operations.tsv.",
        "namespace terms {",
        "inline constexpr auto get = rest::http_method::get;",
        "inline constexpr auto post = rest::http_method::post;",
        "inline constexpr auto put = rest::http_method::put;",
        "inline constexpr auto patch = rest::http_method::patch;",
        "inline constexpr auto del = rest::http_method::del;",
        "inline constexpr auto no_major = rest::major_param::none;",
        "inline constexpr auto channel = rest::major_param::channel_id;",
        "inline constexpr auto guild = rest::major_param::guild_id;",
        "inline constexpr auto webhook = rest::major_param::webhook_id;",
        "inline constexpr auto webhook_token = rest::major_param::webhook_id_token;",
        "inline constexpr std::uint8_t no_body = rest::body_none;",
        "inline constexpr std::uint8_t json_body = rest::body_json;",
        "inline constexpr std::uint8_t query = rest::body_query;",
        "inline constexpr std::uint8_t multipart = rest::body_multipart;",
        "inline constexpr std::uint8_t form_fields = rest::body_form_fields; ///< fields + part `file`",
        "inline constexpr bool reason = true; ///< accepts X-Audit-Log-Reason",
        "inline constexpr bool no_reason = false;",
        "inline constexpr bool auth = true;     ///< sent with Authorization",
        "inline constexpr bool no_auth = false; ///< sent without Authorization (a token in the path)",
        "inline constexpr bool interaction = true; ///< an interaction token: outside the global limit",
        "inline constexpr bool bot_limits = false;",
        "} // namespace terms",
        "",
        "using namespace terms;",
        "",
        "// clang-format off",
        "/// name, method, path (holes as in operations.tsv), major parameter, body kind, audit-log reason,",
        "/// Authorization, operation_id, query parameters, interaction token, removal notice.",
        "inline constexpr rest::route table[] = {",
    ]
    method = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "del"}
    for r in rows:
        q = " ".join(n for n, _, _ in r.query)
        body = r.body if r.op else {"none": "no_body", "json": "json_body"}.get(r.body, r.body)
        line = (f"    {{{cpp_string(r.name)}, {method[r.method]}, {cpp_string(r.path)}, {r.major}, {body}, "
                f"{'reason' if r.reason else 'no_reason'}, {'auth' if r.authorized else 'no_auth'}, "
                f"{cpp_string(r.op['id'] if r.op else '')}, {cpp_string(q)}, "
                f"{'interaction' if r.interaction else 'bot_limits'}")
        if r.removed:
            line += ",\n     " + cpp_string(r.removed)
        out.append(line + "},")
    out += [
        "};",
        "// clang-format on",
        "",
        "/// Every row, for tests and tools.",
        "inline constexpr std::span<const rest::route> all{table};",
        "",
        "/// The row named `name` (the seed's name or the docs name in kebab-case), or nullptr.",
        "constexpr const rest::route* find(std::string_view name) noexcept",
        "{",
        "    for (const rest::route& r : table)",
        "        if (r.name == name)",
        "            return &r;",
        "    return nullptr;",
        "}",
        "",
        "// Each function's row, by the function's name.",
    ]
    for i, r in enumerate(rows):
        out.append(f"inline constexpr const rest::route& {r.fn} = table[{i}];")
    out += ["", "} // namespace cord::http::routes", ""]
    return "\n".join(out)


# --- declarations and definitions ---------------------------------------------------------------

def render_header(group, fns, m):
    out = [
        "// cord: coroutine-first C++20 SDK for the Discord API.",
        "// SPDX-License-Identifier: BSL-1.0",
        "//",
        f"// cord::http, {GROUP_TITLE[group]}.",
        "// Generated by tools/gen/rest_surface.py from Discord's API description; do not edit.",
        "// Every function returns Discord's JSON (null for a 204) and throws cord::http::discord_error",
        "// for a non-2xx answer, cord::error for a bad argument or a transport failure. Options hold the",
        "// query parameters (left empty: not sent), the X-Audit-Log-Reason (`reason`) and the files",
        "// (`files`, sent as multipart files[n]); they are trivially destructible, so a temporary",
        "// `{.limit = 10}` is safe inside co_await on every compiler.",
        "#pragma once",
        "",
        "#include <cord/detail/cxx20.hpp>",
        "",
        "#include <cord/awaitable.hpp>",
        "#include <cord/http_options.hpp>",
        "#include <cord/json.hpp>",
        "",
        "#include <optional>",
        "#include <span>",
        "#include <string_view>",
        "#include <type_traits>",
        "",
        "namespace cord::http {",
    ]
    for f in fns:
        r = f.r
        out.append("")
        if f.options:
            out.append(f"/// Options of {r.fn}().")
            out.append(f"struct {f.options_type} {{")
            for name, typ, _, doc in f.fields:
                out.append(f"    {typ} {name}{{}}; ///< query parameter {doc}")
            if r.reason:
                out.append("    std::string_view reason{}; ///< X-Audit-Log-Reason (not sent when empty)")
            if f.files:
                out.append("    std::span<const attachment> files{}; ///< uploaded as multipart files[n]")
            if f.form_file:
                out.append("    const attachment* file{}; ///< uploaded as the part `file`, beside the body's members as form fields")
            out.append("};")
            out.append(f"static_assert(std::is_trivially_destructible_v<{f.options_type}>);")
            out.append("")
        title = r.docs_name or r.op["id"]
        notes = re.sub(r"(; )?takes X-Audit-Log-Reason", "", r.notes).strip("; ")
        notes = f" Discord's docs: {notes}." if notes else ""
        out += wrap(f"{title}.{notes}", 100, "/// ")
        out.append(f"/// Route: {r.method} {r.path}" + (" (no Authorization)" if not r.authorized else ""))
        out.append(f.signature(defaults=True) + ";")
    out += ["", "} // namespace cord::http", ""]
    return "\n".join(out)


def definitions_tu(comment, headers, functions):
    """A translation unit of cord::http definitions: `functions` are (signature, body lines)."""
    out = [*wrap(comment + " Generated by tools/gen/rest_surface.py; do not edit.", 100, "// "),
           "// SPDX-License-Identifier: BSL-1.0", '#include "http/call.hpp"', ""]
    out += [f"#include <cord/http/{h}.hpp>" for h in headers]
    out += ["", "namespace cord::http {", "", "using detail::call;"]
    for signature, body in functions:
        out += ["", signature, "{", *body, "}"]
    out += ["", "} // namespace cord::http", ""]
    return "\n".join(out)


def call_statement(fn, params, x):
    """`return call(...)` of `fn` with its path parameters and the request's designated fields."""
    args = ", ".join(f"{n}.str()" if t == "id_arg" else n for n, t in params)
    tail = f", {{{', '.join(x)}}}" if x else ""
    ret = f"    return call(client, routes::{fn}, {{{args}}}{tail});"
    if len(ret) > 110:
        ret = f"    return call(client, routes::{fn}, {{{args}}},\n                {{{', '.join(x)}}});"
    return ret


def render_definitions(tu, groups, m):
    functions = []
    for g in groups:
        for f in m["fns"][g]:
            r = f.r
            body, x = [], []
            if f.fields or f.required:
                body.append("    detail::query_list q;")
                for n, _ in f.required:
                    body.append(f"    detail::put_always(q, \"{n}\", {n});")
                for n, _, put, _ in f.fields:
                    body.append(f"    detail::{put}(q, \"{n}\", options.{n});")
                x.append(".query = std::move(q)")
            if f.body:
                x.append(".body = body")
            if f.files:
                x.append(".files = detail::files(options.files)")
            if f.form_file:
                x.append(".files = detail::file(options.file)")
            if r.reason:
                x.append(".reason = options.reason")
            body.append(call_statement(r.fn, f.params, x))
            functions.append((f.signature(defaults=False), body))
    comment = (f"cord::http, the generated functions of {', '.join(f'<cord/http/{g}.hpp>' for g in groups)}: "
               "one call per function over the route table.")
    return definitions_tu(comment, groups, functions)


def render_seed_definitions(rows):
    functions = []
    for r in rows:
        params = [(h, path_cpp(h, t)) for h, t in zip(holes(r.path), r.op["path_types"])]
        args = ["rest_client& client"] + [f"{t} {n}" for n, t in params]
        x = []
        if r.seed_data:
            args.append("const json& data")
            x.append(".body = data")
        if r.seed_reason:
            args.append("std::string_view reason")
            x.append(".reason = reason")
        functions.append((packed_signature(r.fn, args), [call_statement(r.fn, params, x)]))
    comment = ("cord::http, the seed's functions whose racket-cord signature is the route's ids, then `data` "
               "for a JSON body, then `reason`: one call each over the route table. Declared by hand in "
               + ", ".join(f"<cord/http/{h}.hpp>" for h in SEED_HEADERS) + "; the others are written by hand "
               "(SEED_WRITTEN).")
    return definitions_tu(comment, SEED_HEADERS, functions)


def render_umbrella(m):
    out = [
        "// cord: coroutine-first C++20 SDK for the Discord API.",
        "// SPDX-License-Identifier: BSL-1.0",
        "//",
        "// Every generated cord::http header (one per resource), for <cord/http.hpp>. Generated by",
        "// tools/gen/rest_surface.py; do not edit.",
        "#pragma once",
        "",
        "#include <cord/detail/cxx20.hpp>",
        "",
    ]
    out += [f"#include <cord/http/{g}.hpp>" for g in sorted(m["fns"])]
    return "\n".join(out + [""])


# --- the request-log test cases -----------------------------------------------------------------

SAMPLE_STRING = {"emoji_name": "\\xf0\\x9f\\x94\\xa5", "code": "inv-Code_1", "instance_id": "i-42"}


def render_cases(m):
    out = [
        "// cord tests: one request-log case per generated cord::http function: the call with every",
        "// argument and option set, and what must reach the wire (method and Authorization from the",
        "// route row; path with encoded ids, query, body, reason, files). Generated by",
        "// tools/gen/rest_surface.py; do not edit. Run by surface_test.cpp.",
        "#define CORD_REFUSE_OPTION_TEMPORARIES 0",
        '#include "surface_cases.hpp"',
        "",
        "#include <cord/http.hpp>",
        "",
        "namespace cord_test {",
        "",
        "namespace {",
        "",
        "namespace http = cord::http;",
        "",
        "const cord::id_arg sample_ids[] = {\"31\", \"32\"};",
        "const std::string_view sample_words[] = {\"alpha\", \"beta\"};",
        "const int sample_ints[] = {1, 2};",
        "",
        "} // namespace",
        "",
        "const std::vector<surface_case>& surface_cases()",
        "{",
        "    static const std::vector<surface_case> cases = {",
    ]
    for g in sorted(m["fns"]):
        for f in m["fns"][g]:
            r = f.r
            args, path_values = ["h.rest"], []
            counter = 101
            for n, t in f.params:
                if t == "id_arg":
                    v = str(counter)
                    counter += 1
                    args.append(f'"{v}"')
                    path_values.append(f'std::string{{"{v}"}}')
                else:
                    v = SAMPLE_STRING.get(n, "tok-" + n.replace("_", "-") if n.endswith("_token") else "s-" + n)
                    args.append(f'"{v}"')
                    path_values.append(f'h.percent_encode("{v}")')
            query = []
            for n, _ in f.required:
                args.append('"who"')
                query.append(f'{{"{n}", "who"}}')
            if f.body:
                args.append('cord::json::parse(R"({"cord":"test"})")')
            opts = []
            for n, typ, put, _ in f.fields:
                if typ == "std::optional<id_arg>":
                    v = str(counter)
                    counter += 1
                    opts.append(f'.{n} = "{v}"')
                    query.append(f'{{"{n}", "{v}"}}')
                elif typ == "std::optional<int>":
                    opts.append(f".{n} = 7")
                    query.append(f'{{"{n}", "7"}}')
                elif typ == "std::optional<bool>":
                    opts.append(f".{n} = true")
                    query.append(f'{{"{n}", "true"}}')
                elif typ == "std::string_view":
                    opts.append(f'.{n} = "v {n}"')
                    query.append(f'{{"{n}", "v {n}"}}')
                else:
                    src = {"id_arg": ("sample_ids", ["31", "32"]), "std::string_view": ("sample_words", ["alpha", "beta"]),
                           "int": ("sample_ints", ["1", "2"])}[typ[len("std::span<const "):-1]]
                    opts.append(f".{n} = {src[0]}")
                    if put == "put_joined":
                        query.append(f'{{"{n}", "{",".join(src[1])}"}}')
                    else:
                        query += [f'{{"{n}", "{v}"}}' for v in src[1]]
            if r.reason:
                opts.append(".reason = h.reason")
            if f.files:
                opts.append(".files = h.files")
            if f.form_file:
                opts.append(".file = &h.files.front()")
            if f.options:
                args.append("{" + ", ".join(opts) + "}")
            call = f"http::{r.fn}({', '.join(args)})"
            # The path as sent: the row's template with each hole's sample value.
            pieces = re.split(r"\{[^}]*\}", r.path)
            expr = f'"{pieces[0]}"'
            for v, lit in zip(path_values, pieces[1:]):
                expr += f" + {v}" + (f' + "{lit}"' if lit else "")
            body = ""
            if f.body:
                body = ('R"({"cord":"test","attachments":[{"id":0,"filename":"a.txt","description":"alt"}]})"'
                        if f.files else 'R"({"cord":"test"})"')
            out.append(f"        {{\"{r.name}\", [](harness& h) {{ return {call}; }},")
            # The expected request needs the harness only to encode text or name the files.
            uses_h = "h." in expr or f.files or f.form_file
            form = ", true, true" if f.form_file else ""   # sends_reason, then form fields + `file`
            out.append(f"         [](harness&{' h' if uses_h else ''}) {{ return expected_request{{{expr}, "
                       f"{{{', '.join(query)}}}, "
                       f"{body or 'std::nullopt'}, {'h.file_parts' if f.files or f.form_file else '{}'}{form}}}; }}}},")
    out += ["    };", "    return cases;", "}", "", "} // namespace cord_test", ""]
    return "\n".join(out)


# --- docs/rest.md -------------------------------------------------------------------------------

def render_doc(m):
    rows = m["rows"]
    out = [
        "# cord::http: every function, by resource",
        "",
        "Generated by `tools/gen/rest_surface.py` from Discord's API description",
        "(`reference/discord-api/`: operations.tsv, endpoints-docs.tsv); do not edit. Each function is",
        "`co_await cord::http::name(client, ids..., [body,] [options])` and returns `cord::json`.",
        "Options structs hold the query parameters, `reason` (sent as X-Audit-Log-Reason) and `files`",
        "(uploaded as multipart `files[n]`). The seed's functions keep racket-cord's names and",
        "signatures ([racket-cord.md](racket-cord.md)). Routes with a token in the path are sent",
        "without Authorization; those with an interaction token stay outside the global rate limit.",
        "",
        f"{len(rows)} functions over {len({r.op['id'] for r in rows if r.op})} of Discord's operations; "
        f"{len(m['excluded'])} operations left out (below).",
        "",
    ]
    sections = {}
    for r in rows:
        key = f"<cord/http/{r.group}.hpp>" if r.group else "the seed's functions (<cord/http/channel.hpp>, guild, user, webhook, gateway)"
        sections.setdefault(key, []).append(r)
    order = [k for k in sections if k.startswith("the seed")] + sorted(k for k in sections if not k.startswith("the seed"))
    fns = {f.r.fn: f for g in m["fns"].values() for f in g}
    for key in order:
        title = GROUP_TITLE.get(key[len("<cord/http/"):-len(".hpp>")], "") if key.startswith("<") else ""
        out += [f"## {key}" + (f": {title}" if title else ""), "",
                "| function | route | options | files | reason |", "| --- | --- | --- | --- | --- |"]
        for r in sections[key]:
            f = fns.get(r.fn)
            if r.removed:
                opts = "removed by Discord: fails locally, sends nothing"
            elif f is None:
                opts = "seed signature" + (" (query: " + ", ".join(n for n, _, _ in r.query) + ")" if r.query else "")
            else:
                parts = [f"`{n}`" for n, _ in f.required] + [f"`{n}`" for n, _, _, _ in f.fields]
                opts = (f"`{f.options_type}`: " + ", ".join(parts)) if parts else ("`" + f.options_type + "`" if f.options else "")
            files = "yes" if "multipart" in r.body else "`file`, body as form fields" if "form_fields" in r.body else ""
            note = " (no Authorization)" if not r.authorized else ""
            out.append(f"| `{r.fn}` | `{r.method} {r.path}`{note} | {opts} | {files} | {'yes' if r.reason else ''} |")
        out.append("")
    out += ["## Operations left out", "", "From `tools/gen/rest_exclusions.tsv`:", "",
            "| operation | why |", "| --- | --- |"]
    out += [f"| `{k}` | {v} |" for k, v in m["excluded"].items()]
    return "\n".join(out + [""])


# --- main ---------------------------------------------------------------------------------------

def outputs(ref):
    m = build(ref)
    schemas = load_schemas(ref)
    m["fns"] = {}
    for r in m["rows"]:
        if not r.seed:
            m["fns"].setdefault(r.group, []).append(Fn(r, schemas))
    files = {ROOT / "lib" / "http" / "routes.hpp": render_routes(m)}
    for g, fns in m["fns"].items():
        files[ROOT / "include" / "cord" / "http" / f"{g}.hpp"] = render_header(g, fns, m)
    files[ROOT / "include" / "cord" / "http" / "surface.hpp"] = render_umbrella(m)
    tus = {}
    for g in sorted(m["fns"]):
        tus.setdefault(TU_OF_GROUP[g], []).append(g)
    for tu, groups in tus.items():
        files[ROOT / "lib" / "http" / f"{tu}.cpp"] = render_definitions(tu, groups, m)
    seed_generated = [r for r in m["rows"] if r.seed and r.op and r.fn not in SEED_WRITTEN]
    unknown = SEED_WRITTEN - {r.fn for r in m["rows"] if r.seed}
    if unknown:
        raise SystemExit(f"SEED_WRITTEN names no seed function: {sorted(unknown)}")
    files[ROOT / "lib" / "http" / "gen_seed.cpp"] = render_seed_definitions(seed_generated)
    files[ROOT / "test" / "http" / "surface_cases.cpp"] = render_cases(m)
    files[ROOT / "docs" / "rest.md"] = render_doc(m)
    return files


def write_or_check(files, check, script):
    """Writes the generated files, or with `check` compares them; the exit status (1: stale)."""
    stale = []
    for path, text in files.items():
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text)
    if check:
        for s in stale:
            print(f"{s} is stale: run python3 {script}", file=sys.stderr)
        if not stale:
            print(f"{len(files)} generated files are up to date")
        return 1 if stale else 0
    print(f"wrote {len(files)} files")
    return 0


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    ref = pathlib.Path(args[0]) if args else DEFAULT_REF
    return write_or_check(outputs(ref), check, "tools/gen/rest_surface.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
