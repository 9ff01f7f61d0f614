// cord: private. Which handlers and waiters want which gateway event.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/client.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cord::detail {

/// The registry key of a name given to on_event / wait_for: "raw-message-create" or
/// "MESSAGE_CREATE" → "MESSAGE_CREATE"; "*" stays "*". Throws cord::error (invalid_argument)
/// for an empty name or one with other characters.
std::string handler_key(std::string_view name);

/// The handlers of one client. Registration may happen on any thread while shards deliver
/// events: readers take an immutable snapshot (copy on write), so delivery never holds the
/// lock while user code runs.
class event_registry {
public:
    struct entry {
        client::subscription id;
        client::handler plain;             // one of the two is set
        client::coroutine_handler coroutine;
    };
    struct table {
        std::map<std::string, std::vector<entry>, std::less<>> by_name;
        std::vector<entry> any;   // "*"
    };

    client::subscription add(std::string_view name, client::handler h, client::coroutine_handler c);
    void remove(client::subscription id);
    /// An id from the same sequence, for a subscription kept elsewhere (lifecycle handlers).
    client::subscription reserve_id();

    std::shared_ptr<const table> snapshot() const
    {
        std::lock_guard lock{mutex_};
        return table_;
    }
    /// Is anybody in `t` interested in `discord_name`? (Shards skip parsing events nobody wants.)
    static bool wants(const table& t, std::string_view discord_name)
    {
        return !t.any.empty() || t.by_name.find(discord_name) != t.by_name.end();
    }
    /// The same, of the registry as it is now.
    bool wants(std::string_view discord_name) const { return wants(*snapshot(), discord_name); }
    /// Bumped by every add() and remove(): a reader that cached a snapshot with the version it
    /// read before taking it refreshes its copy when this differs, and takes no lock otherwise.
    std::uint64_t version() const noexcept { return version_.load(std::memory_order_acquire); }


private:
    mutable std::mutex mutex_;
    std::shared_ptr<const table> table_ = std::make_shared<table>();
    std::atomic<std::uint64_t> version_{1};
    client::subscription next_id_ = 1;
};

} // namespace cord::detail
