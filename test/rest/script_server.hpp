// A scripted HTTP/1.1 server on loopback for the REST core's fault tests: each request is
// answered by a test-supplied function with raw bytes, so a test can send what Discord's
// emulator never would (broken JSON, a Cloudflare page, a connection cut mid-response).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/rest_options.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cord::test {

struct script_request {
    std::string head;   ///< request line and headers
    std::string body;
    std::chrono::steady_clock::time_point at;
    int connection = 0;   ///< which accepted connection carried it
};

/// What to do with one request.
struct script_reply {
    std::string bytes;          ///< written as they are
    bool close_after = false;   ///< close the connection after writing
    bool hang = false;          ///< never answer (keep the connection open)
};

inline std::string http_response(int status, std::string body, std::string extra_headers = {},
                                 std::string content_type = "application/json")
{
    std::string r = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    if (!content_type.empty())
        r += "Content-Type: " + content_type + "\r\n";
    r += "Via: 1.1 google\r\n" + extra_headers;
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return r;
}

class script_server {
public:
    using handler = std::function<script_reply(const script_request&, int index)>;

    explicit script_server(handler h) : handler_(std::move(h)), acceptor_(io_, {boost::asio::ip::tcp::v4(), 0})
    {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~script_server()
    {
        io_.stop();
        thread_.join();
    }

    std::string url() const
    {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/api/v10";
    }
    std::vector<script_request> requests() const
    {
        std::lock_guard lock{mu_};
        return requests_;
    }
    int connections() const { return connections_.load(); }

private:
    struct session : std::enable_shared_from_this<session> {
        session(script_server& s, boost::asio::ip::tcp::socket sock, int id) : server(s), socket(std::move(sock)), id(id) {}
        void read()
        {
            boost::asio::async_read_until(socket, buf, "\r\n\r\n",
                                          [self = shared_from_this()](auto ec, std::size_t n) { self->on_head(ec, n); });
        }
        void on_head(boost::system::error_code ec, std::size_t n)
        {
            if (ec)
                return;
            std::string head(boost::asio::buffers_begin(buf.data()), boost::asio::buffers_begin(buf.data()) + n);
            buf.consume(n);
            std::size_t length = 0;
            for (std::string key : {"Content-Length: ", "content-length: "})
                if (auto p = head.find(key); p != std::string::npos)
                    length = std::stoul(head.substr(p + key.size()));
            auto have = std::min(length, buf.size());
            std::size_t missing = length - have;
            boost::asio::async_read(socket, buf, boost::asio::transfer_exactly(missing),
                                    [self = shared_from_this(), head, length](auto rec, std::size_t) {
                                        if (rec)
                                            return;
                                        std::string body(boost::asio::buffers_begin(self->buf.data()),
                                                         boost::asio::buffers_begin(self->buf.data()) + length);
                                        self->buf.consume(length);
                                        self->on_request(head, std::move(body));
                                    });
        }
        void on_request(std::string head, std::string body)
        {
            script_request req{std::move(head), std::move(body), std::chrono::steady_clock::now(), id};
            int index;
            {
                std::lock_guard lock{server.mu_};
                index = static_cast<int>(server.requests_.size());
                server.requests_.push_back(req);
            }
            auto reply = std::make_shared<script_reply>(server.handler_(req, index));
            if (reply->hang) {
                hung = true;
                read();   // keep reading so a close from the client is noticed
                return;
            }
            boost::asio::async_write(socket, boost::asio::buffer(reply->bytes),
                                     [self = shared_from_this(), reply](auto wec, std::size_t) {
                                         if (wec || reply->close_after) {
                                             boost::system::error_code ignored;
                                             self->socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
                                             self->socket.close(ignored);
                                             return;
                                         }
                                         self->read();
                                     });
        }
        script_server& server;
        boost::asio::ip::tcp::socket socket;
        boost::asio::streambuf buf;
        int id;
        bool hung = false;
    };

    void accept()
    {
        acceptor_.async_accept([this](auto ec, boost::asio::ip::tcp::socket sock) {
            if (ec)
                return;
            int id = connections_++;
            std::make_shared<session>(*this, std::move(sock), id)->read();
            accept();
        });
    }

    handler handler_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    mutable std::mutex mu_;
    std::vector<script_request> requests_;
    std::atomic<int> connections_{0};
};

/// A token of Discord's shape (not a real one) for the scripted tests.
inline const std::string script_token = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";

/// Options that point a client at `s` over plaintext, with short backoffs.
inline cord::rest_options options_for(const script_server& s)
{
    using namespace std::chrono_literals;
    cord::rest_options o;
    o.base_url = s.url();
    o.tls.allow_plaintext = true;
    o.backoff_min = 10ms;
    o.backoff_max = 40ms;
    o.request_timeout = 2000ms;
    return o;
}

} // namespace cord::test
