// cord: private. The client side of RFC 6455 WebSocket framing, sans-io: a decoder that turns
// the bytes a gateway sends into messages and control frames, and an encoder for the masked
// frames a client sends. The transport owns the socket and the buffer; this owns the rules.
//
// Why not Beast's websocket::stream: it reads through a fixed 4 KB buffer, one syscall per
// few events; the gateway's read loop reads 64 KB at a time and hands out messages in place.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "gateway/padded_buffer.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cord::gateway {

enum class ws_opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

// Close codes of RFC 6455 §7.4.1 that the decoder answers protocol faults with.
inline constexpr int ws_close_normal = 1000;
inline constexpr int ws_close_protocol_error = 1002;
inline constexpr int ws_close_no_status = 1005;   ///< a close frame without a code
inline constexpr int ws_close_too_big = 1009;

struct ws_event {
    enum kind_t : std::uint8_t {
        need_more,   ///< no whole frame in the input yet
        message,     ///< a whole text or binary message (`payload`, `binary`)
        ping,        ///< answer with a pong carrying `payload`
        pong,
        close,       ///< the peer's close frame: `close_code`, reason in `payload`
        error,       ///< the peer broke the protocol: close with `close_code`; `what` says why
    };
    kind_t kind = need_more;
    bool binary = false;
    int close_code = 0;
    std::string_view payload;
    std::string_view what;
};

class ws_decoder {
public:
    /// `max_message` caps one message, fragments included: a larger frame is refused from its
    /// header, before any of its payload is buffered.
    explicit ws_decoder(std::size_t max_message) noexcept : max_message_(max_message) {}

    /// Decodes the next event from the start of `in` and sets `consumed` to the bytes it used
    /// (need_more with consumed > 0: a fragment was taken, call again).
    /// A message's payload points into `in` (one frame) or into the decoder (fragments); it stays
    /// valid until the next call, provided the caller keeps those bytes. A message that ends in
    /// `in` is followed by whatever follows it there, so the caller can keep padding after it.
    ws_event next(std::string_view in, std::size_t& consumed);
    /// The message at the start of `in` when next(in) would hand it out whole from one frame,
    /// with `consumed` set as next() sets it; else nullopt, and the decoder is as it was (a
    /// control frame, a fragment or a fault is next()'s to answer).
    std::optional<std::string_view> whole_message(std::string_view in, std::size_t& consumed) noexcept;

    /// How many bytes the frame in progress needs in one piece (header and payload), given the
    /// start of the input; 0 when unknown yet. Lets the caller size its read buffer.
    static std::size_t frame_size(std::string_view in) noexcept;

    /// True when the last message came from fragments (its payload is padded for simdjson).
    bool reassembled() const noexcept { return reassembled_; }

private:
    ws_event fail(int code, std::string_view what) noexcept;

    std::size_t max_message_;
    padded_buffer fragments_;
    bool in_message_ = false;    ///< a fragmented message is being assembled
    bool binary_ = false;        ///< ... and its first frame was binary
    bool reassembled_ = false;
    bool failed_ = false;        ///< after an error nothing more is decoded
};

/// Appends one client frame (FIN set, masked with `mask`) to `out`.
void encode_client_frame(std::string& out, ws_opcode op, std::string_view payload, std::uint32_t mask);

/// The payload of a close frame: the code in network order and up to 123 bytes of reason.
std::string close_payload(int code, std::string_view reason = {});

} // namespace cord::gateway
