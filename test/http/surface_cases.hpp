// cord tests: the request-log cases of the generated cord::http functions (surface_cases.cpp,
// written by tools/gen/rest_surface.py), run by surface_test.cpp.
#pragma once

#include "harness.hpp"

#include <string_view>
#include <vector>

namespace cord_test {

/// One generated function: its route row's name, the call with every argument and option set,
/// and what that call must put on the wire.
struct surface_case {
    std::string_view name;
    cord::awaitable<cord::json> (*call)(harness&);
    expected_request (*expected)(harness&);
};

/// One case per generated function, in the order of their headers.
const std::vector<surface_case>& surface_cases();

/// The case of the route row named `name`, or nullptr (a seed function: functions_test.cpp).
const surface_case* find_surface_case(std::string_view name);

} // namespace cord_test
