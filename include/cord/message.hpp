// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// cord::message: a message body built by chained calls, for replies, followups, edits and
// create_message. It needs no brace list, so it may be written right inside a co_await on
// every compiler (g++ 12 cannot compile a brace list inside a co_await expression):
//
//     co_await r.reply(cord::message{"Saved"}.ephemeral());
//     co_await r.reply(cord::message{"Pick one"}.row(cord::action_row{}.add(cord::button::primary("Yes", "vote:y"))));
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord {

class action_row;

/// A message body: content, flags, embeds, components, allowed mentions.
class message {
public:
    message() = default;   ///< an empty message
    /// A message with `content`.
    explicit message(std::string_view content);

    message& content(std::string_view text);    ///< the text (up to 2,000 characters)
    message& ephemeral(bool yes = true);         ///< only the invoking user sees it (flag 64)
    message& suppress_embeds(bool yes = true);   ///< no link previews (flag 4)
    message& flags(std::uint64_t bits);          ///< sets these flag bits
    message& tts(bool yes = true);               ///< read aloud
    message& embed(const json& e);               ///< appends an embed object (up to 10)
    message& row(const action_row& r);           ///< appends a row of components (up to 5)
    /// Who may be pinged: Discord's allowed_mentions object.
    message& allowed_mentions(const json& am);
    /// No one is pinged, whatever the content says.
    message& no_mentions();
    /// Any other member of Discord's message object, as it is.
    message& set(std::string_view key, const json& value);

    /// Discord's message object.
    json to_json() const;
    /// The same: a message converts to json wherever one is asked for.
    operator json() const { return to_json(); }

private:
    std::vector<std::pair<std::string, json_fragment>> fields_;
    std::vector<json_fragment> embeds_, rows_;
    std::uint64_t flags_ = 0;
};

} // namespace cord
