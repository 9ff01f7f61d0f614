// Fuzz target: REST path arguments and raw paths. Whatever the bytes, an accepted argument
// must never carry a character that changes the path's structure.
#include "rest/path.hpp"

#include <cord/error.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static constexpr std::string_view holes[] = {"channel_id", "emoji", "webhook_token", "invite_code",
                                                 "interaction_token", "message_id"};
    std::string_view hole = holes[data[0] % std::size(holes)];
    std::string_view value{reinterpret_cast<const char*>(data + 1), size - 1};
    try {
        std::string out = cord::rest::encode_path_argument(hole, value);
        if (out.empty() || out == "." || out == "..")
            std::abort();
        for (char c : out)
            if (c == '/' || c == '?' || c == '#' || c == '\\' || static_cast<unsigned char>(c) <= 0x20 ||
                static_cast<unsigned char>(c) >= 0x7f)
                std::abort();
    } catch (const cord::error&) {
    }
    try {
        auto raw = cord::rest::check_raw_path(value);
        (void)raw;
        if (value.find('?') != std::string_view::npos || value.find('#') != std::string_view::npos)
            std::abort();
        // No accepted path may hold a "." or ".." segment (a traversal once normalised).
        for (std::size_t start = 0; start <= value.size();) {
            auto end = value.find('/', start);
            auto segment = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
            if (segment == "." || segment == "..")
                std::abort();
            if (end == std::string_view::npos)
                break;
            start = end + 1;
        }
    } catch (const cord::error&) {
    }
    return 0;
}
