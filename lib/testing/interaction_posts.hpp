// cord::testing: private. The fake Discord as the sender of HTTP interactions: its application
// key pair, the signed (or deliberately spoiled) POSTs to an endpoint, the bodies of a PING and
// of a webhook event envelope, and the record of every answer.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "endpoint_poster.hpp"
#include "interaction_signer.hpp"

#include <cord/testing/fake_discord.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cord::testing::detail {

class interaction_posts {
public:
    /// `application_id`: the id put in PINGs and webhook envelopes (the bot user's).
    explicit interaction_posts(std::uint64_t application_id);

    const std::string& public_key_hex() const noexcept { return signer_.public_key_hex(); }
    endpoint_answer post(std::string_view url, std::string_view body, signature_fault fault);
    endpoint_answer ping(std::string_view url);
    endpoint_answer webhook_event(std::string_view url, std::string_view event_type, std::string_view data_json);
    std::vector<endpoint_answer> answers() const;
    void trust(std::string_view pem) { poster_.trust(std::string{pem}); }

private:
    std::uint64_t application_id_;
    interaction_signer signer_;
    endpoint_poster poster_;
    mutable std::mutex mu_;
    std::vector<endpoint_answer> answers_;
    std::uint64_t next_id_ = 0;
};

} // namespace cord::testing::detail
