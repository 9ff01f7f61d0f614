// cord: locating JSON syntax errors for messages.
// SPDX-License-Identifier: BSL-1.0
#include "json/locate_error.hpp"

#include <fmt/format.h>

#include <cctype>

namespace cord::detail {

namespace {

class scanner {
public:
    explicit scanner(std::string_view t) : t_(t) {}

    json_error_location run()
    {
        ws();
        if (!value(0))
            return err_;
        ws();
        if (i_ != t_.size())
            fail("trailing characters after the JSON value");
        return err_;
    }

private:
    static constexpr int max_depth = 1024;

    bool fail(std::string what)
    {
        if (err_.what.empty()) {
            err_.offset = i_;
            err_.what = std::move(what);
        }
        return false;
    }
    bool unexpected()
    {
        if (i_ >= t_.size())
            return fail("unexpected end of input");
        unsigned char c = static_cast<unsigned char>(t_[i_]);
        if (c >= 0x20 && c < 0x7f)
            return fail(fmt::format("unexpected character '{}'", static_cast<char>(c)));
        return fail(fmt::format("unexpected byte 0x{:02x}", c));
    }
    void ws()
    {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
            ++i_;
    }
    bool eat(char c)
    {
        if (i_ < t_.size() && t_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool literal(std::string_view word)
    {
        if (t_.substr(i_, word.size()) == word) {
            i_ += word.size();
            return true;
        }
        return unexpected();
    }
    bool digits()
    {
        std::size_t start = i_;
        while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9')
            ++i_;
        return i_ > start || unexpected();
    }
    bool number()
    {
        eat('-');
        if (eat('0')) {
        } else if (!digits()) {
            return false;
        }
        if (eat('.') && !digits())
            return false;
        if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
            ++i_;
            if (!eat('+'))
                eat('-');
            if (!digits())
                return false;
        }
        return true;
    }
    bool string()
    {
        ++i_;   // opening quote
        while (i_ < t_.size()) {
            unsigned char c = static_cast<unsigned char>(t_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c < 0x20)
                return fail("control character inside a string");
            if (c == '\\') {
                ++i_;
                if (i_ >= t_.size())
                    break;
                char e = t_[i_];
                if (e == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        ++i_;
                        if (i_ >= t_.size() || !std::isxdigit(static_cast<unsigned char>(t_[i_])))
                            return fail("bad \\u escape");
                    }
                } else if (std::string_view{"\"\\/bfnrt"}.find(e) == std::string_view::npos) {
                    return fail("bad escape sequence");
                }
                ++i_;
                continue;
            }
            if (c >= 0x80 && !utf8())
                return false;
            if (c < 0x80)
                ++i_;
        }
        return fail("unterminated string");
    }
    bool utf8()
    {
        unsigned char c = static_cast<unsigned char>(t_[i_]);
        int extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0 || c == 0xC0 || c == 0xC1 || c > 0xF4)
            return fail("invalid UTF-8");
        for (int k = 1; k <= extra; ++k)
            if (i_ + k >= t_.size() || (static_cast<unsigned char>(t_[i_ + k]) & 0xC0) != 0x80)
                return fail("invalid UTF-8");
        i_ += extra + 1;
        return true;
    }
    bool value(int depth)
    {
        if (depth > max_depth)
            return fail("nesting too deep");
        if (i_ >= t_.size())
            return unexpected();
        switch (t_[i_]) {
        case '{': return container(depth, '}', true);
        case '[': return container(depth, ']', false);
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default:
            if (t_[i_] == '-' || (t_[i_] >= '0' && t_[i_] <= '9'))
                return number();
            return unexpected();
        }
    }
    bool container(int depth, char close, bool object)
    {
        ++i_;
        ws();
        if (eat(close))
            return true;
        for (;;) {
            if (object) {
                if (i_ >= t_.size() || t_[i_] != '"')
                    return unexpected();
                if (!string())
                    return false;
                ws();
                if (!eat(':'))
                    return unexpected();
                ws();
            }
            if (!value(depth + 1))
                return false;
            ws();
            if (eat(close))
                return true;
            if (!eat(','))
                return unexpected();
            ws();
        }
    }

    std::string_view t_;
    std::size_t i_ = 0;
    json_error_location err_;
};

} // namespace

json_error_location locate_json_error(std::string_view text) { return scanner{text}.run(); }

} // namespace cord::detail
