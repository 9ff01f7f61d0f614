// cord: racket-cord's naming rule for gateway dispatches.
// SPDX-License-Identifier: BSL-1.0
#include <cord/event_name.hpp>

namespace cord {

namespace {
constexpr std::string_view racket_prefix = "raw-";
}

std::string racket_event_name(std::string_view discord_name)
{
    std::string out;
    out.reserve(racket_prefix.size() + discord_name.size());
    out += racket_prefix;
    for (char c : discord_name) {
        if (c == '_')
            c = '-';
        else if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        out += c;
    }
    return out;
}

std::string discord_event_name(std::string_view racket_name)
{
    if (racket_name.starts_with(racket_prefix))
        racket_name.remove_prefix(racket_prefix.size());
    std::string out;
    out.reserve(racket_name.size());
    for (char c : racket_name) {
        if (c == '-')
            c = '_';
        else if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        out += c;
    }
    return out;
}

} // namespace cord
