// cord tests: the round-trip cases of the generated cord::http functions (roundtrip_cases.cpp,
// written by tools/gen/fake_answers.py), run by roundtrip_test.cpp.
#pragma once

#include "harness.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cord_test {

/// The values a call puts in its path and required query parameters, by parameter name.
struct roundtrip_args {
    std::map<std::string, std::string, std::less<>> values;
    /// The value of `name`; a fresh snowflake-shaped id or word when the test set none.
    std::string_view of(std::string_view name)
    {
        auto it = values.find(name);
        if (it == values.end())
            it = values
                     .emplace(std::string{name},
                              name.ends_with("_id") ? "1400000000000000001" : "x-" + std::string{name})
                     .first;
        return it->second;
    }
    /// The body of a call that takes one.
    cord::json body;
};

/// One generated function: its route row's name, Discord's success status, a body holding its
/// schema's required fields ("" when it takes none), the fields every answer has, and the call.
struct roundtrip_case {
    std::string_view name;
    int status;
    std::string_view body;
    std::vector<std::string_view> fields;
    cord::awaitable<cord::json> (*call)(harness&, roundtrip_args&);
};

/// One case per generated function, in the order of their headers.
const std::vector<roundtrip_case>& roundtrip_cases();

} // namespace cord_test
