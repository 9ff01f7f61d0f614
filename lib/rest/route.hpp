// cord: private. One REST endpoint as data: the route table is made of these.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cstdint>
#include <string_view>

namespace cord::rest {

enum class http_method : std::uint8_t { get, post, put, patch, del };

/// The top-level resource that keys a route's rate-limit bucket (rate-limits.md).
enum class major_param : std::uint8_t { none, channel_id, guild_id, webhook_id, webhook_id_token };

/// What a route may carry besides its path (bits; endpoints.tsv's "body" column).
enum body_kind : std::uint8_t {
    body_none = 0,
    body_json = 1,        ///< a JSON body
    body_query = 2,       ///< query parameters
    body_multipart = 4,   ///< JSON, or multipart/form-data with payload_json + files[n] when uploading
    /// multipart/form-data of form fields: each top-level member of the JSON body a text field,
    /// the one file as part `file` (no payload_json). Discord takes Create Guild Sticker so.
    body_form_fields = 8,
};

struct route {
    std::string_view name;   ///< the seed's name, e.g. "get-channel-message"
    http_method method;
    /// Today's path under the API base, holes named as in endpoints.tsv:
    /// "/channels/{channel_id}/messages/{message_id}". A hole's name decides how its
    /// argument is checked and encoded: *_id → digits only; {emoji} → percent-encoded;
    /// *_token / {invite_code} → token characters only.
    std::string_view path;
    major_param major = major_param::none;
    std::uint8_t body = body_none;
    bool audit_log_reason = false;   ///< accepts X-Audit-Log-Reason
    bool authorized = true;          ///< false: sent without Authorization (webhook-token routes, /gateway)
    /// Discord's operationId (operations.tsv) the route calls; empty for a route Discord removed.
    std::string_view operation{};
    /// The query parameters Discord documents for it, space-separated ("before after limit").
    std::string_view query_params{};
    /// Authenticated by an interaction token in the path: kept out of the global rate limit.
    bool interaction_token = false;
    /// Not empty: Discord removed the route, and a call fails locally with this explanation
    /// (errc::not_supported) without sending anything.
    std::string_view removed{};
};

std::string_view to_string(http_method m) noexcept;

} // namespace cord::rest
