// Interactions end to end against the fake Discord: users invoke commands, click, choose,
// submit modals and type in autocomplete fields; cord's router and responder answer, and the
// emulator (which enforces Discord's rules: 3 s, one initial response, 15 minutes) records
// what arrived.
#include "client/client_helpers.hpp"
#include "security/log_capture.hpp"

#include "interactions/responder_core.hpp"

#include <cord/components.hpp>
#include <cord/http/channel.hpp>
#include <cord/interactions/commands.hpp>
#include <cord/message.hpp>
#include <cord/tasks.hpp>

#include <cord/interactions/endpoint.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <future>

namespace {

using cord::testing::answer_kind;
using cord::testing::interaction_answer;

// A running bot on an emulator that knows the commands the tests invoke.
struct slash_fixture {
    fake_discord fake{{.rate_limits = false}};
    cord::client bot{"fake-bot-token", options_for(fake, {.intents = cord::intents::guilds})};
    ready_counter ready;

    slash_fixture()
    {
        auto ping = cord::command_spec::slash("ping", "Pong");
        auto admin = cord::command_spec::slash("admin", "Admin things")
                         .option(cord::command_option{cord::option_type::sub_command, "ban", "Bans"}.option(
                             cord::command_option{cord::option_type::user, "who", "Whom"}.required()))
                         .option(cord::command_option{cord::option_type::sub_command, "kick", "Kicks"});
        auto play = cord::command_spec::slash("play", "Plays").option(
            cord::command_option{cord::option_type::string, "song", "Which"}.required().autocomplete());
        commands = {ping, admin, play, cord::command_spec::slash("slow", "Takes its time"),
                    cord::command_spec::slash("twice", "Replies twice"),
                    cord::command_spec::slash("boom", "Throws"), cord::command_spec::slash("form", "A modal"),
                    cord::command_spec::user("Inspect")};
        ready.attach(bot);
    }

    void start()
    {
        auto report = bot.sync_wait(cord::sync_commands(bot, commands));
        REQUIRE(report.written);
        REQUIRE(start_until_ready(bot, ready, 1));
    }

    ~slash_fixture()
    {
        bot.stop();
        bot.wait_stopped();
    }

    // The bot's answers to `i`, once there are `count`.
    std::vector<interaction_answer> answers(const cord::testing::fake_interaction& i, std::size_t count,
                                            std::chrono::milliseconds limit = 10s)
    {
        auto a = fake.wait_for_answers(i.id, count, limit);
        REQUIRE(a.size() >= count);
        return a;
    }

    std::vector<cord::command_spec> commands;
};

// The requests the bot sent for interaction `i` (callback, @original, followups).
std::vector<cord::testing::recorded_request> requests_for(const fake_discord& fake,
                                                          const cord::testing::fake_interaction& i)
{
    std::vector<cord::testing::recorded_request> out;
    for (auto& r : fake.requests())
        if (r.path.find(i.token) != std::string::npos)
            out.push_back(r);
    return out;
}

} // namespace

TEST_CASE("a command answered by its handler: a reply, sent without Authorization", "[interactions-fake]")
{
    slash_fixture f;
    f.bot.command("ping", [](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("pong to " + std::string{in.user()["username"].as_string()});
    });
    f.start();
    auto i = f.fake.invoke_command("ping");
    auto a = f.answers(i, 1);
    CHECK(a[0].kind == answer_kind::callback);
    CHECK(a[0].callback_type == 4);
    CHECK(a[0].status == 204);
    CHECK(a[0].body["data"]["content"].as_string().starts_with("pong to "));
    auto sent = requests_for(f.fake, i);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].method == "POST");
    CHECK(sent[0].path == "/api/v10/interactions/" + i.id.str() + "/" + i.token + "/callback");
    CHECK_FALSE(sent[0].headers.contains("authorization"));
}

TEST_CASE("the router: subcommand paths with fallback, custom-id prefixes, autocomplete, modals, context menus",
          "[interactions-fake]")
{
    slash_fixture f;
    std::mutex m;
    std::vector<std::string> ran;
    auto note = [&](std::string what) {
        std::lock_guard lock{m};
        ran.push_back(std::move(what));
    };
    f.bot.command("admin ban", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        note("ban " + in.option("who")->as_id().str());
        co_await r.reply(cord::message{"banned"}.row(cord::action_row{}.add(cord::button::danger("Undo", "undo:1"))));
    });
    f.bot.command("admin", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        note("admin fallback for " + in.command_path());
        co_await r.reply(cord::message{"ok"}.ephemeral());
    });
    f.bot.on_component("undo:", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        note("component " + std::string{in.custom_id()});
        co_await r.update("undone");
    });
    f.bot.on_autocomplete("play", "song", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        note("autocomplete " + std::string{in.focused_option()->as_string()});
        co_await r.autocomplete(cord::choices{}.add("Never gonna", "ng").add("Nearly", "nearly"));
    });
    f.bot.command("form", [&](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.modal(cord::modal{"form:1", "Tell me"}.text_input("name", "Name"));
    });
    f.bot.on_modal("form:", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        note("modal " + std::string{in.field("name").value_or("?")});
        co_await r.reply("thanks", cord::visibility::ephemeral);
    });
    f.bot.command("Inspect", [&](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        auto user = in.resolved_user(*in.target_id());
        note("inspect " + std::string{(*user)["username"].as_string()});
        co_await r.reply("seen");
    });
    f.start();

    auto target = f.fake.add_user("target");
    auto ban = f.fake.invoke_command("admin ban", cord::json::object({{"who", target}}));
    auto ban_answer = f.answers(ban, 1)[0];
    CHECK(ban_answer.callback_type == 4);
    CHECK(ban_answer.message_id != cord::snowflake{});

    auto kick = f.fake.invoke_command("admin kick");
    auto kick_answer = f.answers(kick, 1)[0];
    CHECK(kick_answer.ephemeral);

    auto click = f.fake.click_button(ban_answer.message_id, "undo:1");
    CHECK(f.answers(click, 1)[0].callback_type == 7);
    auto shown = f.fake.message(f.fake.general_channel(f.fake.guild_ids().at(0)), ban_answer.message_id);
    REQUIRE(shown);
    CHECK((*shown)["content"].as_string() == "undone");

    auto typing = f.fake.type_in_autocomplete("play", "song", "ne");
    auto choices = f.answers(typing, 1)[0];
    CHECK(choices.callback_type == 8);
    CHECK(choices.body["data"]["choices"].size() == 2);

    auto form = f.fake.invoke_command("form");
    CHECK(f.answers(form, 1)[0].callback_type == 9);
    auto submitted = f.fake.submit_modal(form.id, {{"name", "Ana"}});
    CHECK(f.answers(submitted, 1)[0].ephemeral);

    auto inspect = f.fake.invoke_user_command("Inspect", target);
    CHECK(f.answers(inspect, 1)[0].callback_type == 4);

    std::lock_guard lock{m};
    CHECK(ran == std::vector<std::string>{"ban " + target.str(), "admin fallback for admin kick", "component undo:1",
                                          "autocomplete ne", "modal Ana", "inspect target"});
}

TEST_CASE("a handler that takes 5 s still succeeds: auto-deferred at the margin, then its reply fills the message",
          "[interactions-fake]")
{
    slash_fixture f;
    std::atomic<bool> deferred_for_it{false};
    f.bot.command("slow", [&](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await cord::sleep_for(5s);
        co_await r.reply("done at last");
        deferred_for_it = r.auto_deferred();
    });
    f.start();
    auto i = f.fake.invoke_command("slow");
    auto a = f.answers(i, 2, 15s);
    CHECK(a[0].callback_type == 5);
    CHECK(a[0].status == 204);   // within Discord's 3 s
    CHECK(a[1].kind == answer_kind::edit_original);
    CHECK(a[1].status == 200);
    CHECK(a[1].body["content"].as_string() == "done at last");
    CHECK(eventually([&] { return deferred_for_it.load(); }));
}

TEST_CASE("a second reply is refused locally: Discord never sees it", "[interactions-fake]")
{
    slash_fixture f;
    std::atomic<bool> refused{false};
    f.bot.command("twice", [&](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("one");
        try {
            co_await r.reply("two");
        } catch (const cord::error& e) {
            refused = std::string{e.what()}.find("edit_original") != std::string::npos;
        }
        co_await r.followup("three");
    });
    f.start();
    auto i = f.fake.invoke_command("twice");
    auto a = f.answers(i, 2);
    REQUIRE(eventually([&] { return refused.load(); }));
    CHECK(a[0].callback_type == 4);
    CHECK(a[1].kind == answer_kind::followup);
    std::this_thread::sleep_for(200ms);
    CHECK(f.fake.answers(i.id).size() == 2);   // no 40060 round trip
}

TEST_CASE("a handler that throws: logged with the command, and the user told ephemerally", "[interactions-fake]")
{
    sectest::log_capture logs;
    slash_fixture f;
    f.bot.command("boom", [](cord::interaction, cord::responder&) -> cord::awaitable<void> {
        throw std::runtime_error("the database is gone");
        co_return;
    });
    f.start();
    auto i = f.fake.invoke_command("boom");
    auto a = f.answers(i, 1);
    CHECK(a[0].callback_type == 4);
    CHECK(a[0].ephemeral);
    CHECK(logs.contains("/boom: the handler failed: the database is gone"));

    auto unknown = f.fake.invoke_command("ping");   // registered with Discord, no handler here
    REQUIRE(eventually([&] { return logs.contains("/ping: no handler is registered"); }));
    CHECK(f.fake.answers(unknown.id).empty());
}

TEST_CASE("6 interaction callbacks in flight while other REST traffic holds every pooled connection",
          "[interactions-fake]")
{
    slash_fixture f;
    f.bot.command("ping", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("pong");
    });
    f.start();
    auto channel = f.fake.general_channel(f.fake.guild_ids().at(0));
    // Every channel route now takes 2.5 s: 8 messages hold the 4 pooled connections for 5 s.
    f.fake.delay_rest(2500ms, "/channels");
    std::vector<std::future<cord::json>> busy;
    for (int n = 0; n < 8; ++n)
        busy.push_back(std::async(std::launch::async, [&, n] {
            return f.bot.sync_wait(cord::http::create_message(f.bot, channel, "busy " + std::to_string(n)));
        }));
    std::this_thread::sleep_for(300ms);   // the pool is taken
    std::vector<cord::testing::fake_interaction> six;
    for (int n = 0; n < 6; ++n)
        six.push_back(f.fake.invoke_command("ping"));
    for (auto& i : six) {
        auto a = f.answers(i, 1);
        CHECK(a[0].status == 204);   // not 10062: none waited behind the channel traffic
        CHECK(a[0].error_code == 0);
    }
    for (auto& b : busy)
        CHECK(b.get()["content"].as_string().starts_with("busy"));
    f.fake.delay_rest(0ms);
}

TEST_CASE("diff-sync: the first start writes once, the second writes nothing, a changed option writes once",
          "[interactions-fake]")
{
    fake_discord fake{{.rate_limits = false}};
    auto commands = std::vector<cord::command_spec>{
        cord::command_spec::slash("roll", "Rolls").option(
            cord::command_option{cord::option_type::integer, "sides", "Sides"}.min_value(2).choice("d6", 6)),
        cord::command_spec::user("Avatar").name_localization("de", "Profilbild"),
    };
    auto sync = [&](const std::vector<cord::command_spec>& cs, cord::sync_options o = {}) {
        cord::client bot{"fake-bot-token", options_for(fake)};
        return bot.sync_wait(cord::sync_commands(bot, cs, o));
    };
    auto first = sync(commands);
    CHECK(first.written);
    CHECK(first.added == std::vector<std::string>{"roll", "Avatar"});
    CHECK(fake.command_write_counts().total() == 1);

    auto second = sync(commands);
    CHECK(second.in_sync());
    CHECK_FALSE(second.written);
    CHECK(fake.command_write_counts().total() == 1);

    auto changed = commands;
    changed[0] = cord::command_spec::slash("roll", "Rolls").option(
        cord::command_option{cord::option_type::integer, "sides", "Sides"}.min_value(3).choice("d6", 6));
    cord::sync_options dry;
    dry.dry_run = true;
    auto preview = sync(changed, dry);
    CHECK(preview.changed == std::vector<std::string>{"roll"});
    CHECK_FALSE(preview.written);
    CHECK(fake.command_write_counts().total() == 1);

    auto third = sync(changed);
    CHECK(third.written);
    CHECK(fake.command_write_counts().total() == 2);
    CHECK(fake.application_commands()[0]["options"][0]["min_value"].as_double() == 3);

    // Per guild: a command set of its own; removing a command writes once and shows it removed.
    cord::sync_options in_guild;
    in_guild.guild_id = fake.guild_ids().at(0);
    CHECK(sync(commands, in_guild).written);
    auto fewer = std::vector<cord::command_spec>{commands[0]};
    auto removed = sync(fewer, in_guild);
    CHECK(removed.removed == std::vector<std::string>{"Avatar"});
    CHECK(fake.application_commands(fake.guild_ids().at(0)).size() == 1);
}

TEST_CASE("after 15 minutes (the emulator's clock and the responder's) a followup fails locally",
          "[interactions-fake]")
{
    fake_discord fake{{.rate_limits = false}};
    cord::client bot{"fake-bot-token", options_for(fake)};
    bot.sync_wait(cord::sync_commands(bot, std::vector<cord::command_spec>{cord::command_spec::slash("ping", "P")}));
    auto i = fake.create_interaction(cord::json::parse(R"({"type":"command","command":"ping"})"));

    auto t0 = cord::detail::interactions::clock::now();
    std::atomic<std::int64_t> offset_ms{0};
    auto now = [&] { return t0 + std::chrono::milliseconds{offset_ms.load()}; };
    auto core = std::make_shared<cord::detail::interactions::responder_core>(
        bot.rest(), cord::interaction{i.payload}, bot.executor(), t0, cord::detail::interactions::responder_settings{},
        cord::detail::interactions::responder_core::initial_sink{}, now);
    cord::responder r{core};
    bot.sync_wait(r.reply("pong"));
    CHECK(fake.answers(i.id).size() == 1);

    offset_ms = std::chrono::duration_cast<std::chrono::milliseconds>(16min).count();
    fake.advance_interaction_clock(16min);
    try {
        bot.sync_wait(r.followup("too late"));
        FAIL("a followup after 15 minutes was sent");
    } catch (const cord::error& e) {
        CHECK(std::string{e.what()}.find("15 minutes") != std::string::npos);
    }
    CHECK(fake.answers(i.id).size() == 1);   // nothing reached Discord
}

TEST_CASE("over HTTP, the same router and responders: a reply in the HTTP answer, a slow one deferred then edited",
          "[interactions-fake]")
{
    fake_discord fake{{.rate_limits = false}};
    {
        cord::client admin{"fake-bot-token", options_for(fake)};
        auto commands = std::vector<cord::command_spec>{cord::command_spec::slash("ping", "P"),
                                                        cord::command_spec::slash("slow", "S")};
        admin.sync_wait(cord::sync_commands(admin, commands));
    }
    boost::asio::io_context io;
    cord::rest_options ro;
    ro.base_url = fake.rest_url();
    ro.tls.allow_plaintext = true;
    cord::rest_client rest{io.get_executor(), "fake-bot-token", ro};   // no shards: REST and the endpoint
    cord::interaction_router router;
    router.command("ping", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.reply("pong");
    });
    router.command("slow", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, 3500ms};
        co_await t.async_wait(boost::asio::use_awaitable);
        co_await r.reply("late but there");
    });
    cord::interactions::endpoint_options eo;
    eo.address = "127.0.0.1";
    eo.port = 0;
    eo.public_key = fake.public_key_hex();
    cord::interactions::endpoint ep{io.get_executor(), eo};
    ep.route_to(router, rest);
    boost::asio::co_spawn(io, ep.run(), boost::asio::detached);
    auto work = boost::asio::make_work_guard(io);
    std::thread runner{[&] { io.run(); }};
    auto url = "http://127.0.0.1:" + std::to_string(ep.port()) + "/interactions";

    auto ping = fake.create_interaction(cord::json::parse(R"({"type":"command","command":"ping"})"));
    auto answer = fake.deliver_to_endpoint(ping.id, url);
    CHECK(answer.status == 200);
    CHECK(cord::json::parse(answer.body)["data"]["content"].as_string() == "pong");
    auto recorded = fake.answers(ping.id);
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].callback_type == 4);
    CHECK(recorded[0].error_code == 0);

    auto slow = fake.create_interaction(cord::json::parse(R"({"type":"command","command":"slow"})"));
    auto deferred = fake.deliver_to_endpoint(slow.id, url);
    CHECK(deferred.status == 200);
    CHECK(cord::json::parse(deferred.body)["type"].as_int() == 5);
    auto both = fake.wait_for_answers(slow.id, 2, 10s);
    REQUIRE(both.size() == 2);
    CHECK(both[0].error_code == 0);   // the deferral came within Discord's 3 s
    CHECK(both[1].kind == answer_kind::edit_original);
    CHECK(both[1].status == 200);
    CHECK(both[1].body["content"].as_string() == "late but there");

    ep.stop();
    rest.stop();
    work.reset();
    runner.join();
}
