// Unit tests of cord's WebSocket client framing and upgrade (RFC 6455), without sockets.
#include "gateway/ws_frame.hpp"
#include "gateway/ws_handshake.hpp"
#include "net/base64.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

using namespace cord::gateway;

namespace {

// A server frame (never masked), with explicit header bits for the fault cases.
std::string server_frame(ws_opcode op, std::string_view payload, bool fin = true, unsigned char extra_b0 = 0)
{
    std::string f;
    f.push_back(static_cast<char>((fin ? 0x80 : 0) | extra_b0 | static_cast<unsigned>(op)));
    std::uint64_t len = payload.size();
    if (len < 126) {
        f.push_back(static_cast<char>(len));
    } else if (len <= 0xFFFF) {
        f.push_back(126);
        f.push_back(static_cast<char>(len >> 8));
        f.push_back(static_cast<char>(len));
    } else {
        f.push_back(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            f.push_back(static_cast<char>(len >> shift));
    }
    f.append(payload);
    return f;
}

// Decodes every event of `bytes`, feeding them to the decoder `step` bytes at a time the way
// the transport does (unread bytes stay, new ones are appended).
struct decoded {
    ws_event::kind_t kind;
    std::string payload;
    int close_code;
    bool binary;
};

std::vector<decoded> decode_all(ws_decoder& d, std::string_view bytes, std::size_t step)
{
    std::vector<decoded> out;
    std::string buffer;
    std::size_t fed = 0;
    for (int guard = 0; guard < 1000000; ++guard) {
        std::size_t used = 0;
        ws_event ev = d.next(buffer, used);
        if (ev.kind == ws_event::need_more) {
            buffer.erase(0, used);
            if (used)
                continue;
            if (fed == bytes.size())
                return out;
            auto n = std::min(step, bytes.size() - fed);
            buffer.append(bytes.substr(fed, n));
            fed += n;
            continue;
        }
        out.push_back({ev.kind, std::string{ev.kind == ws_event::error ? ev.what : ev.payload}, ev.close_code,
                       ev.binary});
        buffer.erase(0, used);
        if (ev.kind == ws_event::error)
            return out;
    }
    FAIL("decoder did not finish");
    return out;
}

std::string unmask(std::string_view frame, std::size_t header, std::size_t len)
{
    unsigned char key[4];
    std::memcpy(key, frame.data() + header - 4, 4);
    std::string p{frame.substr(header, len)};
    for (std::size_t i = 0; i < p.size(); ++i)
        p[i] = static_cast<char>(p[i] ^ key[i % 4]);
    return p;
}

} // namespace

TEST_CASE("a message whole in one frame is handed out in place, at every split of the input", "[gateway-ws-frame]")
{
    std::string big(70000, 'x');
    std::string medium(300, 'm');
    std::string wire = server_frame(ws_opcode::text, R"({"op":11})") + server_frame(ws_opcode::binary, medium) +
                       server_frame(ws_opcode::text, big) + server_frame(ws_opcode::text, "");
    for (std::size_t step : {std::size_t{1}, std::size_t{3}, std::size_t{127}, std::size_t{4096}, wire.size()}) {
        ws_decoder d{1 << 20};
        auto events = decode_all(d, wire, step);
        REQUIRE(events.size() == 4);
        CHECK(events[0].kind == ws_event::message);
        CHECK(events[0].payload == R"({"op":11})");
        CHECK_FALSE(events[0].binary);
        CHECK(events[1].payload == medium);
        CHECK(events[1].binary);
        CHECK(events[2].payload == big);
        CHECK(events[3].kind == ws_event::message);
        CHECK(events[3].payload.empty());
    }
    // In place: the payload view points into the caller's bytes.
    ws_decoder d{1 << 20};
    std::string one = server_frame(ws_opcode::text, "hello") + "next";
    std::size_t used = 0;
    auto ev = d.next(one, used);
    CHECK(used == 7);
    CHECK(ev.payload.data() == one.data() + 2);
    CHECK_FALSE(d.reassembled());
}

TEST_CASE("fragments are reassembled and control frames may come between them", "[gateway-ws-frame]")
{
    std::string wire = server_frame(ws_opcode::text, "{\"op\":", false) + server_frame(ws_opcode::ping, "are you there") +
                       server_frame(ws_opcode::continuation, "", false) +
                       server_frame(ws_opcode::continuation, "11}", true) + server_frame(ws_opcode::pong, "p");
    for (std::size_t step : {std::size_t{1}, std::size_t{5}, wire.size()}) {
        ws_decoder d{1024};
        auto events = decode_all(d, wire, step);
        REQUIRE(events.size() == 3);
        CHECK(events[0].kind == ws_event::ping);
        CHECK(events[0].payload == "are you there");
        CHECK(events[1].kind == ws_event::message);
        CHECK(events[1].payload == R"({"op":11})");
        CHECK(events[2].kind == ws_event::pong);
    }
    ws_decoder d{1024};
    std::string two = server_frame(ws_opcode::binary, "ab", false) + server_frame(ws_opcode::continuation, "cd");
    std::size_t used = 0;
    CHECK(d.next(two, used).kind == ws_event::need_more);
    CHECK(used == 4);
    auto ev = d.next(std::string_view{two}.substr(used), used);
    CHECK(ev.kind == ws_event::message);
    CHECK(ev.binary);
    CHECK(ev.payload == "abcd");
    CHECK(d.reassembled());
}

TEST_CASE("close frames carry a code and a reason", "[gateway-ws-frame]")
{
    ws_decoder d{1024};
    auto events = decode_all(d, server_frame(ws_opcode::close, close_payload(4004, "Authentication failed.")), 2);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == ws_event::close);
    CHECK(events[0].close_code == 4004);
    CHECK(events[0].payload == "Authentication failed.");

    ws_decoder empty{1024};
    events = decode_all(empty, server_frame(ws_opcode::close, ""), 1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].close_code == ws_close_no_status);

    CHECK(close_payload(1000, std::string(200, 'r')).size() == 125);   // a control frame's limit
}

TEST_CASE("protocol violations end decoding with the close code to answer", "[gateway-ws-frame]")
{
    struct bad_case {
        const char* name;
        std::string wire;
        int code;
    };
    std::string masked = server_frame(ws_opcode::text, "");
    masked[1] = static_cast<char>(0x80);
    masked += "\x01\x02\x03\x04";
    std::string huge_header = server_frame(ws_opcode::text, "");
    huge_header[1] = 127;
    huge_header += std::string("\x00\x00\x00\x01\x00\x00\x00\x00", 8);   // 4 GiB announced, nothing sent
    std::vector<bad_case> cases = {
        {"masked frame from a server", masked, ws_close_protocol_error},
        {"reserved bit (no extension negotiated)", server_frame(ws_opcode::text, "x", true, 0x40),
         ws_close_protocol_error},
        {"unknown opcode", server_frame(static_cast<ws_opcode>(3), "x"), ws_close_protocol_error},
        {"control frame over 125 bytes", server_frame(ws_opcode::ping, std::string(126, 'p')),
         ws_close_protocol_error},
        {"fragmented control frame", server_frame(ws_opcode::ping, "p", false), ws_close_protocol_error},
        {"continuation outside a message", server_frame(ws_opcode::continuation, "x"), ws_close_protocol_error},
        {"new message inside a fragmented one",
         server_frame(ws_opcode::text, "a", false) + server_frame(ws_opcode::text, "b"), ws_close_protocol_error},
        {"close with a one-byte payload", server_frame(ws_opcode::close, "x"), ws_close_protocol_error},
        {"close with a reserved code", server_frame(ws_opcode::close, close_payload(1005)), ws_close_protocol_error},
        {"close with a code below 1000", server_frame(ws_opcode::close, close_payload(999)), ws_close_protocol_error},
        {"message above the cap", server_frame(ws_opcode::text, std::string(2000, 'x')), ws_close_too_big},
        {"cap checked from the header alone", huge_header, ws_close_too_big},
        {"fragments above the cap",
         server_frame(ws_opcode::text, std::string(600, 'a'), false) +
             server_frame(ws_opcode::continuation, std::string(600, 'b')),
         ws_close_too_big},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        ws_decoder d{1024};
        auto events = decode_all(d, c.wire, 1);
        REQUIRE_FALSE(events.empty());
        CHECK(events.back().kind == ws_event::error);
        CHECK(events.back().close_code == c.code);
        CHECK_FALSE(events.back().payload.empty());   // says why
        std::size_t used = 0;
        CHECK(d.next(server_frame(ws_opcode::text, "ok"), used).kind == ws_event::error);   // stays failed
    }
}

TEST_CASE("whole_message takes what next() would hand out whole from one frame, and nothing else", "[gateway-ws-frame]")
{
    std::string masked = server_frame(ws_opcode::text, "m");
    masked[1] = static_cast<char>(0x81);
    masked.insert(2, "\x01\x02\x03\x04");
    std::vector<std::string> wires = {
        server_frame(ws_opcode::text, "{\"op\":11}"),
        server_frame(ws_opcode::binary, "\x78\x9c"),
        server_frame(ws_opcode::text, std::string(300, 'x')),    // a 16-bit length
        server_frame(ws_opcode::text, std::string(1024, 'x')),   // at the cap
        server_frame(ws_opcode::text, std::string(1025, 'x')),   // above it
        server_frame(ws_opcode::text, ""),
        server_frame(ws_opcode::ping, "p"),
        server_frame(ws_opcode::pong, "p"),
        server_frame(ws_opcode::close, close_payload(1000)),
        server_frame(ws_opcode::text, "first", false),
        server_frame(ws_opcode::continuation, "x"),
        server_frame(ws_opcode::text, "x", true, 0x40),
        server_frame(static_cast<ws_opcode>(3), "x"),
        masked,
    };
    for (const auto& wire : wires) {
        for (std::size_t n = 0; n <= wire.size(); ++n) {
            INFO("frame " << static_cast<int>(static_cast<unsigned char>(wire[0])) << ", first " << n << " of "
                          << wire.size() << " bytes");
            std::string_view in{wire.data(), n};
            ws_decoder probe{1024}, decoder{1024};
            std::size_t used = 0, taken = 0;
            auto ev = decoder.next(in, used);
            auto message = probe.whole_message(in, taken);
            REQUIRE(message.has_value() == (ev.kind == ws_event::message));
            if (message) {
                CHECK(message->data() == ev.payload.data());
                CHECK(message->size() == ev.payload.size());
                CHECK(taken == used);
            } else {
                CHECK(taken == 0);   // and the decoder goes on as if asked nothing:
                auto again = probe.next(in, taken);
                CHECK(again.kind == ev.kind);
                CHECK(taken == used);
            }
        }
    }
    // Inside a fragmented message, and after a fault, nothing is ready: next() has to answer.
    ws_decoder d{1024};
    std::size_t used = 0;
    REQUIRE(d.next(server_frame(ws_opcode::text, "a", false), used).kind == ws_event::need_more);
    CHECK_FALSE(d.whole_message(server_frame(ws_opcode::text, "b"), used));
    CHECK_FALSE(d.whole_message(server_frame(ws_opcode::continuation, "b"), used));
    REQUIRE(d.next(server_frame(ws_opcode::text, "b"), used).kind == ws_event::error);
    CHECK_FALSE(d.whole_message(server_frame(ws_opcode::text, "c"), used));
    // After a reassembled message, a whole one is taken as next() would take it.
    ws_decoder r{1024};
    REQUIRE(r.next(server_frame(ws_opcode::text, "a", false), used).kind == ws_event::need_more);
    REQUIRE(r.next(server_frame(ws_opcode::continuation, "b"), used).payload == "ab");
    auto whole = server_frame(ws_opcode::text, "c");
    auto taken = r.whole_message(whole, used);
    REQUIRE(taken);
    CHECK(*taken == "c");
    CHECK_FALSE(r.reassembled());
}

TEST_CASE("frame_size tells how many bytes a frame needs once its header is in", "[gateway-ws-frame]")
{
    std::string f = server_frame(ws_opcode::text, std::string(70000, 'x'));
    CHECK(ws_decoder::frame_size(f.substr(0, 1)) == 0);
    CHECK(ws_decoder::frame_size(f.substr(0, 5)) == 0);   // the 64-bit length is not complete
    CHECK(ws_decoder::frame_size(f.substr(0, 10)) == 10 + 70000);
    CHECK(ws_decoder::frame_size(server_frame(ws_opcode::text, std::string(300, 'x'))) == 4 + 300);
}

TEST_CASE("client frames are masked, final, and carry the payload", "[gateway-ws-frame]")
{
    for (std::size_t len : {0, 1, 7, 8, 9, 125, 126, 65535, 65536}) {
        INFO(len);
        std::string payload(len, '\0');
        for (std::size_t i = 0; i < len; ++i)
            payload[i] = static_cast<char>('a' + i % 26);
        std::string out = "prefix";
        encode_client_frame(out, ws_opcode::text, payload, 0xA1B2C3D4);
        std::string_view frame = std::string_view{out}.substr(6);
        CHECK(static_cast<unsigned char>(frame[0]) == 0x81);
        CHECK((static_cast<unsigned char>(frame[1]) & 0x80) == 0x80);   // masked
        std::size_t header = len < 126 ? 6 : len <= 0xFFFF ? 8 : 14;
        REQUIRE(frame.size() == header + len);
        unsigned b1 = static_cast<unsigned char>(frame[1]) & 0x7F;
        CHECK(b1 == (len < 126 ? len : len <= 0xFFFF ? 126u : 127u));
        CHECK(unmask(frame, header, len) == payload);
        if (len >= 4)
            CHECK(frame.substr(header, 4) != payload.substr(0, 4));   // the key is applied
    }
    std::string close;
    encode_client_frame(close, ws_opcode::close, close_payload(4000, "bye"), 0x01020304);
    CHECK(static_cast<unsigned char>(close[0]) == 0x88);
    auto p = unmask(close, 6, 5);
    CHECK(static_cast<unsigned char>(p[0]) == 0x0F);
    CHECK(static_cast<unsigned char>(p[1]) == 0xA0);
    CHECK(p.substr(2) == "bye");
}

TEST_CASE("the upgrade: request, accept key and response checks", "[gateway-ws-upgrade]")
{
    // RFC 6455 §1.3's example.
    CHECK(accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(cord::net::base64("") == "");
    CHECK(cord::net::base64("f") == "Zg==");
    CHECK(cord::net::base64("fo") == "Zm8=");
    CHECK(cord::net::base64("foo") == "Zm9v");
    CHECK(cord::net::base64("foobar") == "Zm9vYmFy");

    auto req = upgrade_request("gateway.discord.gg", "/?v=10&encoding=json", "DiscordBot (x, 1)", "a2V5");
    CHECK(req.rfind("GET /?v=10&encoding=json HTTP/1.1\r\n", 0) == 0);
    CHECK(req.find("\r\nHost: gateway.discord.gg\r\n") != std::string::npos);
    CHECK(req.find("\r\nSec-WebSocket-Key: a2V5\r\n") != std::string::npos);
    CHECK(req.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
    CHECK(req.find("Extensions") == std::string::npos);   // permessage-deflate off
    CHECK(req.substr(req.size() - 4) == "\r\n\r\n");

    std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    std::string good = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    CHECK(check_upgrade_response(good, key).empty());
    CHECK_THAT(check_upgrade_response("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n", key),
               Catch::Contains("404 Not Found"));
    CHECK_THAT(check_upgrade_response("SSH-2.0-OpenSSH\r\n", key), Catch::Contains("HTTP"));
    CHECK_THAT(check_upgrade_response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                      "Connection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n",
                                      key),
               Catch::Contains("Sec-WebSocket-Accept"));
    CHECK_THAT(check_upgrade_response("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
                                      key),
               Catch::Contains("does not upgrade"));
    CHECK_THAT(check_upgrade_response(good + "Sec-WebSocket-Extensions: permessage-deflate\r\n", key),
               Catch::Contains("Extensions"));
    CHECK_THAT(check_upgrade_response(good + "no colon here\r\n", key), Catch::Contains("malformed"));
}
