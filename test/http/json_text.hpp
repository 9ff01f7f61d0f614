// cord tests: JSON as the http tests write it, with single quotes for double quotes so that it
// reads in C++ sources, and the text of a JSON string back out.
#pragma once

#include <cord/json.hpp>

#include <algorithm>
#include <string>

namespace cord_test {

/// Parses `text` after turning every ' into ".
inline cord::json js(std::string text)
{
    std::replace(text.begin(), text.end(), '\'', '"');
    return cord::json::parse(text);
}

/// The text of a JSON string.
inline std::string str(const cord::json& j)
{
    return std::string{j.as_string()};
}

} // namespace cord_test
