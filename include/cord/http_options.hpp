// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Argument types and option structs of the cord::http functions: the optional arguments of
// racket-cord's http: functions, filled with designated initialisers, e.g.
// `http::list_guild_members(bot, guild, {.limit = 100, .after = last_id})`.
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/attachment.hpp>
#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cord {

class rest_client;

/// A Discord id as a cord::http function takes it: a decimal string (std::string_view,
/// const char*, std::string), a cord::snowflake, an unsigned or signed integer, or a json
/// string or integer (e.g. `msg["channel_id"]`). The text is checked when the call is made:
/// anything but 1-20 digits throws cord::error (errc::invalid_argument).
///
/// Trivially destructible (the text lives in the object), so option structs holding ids stay
/// safe as temporaries inside a `co_await` expression on g++ 12 (see
/// <cord/detail/temporary_guard.hpp>).
class id_arg {
public:
    /// Room for the longest id (20 digits) and a little more, so that a longer text is kept
    /// long enough to be refused.
    static constexpr std::size_t capacity = 24;

    /// Decimal text, kept as given (checked when the call is made).
    id_arg(std::string_view text) noexcept { assign(text); }
    /// Decimal text; a null pointer is an empty id, which the check refuses.
    id_arg(const char* text) noexcept { assign(text ? std::string_view{text} : std::string_view{}); }
    /// Decimal text, kept as given (checked when the call is made).
    id_arg(const std::string& text) noexcept { assign(text); }
    /// The snowflake's decimal digits.
    id_arg(snowflake id) noexcept { assign_number(id.value); }
    /// An integer's decimal digits (a negative one is refused by the check).
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) id_arg(T value) noexcept { assign_number(value); }
    /// A json string or integer; throws cord::error (errc::json_access) for other types.
    id_arg(const json& value);

    /// The id as given, not yet checked; a text longer than `capacity` is cut to `capacity`
    /// bytes, which no check accepts.
    std::string_view str() const noexcept { return {text_, size_}; }

private:
    void assign(std::string_view text) noexcept
    {
        size_ = static_cast<unsigned char>(text.size() < capacity ? text.size() : capacity);
        if (size_ != 0)   // memcpy from a null pointer is undefined even for 0 bytes
            std::memcpy(text_, text.data(), size_);
    }
    template <class T>
    void assign_number(T value) noexcept
    {
        auto r = std::to_chars(text_, text_ + capacity, value);
        size_ = static_cast<unsigned char>(r.ptr - text_);
    }

    char text_[capacity] = {};
    unsigned char size_ = 0;
};
static_assert(std::is_trivially_destructible_v<id_arg>);

namespace http {

/// get-channel-messages: at most one of around/before/after; limit 1-100 (Discord: 50).
struct get_messages_options {
    std::optional<id_arg> around{};   ///< messages around this message id
    std::optional<id_arg> before{};   ///< messages before this message id
    std::optional<id_arg> after{};    ///< messages after this message id
    std::optional<int> limit{};       ///< 1-100 (Discord: 50)
};

/// create-message. At least one of content, embeds, files, sticker_ids or components.
struct create_message_options {
    /// Up to 10 embed objects (the seed's single #:embed is one of them).
    std::vector<json> embeds{};
    bool tts = false;   ///< a text-to-speech message
    /// Uploaded as files[n], and listed in `attachments` with their descriptions.
    std::vector<attachment> files{};
    std::optional<id_arg> reply_to{};       ///< message id: sent as message_reference
    std::optional<json> allowed_mentions{}; ///< an allowed-mentions object
    std::optional<json> components{};       ///< an array of components
    std::vector<id_arg> sticker_ids{};      ///< up to 3
    /// A poll request object (question, answers, duration in hours, allow_multiselect): the
    /// message is a poll. Votes arrive as MESSAGE_POLL_VOTE_ADD / _REMOVE; end it with end_poll().
    std::optional<json> poll{};
};

/// edit-message: fields left empty are not changed.
struct edit_message_options {
    std::optional<std::string> content{};      ///< "" clears the text
    std::optional<std::vector<json>> embeds{}; ///< replaces every embed (an empty vector removes them)
    /// New files, uploaded as files[n].
    std::vector<attachment> files{};
    /// The existing attachments to keep (array of objects with at least `id`). When this or
    /// `files` is given, cord sends `attachments` = these, then {id: n, filename, description}
    /// for each new file: the message keeps exactly those (none of the old ones when this is
    /// not given). When neither is given, the attachments are not changed.
    std::optional<json> attachments{};
    std::optional<json> allowed_mentions{};   ///< an allowed-mentions object
    std::optional<json> components{};         ///< an array of components
};

/// get-reactions.
struct get_reactions_options {
    std::optional<int> type{};     ///< 0 normal (Discord's default), 1 burst ("super") reactions
    std::optional<id_arg> after{}; ///< user id: page after this user
    std::optional<int> limit{};    ///< 1-100 (Discord: 25)
};

/// The kind of a permission overwrite: racket-cord passed "role" or "member"; Discord
/// takes 0 (role) or 1 (member). Accepts either spelling; anything else throws cord::error
/// (errc::invalid_argument) when the call is made.
class overwrite_type {
public:
    static constexpr int role = 0;     ///< Discord's value for a role overwrite
    static constexpr int member = 1;   ///< Discord's value for a member overwrite
    /// Discord's number, 0 or 1.
    overwrite_type(int value) : value_(value) {}
    /// "role" or "member" (or "0", "1").
    overwrite_type(std::string_view name);
    /// "role" or "member" (or "0", "1"); a null pointer is refused.
    overwrite_type(const char* name) : overwrite_type(std::string_view{name ? name : ""}) {}
    /// "role" or "member" (or "0", "1").
    overwrite_type(const std::string& name) : overwrite_type(std::string_view{name}) {}
    /// The number sent to Discord (-1 for a name it does not know, refused by the call).
    int value() const noexcept { return value_; }

private:
    int value_;
};

/// create-channel-invite: racket-cord's optional arguments with its defaults.
struct create_invite_options {
    int max_age = 86400; ///< seconds, 0 = never expires (seed: age)
    int max_uses = 0;    ///< 0 = unlimited (seed: uses)
    bool temporary = false;   ///< grant temporary membership only
    bool unique = false;      ///< do not reuse a similar invite
    /// X-Audit-Log-Reason. A view, so that the struct is trivially destructible (safe as a
    /// temporary in co_await on g++ 12); the call copies it before it returns.
    std::string_view reason{};
};

/// list-guild-members: racket-cord's defaults (limit 1).
struct list_members_options {
    int limit = 1;                 ///< 1-1000
    std::optional<id_arg> after{}; ///< the highest user id of the previous page (seed default 0)
};

/// get-guild-bans.
struct get_bans_options {
    std::optional<int> limit{}; ///< 1-1000 (Discord: 1000)
    std::optional<id_arg> before{}; ///< bans of users with ids below this one
    std::optional<id_arg> after{};  ///< bans of users with ids above this one
};

/// begin-guild-prune.
struct prune_options {
    bool compute_prune_count = true;     ///< false: faster on large guilds; `pruned` comes back null
    std::vector<id_arg> include_roles{}; ///< also prune members with these roles
    std::string reason{};                ///< X-Audit-Log-Reason
};

/// modify-current-user: fields left empty are not changed.
struct modify_current_user_options {
    std::optional<std::string> username{};   ///< the new username
    std::optional<std::string> avatar{}; ///< the image's bytes, sent as a data URI
    /// MIME type of `avatar` ("image/png", or just "png"); empty: found from the bytes.
    std::string avatar_type{};
};

/// get-current-user-guilds.
struct get_current_user_guilds_options {
    std::optional<id_arg> before{}; ///< guilds with ids below this one
    std::optional<id_arg> after{};  ///< guilds with ids above this one
    std::optional<int> limit{}; ///< 1-200 (Discord: 200)
    bool with_counts = false;   ///< adds approximate member and presence counts
};

/// modify-webhook and modify-webhook-with-token: fields left empty are not changed.
struct modify_webhook_options {
    std::optional<std::string> name{};   ///< the new name
    std::optional<std::string> avatar{}; ///< the image's bytes, sent as a data URI
    std::string avatar_type{};           ///< as modify_current_user_options::avatar_type
    /// Move the webhook to this channel. modify-webhook only: with a token, Discord does not
    /// accept it, and cord throws cord::error (errc::invalid_argument).
    std::optional<id_arg> channel_id{};
    /// X-Audit-Log-Reason. modify-webhook only (cord throws for the token route).
    std::string reason{};
};

/// execute-webhook.
struct execute_webhook_options {
    /// true: wait for the message and return it (else Discord answers 204: null json).
    bool wait = false;
    /// Uploaded as files[n]; listed in the payload's `attachments` unless `data` has its own.
    std::vector<attachment> files{};
    std::optional<id_arg> thread_id{}; ///< post in this thread of the webhook's channel
};

} // namespace http
} // namespace cord
