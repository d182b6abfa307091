#include "util/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <system_error>

#include <fmt/format.h>

#include "util/java_number_text.hpp"

namespace kafkasink::detail {

std::optional<std::int64_t> parse_long(std::string_view text) {
  // from_chars takes a '-' but not a '+', and would take "+-1" once the '+' is gone.
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

namespace {

// UTF8String.isWhitespaceOrISOControl on a (signed, in Java) byte: Character.isWhitespace or
// isISOControl, which for 0x00-0x7F is everything up to the space, and DEL.
bool is_whitespace_or_iso_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7F;
}

// UTF8String.toInt and toLong: the value is accumulated negatively, since the negative range
// is the larger one, and an overflow is caught before it happens.
template <typename Int>
std::optional<Int> utf8_string_to_integral(std::string_view text) {
  text = trim_all(text);
  if (text.empty()) return std::nullopt;
  std::size_t offset = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') {
    if (text.size() == 1) return std::nullopt;
    offset = 1;
  }
  constexpr Int kStop = std::numeric_limits<Int>::min() / 10;
  Int result = 0;
  while (offset < text.size()) {
    const char c = text[offset++];
    // A fraction is allowed and dropped, once its digits are checked below.
    if (c == '.') break;
    if (c < '0' || c > '9') return std::nullopt;
    if (result < kStop) return std::nullopt;
    const Int digit = static_cast<Int>(c - '0');
    if (result * 10 < std::numeric_limits<Int>::min() + digit) return std::nullopt;
    result = static_cast<Int>(result * 10 - digit);
  }
  for (; offset < text.size(); ++offset) {
    if (text[offset] < '0' || text[offset] > '9') return std::nullopt;
  }
  if (!negative) {
    if (result == std::numeric_limits<Int>::min()) return std::nullopt;
    result = static_cast<Int>(-result);
  }
  return result;
}

template <typename Narrow>
std::optional<Narrow> narrow_int(std::optional<std::int32_t> value) {
  if (!value || *value < std::numeric_limits<Narrow>::min() ||
      *value > std::numeric_limits<Narrow>::max()) {
    return std::nullopt;
  }
  return static_cast<Narrow>(*value);
}

// Cast.processFloatingPointSpecialLiterals: what Spark accepts after Java's parser refused the
// text. Java's String.trim drops the characters up to ' ' (not DEL).
template <typename Float>
std::optional<Float> special_floating_literal(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  const std::string lower = to_lower(text);
  if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity") {
    return std::numeric_limits<Float>::infinity();
  }
  if (lower == "-inf" || lower == "-infinity") return -std::numeric_limits<Float>::infinity();
  if (lower == "nan") return std::numeric_limits<Float>::quiet_NaN();
  return std::nullopt;
}

}  // namespace

std::string_view trim_all(std::string_view text) {
  while (!text.empty() && is_whitespace_or_iso_control(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_whitespace_or_iso_control(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> cast_string_to_long(std::string_view text) {
  return utf8_string_to_integral<std::int64_t>(text);
}

std::optional<std::int32_t> cast_string_to_int(std::string_view text) {
  return utf8_string_to_integral<std::int32_t>(text);
}

std::optional<std::int16_t> cast_string_to_short(std::string_view text) {
  return narrow_int<std::int16_t>(cast_string_to_int(text));
}

std::optional<std::int8_t> cast_string_to_byte(std::string_view text) {
  return narrow_int<std::int8_t>(cast_string_to_int(text));
}

std::optional<double> cast_string_to_double(std::string_view text) {
  if (const std::optional<double> value = parse_java_double(text)) return value;
  return special_floating_literal<double>(text);
}

std::optional<float> cast_string_to_float(std::string_view text) {
  if (const std::optional<float> value = parse_java_float(text)) return value;
  return special_floating_literal<float>(text);
}

std::optional<bool> cast_string_to_boolean(std::string_view text) {
  const std::string lower = to_lower(trim_all(text));
  if (lower == "t" || lower == "true" || lower == "y" || lower == "yes" || lower == "1") {
    return true;
  }
  if (lower == "f" || lower == "false" || lower == "n" || lower == "no" || lower == "0") {
    return false;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view java_trim(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
  return text;
}

std::string to_lower(std::string_view text) {
  std::string result(text);
  // Not std::tolower: its answer for bytes above 0x7F depends on the process's locale, and a
  // byte of a UTF-8 sequence must never change.
  for (char& c : result) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}

}  // namespace kafkasink::detail
