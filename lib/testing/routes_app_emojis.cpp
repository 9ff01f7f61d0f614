// cord::testing: application emojis (discord_state::surface["app_emojis"][emoji id]): the bot's
// own emojis, usable in every guild, listed as Discord does in {"items": [...]}.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

#include <algorithm>
#include <cctype>

namespace cord::testing::detail {

namespace {

bj::object& app_emojis(route_ctx& c)
{
    // The token's application is the bot's (its id is the bot user's); another one is not ours.
    if (c.id("application_id") != c.st.bot_id)
        throw rest_failure{403, 50001, "Missing Access", {}};
    return slot(c.st.surface, "app_emojis");
}

bj::object& emoji_of(route_ctx& c)
{
    return item_or_404(app_emojis(c), c.id("emoji_id"), 10014, "Unknown Emoji");
}

/// Discord's emoji names: 2-32 characters, letters, digits and underscores only.
void check_name(const bj::object& b, bool required)
{
    form_check f;
    if (required)
        f.required(b, "name");
    f.string(b, "name", 2, 32);
    f.done();
    auto* n = b.if_contains("name");
    if (n && n->is_string()) {
        std::string_view name = n->get_string();
        if (!std::all_of(name.begin(), name.end(),
                         [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }))
            throw invalid_form({{"name", "STRING_TYPE_REGEX",
                                 "String value did not match validation regex."}});
    }
}

rest_response list_app_emojis(route_ctx& c)
{
    bj::array items;
    for (const auto& kv : app_emojis(c))
        items.push_back(kv.value());
    return json_response(200, bj::object{{"items", std::move(items)}});
}

rest_response get_app_emoji(route_ctx& c) { return json_response(200, emoji_of(c)); }

rest_response create_app_emoji(route_ctx& c)
{
    auto& all = app_emojis(c);
    const auto& b = body_object(c);
    check_name(b, true);
    form_check f;
    f.required(b, "image");
    f.done();
    const auto& image = b.at("image");
    if (!image.is_string() || !image.get_string().starts_with("data:image/")
        || image.get_string().find(";base64,") == bj::string::npos)
        throw invalid_form({{"image", "IMAGE_INVALID", "Invalid image data"}});
    auto id = c.st.next_id();
    bj::object e{{"id", id_str(id)},
                 {"name", b.at("name")},
                 {"roles", bj::array{}},
                 {"user", c.st.user(c.st.bot_id)},
                 {"require_colons", true},
                 {"managed", false},
                 {"animated", image.get_string().starts_with("data:image/gif")},
                 {"available", true}};
    all[std::to_string(id)] = e;
    return json_response(201, e);
}

rest_response modify_app_emoji(route_ctx& c)
{
    auto& e = emoji_of(c);
    const auto& b = body_object(c);
    check_name(b, false);
    merge_fields(e, b, {"name"});
    return json_response(200, e);
}

rest_response delete_app_emoji(route_ctx& c)
{
    emoji_of(c);
    app_emojis(c).erase(std::to_string(c.id("emoji_id")));
    return no_content();
}

} // namespace

void add_app_emoji_routes(std::vector<route>& out)
{
    out.push_back({"GET", "/applications/{application_id}/emojis", list_app_emojis});
    out.push_back({"POST", "/applications/{application_id}/emojis", create_app_emoji});
    out.push_back({"GET", "/applications/{application_id}/emojis/{emoji_id}", get_app_emoji});
    out.push_back({"PATCH", "/applications/{application_id}/emojis/{emoji_id}", modify_app_emoji});
    out.push_back({"DELETE", "/applications/{application_id}/emojis/{emoji_id}", delete_app_emoji});
}

} // namespace cord::testing::detail
