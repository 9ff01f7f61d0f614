// Fuzz target: the gateway's WebSocket frame decoder fed arbitrary server bytes, arriving in
// arbitrary pieces the way the transport appends them. It must never crash, never hand out a
// message above its cap or a view outside the input, and after an error decode nothing more.
// The same bytes in one piece must decode to the same events.
#include "gateway/ws_frame.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t cap = 1 << 12;

struct seen {
    int kind;
    std::string payload;
    int code;
};

// Decodes `wire`, taking `piece(i)` more bytes whenever the decoder needs more.
template <class Piece>
std::vector<seen> decode(std::string_view wire, Piece piece)
{
    cord::gateway::ws_decoder d{cap};
    std::vector<seen> out;
    std::string buffer;
    std::size_t fed = 0;
    for (std::size_t round = 0; round < 4 * wire.size() + 16; ++round) {
        std::size_t used = 0;
        auto ev = d.next(buffer, used);
        if (used > buffer.size())
            std::abort();
        if (ev.kind == cord::gateway::ws_event::need_more) {
            buffer.erase(0, used);
            if (used)
                continue;
            if (fed == wire.size())
                return out;
            auto n = std::min(piece(round), wire.size() - fed);
            buffer.append(wire.substr(fed, n));
            fed += n;
            continue;
        }
        if (ev.kind == cord::gateway::ws_event::message && ev.payload.size() > cap)
            std::abort();
        bool in_input = ev.payload.data() >= buffer.data() && ev.payload.data() + ev.payload.size() <= buffer.data() + buffer.size();
        if (ev.kind != cord::gateway::ws_event::error && !ev.payload.empty() && !in_input && !d.reassembled())
            std::abort();
        out.push_back({ev.kind, std::string{ev.kind == cord::gateway::ws_event::error ? "" : ev.payload}, ev.close_code});
        buffer.erase(0, used);
        if (ev.kind == cord::gateway::ws_event::error) {
            std::size_t again = 0;
            if (d.next("\x81\x00", again).kind != cord::gateway::ws_event::error)
                std::abort();
            return out;
        }
    }
    std::abort();   // the decoder stopped making progress
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    // The first byte seeds the piece sizes; the rest is what the server sent.
    unsigned seed = data[0];
    std::string_view wire{reinterpret_cast<const char*>(data + 1), size - 1};
    auto split = decode(wire, [&](std::size_t round) { return 1 + (seed * 31 + round * 7) % 97; });
    auto whole = decode(wire, [&](std::size_t) { return wire.size(); });
    if (split.size() != whole.size())
        std::abort();
    for (std::size_t i = 0; i < split.size(); ++i)
        if (split[i].kind != whole[i].kind || split[i].payload != whole[i].payload || split[i].code != whole[i].code)
            std::abort();
    return 0;
}
