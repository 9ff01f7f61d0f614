// cord::testing: private. The acceptor on 127.0.0.1: every connection becomes an HTTP
// session (TLS first when configured), which may upgrade to the gateway.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "core.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace cord::testing::detail {

class listener {
public:
    /// Binds and listens at once (so the port is known); throws on failure.
    listener(boost::asio::any_io_executor ex, std::shared_ptr<server_core> core, std::uint16_t port,
             const std::string& cert_pem, const std::string& key_pem);
    ~listener();

    std::uint16_t port() const;
    /// Starts the accept loop on the executor.
    void start();
    /// Stops accepting; call on the executor.
    void close();

    struct state;

private:
    std::shared_ptr<state> s_;
};

} // namespace cord::testing::detail
