// The gateway transport against a scripted WebSocket server on loopback: what Discord's
// emulator never sends (frames split byte by byte, fragments, pings, protocol faults, a broken
// upgrade), checked from both ends of the wire.
#include "gateway/transport.hpp"
#include "gateway/ws_frame.hpp"
#include "gateway/ws_handshake.hpp"
#include "net/url.hpp"

#include <cord/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using namespace cord::gateway;

namespace {

// One accepted connection, scripted from a thread of its own with blocking calls.
class ws_script_server {
public:
    using script = std::function<void(tcp::socket&, const std::string& key)>;

    explicit ws_script_server(script s) : acceptor_(io_, {asio::ip::address_v4::loopback(), 0})
    {
        thread_ = std::thread([this, s = std::move(s)] {
            try {
                tcp::socket socket{io_};
                acceptor_.accept(socket);
                std::string head = read_head(socket);
                auto at = head.find("Sec-WebSocket-Key: ");
                std::string key = at == std::string::npos ? "" : head.substr(at + 19, 24);
                s(socket, key);
            } catch (const std::exception& e) {
                failure_ = e.what();
            }
        });
    }
    ~ws_script_server()
    {
        acceptor_.close();
        if (thread_.joinable())
            thread_.join();
    }
    void join() { thread_.join(); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
    const std::string& failure() const { return failure_; }

    static std::string read_head(tcp::socket& s)
    {
        asio::streambuf buf;
        auto n = asio::read_until(s, buf, "\r\n\r\n");
        return std::string{static_cast<const char*>(buf.data().data()), n};
    }
    static std::string switching(const std::string& key)
    {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: " +
               accept_key(key) + "\r\n\r\n";
    }
    static std::string frame(ws_opcode op, std::string_view payload, bool fin = true)
    {
        std::string f;
        f.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<unsigned>(op)));
        if (payload.size() < 126) {
            f.push_back(static_cast<char>(payload.size()));
        } else {
            f.push_back(126);
            f.push_back(static_cast<char>(payload.size() >> 8));
            f.push_back(static_cast<char>(payload.size()));
        }
        return f.append(payload);
    }
    struct client_frame {
        ws_opcode op;
        bool masked;
        std::string payload;
    };
    static client_frame read_frame(tcp::socket& s)
    {
        unsigned char h[2];
        asio::read(s, asio::buffer(h));
        std::uint64_t len = h[1] & 0x7F;
        if (len == 126) {
            unsigned char e[2];
            asio::read(s, asio::buffer(e));
            len = (e[0] << 8) | e[1];
        } else if (len == 127) {
            unsigned char e[8];
            asio::read(s, asio::buffer(e));
            len = 0;
            for (auto b : e)
                len = (len << 8) | b;
        }
        unsigned char key[4] = {};
        bool masked = (h[1] & 0x80) != 0;
        if (masked)
            asio::read(s, asio::buffer(key));
        std::string p(len, '\0');
        asio::read(s, asio::buffer(p));
        for (std::size_t i = 0; i < p.size(); ++i)
            p[i] = static_cast<char>(p[i] ^ key[i % 4]);
        return {static_cast<ws_opcode>(h[0] & 0x0F), masked, p};
    }
    static int close_code_of(const client_frame& f)
    {
        REQUIRE(f.op == ws_opcode::close);
        REQUIRE(f.payload.size() >= 2);
        return (static_cast<unsigned char>(f.payload[0]) << 8) | static_cast<unsigned char>(f.payload[1]);
    }

private:
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::string failure_;
};

// Runs `body` with a fresh transport on a local io_context, bounded in time.
void run_client(const std::string& url, std::size_t max_message,
                std::function<cord::awaitable<void>(transport&, const cord::net::url&)> body,
                std::chrono::milliseconds handshake = 5000ms)
{
    asio::io_context io;
    auto t = make_transport(io.get_executor(), false, nullptr, max_message);
    auto where = cord::net::parse_url(url);
    std::exception_ptr failed;
    bool done = false;
    asio::co_spawn(
        io,
        [&]() -> cord::awaitable<void> {
            auto ec = co_await t->connect(where, "/?v=10&encoding=json", {5000ms, handshake});
            if (ec) {
                INFO(ec.message() << " " << t->failure());
                throw cord::error(cord::errc::transport, "connect: " + ec.message() + " " + t->failure());
            }
            co_await body(*t, where);
        },
        [&](std::exception_ptr e) {
            failed = e;
            done = true;
        });
    io.run_for(20s);
    REQUIRE(done);
    if (failed)
        std::rethrow_exception(failed);
}

bool is(const cord::gateway::error_code& ec, cord::errc e)
{
    return ec == cord::gateway::error_code{cord::make_error_code(e)};
}

} // namespace

TEST_CASE("frames split anywhere, fragments, a ping and the server's close", "[gateway-transport]")
{
    std::optional<ws_script_server::client_frame> pong, close_answer;
    ws_script_server server([&](tcp::socket& s, const std::string& key) {
        // The first message in the same write as the 101.
        asio::write(s, asio::buffer(ws_script_server::switching(key) +
                                    ws_script_server::frame(ws_opcode::text, R"({"op":10})")));
        std::string wire = ws_script_server::frame(ws_opcode::text, R"({"op":0,)", false) +
                           ws_script_server::frame(ws_opcode::ping, "beat") +
                           ws_script_server::frame(ws_opcode::continuation, R"("d":1})") +
                           ws_script_server::frame(ws_opcode::binary, std::string(300, 'b'));
        for (char c : wire) {
            asio::write(s, asio::buffer(&c, 1));
            std::this_thread::sleep_for(50us);
        }
        pong = ws_script_server::read_frame(s);
        asio::write(s, asio::buffer(ws_script_server::frame(ws_opcode::close, close_payload(4000, "try again"))));
        close_answer = ws_script_server::read_frame(s);
    });
    std::vector<std::string> messages;
    std::string end_message;
    std::optional<int> peer_code;
    std::string peer_reason;
    run_client(server.url(), 1 << 20, [&](transport& t, const cord::net::url&) -> cord::awaitable<void> {
        for (int i = 0; i < 10; ++i) {
            auto [ec, bytes] = co_await t.read();
            if (ec) {
                end_message = ec.message();
                break;
            }
            messages.emplace_back(bytes);
        }
        peer_code = t.peer_close_code();
        peer_reason = t.peer_close_reason();
    });
    server.join();
    REQUIRE(server.failure().empty());
    REQUIRE(messages.size() == 3);
    CHECK(messages[0] == R"({"op":10})");
    CHECK(messages[1] == R"({"op":0,"d":1})");
    CHECK(messages[2] == std::string(300, 'b'));
    REQUIRE(pong);
    CHECK(pong->op == ws_opcode::pong);
    CHECK(pong->masked);
    CHECK(pong->payload == "beat");
    CHECK(peer_code == 4000);
    CHECK(peer_reason == "try again");
    REQUIRE(close_answer);
    CHECK(close_answer->masked);
    CHECK(ws_script_server::close_code_of(*close_answer) == 4000);   // the code echoed
}

TEST_CASE("a client's text and close frames are masked; close waits for the answer", "[gateway-transport]")
{
    for (bool reader_running : {false, true}) {
        INFO("a read pending during close: " << reader_running);
        std::optional<ws_script_server::client_frame> text, close;
        ws_script_server server([&](tcp::socket& s, const std::string& key) {
            asio::write(s, asio::buffer(ws_script_server::switching(key)));
            text = ws_script_server::read_frame(s);
            close = ws_script_server::read_frame(s);
            std::this_thread::sleep_for(100ms);   // the client must wait for the answer
            asio::write(s, asio::buffer(ws_script_server::frame(ws_opcode::close, close_payload(4000))));
        });
        bool closed_ok = false;
        std::optional<int> peer_code;
        run_client(server.url(), 1 << 20, [&](transport& t, const cord::net::url&) -> cord::awaitable<void> {
            std::string payload(200, 'p');
            payload.insert(0, R"({"op":1,"d":null})");
            auto ec = co_await t.write(payload);
            REQUIRE_FALSE(ec);
            if (reader_running) {
                auto ex = co_await boost::asio::this_coro::executor;
                asio::co_spawn(ex, [&]() -> cord::awaitable<void> {
                    for (int i = 0; i < 5; ++i) {
                        auto [rec, bytes] = co_await t.read();
                        if (rec)
                            break;
                    }
                }, asio::detached);
                co_await asio::post(ex, asio::use_awaitable);   // the read is pending now
            }
            auto started = std::chrono::steady_clock::now();
            ec = co_await t.close(4000);
            closed_ok = !ec;
            CHECK(std::chrono::steady_clock::now() - started >= 90ms);
            peer_code = t.peer_close_code();
            auto late = co_await t.write("late");
            CHECK(late);   // nothing more after a close
        });
        server.join();
        REQUIRE(server.failure().empty());
        REQUIRE(text);
        CHECK(text->op == ws_opcode::text);
        CHECK(text->masked);
        CHECK(text->payload.substr(0, 17) == R"({"op":1,"d":null})");
        CHECK(text->payload.size() == 217);
        REQUIRE(close);
        CHECK(close->masked);
        CHECK(ws_script_server::close_code_of(*close) == 4000);
        CHECK(closed_ok);
        CHECK(peer_code == 4000);
    }
}

TEST_CASE("a refused or broken upgrade fails connect with a reason", "[gateway-transport]")
{
    struct bad_upgrade {
        const char* name;
        std::function<std::string(const std::string& key)> answer;
        const char* reason;
    };
    std::vector<bad_upgrade> cases = {
        {"403", [](const std::string&) { return std::string{"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"}; },
         "403 Forbidden"},
        {"wrong accept",
         [](const std::string&) {
             return std::string{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"};
         },
         "Sec-WebSocket-Accept"},
        {"endless head",
         [](const std::string&) { return "HTTP/1.1 101 Switching Protocols\r\n" + std::string(20000, 'h'); },
         "no end"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        ws_script_server server([&](tcp::socket& s, const std::string& key) {
            asio::write(s, asio::buffer(c.answer(key)));
            std::this_thread::sleep_for(200ms);
        });
        asio::io_context io;
        auto t = make_transport(io.get_executor(), false, nullptr, 1 << 20);
        std::optional<cord::gateway::error_code> result;
        asio::co_spawn(io, [&]() -> cord::awaitable<void> {
            result = co_await t->connect(cord::net::parse_url(server.url()), "/", {5000ms, 5000ms});
        }, asio::detached);
        io.run_for(10s);
        server.join();
        REQUIRE(result);
        CHECK(is(*result, cord::errc::invalid_response));
        CHECK_THAT(t->failure(), Catch::Contains(c.reason));
    }
}

TEST_CASE("an upgrade that never comes ends at the handshake deadline", "[gateway-transport]")
{
    ws_script_server server([&](tcp::socket& s, const std::string&) {
        std::this_thread::sleep_for(1500ms);   // holds the connection, says nothing
        (void)s;
    });
    asio::io_context io;
    auto t = make_transport(io.get_executor(), false, nullptr, 1 << 20);
    std::optional<cord::gateway::error_code> result;
    auto started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration took{};
    asio::co_spawn(io, [&]() -> cord::awaitable<void> {
        result = co_await t->connect(cord::net::parse_url(server.url()), "/", {5000ms, 300ms});
        took = std::chrono::steady_clock::now() - started;
    }, asio::detached);
    io.run_for(10s);
    server.join();
    REQUIRE(result);
    CHECK(is(*result, cord::errc::timeout));
    CHECK(took >= 290ms);
}

TEST_CASE("a frame above the cap is refused from its header and answered with 1009", "[gateway-transport]")
{
    std::optional<ws_script_server::client_frame> close;
    ws_script_server server([&](tcp::socket& s, const std::string& key) {
        asio::write(s, asio::buffer(ws_script_server::switching(key)));
        // Announces 1 GiB and sends none of it: the client must not wait for (or buffer) it.
        std::string header = "\x82\x7F";
        header += std::string("\x00\x00\x00\x00\x40\x00\x00\x00", 8);
        asio::write(s, asio::buffer(header));
        close = ws_script_server::read_frame(s);
    });
    std::optional<cord::gateway::error_code> read_error;
    run_client(server.url(), 64 * 1024, [&](transport& t, const cord::net::url&) -> cord::awaitable<void> {
        auto [ec, bytes] = co_await t.read();
        read_error = ec;
        CHECK_THAT(t.failure(), Catch::Contains("max_frame_size"));
    });
    server.join();
    REQUIRE(server.failure().empty());
    REQUIRE(read_error);
    CHECK(is(*read_error, cord::errc::payload_too_large));
    REQUIRE(close);
    CHECK(ws_script_server::close_code_of(*close) == ws_close_too_big);
}
