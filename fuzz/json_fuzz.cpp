// Fuzz target: cord::json parse and access on arbitrary bytes. Any input must either parse or
// throw cord::error; a parsed document must survive every accessor and dump to text that
// parses back to the same text.
#include <cord/error.hpp>
#include <cord/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void walk(const cord::json& j, int depth)
{
    if (depth > 64)
        return;
    (void)j.path();
    switch (j.type()) {
    case cord::json_type::object:
        for (auto [key, value] : j.members()) {
            if (!j.contains(key))
                std::abort();
            walk(value, depth + 1);
        }
        (void)j.find("id");
        break;
    case cord::json_type::array:
        for (cord::json item : j.items())
            walk(item, depth + 1);
        break;
    default:
        break;
    }
    // Wrong-type accesses must throw cord::error, nothing else.
    try { (void)j.as_string(); } catch (const cord::error&) {}
    try { (void)j.as_int(); } catch (const cord::error&) {}
    try { (void)j.as_uint(); } catch (const cord::error&) {}
    try { (void)j.as_double(); } catch (const cord::error&) {}
    try { (void)j.as_bool(); } catch (const cord::error&) {}
    try { (void)j.as_snowflake(); } catch (const cord::error&) {}
    try { (void)j["d"]; } catch (const cord::error&) {}
    try { (void)j[std::size_t{3}]; } catch (const cord::error&) {}
    try { (void)j.size(); } catch (const cord::error&) {}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text{reinterpret_cast<const char*>(data), size};
    cord::json j;
    try {
        j = cord::json::parse(text);
    } catch (const cord::error&) {
        return 0;
    }
    walk(j, 0);
    std::string once = j.dump();
    if (cord::json::parse(once).dump() != once)
        std::abort();
    return 0;
}
