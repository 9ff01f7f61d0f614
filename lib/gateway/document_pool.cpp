// cord: the pooled simdjson documents of a shard.
// SPDX-License-Identifier: BSL-1.0
#include "gateway/document_pool.hpp"
#include "gateway/padded_buffer.hpp"
#include "json/document.hpp"

#include <cord/error.hpp>

#include <fmt/format.h>

#include <atomic>
#include <vector>

namespace cord::gateway {

static_assert(parse_padding == simdjson::SIMDJSON_PADDING);

namespace {

// simdjson keeps what the largest payload so far needed (about ten times its size, for the
// document and again for the parser): one hostile or huge event must not pin that for good.
// Above this, a capacity four times what the next payload needs is released first.
constexpr std::size_t keep_capacity = std::size_t{1} << 20;

bool oversized(std::size_t capacity, std::size_t needed) noexcept
{
    return capacity > keep_capacity && capacity / 4 > needed;
}

} // namespace

struct document_pool::impl {
    simdjson::dom::parser parser;
    std::vector<std::shared_ptr<detail::json_document>> docs;
    std::size_t next = 0;
    std::size_t parses = 0;
    std::size_t max_pooled;
    static constexpr std::size_t rotate_every = 64;

    // A document nobody else holds, or nullptr. The one handed out last comes first: a handler
    // that lets go of its event before the next one is parsed leaves it free, and its memory
    // (the tape, the strings, the count) is still in cache. Going round the pool instead
    // parses every event into memory last touched hundreds of events ago.
    std::shared_ptr<detail::json_document>* free_document()
    {
        // Now and then the search starts one further on, so that every pooled document is
        // parsed into again in turn, and one a huge payload grew gives its memory back.
        if (++parses % rotate_every == 0 && !docs.empty())
            next = (next + 1) % docs.size();
        for (std::size_t i = 0; i < docs.size(); ++i) {
            auto& d = docs[(next + i) % docs.size()];
            if (d.use_count() == 1) {
                // The last other owner may have let go on another thread: see its writes.
                std::atomic_thread_fence(std::memory_order_acquire);
                next = (next + i) % docs.size();
                return &d;
            }
        }
        return nullptr;
    }
};

document_pool::document_pool(std::size_t max_pooled) : impl_(std::make_unique<impl>())
{
    impl_->max_pooled = max_pooled;
    impl_->docs.reserve(max_pooled);
}

document_pool::~document_pool() = default;

std::size_t document_pool::pooled() const noexcept { return impl_->docs.size(); }

std::size_t document_pool::reserved_capacity() const noexcept
{
    std::size_t total = impl_->parser.capacity();
    for (const auto& d : impl_->docs)
        total += d->doc.capacity();
    return total;
}

json document_pool::parse(std::string_view text, bool padded)
{
    auto* slot = impl_->free_document();
    std::shared_ptr<detail::json_document> doc;
    if (slot) {
        doc = *slot;
    } else {
        doc = std::make_shared<detail::json_document>();
        if (impl_->docs.size() < impl_->max_pooled) {
            impl_->docs.push_back(doc);
            impl_->next = impl_->docs.size() - 1;
        }
    }
    if (oversized(doc->doc.capacity(), text.size())) {
        // Freeing cannot fail; parse_into_document then allocates what this text needs.
        [[maybe_unused]] auto freed = doc->doc.allocate(0);
    }
    if (oversized(impl_->parser.capacity(), text.size()))
        impl_->parser = simdjson::dom::parser{};
    auto result = impl_->parser.parse_into_document(doc->doc, reinterpret_cast<const std::uint8_t*>(text.data()),
                                                    text.size(), !padded);
    if (result.error() != simdjson::SUCCESS) {
        // The detailed message (with the offset) comes from the reference parser.
        return detail::parse_shared(text.data(), text.size());
    }
    simdjson::dom::element root = result.value_unsafe();
    return detail::json_access::make(std::move(doc), root);
}

} // namespace cord::gateway
