// webhook_post: REST only, no gateway. Executes a webhook with a file attached.
//
//   ./webhook_post WEBHOOK_ID WEBHOOK_TOKEN FILE
// Webhook routes need no bot token; the client is only the REST half here.
// Option temporaries here are passed outside co_await, where g++ 12 handles them.
#define CORD_REFUSE_OPTION_TEMPORARIES 0
#include <cord/cord.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace http = cord::http;

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s WEBHOOK_ID WEBHOOK_TOKEN FILE\n", argv[0]);
        return 2;
    }
    std::ifstream in{argv[3], std::ios::binary};
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", argv[3]);
        return 2;
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    cord::register_secret(argv[2]);   // keep the webhook token out of every log line

    try {
        // No bot token needed for webhook-token routes: any non-empty placeholder will do.
        cord::client c{"webhook-only"};
        auto message = c.sync_wait(http::execute_webhook(
            c, argv[1], argv[2],
            cord::json::object({{"content", "a file from cord's webhook_post sample"}}),
            {.wait = true, .files = {cord::attachment{.filename = "upload.bin", .data = bytes.str()}}}));
        std::printf("posted message %s\n", std::string{message["id"].as_string()}.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "webhook_post: %s\n", e.what());
        return 1;
    }
}
