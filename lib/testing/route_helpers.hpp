// cord::testing: private. Small helpers shared by the route handlers.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "core.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cord::testing::detail {

/// The body as an object; an absent body counts as {}; anything else is a 50035.
inline const bj::object& body_object(route_ctx& c)
{
    static const bj::object empty;
    if (c.body.is_null())
        return empty;
    if (!c.body.is_object())
        throw invalid_form({{"", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a DictType"}});
    return c.body.get_object();
}

/// Collects field errors and throws them as one 50035.
struct form_check {
    std::vector<field_failure> fails;

    void required(const bj::object& o, std::string_view key)
    {
        auto* v = o.if_contains(key);
        if (!v || v->is_null())
            fails.push_back({std::string{key}, "BASE_TYPE_REQUIRED", "This field is required"});
    }
    void string(const bj::object& o, std::string_view key, std::size_t min, std::size_t max)
    {
        auto* v = o.if_contains(key);
        if (!v || v->is_null())
            return;
        if (!v->is_string()) {
            fails.push_back({std::string{key}, "STRING_TYPE_CONVERT", "Could not interpret the value as string."});
            return;
        }
        auto n = v->get_string().size();
        if (n < min || n > max)
            fails.push_back({std::string{key}, "BASE_TYPE_BAD_LENGTH",
                             "Must be between " + std::to_string(min) + " and " + std::to_string(max)
                                 + " in length."});
    }
    void integer(const bj::object& o, std::string_view key)
    {
        auto* v = o.if_contains(key);
        if (v && !v->is_null() && !v->is_int64() && !v->is_uint64())
            fails.push_back({std::string{key}, "NUMBER_TYPE_COERCE", "Value is not int."});
    }
    void boolean(const bj::object& o, std::string_view key)
    {
        auto* v = o.if_contains(key);
        if (v && !v->is_null() && !v->is_bool())
            fails.push_back({std::string{key}, "BOOLEAN_TYPE_CONVERT", "Must be either true or false."});
    }
    void done()
    {
        if (!fails.empty())
            throw invalid_form(std::move(fails));
    }
};

/// Copies the listed keys of `from` into `to` when present.
inline void merge_fields(bj::object& to, const bj::object& from, std::initializer_list<std::string_view> keys)
{
    for (auto k : keys)
        if (auto* v = from.if_contains(k))
            to[k] = *v;
}

/// std::erase_if for a Boost.JSON array; returns how many elements went.
template <class Pred>
std::size_t erase_where(bj::array& a, Pred pred)
{
    auto end = std::remove_if(a.begin(), a.end(), pred);
    auto n = static_cast<std::size_t>(a.end() - end);
    a.erase(end, a.end());
    return n;
}

inline void emit(route_ctx& c, std::string_view name, bj::object d, std::uint64_t guild_id)
{
    c.events.push_back({std::string{name}, std::move(d), guild_id});
}

/// A code as Discord makes them for invites and templates: `n` letters and digits.
inline std::string random_code(std::size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static std::mt19937 rng{12345};   // fixed seed: a run's codes are reproducible
    std::string code;
    for (std::size_t i = 0; i < n; ++i)
        code += alphabet[rng() % 62];
    return code;
}

/// Values of a query parameter as an int within [lo, hi], `fallback` if absent.
inline int query_int(route_ctx& c, std::string_view key, int fallback, int lo, int hi)
{
    auto v = c.query(key);
    if (v.empty())
        return fallback;
    int n = std::atoi(v.c_str());
    if (n < lo || n > hi)
        throw invalid_form({{std::string{key}, "NUMBER_TYPE_MAX",
                             "int value should be between " + std::to_string(lo) + " and " + std::to_string(hi)
                                 + "."}});
    return n;
}

} // namespace cord::testing::detail
