// cord: private. The simdjson side of cord::json.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <type_traits>

namespace cord::detail {

struct json_document {
    simdjson::dom::document doc;
};

static_assert(sizeof(simdjson::dom::element) == sizeof(json_cursor));
static_assert(sizeof(simdjson::dom::array::iterator) == sizeof(json_cursor));
static_assert(sizeof(simdjson::dom::object::iterator) == sizeof(json_cursor));
static_assert(std::is_trivially_copyable_v<simdjson::dom::element>);

// Conversions between simdjson's tape references and cord's opaque cursor. Both are
// {document pointer, tape index}; the static_asserts above keep that true.
template <class T>
T from_cursor(json_cursor c) noexcept
{
    T t;
    std::memcpy(static_cast<void*>(&t), &c, sizeof c);
    return t;
}
template <class T>
json_cursor to_cursor(const T& t) noexcept
{
    json_cursor c;
    std::memcpy(&c, static_cast<const void*>(&t), sizeof c);
    return c;
}

struct json_access {
    static json make(std::shared_ptr<const json_document> doc, simdjson::dom::element e) noexcept
    {
        return json{std::move(doc), to_cursor(e)};
    }
    static simdjson::dom::element element(const json& j) noexcept
    {
        return from_cursor<simdjson::dom::element>(j.cursor_);
    }
    static const std::shared_ptr<const json_document>& document(const json& j) noexcept { return j.doc_; }
};

/// Parses `len` bytes into a fresh shared document (throws cord::error on bad JSON).
json parse_shared(const char* data, std::size_t len);

} // namespace cord::detail
