// Tests of cord::testing::fake_discord: a raw Beast HTTP and WebSocket client, deliberately
// not cord's, so that the emulator is checked against Discord's rules on its own.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fake_test {

using namespace std::chrono_literals;

struct http_reply {
    int status = 0;
    std::map<std::string, std::string> headers;   ///< names lower-cased
    std::string body;

    cord::json json() const { return cord::json::parse(body); }
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

/// One keep-alive HTTP/1.1 connection to 127.0.0.1:port (TLS when `ca_pem` is given).
class http_client {
public:
    explicit http_client(std::uint16_t port, std::string ca_pem = {});
    ~http_client();

    /// Sends a request; `auth` adds `Authorization: Bot <auth>` unless empty.
    http_reply request(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::string& auth = "fake-bot-token",
                       std::vector<std::pair<std::string, std::string>> headers = {});

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// One WebSocket connection to the emulated gateway. Every read is bounded by a timeout.
class ws_client {
public:
    /// `target` e.g. "/?v=10&encoding=json"; zlib-stream is inflated when the target asks for it.
    ws_client(std::uint16_t port, const std::string& target = "/?v=10&encoding=json", std::string ca_pem = {});
    ~ws_client();

    void send(const std::string& text);
    /// The next message, or nullopt on timeout or when the connection closed.
    std::optional<std::string> read(std::chrono::milliseconds timeout = 3s);
    std::optional<cord::json> read_json(std::chrono::milliseconds timeout = 3s);
    /// Reads until a payload with this op (and event name, for op 0) arrives; bounded by count and time.
    std::optional<cord::json> wait_for(int op, const std::string& event = {}, std::chrono::milliseconds timeout = 3s);
    /// True once the server closed; its close code (0 for a TCP drop without close frame).
    bool closed() const;
    int close_code() const;
    /// Reads until the connection ends (bounded); returns the close code.
    int wait_closed(std::chrono::milliseconds timeout = 3s);
    void close(int code = 1000);
    /// Raw binary frames received (zlib-stream), for checking the 00 00 FF FF suffix.
    const std::vector<std::string>& raw_frames() const;

    /// HELLO → IDENTIFY → READY; returns READY's d (asserts on the way).
    cord::json identify(const std::string& token = "fake-bot-token", std::uint32_t intents = 513,
                        int shard_id = 0, int shard_count = 1);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace fake_test
