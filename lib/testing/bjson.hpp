// cord::testing: private. The emulator keeps its mutable state in Boost.JSON values
// (cord::json is immutable); conversions to and from cord::json go through text.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>
#include <cord/snowflake.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cord::testing::detail {

namespace bj = boost::json;

inline bj::value to_bj(const cord::json& j) { return bj::parse(j.dump()); }
inline cord::json to_cord(const bj::value& v) { return cord::json::parse(bj::serialize(v)); }

/// Discord sends ids as decimal strings.
inline bj::string id_str(std::uint64_t id) { return bj::string(std::to_string(id)); }

/// Reads an id that Discord would accept: a decimal string (or an integer); 0 when absent/invalid.
inline std::uint64_t id_of(const bj::value* v)
{
    if (!v)
        return 0;
    if (v->is_string()) {
        const auto& s = v->get_string();
        std::uint64_t out = 0;
        if (s.empty() || s.size() > 20)
            return 0;
        for (char c : s) {
            if (c < '0' || c > '9')
                return 0;
            out = out * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return out;
    }
    if (v->is_uint64())
        return v->get_uint64();
    if (v->is_int64() && v->get_int64() >= 0)
        return static_cast<std::uint64_t>(v->get_int64());
    return 0;
}

inline std::uint64_t parse_id(std::string_view s)
{
    bj::value v = bj::string(s);
    return id_of(&v);
}

} // namespace cord::testing::detail
