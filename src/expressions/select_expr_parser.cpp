#include "expressions/select_expr_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace detail {

namespace {

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xE0U | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view sql) : sql_(sql) {}

  // expression := primary [ [AS] alias ]
  Column parse() {
    Column result = primary();
    skip_space();
    if (at_end()) return result;
    if (match_keyword("AS")) {
      skip_space();
      if (!starts_identifier()) fail("expected an alias");
      result = result.alias(identifier());
    } else if (starts_identifier()) {
      result = result.alias(identifier());
    } else {
      fail(fmt::format("unexpected '{}'", peek()));
    }
    skip_space();
    if (!at_end()) fail(fmt::format("unexpected '{}'", peek()));
    return result;
  }

 private:
  // The parser recurses once per parenthesis or CAST, and so do binding and evaluation:
  // a limit turns `((((...` from a stack overflow into a syntax error. Real expressions nest a
  // handful of levels.
  static constexpr int kMaxNesting = 256;

  class NestingGuard {
   public:
    explicit NestingGuard(Parser& parser) : parser_(parser) {
      if (++parser_.nesting_ > kMaxNesting) {
        parser_.fail(fmt::format("expression nested deeper than {} levels", kMaxNesting));
      }
    }
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
    NestingGuard(NestingGuard&&) = delete;
    NestingGuard& operator=(NestingGuard&&) = delete;

   private:
    Parser& parser_;
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw AnalysisError(
        fmt::format("Syntax error in expression '{}' at position {}: {}", sql_, position_, what));
  }

  bool at_end() const { return position_ >= sql_.size(); }

  char peek(std::size_t ahead = 0) const {
    return position_ + ahead < sql_.size() ? sql_[position_ + ahead] : '\0';
  }

  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek())) != 0) ++position_;
  }

  bool starts_identifier() const {
    return !at_end() && (peek() == '`' || is_identifier_char(peek()));
  }

  // Consumes `keyword` (upper case) when the next word is exactly it, in any case.
  bool match_keyword(std::string_view keyword) {
    if (sql_.size() - position_ < keyword.size()) return false;
    for (std::size_t index = 0; index < keyword.size(); ++index) {
      if (std::toupper(static_cast<unsigned char>(sql_[position_ + index])) != keyword[index]) {
        return false;
      }
    }
    const std::size_t end = position_ + keyword.size();
    if (end < sql_.size() && is_identifier_char(sql_[end])) return false;
    position_ = end;
    return true;
  }

  std::string word() {
    const std::size_t start = position_;
    while (!at_end() && is_identifier_char(peek())) ++position_;
    return std::string(sql_.substr(start, position_ - start));
  }

  std::string identifier() { return peek() == '`' ? quoted_identifier() : word(); }

  // `name`, where a doubled back-quote stands for one.
  std::string quoted_identifier() {
    const std::size_t start = position_;
    ++position_;
    std::string name;
    while (true) {
      if (at_end()) {
        position_ = start;
        fail("unterminated quoted identifier");
      }
      const char c = sql_[position_++];
      if (c == '`') {
        if (peek() != '`') return name;
        ++position_;
      }
      name.push_back(c);
    }
  }

  // primary := name | `quoted name` | string | number | NULL | TRUE | FALSE
  //          | CAST ( primary AS type ) | ( primary )
  Column primary() {
    skip_space();
    if (at_end()) fail("expected an expression");
    const char c = peek();
    if (c == '(') {
      const NestingGuard guard(*this);
      ++position_;
      Column inner = primary();
      skip_space();
      if (peek() != ')') fail("expected ')'");
      ++position_;
      return inner;
    }
    if (c == '\'' || c == '"') return lit(string_literals());
    if (c == '`') return col(quoted_identifier());
    if (std::optional<Column> number = number_literal()) return *std::move(number);
    if (!is_identifier_char(c)) fail(fmt::format("expected an expression but found '{}'", c));
    std::string name = word();
    const std::string keyword = to_lower(name);
    if (keyword == "null") return lit(nullptr);
    if (keyword == "true") return lit(true);
    if (keyword == "false") return lit(false);
    if (keyword == "date" || keyword == "timestamp") {
      const std::size_t after_name = position_;
      skip_space();
      if (peek() == '\'' || peek() == '"') return typed_literal(keyword);
      position_ = after_name;  // a column that happens to be called `date`
    }
    if (keyword == "cast") {
      const std::size_t after_name = position_;
      skip_space();
      if (peek() == '(') {
        const NestingGuard guard(*this);
        ++position_;
        return cast_rest();
      }
      position_ = after_name;  // a column that happens to be called `cast`
    }
    return col(std::move(name));
  }

  // `DATE 'text'` or `TIMESTAMP 'text'`, read as CAST reads text, but an error when invalid.
  Column typed_literal(const std::string& keyword) {
    const std::size_t start = position_;
    const std::string text = string_literals();
    if (keyword == "date") {
      if (const std::optional<std::int32_t> days = parse_date(text)) return lit(Date{*days});
    } else if (const std::optional<std::int64_t> micros = parse_timestamp(text)) {
      return lit(Timestamp{*micros});
    }
    position_ = start;
    fail(
        fmt::format("[INVALID_TYPED_LITERAL] The value of the typed literal \"{}\" is not valid: "
                    "'{}'.",
                    keyword == "date" ? "DATE" : "TIMESTAMP", text));
  }

  // After `CAST(`: primary AS type )
  Column cast_rest() {
    Column input = primary();
    skip_space();
    if (!match_keyword("AS")) fail("expected 'AS'");
    skip_space();
    const std::size_t type_start = position_;
    // The type runs to the `)` that closes the CAST; types nest with <...>, and a field name
    // may be back-quoted.
    int depth = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == '`') {
        const std::size_t close = sql_.find('`', position_ + 1);
        position_ = close == std::string_view::npos ? sql_.size() : close + 1;
        continue;
      }
      if (c == '<' || c == '(') {
        // DataType::parse recurses once per level, as the parser does.
        if (++depth > kMaxNesting)
          fail(fmt::format("type nested deeper than {} levels", kMaxNesting));
      }
      if (c == '>' || c == ')') {
        if (depth == 0) break;
        --depth;
      }
      ++position_;
    }
    const std::string_view type_text = trim(sql_.substr(type_start, position_ - type_start));
    if (type_text.empty()) {
      position_ = type_start;
      fail("expected a type name");
    }
    const std::optional<DataType> type = DataType::parse(type_text);
    if (!type) {
      position_ = type_start;
      fail(fmt::format("unknown data type '{}'", type_text));
    }
    if (peek() != ')') fail("expected ')'");
    ++position_;
    return input.cast(*type);
  }

  // One or more adjacent string literals (Spark concatenates 'a' 'b'), in '...' or "...",
  // with Spark's backslash escapes (unescapeSQLString).
  std::string string_literals() {
    std::string value;
    do {
      string_literal(value);
      const std::size_t after = position_;
      skip_space();
      if (peek() != '\'' && peek() != '"') {
        position_ = after;
        break;
      }
    } while (true);
    return value;
  }

  void string_literal(std::string& value) {
    const std::size_t start = position_;
    const char quote = sql_[position_++];
    while (true) {
      if (at_end()) {
        position_ = start;
        fail("unterminated string literal");
      }
      const char c = sql_[position_++];
      if (c == quote) return;
      if (c != '\\' || at_end()) {
        value.push_back(c);
        continue;
      }
      escape(value);
    }
  }

  // After a backslash inside a string literal.
  void escape(std::string& value) {
    const char c = sql_[position_];
    if (c == 'u' && std::isxdigit(static_cast<unsigned char>(peek(1))) != 0 &&
        std::isxdigit(static_cast<unsigned char>(peek(2))) != 0 &&
        std::isxdigit(static_cast<unsigned char>(peek(3))) != 0 &&
        std::isxdigit(static_cast<unsigned char>(peek(4))) != 0) {
      std::uint32_t code_point = 0;
      std::from_chars(sql_.data() + position_ + 1, sql_.data() + position_ + 5, code_point, 16);
      append_utf8(value, code_point);
      position_ += 5;
      return;
    }
    if (c >= '0' && c <= '3' && peek(1) >= '0' && peek(1) <= '7' && peek(2) >= '0' &&
        peek(2) <= '7') {
      const auto code_point =
          static_cast<std::uint32_t>((c - '0') * 64 + (peek(1) - '0') * 8 + (peek(2) - '0'));
      append_utf8(value, code_point);
      position_ += 3;
      return;
    }
    ++position_;
    switch (c) {
      case '0':
        value.push_back('\0');
        return;
      case 'b':
        value.push_back('\b');
        return;
      case 'n':
        value.push_back('\n');
        return;
      case 'r':
        value.push_back('\r');
        return;
      case 't':
        value.push_back('\t');
        return;
      case 'Z':
        value.push_back('\x1A');
        return;
      case '%':
      case '_':
        // Kept escaped, for LIKE patterns.
        value.push_back('\\');
        value.push_back(c);
        return;
      default:
        value.push_back(c);
        return;
    }
  }

  // The extent of a number token starting at the current position.
  struct NumberToken {
    std::size_t digits_start = 0;
    std::size_t number_end = 0;  ///< before the suffix
    std::size_t end = 0;         ///< after the suffix
    std::size_t digits = 0;
    bool has_point = false;
    bool has_exponent = false;
    char suffix = '\0';  ///< 'L', 'S', 'Y', 'D', 'F', 'B' (for BD) or none
  };

  char at(std::size_t index) const { return index < sql_.size() ? sql_[index] : '\0'; }

  // [+-] digits [. digits] [e [+-] digits] [L | S | Y | D | F | BD]
  NumberToken scan_number() const {
    NumberToken token;
    std::size_t cursor = position_;
    if (at(cursor) == '+' || at(cursor) == '-') ++cursor;
    token.digits_start = cursor;
    while (is_digit(at(cursor))) ++cursor;
    token.digits = cursor - token.digits_start;
    if (at(cursor) == '.') {
      const std::size_t fraction_start = ++cursor;
      while (is_digit(at(cursor))) ++cursor;
      token.digits += cursor - fraction_start;
      token.has_point = true;
    }
    const bool signed_exponent =
        (at(cursor + 1) == '+' || at(cursor + 1) == '-') && is_digit(at(cursor + 2));
    if ((at(cursor) == 'e' || at(cursor) == 'E') && (is_digit(at(cursor + 1)) || signed_exponent)) {
      cursor += 2;
      while (is_digit(at(cursor))) ++cursor;
      token.has_exponent = true;
    }
    token.number_end = cursor;
    const auto upper_at = [this](std::size_t index) {
      return static_cast<char>(std::toupper(static_cast<unsigned char>(at(index))));
    };
    const char suffix = upper_at(cursor);
    if (suffix == 'B' && upper_at(cursor + 1) == 'D') {
      token.suffix = 'B';
      cursor += 2;
    } else if (suffix == 'L' || suffix == 'S' || suffix == 'Y' || suffix == 'D' || suffix == 'F') {
      token.suffix = suffix;
      ++cursor;
    }
    token.end = cursor;
    return token;
  }

  // A number, or nothing when the text here is not one. A number followed by a letter is a
  // name (`1st`); a signed or fractional one followed by a letter is an error. Spark's literal
  // rules (AstBuilder): an integer is an int when it fits, else a bigint, else a decimal of its
  // digits; digits with a point are a decimal of their precision and scale (1.50 is
  // decimal(3,2)); an exponent makes a double; the suffixes L, S, Y, D, F and BD make a bigint,
  // smallint, tinyint, double, float and decimal.
  std::optional<Column> number_literal() {
    const NumberToken token = scan_number();
    if (token.digits == 0) return std::nullopt;
    const bool integral = !token.has_point && !token.has_exponent;
    if (is_identifier_char(at(token.end)) || at(token.end) == '.') {
      const bool has_sign = token.digits_start != position_;
      if (!has_sign && integral) return std::nullopt;
      position_ = token.end;
      fail(fmt::format("unexpected '{}'", at(token.end)));
    }
    std::string_view text = sql_.substr(position_, token.number_end - position_);
    if (text.front() == '+') text.remove_prefix(1);
    const char suffix = token.suffix;
    if ((suffix == 'L' || suffix == 'S' || suffix == 'Y') && !integral) {
      position_ = token.number_end;
      fail("an integer literal cannot have a fraction or an exponent");
    }
    Column literal = lit(nullptr);
    if (suffix == 'D' || (suffix == '\0' && token.has_exponent)) {
      const std::optional<double> value = parse_java_double(text);
      if (!value) fail(fmt::format("the number {} is not a double", text));
      // Java's parser rounds 1e400 to Infinity; Spark refuses such a literal.
      if (std::isinf(*value))
        fail(fmt::format("the number {} is out of the range of double", text));
      literal = lit(*value);
    } else if (suffix == 'F') {
      const std::optional<float> value = parse_java_float(text);
      if (!value) fail(fmt::format("the number {} is not a float", text));
      if (std::isinf(*value)) fail(fmt::format("the number {} is out of the range of float", text));
      literal = lit(*value);
    } else if (suffix == 'B' || (suffix == '\0' && !integral)) {
      literal = lit(decimal_literal(text));
    } else {
      literal = integer_literal(text, suffix);
    }
    position_ = token.end;
    return literal;
  }

  // Digits as an int, a bigint or (beyond a bigint, without a suffix) a decimal.
  Column integer_literal(std::string_view text, char suffix) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      if (suffix == '\0') return lit(decimal_literal(text));
      fail(fmt::format("the number {} is out of the range of bigint", text));
    }
    const auto check_range = [&](std::int64_t low, std::int64_t high, std::string_view type) {
      if (value < low || value > high) {
        fail(fmt::format("Numeric literal {} does not fit in range [{}, {}] for type {}", text, low,
                         high, type));
      }
    };
    switch (suffix) {
      case 'L':
        return lit(value);
      case 'S':
        check_range(std::numeric_limits<std::int16_t>::min(),
                    std::numeric_limits<std::int16_t>::max(), "smallint");
        return lit(static_cast<std::int16_t>(value));
      case 'Y':
        check_range(std::numeric_limits<std::int8_t>::min(),
                    std::numeric_limits<std::int8_t>::max(), "tinyint");
        return lit(static_cast<std::int8_t>(value));
      default:
        if (value < std::numeric_limits<std::int32_t>::min() ||
            value > std::numeric_limits<std::int32_t>::max()) {
          return lit(value);
        }
        return lit(static_cast<std::int32_t>(value));
    }
  }

  // A decimal literal: BigDecimal's value with its scale (a negative scale becomes 0), at most
  // 38 digits.
  Decimal decimal_literal(std::string_view text) {
    const std::optional<DecimalText> number = parse_decimal_text(text);
    if (!number) fail(fmt::format("the number {} is not a decimal", text));
    const std::int64_t scale = std::max<std::int64_t>(number->scale(), 0);
    const std::int64_t precision =
        std::max(number->precision() + (number->scale() < 0 ? -number->scale() : 0), scale);
    if (precision > kMaxDecimalPrecision) {
      fail(fmt::format(
          "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision {} exceeds max precision "
          "{}.",
          precision, kMaxDecimalPrecision));
    }
    const std::optional<Int128> unscaled =
        rescale_text(*number, kMaxDecimalPrecision, static_cast<int>(scale));
    return make_decimal(*unscaled, static_cast<int>(scale));
  }

  std::string_view sql_;
  std::size_t position_ = 0;
  int nesting_ = 0;
};

}  // namespace

Column parse_select_expr(std::string_view sql) {
  return Parser(sql).parse();
}

}  // namespace detail

Column expr(std::string_view sql) {
  return detail::parse_select_expr(sql);
}

}  // namespace kafkasink
