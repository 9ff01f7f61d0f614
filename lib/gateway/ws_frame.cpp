// cord: RFC 6455 framing for a client (ws_frame.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "gateway/ws_frame.hpp"

#include <cstring>

namespace cord::gateway {

namespace {

struct frame_header {
    bool fin;
    ws_opcode op;
    std::uint64_t length;
    std::size_t size;   ///< bytes of the header itself
};

// Parses the header at the start of `in`; size 0 when more bytes are needed. Reserved bits and
// the mask bit are checked by the caller (a server never masks).
frame_header parse_header(std::string_view in, bool& masked, bool& reserved) noexcept
{
    frame_header h{false, ws_opcode::continuation, 0, 0};
    if (in.size() < 2)
        return h;
    auto b0 = static_cast<unsigned char>(in[0]);
    auto b1 = static_cast<unsigned char>(in[1]);
    h.fin = (b0 & 0x80) != 0;
    reserved = (b0 & 0x70) != 0;
    h.op = static_cast<ws_opcode>(b0 & 0x0F);
    masked = (b1 & 0x80) != 0;
    std::size_t need = 2 + (masked ? 4 : 0);
    std::uint64_t len = b1 & 0x7F;
    std::size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    need += ext;
    if (in.size() < need)
        return h;
    if (ext) {
        len = 0;
        for (std::size_t i = 0; i < ext; ++i)
            len = (len << 8) | static_cast<unsigned char>(in[2 + i]);
    }
    h.length = len;
    h.size = need;
    return h;
}

bool is_control(ws_opcode op) noexcept { return (static_cast<unsigned>(op) & 0x8) != 0; }

bool is_known(ws_opcode op) noexcept
{
    switch (op) {
    case ws_opcode::continuation:
    case ws_opcode::text:
    case ws_opcode::binary:
    case ws_opcode::close:
    case ws_opcode::ping:
    case ws_opcode::pong: return true;
    }
    return false;
}

// Codes a peer may put in a close frame (RFC 6455 §7.4): 1000–1015 minus the reserved ones,
// and the registered and private ranges.
bool is_sendable_close_code(int code) noexcept
{
    if (code >= 3000 && code <= 4999)
        return true;
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

void mask_into(char* out, std::string_view payload, std::uint32_t mask) noexcept
{
    unsigned char key[4];
    std::memcpy(key, &mask, 4);
    // The key twice, in memory order, masks 8 bytes at a time.
    std::uint64_t key8;
    std::memcpy(&key8, key, 4);
    std::memcpy(reinterpret_cast<char*>(&key8) + 4, key, 4);
    std::size_t i = 0;
    for (; i + 8 <= payload.size(); i += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, payload.data() + i, 8);
        chunk ^= key8;
        std::memcpy(out + i, &chunk, 8);
    }
    for (; i < payload.size(); ++i)
        out[i] = static_cast<char>(payload[i] ^ static_cast<char>(key[i % 4]));
}

} // namespace

ws_event ws_decoder::fail(int code, std::string_view what) noexcept
{
    failed_ = true;
    ws_event e;
    e.kind = ws_event::error;
    e.close_code = code;
    e.what = what;
    return e;
}

std::size_t ws_decoder::frame_size(std::string_view in) noexcept
{
    bool masked = false, reserved = false;
    auto h = parse_header(in, masked, reserved);
    if (h.size == 0)
        return 0;
    return h.size + static_cast<std::size_t>(h.length);
}

std::optional<std::string_view> ws_decoder::whole_message(std::string_view in, std::size_t& consumed) noexcept
{
    consumed = 0;
    if (failed_ || in_message_ || in.size() < 2)
        return std::nullopt;
    // FIN, no reserved bit, text or binary; and no mask bit (checked by parse_header's caller).
    auto b0 = static_cast<unsigned char>(in[0]);
    if (b0 != 0x81 && b0 != 0x82)
        return std::nullopt;
    bool masked = false, reserved = false;
    auto h = parse_header(in, masked, reserved);
    if (h.size == 0 || masked || h.length > max_message_ || in.size() - h.size < h.length)
        return std::nullopt;
    if (reassembled_) {
        fragments_.clear();
        reassembled_ = false;
    }
    consumed = h.size + static_cast<std::size_t>(h.length);
    return in.substr(h.size, static_cast<std::size_t>(h.length));
}

ws_event ws_decoder::next(std::string_view in, std::size_t& consumed)
{
    consumed = 0;
    if (failed_)
        return fail(ws_close_protocol_error, "the connection already broke the WebSocket protocol");
    if (reassembled_) {
        fragments_.clear();
        reassembled_ = false;
    }
    bool masked = false, reserved = false;
    auto h = parse_header(in, masked, reserved);
    if (h.size == 0)
        return {};
    if (reserved)
        return fail(ws_close_protocol_error, "a frame with reserved bits set (no extension was negotiated)");
    if (masked)
        return fail(ws_close_protocol_error, "a masked frame from the server");
    if (!is_known(h.op))
        return fail(ws_close_protocol_error, "a frame with an unknown opcode");
    if (is_control(h.op) && (!h.fin || h.length > 125))
        return fail(ws_close_protocol_error, "a fragmented or oversized control frame");
    std::uint64_t total = h.length + (in_message_ && !is_control(h.op) ? fragments_.size() : 0);
    if (total > max_message_)
        return fail(ws_close_too_big, "a message above max_frame_size");
    if (in.size() - h.size < h.length)
        return {};

    consumed = h.size + static_cast<std::size_t>(h.length);
    std::string_view payload = in.substr(h.size, static_cast<std::size_t>(h.length));
    ws_event e;
    e.payload = payload;
    switch (h.op) {
    case ws_opcode::ping: e.kind = ws_event::ping; return e;
    case ws_opcode::pong: e.kind = ws_event::pong; return e;
    case ws_opcode::close:
        e.kind = ws_event::close;
        e.close_code = ws_close_no_status;
        if (payload.size() == 1)
            return fail(ws_close_protocol_error, "a close frame with a one-byte payload");
        if (payload.size() >= 2) {
            e.close_code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
            if (!is_sendable_close_code(e.close_code))
                return fail(ws_close_protocol_error, "a close frame with an invalid code");
            e.payload = payload.substr(2);
        }
        return e;
    case ws_opcode::text:
    case ws_opcode::binary:
        if (in_message_)
            return fail(ws_close_protocol_error, "a new message before the previous one ended");
        if (h.fin) {
            e.kind = ws_event::message;
            e.binary = h.op == ws_opcode::binary;
            return e;
        }
        in_message_ = true;
        binary_ = h.op == ws_opcode::binary;
        break;
    case ws_opcode::continuation:
        if (!in_message_)
            return fail(ws_close_protocol_error, "a continuation frame outside a message");
        break;
    }
    // A fragment: collect it; the last one hands out the whole message.
    fragments_.reserve_more(payload.size());
    if (!payload.empty())
        std::memcpy(fragments_.data() + fragments_.size(), payload.data(), payload.size());
    fragments_.commit(payload.size());
    if (!h.fin) {
        e.kind = ws_event::need_more;
        e.payload = {};
        return e;
    }
    in_message_ = false;
    reassembled_ = true;
    e.kind = ws_event::message;
    e.binary = binary_;
    e.payload = fragments_.view();
    return e;
}

void encode_client_frame(std::string& out, ws_opcode op, std::string_view payload, std::uint32_t mask)
{
    char header[14];
    std::size_t n = 0;
    header[n++] = static_cast<char>(0x80 | static_cast<unsigned>(op));
    std::uint64_t len = payload.size();
    if (len < 126) {
        header[n++] = static_cast<char>(0x80 | len);
    } else if (len <= 0xFFFF) {
        header[n++] = static_cast<char>(0x80 | 126);
        header[n++] = static_cast<char>(len >> 8);
        header[n++] = static_cast<char>(len);
    } else {
        header[n++] = static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            header[n++] = static_cast<char>(len >> shift);
    }
    std::memcpy(header + n, &mask, 4);
    n += 4;
    std::size_t at = out.size();
    out.resize(at + n + payload.size());
    std::memcpy(out.data() + at, header, n);
    mask_into(out.data() + at + n, payload, mask);
}

std::string close_payload(int code, std::string_view reason)
{
    std::string p;
    p.push_back(static_cast<char>((code >> 8) & 0xFF));
    p.push_back(static_cast<char>(code & 0xFF));
    p.append(reason.substr(0, 123));
    return p;
}

} // namespace cord::gateway
