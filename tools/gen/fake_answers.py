#!/usr/bin/env python3
"""Writes the fake Discord's answers shaped from Discord's API as data (reference/discord-api/):
for every operation cord::http calls (operations.tsv minus tools/gen/rest_exclusions.tsv), its
method, path template, success status, an answer built from its response schema (every required
field present with a plausible value of its type) and the required fields of its body, into
lib/testing/schema_answers.cpp; the emulator answers from it where no hand-written route knows
better (lib/testing/routes_fallback.cpp). Also writes the round-trip cases of every generated
cord::http function (test/http/roundtrip_cases.cpp): a call with a body holding its required
fields, and the required top-level fields of the answer.

    python3 tools/gen/fake_answers.py [path/to/discord-api] [--check]

--check compares instead of writing (exit 1 when a checked-in file is stale)."""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import rest_surface as surface  # noqa: E402  (the operations and the functions, read one way)

ROOT = surface.ROOT

# Plausible values of the scalar formats. One id for every snowflake: the emulator puts the
# path's ids over the fields that name them.
SNOWFLAKE = "1400000000000000000"
DATE_TIME = "2026-01-01T00:00:00.000000+00:00"
URI = "https://cdn.invalid/"
# Nested objects deeper than this are left empty: the schemas are recursive (threads of
# messages of threads) and an answer needs only a plausible shape.
MAX_DEPTH = 6


def split_top(expr, sep):
    """Splits a type expression on `sep` outside <...>."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur]


class Shaper:
    def __init__(self, schemas):
        self.schemas = schemas

    def value(self, typ, field="", meta=None, stack=()):
        """A plausible JSON value of a type expression; `field` names it, for strings."""
        meta = meta or {}
        if typ.endswith("?"):
            return None
        if "=" in typ:
            const = typ.split("=", 1)[1]
            try:
                return json.loads(const)
            except ValueError:
                return const
        branches = split_top(typ, "|")
        if len(branches) > 1:
            return self.value(branches[0].rstrip("?"), field, meta, stack)
        parts = split_top(typ, "&")
        if len(parts) > 1:
            out = {}
            for p in parts:
                v = self.value(p, field, meta, stack)
                if isinstance(v, dict):
                    out.update(v)
            return out
        if typ.startswith("array<"):
            inner = typ[6:-1]
            return [self.value(inner.rstrip("?"), field, {}, stack) for _ in range(meta.get("min_items", 0))]
        if typ.startswith("map<") or typ in ("object", "any"):
            return {}
        if typ == "null":
            return None
        if typ == "boolean":
            return False
        if typ.startswith("integer") or typ.startswith("number"):
            return max(0, meta.get("min", 0))
        if typ.startswith("string"):
            fmt = typ.partition(":")[2]
            if fmt == "snowflake":
                return SNOWFLAKE
            if fmt == "date-time":
                return DATE_TIME
            if fmt == "uri":
                return URI
            if fmt == "nonce":
                return "1"
            text = field or "text"
            text = (text * (1 + meta.get("min_length", 0) // max(1, len(text))))
            return text[:meta["max_length"]] if "max_length" in meta else text
        s = self.schemas.get(typ)
        if s is None:
            raise SystemExit(f"no schema {typ}")
        kind = s["kind"]
        if kind == "alias":
            return self.value(s["type"], field, meta, stack)
        if kind == "enum":
            return next(iter(s["values"].values()))
        if kind == "union":
            return self.value(s["of"][0], field, meta, stack)
        if kind != "object":
            raise SystemExit(f"schema {typ}: kind {kind}")
        if typ in stack or len(stack) >= MAX_DEPTH:
            return {}
        return {name: self.value(f["type"], name, f, stack + (typ,))
                for name, f in s["fields"].items() if f["required"]}

    def required(self, typ):
        """The fields every answer of `typ` has: the required fields of an object, those common
        to every branch of a union; none for anything else."""
        typ = typ.rstrip("?")
        sets = []
        for b in split_top(typ, "|"):
            s = self.schemas.get(b.rstrip("?"))
            while s and s["kind"] == "alias":
                s = self.schemas.get(s["type"])
            if not s or s["kind"] != "object":
                return []
            sets.append([n for n, f in s["fields"].items() if f["required"]])
        return [n for n in sets[0] if all(n in other for other in sets[1:])]

    def body(self, typ):
        """(shape, required fields) of a body_schema: an object's required fields (those common
        to every branch of a union), an array, or nothing to check."""
        if typ == "-":
            return "none", []
        t = typ.rstrip("?")
        if t.startswith("array<"):
            return "array", []
        if t == "object" or t.startswith("map<"):
            return "object", []
        return "object", self.required(t)


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def own_id_param(method, path):
    """The path parameter naming the resource the answer is (its "id"): the last `*_id` hole when
    only holes (a webhook's token) follow it, or, for a GET, only words (/guilds/{guild_id}/preview);
    "@me" for the bot's own user or application."""
    segs = path.strip("/").split("/")
    if segs[-1] == "@me" and len(segs) == 2 and segs[0] in ("users", "applications"):
        return "@me"
    words_after = False
    for s in reversed(segs):
        if not s.startswith("{"):
            words_after = True
            continue
        if s.endswith("_id}") and (not words_after or method == "GET"):
            return s[1:-1]
        if words_after:
            return ""
    return ""


def cpp_raw(text):
    # The answers hold no ')"' (JSON text of plain words and numbers): a raw string reads as JSON.
    if ')"' in text:
        raise SystemExit(f"answer needs escaping: {text[:60]}")
    return 'R"(' + text + ')"'


def render_answers(ops, shaper, source):
    answers, index = [], {}

    def answer_of(op):
        if op["status"] == "204" or op["response_schema"] == "-":
            return -1
        text = compact(shaper.value(op["response_schema"].rstrip("?"), "ok"))
        if text not in index:
            index[text] = len(answers)
            answers.append(text)
        return index[text]

    rows = []
    for op in ops:
        shape, required = shaper.body(op["body_schema"])
        token_hole = any(h.endswith("_token") for h in surface.holes(op["path"]))
        auth = not (op["auth"] == "bot,optional" and token_hole)
        rows.append((op, answer_of(op), shape, " ".join(required), auth))
    out = [
        "// cord::testing: private. Every REST operation cord::http calls, with the answer the emulator",
        "// gives where no hand-written route knows better (routes_fallback.cpp): built from its response",
        "// schema, every required field present with a plausible value. Generated by",
        "// tools/gen/fake_answers.py from reference/discord-api/ (operations.tsv, schemas.json); do not edit.",
        f"// {source}",
        "// SPDX-License-Identifier: BSL-1.0",
        '#include "schema_answers.hpp"',
        "",
        "namespace cord::testing::detail {",
        "",
        "namespace {",
        "",
        "// The answers, each once.",
        "constexpr std::string_view answer[] = {",
    ]
    out += [f"    {cpp_raw(a)}," for a in answers]
    out += [
        "};",
        "",
        "constexpr auto none = body_shape::none;",
        "constexpr auto object = body_shape::object;",
        "constexpr auto array = body_shape::array;",
        "constexpr bool auth = true;",
        "constexpr bool no_auth = false;",
        "",
        "// clang-format off",
        "constexpr schema_answer table[] = {",
    ]
    for op, a, shape, required, auth in rows:
        text = f"answer[{a}]" if a >= 0 else '""'
        q = surface.cpp_string
        out.append(f"    {{{q(op['method'])}, {q(op['path'])}, {op['status']}, {text}, {shape}, {q(required)}, "
                   f"{q(own_id_param(op['method'], op['path']))}, {'auth' if auth else 'no_auth'}}},")
    out += [
        "};",
        "// clang-format on",
        "",
        "} // namespace",
        "",
        "std::span<const schema_answer> schema_answers() { return table; }",
        "",
        "} // namespace cord::testing::detail",
        "",
    ]
    return "\n".join(out)


def render_cases(m, shaper):
    field_lists, index, cases = [], {}, []
    for g in sorted(m["fns"]):
        for f in m["fns"][g]:
            r, op = f.r, f.r.op
            args = ["h.rest"] + [f'a.of("{n}")' for n, _ in f.params] + [f'a.of("{n}")' for n, _ in f.required]
            body = ""
            if f.body:
                typ = op["body_schema"]
                body = compact(shaper.value(typ.rstrip("?")) if typ not in ("-", "object") else {})
                args.append("a.body")
            fields = ", ".join(surface.cpp_string(x) for x in shaper.required(op["response_schema"]))
            if fields not in index:
                index[fields] = len(field_lists)
                field_lists.append(fields)
            # The lambda names the arguments only where it uses them (no unused-parameter warnings).
            params = "harness& h, roundtrip_args&" + (" a" if "a." in "".join(args) else "")
            body_text = cpp_raw(body) if body else '""'
            cases.append(f'        {{"{r.name}", {op["status"]}, {body_text}, '
                         f'fields[{index[fields]}],\n'
                         f"         []({params}) {{ return http::{r.fn}({', '.join(args)}); }}}},")
    out = [
        "// cord tests: one round-trip case per generated cord::http function: the call, with a body",
        "// holding every required field of its schema, and the fields every answer has (the response",
        "// schema's required top-level fields). Generated by tools/gen/fake_answers.py; do not edit.",
        "// Run by roundtrip_test.cpp.",
        '#include "roundtrip_cases.hpp"',
        "",
        "#include <cord/http.hpp>",
        "",
        "namespace cord_test {",
        "",
        "const std::vector<roundtrip_case>& roundtrip_cases()",
        "{",
        "    namespace http = cord::http;",
        "    // The required fields of the answers, each list once.",
        "    static const std::vector<std::string_view> fields[] = {",
    ]
    out += [f"        {{{x}}}," for x in field_lists]
    out += ["    };", "    static const std::vector<roundtrip_case> cases = {"]
    out += cases
    out += ["    };", "    return cases;", "}", "", "} // namespace cord_test", ""]
    return "\n".join(out)


def outputs(ref):
    m = surface.build(ref)
    schemas = surface.load_schemas(ref)
    shaper = Shaper(schemas)
    m["fns"] = {}
    for r in m["rows"]:
        if not r.seed:
            m["fns"].setdefault(r.group, []).append(surface.Fn(r, schemas))
    source, ops = surface.read_ops(ref)
    ops = [op for op in ops if op["id"] not in m["excluded"]]
    return {
        ROOT / "lib" / "testing" / "schema_answers.cpp": render_answers(ops, shaper, source),
        ROOT / "test" / "http" / "roundtrip_cases.cpp": render_cases(m, shaper),
    }


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    ref = pathlib.Path(args[0]) if args else surface.DEFAULT_REF
    return surface.write_or_check(outputs(ref), check, "tools/gen/fake_answers.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
