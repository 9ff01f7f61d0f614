// cord: private. Parsed documents for the dispatch hot path, reused once every json that
// pointed into them is gone: a steady stream of events parses without allocating.
// SPDX-License-Identifier: BSL-1.0
#pragma once

#include <cord/json.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace cord::gateway {

class document_pool {
public:
    /// Keeps at most `max_pooled` documents; beyond that (all held by handlers) a document
    /// is allocated for one use.
    explicit document_pool(std::size_t max_pooled = 64);
    ~document_pool();
    document_pool(const document_pool&) = delete;
    document_pool& operator=(const document_pool&) = delete;

    /// Parses `text`; `padded` says that at least 64 readable bytes follow it (no copy).
    /// Throws cord::error (json_parse) on invalid JSON. A document (or the parser) that a
    /// huge payload grew gives that memory back when it next parses a much smaller one.
    json parse(std::string_view text, bool padded);

    std::size_t pooled() const noexcept;
    /// The largest input each pooled document and the parser can take without allocating,
    /// summed: what the pool holds on to.
    std::size_t reserved_capacity() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace cord::gateway
