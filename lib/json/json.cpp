// cord: cord::json over simdjson's DOM.
// SPDX-License-Identifier: BSL-1.0
#include "json/document.hpp"
#include "json/locate_error.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <charconv>

namespace cord {

using detail::json_access;
namespace dom = simdjson::dom;

namespace {

json_type type_of(const dom::element& e) noexcept
{
    switch (e.type()) {
    case dom::element_type::ARRAY: return json_type::array;
    case dom::element_type::OBJECT: return json_type::object;
    case dom::element_type::INT64:
    case dom::element_type::UINT64: return json_type::integer;
    case dom::element_type::DOUBLE: return json_type::number;
    case dom::element_type::STRING: return json_type::string;
    case dom::element_type::BOOL: return json_type::boolean;
    case dom::element_type::NULL_VALUE: return json_type::null;
    }
    return json_type::null;
}

// simdjson_result temporaries trip gcc's dangling-pointer analysis; get() into locals instead.
dom::object object_of(dom::element e) noexcept
{
    dom::object o;
    [[maybe_unused]] auto err = e.get(o);
    return o;
}

dom::array array_of(dom::element e) noexcept
{
    dom::array a;
    [[maybe_unused]] auto err = e.get(a);
    return a;
}

[[noreturn]] void throw_access(std::string message) { throw error(errc::json_access, message); }

[[noreturn]] void throw_type(const json& j, std::string_view expected)
{
    throw_access(fmt::format("json: expected {} at {}, found {}", expected, j.path(), to_string(j.type())));
}

// Depth-first search for the tape index of `target`, building the dotted path on the way.
bool find_path(dom::element e, std::size_t target, std::string& path)
{
    if (detail::to_cursor(e).index == target)
        return true;
    auto append = [&](std::string_view part) {
        std::size_t mark = path.size();
        if (!path.empty())
            path += '.';
        path += part;
        return mark;
    };
    if (e.is_object()) {
        for (auto [key, value] : object_of(e)) {
            auto mark = append(key);
            if (find_path(value, target, path))
                return true;
            path.resize(mark);
        }
    } else if (e.is_array()) {
        std::size_t i = 0;
        for (dom::element value : array_of(e)) {
            auto mark = append(std::to_string(i++));
            if (find_path(value, target, path))
                return true;
            path.resize(mark);
        }
    }
    return false;
}

} // namespace

std::string_view to_string(json_type type) noexcept
{
    switch (type) {
    case json_type::null: return "null";
    case json_type::boolean: return "bool";
    case json_type::integer: return "integer";
    case json_type::number: return "number";
    case json_type::string: return "string";
    case json_type::array: return "array";
    case json_type::object: return "object";
    }
    return "?";
}

namespace detail {

json parse_shared(const char* data, std::size_t len)
{
    thread_local dom::parser parser;
    if (len == 0)
        data = "";   // an empty view may have a null data(): simdjson's copy must not see it
    auto doc = std::make_shared<json_document>();
    auto result = parser.parse_into_document(doc->doc, data, len);
    if (result.error() != simdjson::SUCCESS) {
        auto where = locate_json_error({data, len});
        throw error(errc::json_parse,
                    fmt::format("json: invalid JSON at offset {}: {} ({} bytes of input)", where.offset,
                                where.what.empty() ? simdjson::error_message(result.error()) : where.what,
                                len));
    }
    dom::element root = result.value_unsafe();
    return json_access::make(std::move(doc), root);
}

} // namespace detail

json json::parse(std::string_view text) { return detail::parse_shared(text.data(), text.size()); }

json_type json::type() const noexcept
{
    return doc_ ? type_of(json_access::element(*this)) : json_type::null;
}

bool json::is_number() const noexcept
{
    auto t = type();
    return t == json_type::integer || t == json_type::number;
}

namespace {

// The member `key` of object `j` (one type check); nullopt when absent, throws when `j` is not an object.
std::optional<dom::element> member_element(const json& j, std::string_view key)
{
    dom::object o;
    if (!json_access::document(j) || json_access::element(j).get(o) != simdjson::SUCCESS)
        throw_access(fmt::format("json: cannot look up key '{}' in {} at {}", key, to_string(j.type()), j.path()));
    dom::element value;
    if (o.at_key(key).get(value) != simdjson::SUCCESS)
        return std::nullopt;
    return value;
}

dom::element existing_member(const json& j, std::string_view key)
{
    auto value = member_element(j, key);
    if (!value)
        throw_access(fmt::format("json: no key '{}' in object at {}", key, j.path()));
    return *value;
}

} // namespace

json json::operator[](std::string_view key) const&
{
    return json_access::make(doc_, existing_member(*this, key));
}

json json::operator[](std::string_view key) &&
{
    auto value = existing_member(*this, key);
    return json_access::make(std::move(doc_), value);
}

namespace {

dom::element element_at(const json& j, std::size_t index)
{
    dom::array a;
    if (!json_access::document(j) || json_access::element(j).get(a) != simdjson::SUCCESS)
        throw_access(fmt::format("json: cannot index [{}] into {} at {}", index, to_string(j.type()), j.path()));
    dom::element value;
    if (a.at(index).get(value) != simdjson::SUCCESS)
        throw_access(fmt::format("json: index {} out of range (size {}) at {}", index, j.size(), j.path()));
    return value;
}

std::size_t checked_index(const json& j, int index)
{
    if (index < 0)
        throw_access(fmt::format("json: negative index {} at {}", index, j.path()));
    return static_cast<std::size_t>(index);
}

} // namespace

json json::operator[](std::size_t index) const&
{
    return json_access::make(doc_, element_at(*this, index));
}

json json::operator[](std::size_t index) &&
{
    auto value = element_at(*this, index);
    return json_access::make(std::move(doc_), value);
}

json json::operator[](int index) const& { return (*this)[checked_index(*this, index)]; }

json json::operator[](int index) && { return std::move(*this)[checked_index(*this, index)]; }

std::optional<json> json::find(std::string_view key) const&
{
    auto value = member_element(*this, key);
    if (!value)
        return std::nullopt;
    return json_access::make(doc_, *value);
}

std::optional<json> json::find(std::string_view key) &&
{
    auto value = member_element(*this, key);
    if (!value)
        return std::nullopt;
    return json_access::make(std::move(doc_), *value);
}

bool json::contains(std::string_view key) const noexcept
{
    return is_object() && !object_of(json_access::element(*this)).at_key(key).error();
}

std::size_t json::size() const
{
    auto t = type();
    if (t == json_type::array)
        return array_of(json_access::element(*this)).size();
    if (t == json_type::object)
        return object_of(json_access::element(*this)).size();
    throw_type(*this, "array or object");
}

std::string_view json::as_string() const
{
    if (!is_string())
        throw_type(*this, "string");
    std::string_view s;
    [[maybe_unused]] auto err = json_access::element(*this).get(s);
    return s;
}

std::int64_t json::as_int() const
{
    if (!doc_)
        throw_type(*this, "integer");
    auto r = json_access::element(*this).get_int64();
    if (r.error()) {
        if (is_int())
            throw_access(fmt::format("json: integer at {} does not fit in int64", path()));
        throw_type(*this, "integer");
    }
    return r.value_unsafe();
}

std::uint64_t json::as_uint() const
{
    if (!doc_)
        throw_type(*this, "unsigned integer");
    auto r = json_access::element(*this).get_uint64();
    if (r.error()) {
        if (is_int())
            throw_access(fmt::format("json: integer at {} is negative", path()));
        throw_type(*this, "unsigned integer");
    }
    return r.value_unsafe();
}

double json::as_double() const
{
    if (!is_number())
        throw_type(*this, "number");
    auto e = json_access::element(*this);
    switch (e.type()) {
    case dom::element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
    case dom::element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
    default: return e.get_double().value_unsafe();
    }
}

bool json::as_bool() const
{
    if (!is_bool())
        throw_type(*this, "bool");
    bool b = false;
    [[maybe_unused]] auto err = json_access::element(*this).get(b);
    return b;
}

snowflake json::as_snowflake() const
{
    switch (type()) {
    case json_type::string: {
        auto text = as_string();
        std::uint64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
            throw_access(fmt::format("json: expected a snowflake at {}, found string \"{}\"", path(),
                                     text.substr(0, 40)));
        return snowflake{v};
    }
    case json_type::integer: return snowflake{as_uint()};
    default: throw_type(*this, "snowflake (string of digits)");
    }
}

std::string json::value_or(std::string_view key, std::string_view fallback) const
{
    auto v = find(key);
    return v && !v->is_null() ? std::string{v->as_string()} : std::string{fallback};
}

std::int64_t json::value_or(std::string_view key, std::int64_t fallback) const
{
    auto v = find(key);
    return v && !v->is_null() ? v->as_int() : fallback;
}

bool json::value_or(std::string_view key, bool fallback) const
{
    auto v = find(key);
    return v && !v->is_null() ? v->as_bool() : fallback;
}

std::string json::dump() const
{
    if (!doc_)
        return "null";
    return simdjson::to_string(json_access::element(*this));
}

std::string json::path() const
{
    if (!doc_)
        return "(root)";
    std::string out;
    auto root = doc_->doc.root();
    if (!find_path(root, cursor_.index, out) || out.empty())
        return "(root)";
    return out;
}

auto json::items() const -> range<array_iterator>
{
    if (!is_array())
        throw_type(*this, "array");
    dom::array a = array_of(json_access::element(*this));
    array_iterator b, e;
    b.doc_ = e.doc_ = doc_;
    b.cursor_ = detail::to_cursor(a.begin());
    e.cursor_ = detail::to_cursor(a.end());
    return {b, e};
}

auto json::members() const -> range<object_iterator>
{
    if (!is_object())
        throw_type(*this, "object");
    dom::object o = object_of(json_access::element(*this));
    object_iterator b, e;
    b.doc_ = e.doc_ = doc_;
    b.cursor_ = detail::to_cursor(o.begin());
    e.cursor_ = detail::to_cursor(o.end());
    return {b, e};
}

json json::array_iterator::operator*() const
{
    return json_access::make(doc_, *detail::from_cursor<dom::array::iterator>(cursor_));
}

json::array_iterator& json::array_iterator::operator++()
{
    auto it = detail::from_cursor<dom::array::iterator>(cursor_);
    cursor_ = detail::to_cursor(++it);
    return *this;
}

json::member json::object_iterator::operator*() const
{
    auto it = detail::from_cursor<dom::object::iterator>(cursor_);
    return {it.key(), json_access::make(doc_, it.value())};
}

json::object_iterator& json::object_iterator::operator++()
{
    auto it = detail::from_cursor<dom::object::iterator>(cursor_);
    cursor_ = detail::to_cursor(++it);
    return *this;
}

} // namespace cord
