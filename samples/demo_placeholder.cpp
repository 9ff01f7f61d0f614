// cord demo (placeholder until the client lands): prints the version and shows the
// pieces that exist so far.
#include <cord/cord.hpp>

#include <cstdio>

int main()
{
    auto msg = cord::json::object({{"content", "!echo hello"}, {"channel_id", cord::snowflake{41771983423143937}}});
    std::printf("cord %s — %s\n", cord::version, cord::user_agent);
    std::printf("a request body built with cord::json: %s\n", msg.dump().c_str());
    std::printf("default intents: %s\n", cord::to_string(cord::unprivileged_intents).c_str());
    return 0;
}
