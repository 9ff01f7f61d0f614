// cord: private. The keep-alive connection pool to the API host (Beast stays in transport.cpp).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "net/url.hpp"
#include "rest/prepared_request.hpp"
#include "rest/response.hpp"

#include <cord/awaitable.hpp>
#include <cord/tls_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace cord::rest {

struct waiter;
class connection;   // one keep-alive HTTP(S) connection; defined in transport.cpp

struct exchange_result {
    boost::system::error_code ec;   ///< set when no complete response arrived
    raw_response response;
    bool reusable = false;          ///< the connection may serve another request
    bool response_started = false;  ///< some response bytes arrived before a failure
    bool reused_connection = false; ///< the connection had served a request before
    bool timed_out = false;         ///< the exchange passed its timeout
    bool too_large = false;         ///< the body passed max_response_size
};

struct transport_options {
    net::url base;
    tls_options tls;
    std::size_t max_connections = 4;
    std::size_t max_response_size = 8 * 1024 * 1024;
    std::chrono::milliseconds timeout{15000};
};

/// At most `max_connections` connections, idle ones kept for reuse (most recent first) and
/// checked before reuse, since servers close idle keep-alive connections. Every member runs
/// on the REST strand given as `executor`.
class transport {
public:
    transport(boost::asio::any_io_executor executor, transport_options options);
    ~transport();
    transport(const transport&) = delete;
    transport& operator=(const transport&) = delete;

    /// A connected connection (new or idle), waiting FIFO when all are busy. On a failed
    /// connect returns the error and no connection. Throws cord::error (cancelled) when
    /// cancelled while waiting, (stopped) after close_all().
    awaitable<std::pair<boost::system::error_code, std::shared_ptr<connection>>> acquire();

    /// Writes the request and reads the response, all within the timeout.
    awaitable<exchange_result> exchange(connection& c, const prepared_request& req);

    /// Hands a connection back: kept when `reusable`, else closed.
    void release(std::shared_ptr<connection> c, bool reusable);

    /// Closes every connection (exchanges in progress fail) and refuses new ones.
    void close_all();

    std::uint64_t connections_opened() const noexcept { return opened_.load(std::memory_order_relaxed); }

private:
    awaitable<boost::system::error_code> connect(connection& c);

    boost::asio::any_io_executor executor_;
    transport_options options_;
    struct tls_state;
    std::unique_ptr<tls_state> tls_;
    std::vector<std::shared_ptr<connection>> idle_;
    std::vector<std::weak_ptr<connection>> live_;
    std::size_t open_ = 0;
    std::deque<waiter*> waiters_;
    bool closed_ = false;
    std::atomic<std::uint64_t> opened_{0};
};

} // namespace cord::rest
