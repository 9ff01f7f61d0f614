// cord::testing: private. The fake Discord's HTTP client for interactions endpoints: POSTs a
// body with the headers it is given to a URL and returns the answer, blocking the caller for
// at most a timeout. One keep-alive connection, reused while the URL's host and port stay the
// same (Discord reuses its connections too); a reused connection the endpoint had closed is
// opened again once.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/testing/fake_discord.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord::testing::detail {

class endpoint_poster {
public:
    endpoint_poster();
    ~endpoint_poster();
    endpoint_poster(const endpoint_poster&) = delete;
    endpoint_poster& operator=(const endpoint_poster&) = delete;

    /// Trusts `pem` (besides nothing else) for https URLs.
    void trust(std::string pem);
    /// One POST; never throws for the endpoint's faults (they are in the answer's `error`).
    endpoint_answer post(std::string_view url, const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body, std::chrono::milliseconds timeout);

    struct impl;

private:
    std::mutex mu_;   // one POST at a time
    std::unique_ptr<impl> impl_;
};

} // namespace cord::testing::detail
