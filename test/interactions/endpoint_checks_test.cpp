// The endpoint's pure parts: the Ed25519 verifier against RFC 8032 §7.1's known answers (tests
// 1, 2, 3 and 1024), the request checks (what is refused before the body is read, and how), and
// what a verified body is (PING, interaction, webhook PING and event).
#include "interactions/delivery.hpp"
#include "interactions/ed25519_verifier.hpp"
#include "interactions/request_check.hpp"

#include <cord/error.hpp>
#include <cord/json.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

namespace {

using namespace cord::detail::interactions;
using namespace std::chrono_literals;

struct known_answer {
    const char* name;
    const char* public_key;
    std::string message_hex;
    const char* signature;
};

std::string bytes(const std::string& hex)
{
    std::string out(hex.size() / 2, '\0');
    REQUIRE(decode_hex(hex, reinterpret_cast<std::uint8_t*>(out.data()), out.size()));
    return out;
}

// RFC 8032 §7.1 (Ed25519): public key, message, signature.
const std::vector<known_answer>& rfc8032()
{
    static const std::vector<known_answer> v{
        {"TEST 1", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"TEST 2", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"TEST 3", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
        {"TEST 1024", "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
         "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1e355"
         "f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d658675fc"
         "6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b"
         "199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e06203b33890cc9b8"
         "32f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d"
         "206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d9562"
         "9e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40"
         "cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f27088d78b7e883c8759d2c4f5c65adb7553"
         "878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b0707e0"
         "917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebfe808b82b0ce26"
         "401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429ec96031dbcad3"
         "dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb751fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301"
         "651339e22904cc8c42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f"
         "92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401ade"
         "bf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab4"
         "7b57f7f7276cd419c17a3ca8e1b939ae49e488acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
         "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb37"
         "97aa2a2f256656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba7"
         "7c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315c"
         "f4fde7cb68606937380db2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef"
         "68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
         "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    };
    return v;
}

const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}};
const std::string sig128(128, 'a');

request_head head(std::optional<std::string_view> sig, std::optional<std::string_view> ts,
                  std::optional<std::uint64_t> length = 100, std::string_view method = "POST")
{
    return {.method = method, .content_length = length, .signature = sig, .timestamp = ts};
}

} // namespace

TEST_CASE("RFC 8032 known answers verify; any changed bit, length or key does not", "[interactions-verifier]")
{
    REQUIRE(rfc8032().size() == 4);
    for (const auto& t : rfc8032()) {
        INFO(t.name);
        ed25519_verifier v{t.public_key};
        auto message = bytes(t.message_hex);
        if (t.message_hex.size() > 1000)
            CHECK(message.size() == 1023);
        // Discord's message is timestamp + body: the split point does not matter to the signature.
        CHECK(v.verify_hex(t.signature, "", message));
        CHECK(v.verify_hex(t.signature, message.substr(0, message.size() / 2), message.substr(message.size() / 2)));
        std::string upper = t.signature;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        CHECK(v.verify_hex(upper, "", message));

        std::string flipped = t.signature;
        flipped[10] = flipped[10] == '0' ? '1' : '0';
        CHECK_FALSE(v.verify_hex(flipped, "", message));
        CHECK_FALSE(v.verify_hex(t.signature, "", message + "x"));
        CHECK_FALSE(v.verify_hex(std::string{t.signature}.substr(0, 126), "", message));
        CHECK_FALSE(v.verify_hex(std::string{t.signature} + "00", "", message));
        CHECK_FALSE(v.verify_hex(std::string{t.signature}.replace(0, 1, "g"), "", message));
    }
    // Test 1's signature under test 2's key.
    ed25519_verifier other{rfc8032()[1].public_key};
    CHECK_FALSE(other.verify_hex(rfc8032()[0].signature, "", ""));
}

TEST_CASE("a public key that is not 64 hex digits is refused with a clear error", "[interactions-verifier]")
{
    CHECK_THROWS_WITH(ed25519_verifier{"abc"}, Catch::Contains("64 hex digits") && Catch::Contains("got 3"));
    CHECK_THROWS_WITH(ed25519_verifier{std::string(64, 'z')}, Catch::Contains("not all hex"));
    CHECK_THROWS_AS(ed25519_verifier{""}, cord::error);
}

TEST_CASE("check_head refuses on the header alone, before the body is read", "[interactions-verifier]")
{
    check_settings s{.body_limit = 1000, .timestamp_tolerance = 300s};
    auto ts = std::to_string(1'800'000'000);
    CHECK(check_head(head(sig128, ts), now, s) == verdict::ok);
    CHECK(check_head(head(sig128, ts, std::nullopt), now, s) == verdict::ok);   // chunked: limit at read
    CHECK(check_head(head(sig128, ts, 1000), now, s) == verdict::ok);
    CHECK(check_head(head(sig128, ts, 1001), now, s) == verdict::too_large);
    CHECK(check_head(head(std::nullopt, std::nullopt, 5'000'000), now, s) == verdict::too_large);
    CHECK(check_head(head(sig128, ts, 10, "GET"), now, s) == verdict::wrong_method);
    CHECK(check_head(head(std::nullopt, ts), now, s) == verdict::missing_signature);
    CHECK(check_head(head(sig128, std::nullopt), now, s) == verdict::missing_timestamp);
    CHECK(check_head(head(sig128.substr(1), ts), now, s) == verdict::malformed_signature);
    CHECK(check_head(head(std::string(127, 'a') + "x", ts), now, s) == verdict::malformed_signature);
    for (std::string_view bad : {"", "12a", "-5", "1.5", " 1800000000", "9999999999999999999999"}) {
        INFO(bad);
        CHECK(check_head(head(sig128, bad), now, s) == verdict::malformed_timestamp);
    }
    // The tolerance, both ways (a clock ahead of ours too), inclusive.
    CHECK(check_head(head(sig128, std::to_string(1'800'000'000 - 300)), now, s) == verdict::ok);
    CHECK(check_head(head(sig128, std::to_string(1'800'000'000 - 301)), now, s) == verdict::stale_timestamp);
    CHECK(check_head(head(sig128, std::to_string(1'800'000'000 + 301)), now, s) == verdict::stale_timestamp);
    CHECK(check_head(head(sig128, "0"), now, s) == verdict::stale_timestamp);

    CHECK(http_status(verdict::ok) == 200);
    CHECK(http_status(verdict::too_large) == 413);
    CHECK(http_status(verdict::wrong_method) == 405);
    for (auto v : {verdict::missing_signature, verdict::missing_timestamp, verdict::malformed_signature,
                   verdict::malformed_timestamp, verdict::stale_timestamp, verdict::bad_signature})
        CHECK(http_status(v) == 401);
}

TEST_CASE("check_signature: timestamp + raw body, byte for byte", "[interactions-verifier]")
{
    const auto& t = rfc8032()[2];   // message "\xaf\x82"
    ed25519_verifier v{t.public_key};
    CHECK(check_signature(v, t.signature, "\xaf", "\x82") == verdict::ok);
    CHECK(check_signature(v, t.signature, "", "\xaf\x82 ") == verdict::bad_signature);
    CHECK(check_signature(v, t.signature, "\x82", "\xaf") == verdict::bad_signature);
}

TEST_CASE("classify: PINGs, interactions, webhook PINGs and events, and what is refused", "[interactions-verifier]")
{
    using what = delivery::what;
    auto of = [](std::string_view text) { return classify(cord::json::parse(text)); };
    CHECK(of(R"({"type":1,"id":"1","token":"t","version":1})").kind == what::interaction_ping);
    auto cmd = of(R"({"type":2,"data":{"name":"ping"}})");
    CHECK(cmd.kind == what::interaction);
    CHECK(cmd.interaction == interaction_kind::command);
    CHECK(of(R"({"type":3})").interaction == interaction_kind::component);
    CHECK(of(R"({"type":4})").interaction == interaction_kind::autocomplete);
    CHECK(of(R"({"type":5})").interaction == interaction_kind::modal_submit);
    CHECK(of(R"({"version":1,"application_id":"1","type":0})").kind == what::webhook_ping);
    auto ev = of(R"({"version":1,"type":1,"event":{"type":"APPLICATION_AUTHORIZED","timestamp":"x","data":{}}})");
    CHECK(ev.kind == what::webhook_event);
    CHECK(ev.event_name == "raw-application-authorized");
    CHECK(of(R"({"type":1,"event":{"type":"ENTITLEMENT_CREATE"}})").event_name == "raw-entitlement-create");
    for (std::string_view bad : {R"([])", R"("x")", R"({})", R"({"type":"2"})", R"({"type":9})", R"({"type":2.5})",
                                 R"({"type":0,"event":{"type":"X"}})", R"({"type":1,"event":{"type":3}})",
                                 R"({"type":1,"event":[]})", R"({"type":1,"event":{"type":""}})"}) {
        INFO(bad);
        auto d = of(bad);
        CHECK(d.kind == what::refused);
        CHECK_FALSE(d.why.empty());
    }
}

TEST_CASE("the endpoint's own answers: PONG, the auto-defer per kind, first responses checked", "[interactions-verifier]")
{
    CHECK(cord::json::parse(pong_body)["type"].as_int() == 1);
    CHECK(cord::json::parse(auto_defer_body(interaction_kind::command))["type"].as_int() == 5);
    CHECK(cord::json::parse(auto_defer_body(interaction_kind::modal_submit))["type"].as_int() == 5);
    CHECK(cord::json::parse(auto_defer_body(interaction_kind::component))["type"].as_int() == 6);
    auto ac = cord::json::parse(auto_defer_body(interaction_kind::autocomplete));
    CHECK(ac["type"].as_int() == 8);
    CHECK(ac["data"]["choices"].empty());

    auto check = [](interaction_kind k, std::string_view answer) {
        return check_first_response(k, cord::json::parse(answer));
    };
    CHECK_FALSE(check(interaction_kind::command, R"({"type":4,"data":{"content":"hi"}})"));
    CHECK_FALSE(check(interaction_kind::command, R"({"type":9,"data":{}})"));
    CHECK_FALSE(check(interaction_kind::component, R"({"type":7,"data":{}})"));
    CHECK_FALSE(check(interaction_kind::autocomplete, R"({"type":8,"data":{"choices":[]}})"));
    CHECK(check(interaction_kind::autocomplete, R"({"type":5})"));
    CHECK(check(interaction_kind::command, R"({"type":7})"));
    CHECK(check(interaction_kind::modal_submit, R"({"type":9})"));
    CHECK(check(interaction_kind::command, R"({"type":1})")->find("cannot be the first response") != std::string::npos);
    CHECK(check(interaction_kind::command, R"({"data":{}})")->find("no integer callback") != std::string::npos);
    CHECK(check(interaction_kind::command, R"([4])"));
}
