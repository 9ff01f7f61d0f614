// cord: coroutine-first C++20 SDK for the Discord API.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/detail/cxx20.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cord {

/// A Discord id: a 64-bit number sent as a decimal string in JSON.
struct snowflake {
    std::uint64_t value = 0;   ///< the id as a number

    /// Milliseconds since the Unix epoch of 2015-01-01, Discord's epoch.
    static constexpr std::uint64_t discord_epoch_ms = 1420070400000ULL;

    constexpr snowflake() noexcept = default;
    /// The id `v`.
    constexpr explicit snowflake(std::uint64_t v) noexcept : value(v) {}

    /// Parses a decimal id; throws cord::error when `text` is not 1–20 digits or overflows.
    static snowflake parse(std::string_view text);

    /// When Discord created the object this id names.
    std::chrono::system_clock::time_point created_at() const noexcept
    {
        return std::chrono::system_clock::time_point{
            std::chrono::milliseconds{(value >> 22) + discord_epoch_ms}};
    }

    /// The shard (out of `shard_count`) that receives this guild's events.
    constexpr unsigned shard_of(unsigned shard_count) const noexcept
    {
        return shard_count == 0 ? 0u : static_cast<unsigned>((value >> 22) % shard_count);
    }

    /// The decimal text Discord sends.
    std::string str() const { return std::to_string(value); }

    friend constexpr bool operator==(snowflake, snowflake) noexcept = default;
    friend constexpr auto operator<=>(snowflake, snowflake) noexcept = default;
};

} // namespace cord
