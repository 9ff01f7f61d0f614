// cord: private. Formatted logging for one component: `constexpr component_log log{"client"};`
// then `log(log_level::info, "{} shards", n)`. Formats only when the level is enabled.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/logging.hpp>

#include <fmt/format.h>

#include <string_view>
#include <utility>

namespace cord::detail {

struct component_log {
    std::string_view component;

    template <class... Args>
    void operator()(log_level level, fmt::format_string<Args...> f, Args&&... args) const
    {
        auto& l = discord_logger();
        if (l.enabled(level))
            l.log(level, component, fmt::format(f, std::forward<Args>(args)...));
    }
};

} // namespace cord::detail
