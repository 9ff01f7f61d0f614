// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <cord/snowflake.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord {

namespace detail {
struct json_document;   // a parsed simdjson document, shared by every json pointing into it
struct json_access;     // the library's only way inside a json

// Where a value sits in its document: the document and the index of its tape entry.
// Opaque to users; laid out like simdjson's own element reference.
struct json_cursor {
    const void* tape_doc = nullptr;
    std::size_t index = 0;
};
} // namespace detail

/// The type of a json value: `integer` is a whole number (int64 or uint64), `number` one with
/// a fraction or exponent.
enum class json_type : std::uint8_t { null, boolean, integer, number, string, array, object };

/// "null", "boolean", "integer", "number", "string", "array" or "object".
std::string_view to_string(json_type type) noexcept;

class json_fragment;

/// The one JSON type of cord: an immutable, cheaply copied view into a parsed document
/// (simdjson underneath). Copies share the document; any copy keeps it alive, and so
/// keeps valid the string_views that as_string() returned.
///
/// Access throws cord::error (errc::json_access) naming the key path and the type found,
/// e.g. `json: expected string at d.author.id, found integer`.
class json {
public:
    /// A JSON null.
    json() noexcept = default;

    /// Parses `text`; throws cord::error (errc::json_parse) with the byte offset on bad input.
    static json parse(std::string_view text);

    /// Builds an object: `json::object({{"content", "hi"}, {"tts", false}})`.
    /// Values may be strings, numbers, bools, nullptr, snowflakes or json.
    static json object(std::initializer_list<std::pair<std::string_view, json_fragment>> members);
    /// The same from a vector, for members known only at run time.
    static json object(const std::vector<std::pair<std::string, json_fragment>>& members);
    /// Builds an array: `json::array({1, "two", json::object({})})`.
    static json array(std::initializer_list<json_fragment> items);
    /// The same from a vector, for items known only at run time.
    static json array(const std::vector<json_fragment>& items);

    /// The type of this value (a default-constructed json is null).
    json_type type() const noexcept;
    bool is_null() const noexcept { return type() == json_type::null; }     ///< type() is null
    bool is_bool() const noexcept { return type() == json_type::boolean; }  ///< type() is boolean
    bool is_int() const noexcept { return type() == json_type::integer; }   ///< type() is integer
    bool is_number() const noexcept;   ///< integer or floating point
    bool is_string() const noexcept { return type() == json_type::string; }  ///< type() is string
    bool is_array() const noexcept { return type() == json_type::array; }    ///< type() is array
    bool is_object() const noexcept { return type() == json_type::object; }  ///< type() is object

    /// Member of an object; throws if this is not an object or the key is missing.
    json operator[](std::string_view key) const&;
    /// Member of a temporary (`msg["author"]["id"]`): it hands its hold on the document on.
    json operator[](std::string_view key) &&;
    /// Member of an object, as operator[](std::string_view).
    json operator[](const char* key) const& { return (*this)[std::string_view{key}]; }
    /// Member of a temporary, as operator[](std::string_view) &&.
    json operator[](const char* key) && { return std::move(*this)[std::string_view{key}]; }
    /// Element of an array; throws if this is not an array or `index` is out of range.
    json operator[](std::size_t index) const&;
    /// Element of a temporary array, as operator[](std::size_t): it hands its hold on the document on.
    json operator[](std::size_t index) &&;
    /// Element of an array, as operator[](std::size_t); a negative index throws.
    json operator[](int index) const&;
    /// Element of a temporary array, as operator[](int) (`msg["embeds"][0]`).
    json operator[](int index) &&;

    /// Member of an object, or nullopt when absent (throws only if this is not an object).
    std::optional<json> find(std::string_view key) const&;
    /// Member of a temporary, as find(std::string_view): it hands its hold on the document on.
    std::optional<json> find(std::string_view key) &&;
    /// True when this is an object with `key`.
    bool contains(std::string_view key) const noexcept;
    /// Number of elements of an array or members of an object; throws for other types.
    std::size_t size() const;
    /// size() == 0; throws for types other than array and object.
    bool empty() const { return size() == 0; }

    /// The string's bytes, valid while any json sharing this document lives.
    std::string_view as_string() const;
    /// An integer that fits in int64; throws otherwise.
    std::int64_t as_int() const;
    /// An integer that fits in uint64; throws otherwise (a negative one too).
    std::uint64_t as_uint() const;
    double as_double() const;   ///< any number
    /// A boolean; throws for other types.
    bool as_bool() const;
    /// A Discord id: accepts a decimal string (Discord's form) or an unsigned integer.
    snowflake as_snowflake() const;

    /// `(*this)[key]` when present and not null, else `fallback`.
    std::string value_or(std::string_view key, std::string_view fallback) const;
    /// As value_or(std::string_view, std::string_view).
    std::string value_or(std::string_view key, const char* fallback) const
    {
        return value_or(key, std::string_view{fallback});
    }
    /// `(*this)[key].as_int()` when present and not null, else `fallback`.
    std::int64_t value_or(std::string_view key, std::int64_t fallback) const;
    /// As value_or(std::string_view, std::int64_t).
    std::int64_t value_or(std::string_view key, int fallback) const
    {
        return value_or(key, std::int64_t{fallback});
    }
    /// `(*this)[key].as_bool()` when present and not null, else `fallback`.
    bool value_or(std::string_view key, bool fallback) const;

    /// Minified JSON text.
    std::string dump() const;

    /// Where this value sits in its document, as a path like `d.author.id` or `items.3`.
    std::string path() const;

    class array_iterator;
    class object_iterator;
    struct member;
    /// A pair of iterators for range-for, as items() and members() return.
    template <class It>
    struct range {
        It b;   ///< the first element
        It e;   ///< the end
        It begin() const { return b; }         ///< b
        It end() const { return e; }           ///< e
    };
    /// `for (json item : j.items())`; throws if not an array.
    range<array_iterator> items() const;
    /// `for (auto [key, value] : j.members())`; throws if not an object.
    range<object_iterator> members() const;

    /// Same document and same position (identity, not deep equality).
    bool same_as(const json& other) const noexcept
    {
        return doc_ == other.doc_ && cursor_.index == other.cursor_.index;
    }

private:
    friend struct detail::json_access;
    json(std::shared_ptr<const detail::json_document> doc, detail::json_cursor cursor) noexcept
        : doc_(std::move(doc)), cursor_(cursor) {}

    std::shared_ptr<const detail::json_document> doc_;
    detail::json_cursor cursor_;
};

/// One member of an object, as members() yields it.
struct json::member {
    std::string_view key;   ///< valid while any json sharing the document lives
    json value;             ///< the member's value
};

/// An iterator over the elements of an array (items()).
class json::array_iterator {
public:
    using value_type = json;                  ///< what operator* returns
    using difference_type = std::ptrdiff_t;   ///< for the iterator concepts
    array_iterator() = default;
    json operator*() const;                   ///< the current element
    array_iterator& operator++();             ///< moves to the next element
    array_iterator operator++(int) { auto old = *this; ++*this; return old; }   ///< moves to the next element
    /// Same position (iterators of one array).
    bool operator==(const array_iterator& o) const noexcept { return cursor_.index == o.cursor_.index; }

private:
    friend class json;
    friend struct detail::json_access;
    std::shared_ptr<const detail::json_document> doc_;
    detail::json_cursor cursor_;
};

/// An iterator over the members of an object (members()).
class json::object_iterator {
public:
    using value_type = member;                ///< what operator* returns
    using difference_type = std::ptrdiff_t;   ///< for the iterator concepts
    object_iterator() = default;
    member operator*() const;                 ///< the current member
    object_iterator& operator++();            ///< moves to the next member
    object_iterator operator++(int) { auto old = *this; ++*this; return old; }   ///< moves to the next member
    /// Same position (iterators of one object).
    bool operator==(const object_iterator& o) const noexcept { return cursor_.index == o.cursor_.index; }

private:
    friend class json;
    friend struct detail::json_access;
    std::shared_ptr<const detail::json_document> doc_;
    detail::json_cursor cursor_;
};

/// A value on its way into json::object / json::array, already encoded as JSON text.
/// Strings are escaped correctly (quotes, backslashes, control characters; UTF-8 kept).
class json_fragment {
public:
    json_fragment(std::nullptr_t) : text_("null") {}                 ///< null
    json_fragment(bool b) : text_(b ? "true" : "false") {}         ///< true or false
    /// An integer.
    template <std::integral T>
        requires(!std::same_as<T, bool> && !std::same_as<T, char>)
    json_fragment(T v) : text_(std::to_string(v)) {}
    /// A number; NaN and infinity throw cord::error (invalid_argument).
    json_fragment(double v);
    json_fragment(const char* s) : json_fragment(std::string_view{s}) {}   ///< a string
    json_fragment(std::string_view s);                                     ///< a string
    json_fragment(const std::string& s) : json_fragment(std::string_view{s}) {}   ///< a string
    /// Discord sends ids as strings, so a snowflake becomes a JSON string.
    json_fragment(snowflake id);
    /// A parsed value, as its dump().
    json_fragment(const json& j) : text_(j.dump()) {}
    /// A list of values of one type becomes an array.
    template <class T>
    json_fragment(const std::vector<T>& list)
    {
        std::vector<json_fragment> items(list.begin(), list.end());
        text_ = join_array(items);
    }
    /// An array of these values.
    json_fragment(const std::vector<json_fragment>& list) : text_(join_array(list)) {}

    /// Pre-encoded JSON text, inserted as it is (no validation).
    static json_fragment raw(std::string text)
    {
        json_fragment f{nullptr};
        f.text_ = std::move(text);
        return f;
    }

    /// The JSON text.
    const std::string& text() const noexcept { return text_; }

private:
    friend class json;
    static std::string join_array(const std::vector<json_fragment>& items);
    std::string text_;
};

/// Appends `s` to `out` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view s);

} // namespace cord
