// cord: private. What every cord::http function shares: handing a route and its arguments
// to the REST core, and the few encodings Discord wants in bodies (ids, data URIs, booleans).
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include "http/routes.hpp"
#include "rest/request.hpp"

#include <cord/attachment.hpp>
#include <cord/awaitable.hpp>
#include <cord/http_options.hpp>
#include <cord/json.hpp>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cord::http::detail {

using query_list = std::vector<std::pair<std::string, std::string>>;
using members = std::vector<std::pair<std::string, json_fragment>>;

/// What a call carries besides its path arguments.
struct extras {
    query_list query{};
    std::optional<json> body{};
    std::vector<attachment> files{};
    std::string_view reason{};
};

/// Builds the rest::request for row `r` (path arguments raw, in template order) and returns
/// the REST core's awaitable. Not a coroutine: every argument is copied into the request
/// before it returns, so views into the caller's temporaries are safe. Throws cord::error
/// (invalid_argument) when the arguments do not fit the row (a reason on a route without
/// audit-log support, files on a route without uploads).
awaitable<json> call(rest_client& client, const rest::route& r, std::initializer_list<std::string_view> args,
                     extras x = {});

/// The same with the path arguments in a vector (a coroutine's own copies).
awaitable<json> call(rest_client& client, const rest::route& r, std::vector<std::string> args, extras x = {});

/// An id bound for a body or a query: checked (1-20 digits; else cord::error invalid_argument).
std::string id(const id_arg& a);
/// A list of ids as a JSON array of strings.
json_fragment ids(const std::vector<id_arg>& list);
/// "true" / "false", as Discord's query parameters spell booleans.
std::string_view boolean(bool b) noexcept;
/// `bytes` as "data:<type>;base64,..."; `type` "image/png" or "png", or empty: found from the
/// bytes (PNG, JPEG, GIF, WebP; else cord::error invalid_argument).
std::string data_uri(std::string_view bytes, std::string_view type);
/// The `attachments` array describing `files` as files[first_id], files[first_id + 1]…
json_fragment attachment_list(const std::vector<attachment>& files, std::size_t first_id = 0);
/// Puts the optional query parameter `key` when `value` is set.
void put_id(query_list& q, std::string_view key, const std::optional<id_arg>& value);
void put_int(query_list& q, std::string_view key, const std::optional<int>& value);

// The generated functions' query parameters (tools/gen/rest_surface.py): each is put only when set.
void put(query_list& q, std::string_view key, const std::optional<id_arg>& value);
void put(query_list& q, std::string_view key, const std::optional<int>& value);
void put(query_list& q, std::string_view key, const std::optional<bool>& value);
/// A text parameter: not sent when empty.
void put(query_list& q, std::string_view key, std::string_view value);
/// A required text parameter: sent even when empty.
void put_always(query_list& q, std::string_view key, std::string_view value);
/// An array parameter: the key repeated, once per value.
void put_each(query_list& q, std::string_view key, std::span<const id_arg> values);
void put_each(query_list& q, std::string_view key, std::span<const std::string_view> values);
void put_each(query_list& q, std::string_view key, std::span<const int> values);
/// A list parameter Discord takes comma-separated ("1,2,3").
void put_joined(query_list& q, std::string_view key, std::span<const id_arg> values);
/// The files of an options struct, copied for the request.
std::vector<attachment> files(std::span<const attachment> list);
/// The one file of an options struct (none when null), copied for the request.
std::vector<attachment> file(const attachment* f);

} // namespace cord::http::detail
