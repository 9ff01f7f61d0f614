// cord::testing: stickers. Guild stickers (discord_state::surface["stickers"][guild id][sticker
// id]), created from Discord's form-field upload (name, description, tags, file), and one seeded
// pack of standard stickers (surface["sticker_packs"]) for the pack and sticker lookups.
// SPDX-License-Identifier: BSL-1.0
#include "route_helpers.hpp"
#include "surface_routes.hpp"

namespace cord::testing::detail {

namespace {

constexpr int standard = 1, guild_sticker = 2;
constexpr int png = 1, apng = 2, lottie = 3, gif = 4;
constexpr std::size_t max_file = 512 * 1024;   // Discord's docs: max 512 KiB

// The seeded pack: the example of Discord's docs.
constexpr std::uint64_t pack_id = 847199849233514549ULL, pack_sku = 847199849233514547ULL,
                        wave_id = 749054660769218631ULL;

bj::object& packs(route_ctx& c)
{
    auto& all = slot(c.st.surface, "sticker_packs");
    if (all.empty()) {
        bj::object wave{{"id", id_str(wave_id)}, {"pack_id", id_str(pack_id)}, {"name", "Wave"},
                        {"description", "Wumpus waves hello"}, {"tags", "wumpus, hello, wave"},
                        {"type", standard}, {"format_type", lottie}, {"sort_value", 12}};
        all[std::to_string(pack_id)] = bj::object{{"id", id_str(pack_id)},
                                                  {"stickers", bj::array{wave}},
                                                  {"name", "Wumpus Beyond"},
                                                  {"sku_id", id_str(pack_sku)},
                                                  {"cover_sticker_id", id_str(wave_id)},
                                                  {"description", "Say hello to Wumpus!"}};
    }
    return all;
}

bj::object& stickers_of(route_ctx& c, std::uint64_t guild)
{
    return slot(slot(c.st.surface, "stickers"), std::to_string(guild));
}

bj::object& sticker_of(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    return item_or_404(stickers_of(c, gid), c.id("sticker_id"), 10060, "Unknown Sticker");
}

void stickers_update(route_ctx& c, std::uint64_t guild)
{
    bj::array list;
    for (const auto& kv : stickers_of(c, guild))
        list.push_back(kv.value());
    emit(c, "GUILD_STICKERS_UPDATE", {{"guild_id", id_str(guild)}, {"stickers", std::move(list)}}, guild);
}

/// Discord's sticker fields: name 2-30, tags at most 200, description empty or 2-100.
void check_fields(form_check& f, const bj::object& b)
{
    f.string(b, "name", 2, 30);
    f.string(b, "tags", 1, 200);
    if (auto* d = b.if_contains("description"); d && d->is_string() && !d->get_string().empty())
        f.string(b, "description", 2, 100);
}

/// The format of an uploaded sticker file, from its type: PNG (APNG when its name says so),
/// GIF, or Lottie JSON; 0 for anything else.
int format_of(const uploaded_file& file)
{
    const auto& t = file.content_type;
    if (t == "image/png")
        return file.filename.ends_with(".apng") ? apng : png;
    if (t == "image/apng")
        return apng;
    if (t == "image/gif")
        return gif;
    if (t == "application/json")
        return lottie;
    return 0;
}

rest_response list_stickers(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    bj::array out;
    for (const auto& kv : stickers_of(c, gid))
        out.push_back(kv.value());
    return json_response(200, out);
}

rest_response get_guild_sticker(route_ctx& c) { return json_response(200, sticker_of(c)); }

rest_response create_sticker(route_ctx& c)
{
    auto gid = c.id("guild_id");
    c.st.guild(gid);
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    const uploaded_file* file = nullptr;
    for (const auto& f : c.files)
        if (f.part == "file")
            file = &f;
    form_check f;
    f.required(b, "name");
    f.required(b, "tags");
    check_fields(f, b);
    if (!file)
        f.fails.push_back({"file", "BASE_TYPE_REQUIRED", "This field is required"});
    f.done();
    if (file->size > max_file)
        throw rest_failure{400, 50045, "File uploaded exceeds the maximum size", {}};
    int format = format_of(*file);
    if (format == 0)
        throw rest_failure{400, 50046, "Invalid file uploaded", {}};
    auto id = c.st.next_id();
    auto* d = b.if_contains("description");
    bj::object s{{"id", id_str(id)},
                 {"name", b.at("name")},
                 {"tags", b.at("tags")},
                 {"type", guild_sticker},
                 {"format_type", format},
                 {"description", d && d->is_string() && !d->get_string().empty() ? *d : bj::value(nullptr)},
                 {"available", true},
                 {"guild_id", id_str(gid)},
                 {"user", c.st.user(c.st.bot_id)}};
    stickers_of(c, gid)[std::to_string(id)] = s;
    stickers_update(c, gid);
    return json_response(201, s);
}

rest_response modify_sticker(route_ctx& c)
{
    auto& s = sticker_of(c);
    auto gid = c.id("guild_id");
    c.st.check_permissions(gid);
    const auto& b = body_object(c);
    form_check f;
    check_fields(f, b);
    f.done();
    merge_fields(s, b, {"name", "tags", "description"});
    stickers_update(c, gid);
    return json_response(200, s);
}

rest_response delete_sticker(route_ctx& c)
{
    sticker_of(c);
    auto gid = c.id("guild_id");
    c.st.check_permissions(gid);
    stickers_of(c, gid).erase(std::to_string(c.id("sticker_id")));
    stickers_update(c, gid);
    return no_content();
}

rest_response get_sticker(route_ctx& c)
{
    auto key = std::to_string(c.id("sticker_id"));
    for (const auto& pack : packs(c))
        for (const auto& s : pack.value().at("stickers").as_array())
            if (s.at("id").as_string() == key)
                return json_response(200, s);
    for (const auto& guild : slot(c.st.surface, "stickers"))
        if (auto* s = guild.value().as_object().if_contains(key))
            return json_response(200, *s);
    throw unknown(10060, "Unknown Sticker");
}

rest_response list_packs(route_ctx& c)
{
    bj::array out;
    for (const auto& kv : packs(c))
        out.push_back(kv.value());
    return json_response(200, bj::object{{"sticker_packs", std::move(out)}});
}

rest_response get_pack(route_ctx& c)
{
    return json_response(200, item_or_404(packs(c), c.id("pack_id"), 10061, "Unknown Sticker Pack"));
}

} // namespace

void add_sticker_routes(std::vector<route>& out)
{
    out.push_back({"GET", "/guilds/{guild_id}/stickers", list_stickers});
    out.push_back({"POST", "/guilds/{guild_id}/stickers", create_sticker});
    out.push_back({"GET", "/guilds/{guild_id}/stickers/{sticker_id}", get_guild_sticker});
    out.push_back({"PATCH", "/guilds/{guild_id}/stickers/{sticker_id}", modify_sticker});
    out.push_back({"DELETE", "/guilds/{guild_id}/stickers/{sticker_id}", delete_sticker});
    out.push_back({"GET", "/stickers/{sticker_id}", get_sticker});
    out.push_back({"GET", "/sticker-packs", list_packs});
    out.push_back({"GET", "/sticker-packs/{pack_id}", get_pack});
}

} // namespace cord::testing::detail
