// Fuzz target: a gateway payload as the shard handles it. The envelope scan (op, s, t without
// parsing `d`) must read what a full parse reads; a dispatch's `d` is parsed in place from a
// padded buffer into a pooled document, as the shard does, and must not disturb documents still
// held; the event name must route to handlers registered under its racket-cord name.
#include "events/event_registry.hpp"
#include "gateway/document_pool.hpp"
#include "gateway/envelope.hpp"
#include "gateway/padded_buffer.hpp"

#include <cord/error.hpp>
#include <cord/event_name.hpp>
#include <cord/json.hpp>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

// Checks that end the run with a stack trace, whatever the build's NDEBUG.
void require(bool ok)
{
    if (!ok)
        std::abort();
}

bool discord_style(std::string_view name)
{
    if (name.empty())
        return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

// How many members of `object` are spelled `key` once unescaped.
int count_key(const cord::json& object, std::string_view key)
{
    int n = 0;
    for (auto [k, v] : object.members())
        n += k == key;
    return n;
}

std::optional<std::int64_t> int_of(const std::optional<cord::json>& v)
{
    try {
        if (v && v->is_int())
            return v->as_int();
    } catch (const cord::error&) {   // an integer above int64
    }
    return std::nullopt;
}

std::optional<std::uint64_t> uint_of(const std::optional<cord::json>& v)
{
    try {
        if (v && v->is_int())
            return v->as_uint();
    } catch (const cord::error&) {   // a negative integer
    }
    return std::nullopt;
}

// The scan refuses a top-level key or a `t` spelled with escapes (the caller parses fully) and a
// "-0" as `s` (no sequence number is written so); inputs in fuzz/regressions/envelope-*.
bool escaped_key_possible(std::string_view text) { return text.find('\\') != std::string_view::npos; }

// A `d` the scan takes to run to the envelope's end may hold more than `d` (a member after it):
// parsing it then refuses the payload. Whatever parses must be the payload's own `d`.
void require_same_or_refused(std::string_view scanned, const cord::json& d)
{
    cord::json parsed;
    try {
        parsed = cord::json::parse(scanned);
    } catch (const cord::error&) {
        return;
    }
    require(parsed.dump() == d.dump());
}

// The scan against a full parse of the same text: whatever the scanner accepts must mean what
// the JSON means. Duplicate envelope keys are left out: JSON gives them no meaning.
void check_against_full_parse(std::string_view text, const std::optional<cord::gateway::envelope>& env)
{
    cord::json full;
    try {
        full = cord::json::parse(text);
    } catch (const cord::error&) {
        return;   // not JSON: the shard acts on op alone, or fails to parse `d` and resumes
    }
    if (!full.is_object())
        return require(!env);
    for (std::string_view key : {"op", "s", "t", "d"})
        if (count_key(full, key) > 1)
            return;
    auto op = full.find("op");
    auto s = full.find("s");
    auto t = full.find("t");
    auto d = full.find("d");
    auto op_value = int_of(op);
    bool s_null = !s || s->is_null();
    auto seq = uint_of(s);
    bool escapes = escaped_key_possible(text);
    if (!env) {
        // Valid JSON is refused only for the reasons scan_envelope documents: no int `op`, an
        // `s` that is not a sequence number, an escape in `t`.
        bool op_fits = op_value && *op_value >= INT_MIN && *op_value <= INT_MAX;
        bool negative_zero = seq == 0u && text.find('-') != std::string_view::npos;
        require(!op_fits || (!s_null && !seq) || escapes || negative_zero);
        return;
    }
    require(op && op->is_number() && op->as_double() == env->op);
    if (s_null)
        require(!env->seq);
    else
        require(env->seq && seq == *env->seq);
    if (t && t->is_string())
        require(t->as_string() == env->event);
    else
        require(env->event.empty());
    if (d)
        require_same_or_refused(env->d, *d);
    else
        require(env->d.empty());
}

// Racket-cord's names and the client's handler keys for a dispatch's `t`.
void check_routing(std::string_view event)
{
    std::string racket = cord::racket_event_name(event);
    require(racket.starts_with("raw-"));
    // The mapping is idempotent: a name converted back and forth converts to itself.
    require(cord::racket_event_name(cord::discord_event_name(racket)) == racket);
    if (!discord_style(event))
        return;
    // Discord's names (A-Z, 0-9, _) survive the round trip, so a handler registered under the
    // racket-cord name gets the event, and one registered under another name does not.
    require(cord::discord_event_name(racket) == event);
    require(cord::detail::handler_key(racket) == event);
    cord::detail::event_registry registry;
    registry.add(racket, [](cord::shard&, cord::client&, cord::json) {}, {});
    require(registry.wants(event));
    cord::detail::event_registry other;
    other.add(event == "MESSAGE_CREATE" ? "raw-message-update" : "raw-message-create",
              [](cord::shard&, cord::client&, cord::json) {}, {});
    require(!other.wants(event));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A small pool, so that runs reuse its documents and, while handlers hold both, parse
    // beyond it.
    static cord::gateway::document_pool pool{2};
    // What handlers still hold from earlier payloads, and its text then.
    static std::optional<cord::json> held[2];
    static std::string held_text[2];

    // The transport hands the shard a message with spare bytes after it: parse in place.
    cord::gateway::padded_buffer buffer;
    buffer.assign({reinterpret_cast<const char*>(data), size});
    std::string_view text = buffer.view();

    auto env = cord::gateway::scan_envelope(text);
    check_against_full_parse(text, env);
    if (!env)
        return 0;
    if (!env->event.empty())
        check_routing(env->event);
    if (env->op != 0 || env->d.empty())
        return 0;

    cord::json d;
    try {
        d = pool.parse(env->d, true);
    } catch (const cord::error&) {
        return 0;   // the shard resumes after a malformed dispatch
    }
    // The in-place parse reads what a parse of a copy reads.
    require(d.dump() == cord::json::parse(std::string{env->d}).dump());
    for (int i = 0; i < 2; ++i)
        if (held[i])
            require(held[i]->dump() == held_text[i]);
    if (std::size_t slot = size % 3; slot < 2) {
        held[slot] = d;
        held_text[slot] = d.dump();
    } else {
        held[0].reset();
        held[1].reset();
    }
    return 0;
}
