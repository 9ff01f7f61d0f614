// cord: component, modal and choice builders (see <cord/components.hpp>).
// SPDX-License-Identifier: BSL-1.0
#include <cord/components.hpp>

namespace cord {

namespace {

// Discord's component types and button styles.
constexpr int action_row_type = 1, button_type = 2, string_select_type = 3, text_input_type = 4;

json styled(int style, std::string_view label, std::string_view custom_id)
{
    return json::object({{"type", button_type}, {"style", style}, {"label", label}, {"custom_id", custom_id}});
}

} // namespace

json button::primary(std::string_view label, std::string_view custom_id) { return styled(1, label, custom_id); }
json button::secondary(std::string_view label, std::string_view custom_id) { return styled(2, label, custom_id); }
json button::success(std::string_view label, std::string_view custom_id) { return styled(3, label, custom_id); }
json button::danger(std::string_view label, std::string_view custom_id) { return styled(4, label, custom_id); }
json button::link(std::string_view label, std::string_view url)
{
    return json::object({{"type", button_type}, {"style", 5}, {"label", label}, {"url", url}});
}

string_select::string_select(std::string_view custom_id) : custom_id_(custom_id) {}

string_select& string_select::option(std::string_view label, std::string_view value)
{
    options_.emplace_back(json::object({{"label", label}, {"value", value}}));
    return *this;
}

string_select& string_select::placeholder(std::string_view text)
{
    placeholder_ = text;
    return *this;
}

string_select& string_select::range(int min_values, int max_values)
{
    min_ = min_values;
    max_ = max_values;
    return *this;
}

json string_select::to_json() const
{
    std::vector<std::pair<std::string, json_fragment>> m{
        {"type", string_select_type}, {"custom_id", custom_id_}, {"options", json_fragment{options_}},
        {"min_values", min_}, {"max_values", max_}};
    if (!placeholder_.empty())
        m.emplace_back("placeholder", placeholder_);
    return json::object(m);
}

action_row& action_row::add(const json& component)
{
    items_.emplace_back(component);
    return *this;
}

json action_row::to_json() const
{
    return json::object({{"type", action_row_type}, {"components", json_fragment{items_}}});
}

modal::modal(std::string_view custom_id, std::string_view title) : custom_id_(custom_id), title_(title) {}

modal& modal::text_input(std::string_view custom_id, std::string_view label, text_style style, bool required)
{
    auto input = json::object({{"type", text_input_type}, {"custom_id", custom_id}, {"label", label},
                               {"style", static_cast<int>(style)}, {"required", required}});
    rows_.emplace_back(action_row{}.add(input).to_json());
    return *this;
}

json modal::to_json() const
{
    return json::object({{"custom_id", custom_id_}, {"title", title_}, {"components", json_fragment{rows_}}});
}

choices& choices::add(std::string_view name, std::string_view value)
{
    items_.emplace_back(json::object({{"name", name}, {"value", value}}));
    return *this;
}

choices& choices::add(std::string_view name, std::int64_t value)
{
    items_.emplace_back(json::object({{"name", name}, {"value", value}}));
    return *this;
}

choices& choices::add(std::string_view name, double value)
{
    items_.emplace_back(json::object({{"name", name}, {"value", value}}));
    return *this;
}

json choices::to_json() const { return json::array(items_); }

} // namespace cord
