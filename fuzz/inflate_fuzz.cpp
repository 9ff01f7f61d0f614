// Fuzz target: the zlib-stream inflater fed arbitrary frames, split at arbitrary points. It must
// never crash, never exceed its size cap, and report corrupt input as cord::error.
#include "gateway/inflater.hpp"

#include <cord/error.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    constexpr std::size_t cap = 1 << 16;
    auto inflater = cord::gateway::make_inflater(cord::compression::zlib_stream, cap);
    std::string_view rest{reinterpret_cast<const char*>(data), size};
    // The first byte of each chunk says how long the frame is.
    while (!rest.empty()) {
        std::size_t n = std::min<std::size_t>(rest.size() - 1, static_cast<unsigned char>(rest[0]) + 1u);
        std::string_view frame = rest.substr(1, n);
        rest.remove_prefix(1 + n);
        try {
            if (inflater->feed(frame) && inflater->output().size() > cap)
                std::abort();
        } catch (const cord::error&) {
            return 0;   // a corrupt stream ends the connection
        }
    }
    return 0;
}
