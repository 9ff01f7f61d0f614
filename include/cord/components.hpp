// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
//
// Message components, modals and autocomplete choices, built by chained calls (no brace
// list, so safe inside a co_await on g++ 12 too). Each converts to Discord's JSON.
//
//     co_await r.modal(cord::modal{"tag-add", "New tag"}
//                          .text_input("name", "Name")
//                          .text_input("text", "Text", cord::text_style::paragraph));
//     co_await r.autocomplete(cord::choices{}.add("hello", "hello").add("rules", "rules"));
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/json.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cord {

/// Buttons: interactive ones carry a custom_id; a link button a URL.
struct button {
    /// A blurple button.
    static json primary(std::string_view label, std::string_view custom_id);
    /// A grey button.
    static json secondary(std::string_view label, std::string_view custom_id);
    /// A green button.
    static json success(std::string_view label, std::string_view custom_id);
    /// A red button.
    static json danger(std::string_view label, std::string_view custom_id);
    /// A button that opens `url` (no interaction).
    static json link(std::string_view label, std::string_view url);
};

/// A select menu of fixed options.
class string_select {
public:
    /// A select whose choice arrives as interaction::values().
    explicit string_select(std::string_view custom_id);
    string_select& option(std::string_view label, std::string_view value);   ///< one option (up to 25)
    string_select& placeholder(std::string_view text);   ///< shown while nothing is chosen
    string_select& range(int min_values, int max_values); ///< how many may be chosen
    json to_json() const;                                 ///< Discord's component
    operator json() const { return to_json(); }           ///< the same

private:
    std::string custom_id_, placeholder_;
    std::vector<json_fragment> options_;
    int min_ = 1, max_ = 1;
};

/// Up to 5 buttons, or one select, side by side.
class action_row {
public:
    action_row& add(const json& component);   ///< a button or a select
    json to_json() const;                      ///< Discord's action row
    operator json() const { return to_json(); }   ///< the same

private:
    std::vector<json_fragment> items_;
};

/// A text input's height.
enum class text_style : std::uint8_t {
    short_text = 1,   ///< one line
    paragraph = 2,    ///< several lines
};

/// A modal: a title and up to 5 text inputs; its submit arrives with interaction::field().
class modal {
public:
    /// A modal whose submit carries `custom_id`.
    modal(std::string_view custom_id, std::string_view title);
    /// A text input; its value is interaction::field(custom_id) on submit.
    modal& text_input(std::string_view custom_id, std::string_view label, text_style style = text_style::short_text,
                      bool required = true);
    json to_json() const;                         ///< Discord's modal data
    operator json() const { return to_json(); }   ///< the same

private:
    std::string custom_id_, title_;
    std::vector<json_fragment> rows_;
};

/// Autocomplete suggestions (up to 25).
class choices {
public:
    choices& add(std::string_view name, std::string_view value);   ///< a string choice
    choices& add(std::string_view name, std::int64_t value);       ///< an integer choice
    choices& add(std::string_view name, double value);             ///< a number choice
    /// An integer choice from any integer type.
    template <std::integral T>
        requires(!std::same_as<T, bool> && !std::same_as<T, std::int64_t>)
    choices& add(std::string_view name, T value)
    {
        return add(name, static_cast<std::int64_t>(value));
    }
    std::size_t size() const noexcept { return items_.size(); }    ///< how many so far
    json to_json() const;                                          ///< the array of `{name, value}`
    operator json() const { return to_json(); }                    ///< the same

private:
    std::vector<json_fragment> items_;
};

} // namespace cord
