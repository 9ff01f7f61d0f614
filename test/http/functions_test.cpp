// Fake tier: every seed cord::http function against fake_discord, driven by one table keyed by
// the route table's names; with the generated functions' cases (surface_cases.cpp), a function
// without a case (or a case without a function) fails.
// Each case checks what the emulator received (method, path, query, body, files, headers:
// Authorization, User-Agent, X-Audit-Log-Reason) and what the call returned.
// Option temporaries here are passed outside co_await, where g++ 12 handles them.
#define CORD_REFUSE_OPTION_TEMPORARIES 0
#include "harness.hpp"
#include "surface_cases.hpp"
#include "http/routes.hpp"

#include <cord/http.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace http = cord::http;
namespace routes = cord::http::routes;
using cord::json;
using cord_test::harness;

namespace {

/// JSON text written with single quotes, for readable expectations: q("{'a':'1'}").
std::string q(std::string text)
{
    std::replace(text.begin(), text.end(), '\'', '"');
    return text;
}

json js(const std::string& single_quoted)
{
    return json::parse(q(single_quoted));
}

std::string enc(std::string_view s)
{
    return harness::percent_encode(s);
}

std::string str(const json& j)
{
    return std::string{j.as_string()};
}

const std::string png = std::string{"\x89PNG\r\n\x1a\n", 8} + "abc";
const std::string png_uri = "data:image/png;base64,iVBORw0KGgphYmM=";
const std::string fire = "\xf0\x9f\x94\xa5"; // U+1F525

std::string make_role(harness& h, const std::string& name = "mods")
{
    return str(h.run(http::create_guild_role(h.rest, h.guild, js("{'name':'" + name + "'}")))["id"]);
}

std::string make_emoji(harness& h)
{
    return str(h.run(http::create_guild_emoji(h.rest, h.guild, "blob", png, "png", {}))["id"]);
}

struct webhook {
    std::string id, token;
};

webhook make_webhook(harness& h)
{
    json w = h.run(http::create_webhook(h.rest, h.channel, "hook", "", ""));
    return {str(w["id"]), str(w["token"])};
}

std::string make_group_dm(harness& h)
{
    return str(h.run(http::create_group_dm(h.rest, js("{'access_tokens':['oauth'],'nicks':{}}")))["id"]);
}

std::string message_path(harness& h, const std::string& message)
{
    return "/channels/" + h.channel + "/messages/" + message;
}

bool has_reactions(harness& h, const std::string& message)
{
    auto m = h.fake.message(cord::snowflake::parse(h.channel), cord::snowflake::parse(message));
    REQUIRE(m.has_value());
    return m->contains("reactions") && !(*m)["reactions"].empty();
}

bool contains_id(const json& list, const std::string& id, const char* key = "id")
{
    for (json item : list.items())
        if (item.contains(key) && item[key].as_string() == id)
            return true;
    return false;
}

std::vector<std::string> member_roles(harness& h)
{
    std::vector<std::string> out;
    for (json r : h.run(http::get_guild_member(h.rest, h.guild, h.user))["roles"].items())
        out.emplace_back(r.as_string());
    return out;
}

/// The call throws cord::error `code` before anything is sent; returns the error's message.
template <class F>
std::string check_refused(harness& h, F&& call, cord::errc code = cord::errc::invalid_argument)
{
    std::string what;
    try {
        call();
        FAIL("no cord::error thrown");
    } catch (const cord::http::discord_error& e) {
        FAIL("Discord was asked: " << e.what());
    } catch (const cord::error& e) {
        CHECK(static_cast<cord::errc>(e.code().value()) == code);
        what = e.what();
    }
    CHECK(h.fake.requests().empty());
    return what;
}

/// A function of a route Discord removed: it throws errc::not_supported, saying that Discord
/// removed it and what to do instead (`hint`), and sends nothing.
template <class F> void check_removed(harness& h, F&& call, std::string_view hint)
{
    std::string what = check_refused(h, std::forward<F>(call), cord::errc::not_supported);
    INFO(what);
    CHECK(what.find("Discord removed") != std::string::npos);
    CHECK(what.find(hint) != std::string::npos);
}

struct fn_case {
    std::string_view name; ///< the route table's (the seed's) name
    void (*run)(harness&);
};

const fn_case cases[] = {
    // --- channels ------------------------------------------------------------------------------------
    {"get-channel",
     [](harness& h) {
         json r = h.run(http::get_channel(h.rest, h.channel));
         h.expect({"/channels/" + h.channel});
         CHECK(str(r["id"]) == h.channel);
     }},
    {"modify-channel",
     [](harness& h) {
         json r =
             h.run(http::modify_channel(h.rest, h.channel, js("{'name':'renamed','topic':'t'}"), h.reason));
         h.expect({"/channels/" + h.channel, {}, q("{'name':'renamed','topic':'t'}")});
         CHECK(str(r["name"]) == "renamed");
         CHECK(str(r["topic"]) == "t");
     }},
    {"delete-channel",
     [](harness& h) {
         auto doomed = h.fake.add_channel(cord::snowflake::parse(h.guild), "doomed").str();
         json r = h.run(http::delete_channel(h.rest, doomed, h.reason));
         h.expect({"/channels/" + doomed});
         CHECK(str(r["id"]) == doomed);
         auto e = h.run_error(http::get_channel(h.rest, doomed));
         CHECK(e.http_code() == 404);
         CHECK(e.discord_code() == 10003);
     }},
    // --- messages ------------------------------------------------------------------------------------
    {"get-channel-messages",
     [](harness& h) {
         json r = h.run(http::get_channel_messages(h.rest, h.channel, {.before = h.bot_message, .limit = 5}));
         h.expect({"/channels/" + h.channel + "/messages", {{"before", h.bot_message}, {"limit", "5"}}});
         REQUIRE(r.is_array());
         REQUIRE(r.size() >= 1);
         CHECK(str(r[0]["id"]) == h.user_message);
         CHECK_FALSE(contains_id(r, h.bot_message));
     }},
    {"get-channel-message",
     [](harness& h) {
         json r = h.run(http::get_channel_message(h.rest, h.channel, h.user_message));
         h.expect({message_path(h, h.user_message)});
         CHECK(str(r["content"]) == "hello from alice");
     }},
    {"create-message",
     [](harness& h) {
         json r = h.run(http::create_message(h.rest, h.channel, "with a file",
                                             {.embeds = {js("{'title':'t'}")},
                                              .tts = true,
                                              .files = {{"a.txt", "hello bytes", "text/plain", "alt text"}},
                                              .reply_to = h.user_message}));
         h.expect({"/channels/" + h.channel + "/messages",
                   {},
                   q("{'content':'with a file','embeds':[{'title':'t'}],'tts':true,"
                     "'message_reference':{'message_id':'" +
                     h.user_message +
                     "'},"
                     "'attachments':[{'id':0,'filename':'a.txt','description':'alt text'}]}"),
                   {{"a.txt", "hello bytes"}}});
         CHECK(str(r["content"]) == "with a file");
         CHECK(str(r["channel_id"]) == h.channel);
     }},
    {"edit-message",
     [](harness& h) {
         json r = h.run(http::edit_message(h.rest, h.channel, h.bot_message,
                                           {.content = "edited", .embeds = std::vector<json>{}}));
         h.expect({message_path(h, h.bot_message), {}, q("{'content':'edited','embeds':[]}")});
         CHECK(str(r["content"]) == "edited");
         CHECK(str(r["id"]) == h.bot_message);
     }},
    {"delete-message",
     [](harness& h) {
         json r = h.run(http::delete_message(h.rest, h.channel, h.user_message, h.reason));
         h.expect({message_path(h, h.user_message)});
         CHECK(r.is_null());
         CHECK_FALSE(
             h.fake.message(cord::snowflake::parse(h.channel), cord::snowflake::parse(h.user_message)));
     }},
    {"bulk-delete-messages",
     [](harness& h) {
         json r =
             h.run(http::bulk_delete_messages(h.rest, h.channel, {h.user_message, h.bot_message}, h.reason));
         h.expect({"/channels/" + h.channel + "/messages/bulk-delete",
                   {},
                   q("{'messages':['" + h.user_message + "','" + h.bot_message + "']}")});
         CHECK(r.is_null());
         auto ch = cord::snowflake::parse(h.channel);
         CHECK_FALSE(h.fake.message(ch, cord::snowflake::parse(h.user_message)));
         CHECK_FALSE(h.fake.message(ch, cord::snowflake::parse(h.bot_message)));
     }},
    // --- reactions -----------------------------------------------------------------------------------
    {"create-reaction",
     [](harness& h) {
         json r = h.run(http::create_reaction(h.rest, h.channel, h.user_message, fire));
         h.expect({message_path(h, h.user_message) + "/reactions/" + enc(fire) + "/@me"});
         CHECK(r.is_null());
         CHECK(has_reactions(h, h.user_message));
     }},
    {"delete-own-reaction",
     [](harness& h) {
         h.run(http::create_reaction(h.rest, h.channel, h.user_message, fire));
         h.mark();
         json r = h.run(http::delete_own_reaction(h.rest, h.channel, h.user_message, fire));
         h.expect({message_path(h, h.user_message) + "/reactions/" + enc(fire) + "/@me"});
         CHECK(r.is_null());
         CHECK_FALSE(has_reactions(h, h.user_message));
     }},
    {"delete-user-reaction",
     [](harness& h) {
         h.run(http::create_reaction(h.rest, h.channel, h.user_message, fire));
         h.mark();
         auto bot = h.fake.bot_user_id();
         json r = h.run(http::delete_user_reaction(h.rest, h.channel, h.user_message, fire, bot));
         h.expect({message_path(h, h.user_message) + "/reactions/" + enc(fire) + "/" + bot.str()});
         CHECK(r.is_null());
         CHECK_FALSE(has_reactions(h, h.user_message));
     }},
    {"get-reactions",
     [](harness& h) {
         h.run(http::create_reaction(h.rest, h.channel, h.user_message, fire));
         h.mark();
         json r =
             h.run(http::get_reactions(h.rest, h.channel, h.user_message, fire, {.type = 0, .limit = 10}));
         h.expect(
             {message_path(h, h.user_message) + "/reactions/" + enc(fire), {{"type", "0"}, {"limit", "10"}}});
         REQUIRE(r.size() == 1);
         CHECK(r[0]["id"].as_snowflake() == h.fake.bot_user_id());
     }},
    {"delete-all-reactions",
     [](harness& h) {
         h.run(http::create_reaction(h.rest, h.channel, h.user_message, fire));
         h.mark();
         json r = h.run(http::delete_all_reactions(h.rest, h.channel, h.user_message));
         h.expect({message_path(h, h.user_message) + "/reactions"});
         CHECK(r.is_null());
         CHECK_FALSE(has_reactions(h, h.user_message));
     }},
    // --- permissions, invites, typing ------------------------------------------------------------------
    {"edit-channel-permissions",
     [](harness& h) {
         json r =
             h.run(http::edit_channel_permissions(h.rest, h.channel, h.user, 1024, 2048, "member", h.reason));
         h.expect({"/channels/" + h.channel + "/permissions/" + h.user,
                   {},
                   q("{'allow':'1024','deny':'2048','type':1}")});
         CHECK(r.is_null());
         json overwrites = h.run(http::get_channel(h.rest, h.channel))["permission_overwrites"];
         REQUIRE(contains_id(overwrites, h.user));
     }},
    {"delete-channel-permission",
     [](harness& h) {
         h.run(http::edit_channel_permissions(h.rest, h.channel, h.user, 0, 1024,
                                              http::overwrite_type::member));
         h.mark();
         json r = h.run(http::delete_channel_permission(h.rest, h.channel, h.user, h.reason));
         h.expect({"/channels/" + h.channel + "/permissions/" + h.user});
         CHECK(r.is_null());
         CHECK_FALSE(
             contains_id(h.run(http::get_channel(h.rest, h.channel))["permission_overwrites"], h.user));
     }},
    {"get-channel-invites",
     [](harness& h) {
         auto code = str(h.run(http::create_channel_invite(h.rest, h.channel))["code"]);
         h.mark();
         json r = h.run(http::get_channel_invites(h.rest, h.channel));
         h.expect({"/channels/" + h.channel + "/invites"});
         REQUIRE(r.size() == 1);
         CHECK(str(r[0]["code"]) == code);
     }},
    {"create-channel-invite",
     [](harness& h) {
         json r = h.run(http::create_channel_invite(
             h.rest, h.channel,
             {.max_age = 3600, .max_uses = 5, .temporary = true, .unique = true, .reason = h.reason}));
         h.expect({"/channels/" + h.channel + "/invites",
                   {},
                   q("{'max_age':3600,'max_uses':5,'temporary':true,'unique':true}")});
         CHECK(r["max_age"].as_int() == 3600);
         CHECK(r["max_uses"].as_int() == 5);
         CHECK(r["temporary"].as_bool());
     }},
    {"trigger-typing-indicator",
     [](harness& h) {
         json r = h.run(http::trigger_typing_indicator(h.rest, h.channel));
         h.expect({"/channels/" + h.channel + "/typing"});
         CHECK(r.is_null());
     }},
    // --- pins ------------------------------------------------------------------------------------------
    {"get-pinned-messages",
     [](harness& h) {
         h.run(http::add_pinned_channel_message(h.rest, h.channel, h.user_message));
         h.mark();
         json r = h.run(http::get_pinned_messages(h.rest, h.channel));
         h.expect({"/channels/" + h.channel + "/messages/pins", {{"limit", "50"}}});
         REQUIRE(r.is_array()); // racket-cord's shape: an array of messages
         REQUIRE(r.size() == 1);
         CHECK(str(r[0]["id"]) == h.user_message);
     }},
    {"add-pinned-channel-message",
     [](harness& h) {
         json r = h.run(http::add_pinned_channel_message(h.rest, h.channel, h.user_message, h.reason));
         h.expect({"/channels/" + h.channel + "/messages/pins/" + h.user_message});
         CHECK(r.is_null());
         CHECK(h.run(http::get_channel_message(h.rest, h.channel, h.user_message))["pinned"].as_bool());
     }},
    {"delete-pinned-channel-message",
     [](harness& h) {
         h.run(http::add_pinned_channel_message(h.rest, h.channel, h.user_message));
         h.mark();
         json r = h.run(http::delete_pinned_channel_message(h.rest, h.channel, h.user_message, h.reason));
         h.expect({"/channels/" + h.channel + "/messages/pins/" + h.user_message});
         CHECK(r.is_null());
         CHECK_FALSE(h.run(http::get_channel_message(h.rest, h.channel, h.user_message))["pinned"].as_bool());
     }},
    // --- group DMs -------------------------------------------------------------------------------------
    {"group-dm-add-recipient",
     [](harness& h) {
         auto dm = make_group_dm(h);
         h.mark();
         json r = h.run(http::group_dm_add_recipient(h.rest, dm, h.user, "oauth-token", "ally"));
         h.expect({"/channels/" + dm + "/recipients/" + h.user,
                   {},
                   q("{'access_token':'oauth-token','nick':'ally'}")});
         CHECK(r.is_null());
     }},
    {"group-dm-remove-recipient",
     [](harness& h) {
         auto dm = make_group_dm(h);
         h.mark();
         json r = h.run(http::group_dm_remove_recipient(h.rest, dm, h.user));
         h.expect({"/channels/" + dm + "/recipients/" + h.user});
         CHECK(r.is_null());
     }},
    // --- emoji -----------------------------------------------------------------------------------------
    {"list-guild-emoji",
     [](harness& h) {
         auto emoji = make_emoji(h);
         h.mark();
         json r = h.run(http::list_guild_emoji(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/emojis"});
         CHECK(contains_id(r, emoji));
     }},
    {"get-guild-emoji",
     [](harness& h) {
         auto emoji = make_emoji(h);
         h.mark();
         json r = h.run(http::get_guild_emoji(h.rest, h.guild, emoji));
         h.expect({"/guilds/" + h.guild + "/emojis/" + emoji});
         CHECK(str(r["name"]) == "blob");
     }},
    {"create-guild-emoji",
     [](harness& h) {
         json r = h.run(http::create_guild_emoji(h.rest, h.guild, "blob", png, "png", {h.guild}, h.reason));
         h.expect({"/guilds/" + h.guild + "/emojis",
                   {},
                   q("{'name':'blob','image':'" + png_uri + "','roles':['" + h.guild + "']}")});
         CHECK(str(r["name"]) == "blob");
         CHECK(contains_id(h.run(http::list_guild_emoji(h.rest, h.guild)), str(r["id"])));
     }},
    {"modify-guild-emoji",
     [](harness& h) {
         auto emoji = make_emoji(h);
         h.mark();
         json r = h.run(http::modify_guild_emoji(h.rest, h.guild, emoji, "blob2", {}, h.reason));
         h.expect({"/guilds/" + h.guild + "/emojis/" + emoji, {}, q("{'name':'blob2','roles':[]}")});
         CHECK(str(r["name"]) == "blob2");
     }},
    {"delete-guild-emoji",
     [](harness& h) {
         auto emoji = make_emoji(h);
         h.mark();
         json r = h.run(http::delete_guild_emoji(h.rest, h.guild, emoji, h.reason));
         h.expect({"/guilds/" + h.guild + "/emojis/" + emoji});
         CHECK(r.is_null());
         CHECK(h.run_error(http::get_guild_emoji(h.rest, h.guild, emoji)).http_code() == 404);
     }},
    // --- guilds ----------------------------------------------------------------------------------------
    {"get-guild",
     [](harness& h) {
         json r = h.run(http::get_guild(h.rest, h.guild, true));
         h.expect({"/guilds/" + h.guild, {{"with_counts", "true"}}});
         CHECK(str(r["id"]) == h.guild);
         CHECK(r["approximate_member_count"].as_int() >= 2);
     }},
    {"modify-guild",
     [](harness& h) {
         json r = h.run(http::modify_guild(h.rest, h.guild, js("{'name':'Renamed guild'}"), h.reason));
         h.expect({"/guilds/" + h.guild, {}, q("{'name':'Renamed guild'}")});
         CHECK(str(r["name"]) == "Renamed guild");
     }},
    {"delete-guild",
     [](harness& h) {
         auto guilds = h.fake.guild_ids().size();
         check_removed(h, [&] { (void)http::delete_guild(h.rest, h.guild); }, "leave_guild");
         CHECK(h.fake.guild_ids().size() == guilds);
     }},
    {"get-guild-channels",
     [](harness& h) {
         json r = h.run(http::get_guild_channels(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/channels"});
         CHECK(contains_id(r, h.channel));
     }},
    {"create-guild-channel",
     [](harness& h) {
         json r = h.run(
             http::create_guild_channel(h.rest, h.guild, js("{'name':'new-channel','type':0}"), h.reason));
         h.expect({"/guilds/" + h.guild + "/channels", {}, q("{'name':'new-channel','type':0}")});
         CHECK(str(r["name"]) == "new-channel");
         CHECK(contains_id(h.run(http::get_guild_channels(h.rest, h.guild)), str(r["id"])));
     }},
    {"modify-guild-channel-permissions",
     [](harness& h) {
         json r = h.run(http::modify_guild_channel_permissions(
             h.rest, h.guild, js("[{'id':'" + h.channel + "','position':3}]")));
         h.expect({"/guilds/" + h.guild + "/channels", {}, q("[{'id':'" + h.channel + "','position':3}]")});
         CHECK(r.is_null());
         CHECK(h.run(http::get_channel(h.rest, h.channel))["position"].as_int() == 3);
     }},
    // --- members ---------------------------------------------------------------------------------------
    {"get-guild-member",
     [](harness& h) {
         json r = h.run(http::get_guild_member(h.rest, h.guild, h.user));
         h.expect({"/guilds/" + h.guild + "/members/" + h.user});
         CHECK(str(r["user"]["id"]) == h.user);
     }},
    {"list-guild-members",
     [](harness& h) {
         json r = h.run(http::list_guild_members(h.rest, h.guild, {.limit = 2, .after = 0}));
         h.expect({"/guilds/" + h.guild + "/members", {{"limit", "2"}, {"after", "0"}}});
         CHECK(r.size() == 2);
     }},
    {"add-guild-member",
     [](harness& h) {
         auto bob = h.fake.add_user("bob").str();
         json r = h.run(
             http::add_guild_member(h.rest, h.guild, bob, js("{'access_token':'oauth','nick':'bobby'}")));
         h.expect(
             {"/guilds/" + h.guild + "/members/" + bob, {}, q("{'access_token':'oauth','nick':'bobby'}")});
         CHECK(str(r["nick"]) == "bobby");
         CHECK(str(r["user"]["id"]) == bob);
     }},
    {"modify-guild-member",
     [](harness& h) {
         json r = h.run(http::modify_guild_member(h.rest, h.guild, h.user, js("{'nick':'ally'}"), h.reason));
         h.expect({"/guilds/" + h.guild + "/members/" + h.user, {}, q("{'nick':'ally'}")});
         CHECK(str(r["nick"]) == "ally");
     }},
    {"modify-user-nick",
     [](harness& h) {
         // Deprecated .../members/@me/nick replaced by Modify Current Member.
         json r = h.run(http::modify_user_nick(h.rest, h.guild, "botty", h.reason));
         h.expect({"/guilds/" + h.guild + "/members/@me", {}, q("{'nick':'botty'}")});
         CHECK(str(r["nick"]) == "botty");
     }},
    {"add-guild-member-rols",
     [](harness& h) {
         auto role = make_role(h);
         h.mark();
         json r = h.run(http::add_guild_member_role(h.rest, h.guild, h.user, role, h.reason));
         h.expect({"/guilds/" + h.guild + "/members/" + h.user + "/roles/" + role});
         CHECK(r.is_null());
         auto roles = member_roles(h);
         CHECK(std::count(roles.begin(), roles.end(), role) == 1);
     }},
    {"remove-guild-member-role",
     [](harness& h) {
         auto role = make_role(h);
         h.run(http::add_guild_member_role(h.rest, h.guild, h.user, role));
         h.mark();
         json r = h.run(http::remove_guild_member_role(h.rest, h.guild, h.user, role, h.reason));
         h.expect({"/guilds/" + h.guild + "/members/" + h.user + "/roles/" + role});
         CHECK(r.is_null());
         auto roles = member_roles(h);
         CHECK(std::count(roles.begin(), roles.end(), role) == 0);
     }},
    {"remove-guild-member",
     [](harness& h) {
         json r = h.run(http::remove_guild_member(h.rest, h.guild, h.user, h.reason));
         h.expect({"/guilds/" + h.guild + "/members/" + h.user});
         CHECK(r.is_null());
         CHECK(h.run_error(http::get_guild_member(h.rest, h.guild, h.user)).discord_code() == 10007);
     }},
    // --- bans ------------------------------------------------------------------------------------------
    {"get-guild-bans",
     [](harness& h) {
         h.run(http::create_guild_ban(h.rest, h.guild, h.user));
         h.mark();
         json r = h.run(http::get_guild_bans(h.rest, h.guild, {.limit = 10, .after = 0}));
         h.expect({"/guilds/" + h.guild + "/bans", {{"limit", "10"}, {"after", "0"}}});
         REQUIRE(r.size() == 1);
         CHECK(str(r[0]["user"]["id"]) == h.user);
     }},
    {"create-guild-ban",
     [](harness& h) {
         json r = h.run(http::create_guild_ban(h.rest, h.guild, h.user, 2, h.reason));
         h.expect({"/guilds/" + h.guild + "/bans/" + h.user, {}, q("{'delete_message_seconds':172800}")});
         CHECK(r.is_null());
         json bans = h.run(http::get_guild_bans(h.rest, h.guild));
         REQUIRE(bans.size() == 1);
         CHECK(str(bans[0]["user"]["id"]) == h.user);
     }},
    {"remove-guild-ban",
     [](harness& h) {
         h.run(http::create_guild_ban(h.rest, h.guild, h.user));
         h.mark();
         json r = h.run(http::remove_guild_ban(h.rest, h.guild, h.user, h.reason));
         h.expect({"/guilds/" + h.guild + "/bans/" + h.user});
         CHECK(r.is_null());
         CHECK(h.run(http::get_guild_bans(h.rest, h.guild)).empty());
     }},
    // --- roles -----------------------------------------------------------------------------------------
    {"get-guild-roles",
     [](harness& h) {
         json r = h.run(http::get_guild_roles(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/roles"});
         CHECK(contains_id(r, h.guild)); // @everyone
     }},
    {"create-guild-role",
     [](harness& h) {
         json r =
             h.run(http::create_guild_role(h.rest, h.guild, js("{'name':'mods','hoist':true}"), h.reason));
         h.expect({"/guilds/" + h.guild + "/roles", {}, q("{'name':'mods','hoist':true}")});
         CHECK(str(r["name"]) == "mods");
         CHECK(r["hoist"].as_bool());
     }},
    {"modify-guild-role-positions",
     [](harness& h) {
         auto role = make_role(h);
         h.mark();
         json r = h.run(http::modify_guild_role_positions(
             h.rest, h.guild, js("[{'id':'" + role + "','position':2}]"), h.reason));
         h.expect({"/guilds/" + h.guild + "/roles", {}, q("[{'id':'" + role + "','position':2}]")});
         bool found = false;
         for (json item : r.items())
             if (str(item["id"]) == role)
                 found = item["position"].as_int() == 2;
         CHECK(found);
     }},
    {"modify-guild-role",
     [](harness& h) {
         auto role = make_role(h);
         h.mark();
         json r = h.run(http::modify_guild_role(h.rest, h.guild, role, js("{'name':'admins'}"), h.reason));
         h.expect({"/guilds/" + h.guild + "/roles/" + role, {}, q("{'name':'admins'}")});
         CHECK(str(r["name"]) == "admins");
     }},
    {"delete-guild-role",
     [](harness& h) {
         auto role = make_role(h);
         h.mark();
         json r = h.run(http::delete_guild_role(h.rest, h.guild, role, h.reason));
         h.expect({"/guilds/" + h.guild + "/roles/" + role});
         CHECK(r.is_null());
         CHECK_FALSE(contains_id(h.run(http::get_guild_roles(h.rest, h.guild)), role));
     }},
    // --- prune, invites, integrations, widget ----------------------------------------------------------
    {"get-guild-prune-count",
     [](harness& h) {
         auto a = make_role(h, "a"), b = make_role(h, "b");
         h.mark();
         json r = h.run(http::get_guild_prune_count(h.rest, h.guild, 7, {a, b}));
         h.expect({"/guilds/" + h.guild + "/prune", {{"days", "7"}, {"include_roles", a + "," + b}}});
         CHECK(r["pruned"].as_int() == 0);
     }},
    {"begin-guild-prune",
     [](harness& h) {
         auto role = make_role(h);
         h.mark();
         json r = h.run(http::begin_guild_prune(
             h.rest, h.guild, 7,
             {.compute_prune_count = false, .include_roles = {role}, .reason = h.reason}));
         h.expect({"/guilds/" + h.guild + "/prune",
                   {},
                   q("{'days':7,'compute_prune_count':false,'include_roles':['" + role + "']}")});
         CHECK(r["pruned"].is_null());
     }},
    {"get-guild-invites",
     [](harness& h) {
         auto code = str(h.run(http::create_channel_invite(h.rest, h.channel))["code"]);
         h.mark();
         json r = h.run(http::get_guild_invites(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/invites"});
         REQUIRE(r.size() == 1);
         CHECK(str(r[0]["code"]) == code);
     }},
    {"get-guild-integrations",
     [](harness& h) {
         json r = h.run(http::get_guild_integrations(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/integrations"});
         CHECK(r.is_array());
     }},
    {"create-guild-integration",
     [](harness& h) {
         check_removed(h, [&] { (void)http::create_guild_integration(h.rest, h.guild, "twitch", "123"); },
                       "no replacement");
     }},
    {"modify-guild-integration",
     [](harness& h) {
         check_removed(
             h, [&] { (void)http::modify_guild_integration(h.rest, h.guild, "123", js("{'expire_behavior':0}")); },
             "no replacement");
     }},
    {"delete-guild-integration",
     [](harness& h) {
         auto e = h.run_error(http::delete_guild_integration(h.rest, h.guild, "123", h.reason));
         h.expect({"/guilds/" + h.guild + "/integrations/123"});
         CHECK(e.http_code() == 404);
         CHECK(e.discord_code() == 10005);
     }},
    {"sync-guild-integrations",
     [](harness& h) {
         check_removed(h, [&] { (void)http::sync_guild_integrations(h.rest, h.guild, "123"); }, "no replacement");
     }},
    {"get-guild-embed",
     [](harness& h) {
         // The guild embed became the widget: GET /guilds/{guild_id}/widget.
         json r = h.run(http::get_guild_embed(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/widget"});
         CHECK(r.contains("enabled"));
         CHECK(r.contains("channel_id"));
     }},
    {"modify-guild-embed",
     [](harness& h) {
         json r = h.run(http::modify_guild_embed(
             h.rest, h.guild, js("{'enabled':true,'channel_id':'" + h.channel + "'}"), h.reason));
         h.expect(
             {"/guilds/" + h.guild + "/widget", {}, q("{'enabled':true,'channel_id':'" + h.channel + "'}")});
         CHECK(r["enabled"].as_bool());
         CHECK(str(r["channel_id"]) == h.channel);
     }},
    // --- users -----------------------------------------------------------------------------------------
    {"get-current-user",
     [](harness& h) {
         json r = h.run(http::get_current_user(h.rest));
         h.expect({"/users/@me"});
         CHECK(r["id"].as_snowflake() == h.fake.bot_user_id());
     }},
    {"get-user",
     [](harness& h) {
         json r = h.run(http::get_user(h.rest, h.user));
         h.expect({"/users/" + h.user});
         CHECK(str(r["username"]) == "alice");
     }},
    {"modify-current-user",
     [](harness& h) {
         json r = h.run(http::modify_current_user(h.rest, {.username = "cordbot", .avatar = png}));
         h.expect({"/users/@me", {}, q("{'username':'cordbot','avatar':'" + png_uri + "'}")});
         CHECK(str(r["username"]) == "cordbot");
     }},
    {"get-current-user-guilds",
     [](harness& h) {
         json r = h.run(http::get_current_user_guilds(h.rest, {.limit = 1, .with_counts = true}));
         h.expect({"/users/@me/guilds", {{"limit", "1"}, {"with_counts", "true"}}});
         REQUIRE(r.size() == 1);
         CHECK(r[0].contains("approximate_member_count"));
     }},
    {"leave-guild",
     [](harness& h) {
         json r = h.run(http::leave_guild(h.rest, h.guild));
         h.expect({"/users/@me/guilds/" + h.guild});
         CHECK(r.is_null());
         CHECK_FALSE(contains_id(h.run(http::get_current_user_guilds(h.rest)), h.guild));
     }},
    {"get-user-dms",
     [](harness& h) {
         check_removed(h, [&] { (void)http::get_user_dms(h.rest); }, "create_dm");
     }},
    {"create-dm",
     [](harness& h) {
         json r = h.run(http::create_dm(h.rest, h.user));
         h.expect({"/users/@me/channels", {}, q("{'recipient_id':'" + h.user + "'}")});
         CHECK(r["type"].as_int() == 1);
     }},
    {"create-group-dm",
     [](harness& h) {
         json r = h.run(http::create_group_dm(h.rest, js("{'access_tokens':['t1'],'nicks':{}}")));
         h.expect({"/users/@me/channels", {}, q("{'access_tokens':['t1'],'nicks':{}}")});
         CHECK(r["type"].as_int() == 3);
     }},
    // --- webhooks --------------------------------------------------------------------------------------
    {"create-webhook",
     [](harness& h) {
         json r = h.run(http::create_webhook(h.rest, h.channel, "hook", png, "image/png", h.reason));
         h.expect(
             {"/channels/" + h.channel + "/webhooks", {}, q("{'name':'hook','avatar':'" + png_uri + "'}")});
         CHECK(str(r["name"]) == "hook");
         CHECK_FALSE(str(r["token"]).empty());
     }},
    {"get-channel-webhooks",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::get_channel_webhooks(h.rest, h.channel));
         h.expect({"/channels/" + h.channel + "/webhooks"});
         CHECK(contains_id(r, w.id));
     }},
    {"get-guild-webhooks",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::get_guild_webhooks(h.rest, h.guild));
         h.expect({"/guilds/" + h.guild + "/webhooks"});
         CHECK(contains_id(r, w.id));
     }},
    {"get-webhook",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::get_webhook(h.rest, w.id));
         h.expect({"/webhooks/" + w.id});
         CHECK(str(r["name"]) == "hook");
     }},
    {"get-webhook-with-token",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::get_webhook_with_token(h.rest, w.id, w.token));
         h.expect({"/webhooks/" + w.id + "/" + w.token});
         CHECK(str(r["id"]) == w.id);
         CHECK_FALSE(r.contains("user"));
     }},
    {"modify-webhook",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::modify_webhook(
             h.rest, w.id, {.name = "renamed", .channel_id = h.channel, .reason = h.reason}));
         h.expect({"/webhooks/" + w.id, {}, q("{'name':'renamed','channel_id':'" + h.channel + "'}")});
         CHECK(str(r["name"]) == "renamed");
     }},
    {"modify-webhook-with-token",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::modify_webhook_with_token(h.rest, w.id, w.token, {.name = "renamed"}));
         h.expect({"/webhooks/" + w.id + "/" + w.token, {}, q("{'name':'renamed'}")});
         CHECK(str(r["name"]) == "renamed");
     }},
    {"delete-webhook",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::delete_webhook(h.rest, w.id, h.reason));
         h.expect({"/webhooks/" + w.id});
         CHECK(r.is_null());
         CHECK(h.run_error(http::get_webhook(h.rest, w.id)).discord_code() == 10015);
     }},
    {"delete-webhook-with-token",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(http::delete_webhook_with_token(h.rest, w.id, w.token));
         h.expect({"/webhooks/" + w.id + "/" + w.token});
         CHECK(r.is_null());
         CHECK(h.run_error(http::get_webhook(h.rest, w.id)).discord_code() == 10015);
     }},
    {"execute-webhook",
     [](harness& h) {
         auto w = make_webhook(h);
         h.mark();
         json r = h.run(
             http::execute_webhook(h.rest, w.id, w.token, js("{'content':'via hook'}"),
                                   {.wait = true, .files = {{"b.bin", std::string{"\x01\x02\x00\x03", 4}}}}));
         h.expect({"/webhooks/" + w.id + "/" + w.token,
                   {{"wait", "true"}},
                   q("{'content':'via hook','attachments':[{'id':0,'filename':'b.bin'}]}"),
                   {{"b.bin", std::string{"\x01\x02\x00\x03", 4}}}});
         CHECK(str(r["content"]) == "via hook");
         CHECK(str(r["webhook_id"]) == w.id);
     }},
    // --- gateway ---------------------------------------------------------------------------------------
    {"get-gateway",
     [](harness& h) {
         json r = h.run(http::get_gateway(h.rest));
         h.expect({"/gateway"});
         CHECK(str(r["url"]) == h.fake.gateway_url());
     }},
    {"get-gateway-bot",
     [](harness& h) {
         json r = h.run(http::get_gateway_bot(h.rest));
         h.expect({"/gateway/bot"});
         CHECK(r["shards"].as_int() == 1);
         CHECK(r["session_start_limit"]["max_concurrency"].as_int() == 1);
     }},
};

const fn_case* find_case(std::string_view name)
{
    for (const auto& c : cases)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace

TEST_CASE("every cord::http function sends its route and returns the answer", "[http-functions]")
{
    for (const cord::rest::route& r : routes::all) {
        if (cord_test::find_surface_case(r.name) != nullptr)
            continue;   // a generated function: surface_test.cpp
        DYNAMIC_SECTION(r.name)
        {
            const fn_case* c = find_case(r.name);
            if (c == nullptr)
                FAIL("no test case for the function of route " << r.name);
            harness h{&r};
            c->run(h);
        }
    }
}

TEST_CASE("the function table names only routes, each once", "[http-functions]")
{
    std::set<std::string_view> seen;
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(routes::find(c.name) != nullptr);
        CHECK(seen.insert(c.name).second);
    }
    CHECK(seen.size() + cord_test::surface_cases().size() == routes::all.size());
}

TEST_CASE("ids may be strings, snowflakes, integers or json", "[http-functions]")
{
    harness h{&routes::get_channel};
    auto id = cord::snowflake::parse(h.channel);
    const std::vector<cord::id_arg> forms{h.channel,
                                          id,
                                          id.value,
                                          h.channel.c_str(),
                                          std::string_view{h.channel},
                                          json::parse("\"" + h.channel + "\"")};
    for (const cord::id_arg& form : forms) {
        h.mark();
        json r = h.run(http::get_channel(h.rest, form));
        h.expect({"/channels/" + h.channel});
        CHECK(str(r["id"]) == h.channel);
    }
}

TEST_CASE("bad arguments are refused before anything is sent", "[http-functions]")
{
    harness h;
    SECTION("a path id that is not digits")
    {
        check_refused(h, [&] { (void)http::get_channel(h.rest, "12/../34"); });
        check_refused(h, [&] { (void)http::get_channel_message(h.rest, h.channel, ""); });
        check_refused(h, [&] { (void)http::get_channel(h.rest, -5); });
    }
    SECTION("an id in a body or query")
    {
        check_refused(h, [&] {
            (void)http::bulk_delete_messages(h.rest, h.channel, {h.user_message, "x1"});
        });
        check_refused(h, [&] { (void)http::get_channel_messages(h.rest, h.channel, {.before = "last"}); });
        check_refused(h, [&] { (void)http::create_dm(h.rest, "someone"); });
    }
    SECTION("an overwrite type other than role/member")
    {
        check_refused(
            h, [&] { (void)http::edit_channel_permissions(h.rest, h.channel, h.user, 0, 0, "admin"); });
        check_refused(h, [&] { (void)http::edit_channel_permissions(h.rest, h.channel, h.user, 0, 0, 2); });
    }
    SECTION("what a webhook-token route does not take")
    {
        check_refused(
            h, [&] { (void)http::modify_webhook_with_token(h.rest, "1", "tok", {.channel_id = h.channel}); });
        check_refused(h,
                      [&] { (void)http::modify_webhook_with_token(h.rest, "1", "tok", {.reason = "why"}); });
        check_refused(h, [&] { (void)http::get_webhook_with_token(h.rest, "1", "bad/token"); });
    }
    SECTION("an image of unknown type")
    {
        check_refused(
            h, [&] { (void)http::create_guild_emoji(h.rest, h.guild, "blob", "not an image", "", {}); });
    }
}
