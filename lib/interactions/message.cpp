// cord: the message builder (see <cord/message.hpp>).
// SPDX-License-Identifier: BSL-1.0
#include <cord/message.hpp>

#include <cord/components.hpp>

namespace cord {

namespace {

constexpr std::uint64_t ephemeral_flag = 1 << 6;
constexpr std::uint64_t suppress_embeds_flag = 1 << 2;

} // namespace

message::message(std::string_view content) { this->content(content); }

message& message::set(std::string_view key, const json& value)
{
    for (auto& [k, v] : fields_)
        if (k == key) {
            v = json_fragment{value};
            return *this;
        }
    fields_.emplace_back(std::string{key}, json_fragment{value});
    return *this;
}

message& message::content(std::string_view text)
{
    for (auto& [k, v] : fields_)
        if (k == "content") {
            v = json_fragment{text};
            return *this;
        }
    fields_.emplace_back("content", json_fragment{text});
    return *this;
}

message& message::ephemeral(bool yes)
{
    flags_ = yes ? flags_ | ephemeral_flag : flags_ & ~ephemeral_flag;
    return *this;
}

message& message::suppress_embeds(bool yes)
{
    flags_ = yes ? flags_ | suppress_embeds_flag : flags_ & ~suppress_embeds_flag;
    return *this;
}

message& message::flags(std::uint64_t bits)
{
    flags_ |= bits;
    return *this;
}

message& message::tts(bool yes) { return set("tts", json::parse(yes ? "true" : "false")); }

message& message::embed(const json& e)
{
    embeds_.emplace_back(e);
    return *this;
}

message& message::row(const action_row& r)
{
    rows_.emplace_back(r.to_json());
    return *this;
}

message& message::allowed_mentions(const json& am) { return set("allowed_mentions", am); }

message& message::no_mentions() { return set("allowed_mentions", json::parse(R"({"parse":[]})")); }

json message::to_json() const
{
    auto m = fields_;
    if (!embeds_.empty())
        m.emplace_back("embeds", json_fragment{embeds_});
    if (!rows_.empty())
        m.emplace_back("components", json_fragment{rows_});
    if (flags_)
        m.emplace_back("flags", flags_);
    return json::object(m);
}

} // namespace cord
