// slash_bot: interactions end to end. It declares its commands (synced with Discord at start:
// written only when they changed), and answers
//   /roll sides:<n>           a slash command with an option
//   /tag get name:<...>       a subcommand whose option autocompletes
//   /tag add                  a subcommand that opens a modal
//   a "Roll again" button     that updates the message it sits on
//   "Avatar" on a user        a user context-menu command
//
//   DISCORD_TOKEN=... ./slash_bot            (or against cord-fake-discord: see docs/interactions.md)
#include <cord/cord.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>

namespace {

std::vector<cord::command_spec> declared_commands()
{
    using cord::command_option;
    using cord::option_type;
    return {
        cord::command_spec::slash("roll", "Rolls a die")
            .option(command_option{option_type::integer, "sides", "How many sides"}.min_value(2).max_value(1000)),
        cord::command_spec::slash("tag", "Short texts by name")
            .option(command_option{option_type::sub_command, "get", "Shows a tag"}.option(
                command_option{option_type::string, "name", "The tag"}.required().autocomplete()))
            .option(command_option{option_type::sub_command, "add", "Adds a tag"}),
        cord::command_spec::user("Avatar"),
    };
}

// The roll and its button: "roll:<sides>" is the button's custom_id.
cord::message roll_message(int sides)
{
    static std::mt19937 rng{std::random_device{}()};
    auto value = std::uniform_int_distribution<int>{1, sides}(rng);
    auto again = cord::button::primary("Roll again", "roll:" + std::to_string(sides));
    return cord::message{"🎲 " + std::to_string(value) + " (d" + std::to_string(sides) + ")"}.row(
        cord::action_row{}.add(again));
}

struct tags {
    std::mutex m;
    std::map<std::string, std::string> by_name{{"hello", "Hello there!"}, {"rules", "Be kind."}};
};

} // namespace

int main() try {
    cord::client bot{std::getenv("DISCORD_TOKEN"), {.intents = cord::intents::guilds}};
    tags store;

    bot.command("roll", [](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        auto sides = in.option("sides") ? static_cast<int>(in.option("sides")->as_int()) : 6;
        co_await r.reply(roll_message(sides));
    });
    bot.on_component("roll:", [](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        co_await r.update(roll_message(std::stoi(std::string{in.custom_id().substr(5)})));
    });

    bot.command("tag get", [&store](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        std::string name{in.option("name")->as_string()};
        std::string text;
        {
            std::lock_guard lock{store.m};
            auto it = store.by_name.find(name);
            text = it == store.by_name.end() ? "No tag called " + name : it->second;
        }
        co_await r.reply(text);
    });
    bot.on_autocomplete("tag get", "name", [&store](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        std::string typed{in.focused_option()->as_string()};
        cord::choices matching;
        {
            std::lock_guard lock{store.m};
            for (auto& [name, text] : store.by_name)
                if (name.starts_with(typed) && matching.size() < 25)
                    matching.add(name, name);
        }
        co_await r.autocomplete(matching);
    });
    bot.command("tag add", [](cord::interaction, cord::responder& r) -> cord::awaitable<void> {
        co_await r.modal(cord::modal{"tag-add", "New tag"}
                             .text_input("name", "Name")
                             .text_input("text", "Text", cord::text_style::paragraph));
    });
    bot.on_modal("tag-add", [&store](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        std::string name{in.field("name").value_or("")}, text{in.field("text").value_or("")};
        {
            std::lock_guard lock{store.m};
            store.by_name[name] = text;
        }
        co_await r.reply(cord::message{"Saved the tag " + name}.ephemeral());
    });

    bot.command("Avatar", [](cord::interaction in, cord::responder& r) -> cord::awaitable<void> {
        auto user = in.resolved_user(*in.target_id());
        co_await r.reply(user ? "That is " + std::string{(*user)["username"].as_string()} : std::string{"Unknown user"},
                         cord::visibility::ephemeral);
    });

    auto commands = declared_commands();
    auto report = bot.sync_wait(cord::sync_commands(bot, commands));
    std::printf("commands: %s\n", report.in_sync() ? "in sync" : report.written ? "written" : "differ");
    bot.run();
} catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
}
