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

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Howard Hinnant's days-from-civil and civil-from-days: proleptic Gregorian, no time zones.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const unsigned month = month_index < 10 ? month_index + 3 : month_index - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

}  // namespace

void append_timestamp(std::string& out, std::int64_t micros) {
  std::int64_t seconds = micros / kMicrosPerSecond;
  std::int64_t fraction = micros % kMicrosPerSecond;
  if (fraction < 0) {
    fraction += kMicrosPerSecond;
    --seconds;
  }
  std::int64_t days = seconds / kSecondsPerDay;
  std::int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  out += fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", date.year, date.month, date.day,
                     second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
  if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  text = trim(text);
  auto number = [&text](std::size_t position, std::size_t width) -> std::optional<unsigned> {
    if (position + width > text.size()) return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = position; i < position + width; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-' || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31) {
    return std::nullopt;
  }
  std::int64_t micros = days_from_civil(*year, *month, *day) * kSecondsPerDay * kMicrosPerSecond;
  std::size_t position = 10;
  if (position < text.size() && (text[position] == ' ' || text[position] == 'T')) {
    const auto hour = number(position + 1, 2);
    const auto minute = number(position + 4, 2);
    const auto second = number(position + 7, 2);
    if (!hour || !minute || !second || text[position + 3] != ':' || text[position + 6] != ':' ||
        *hour > 23 || *minute > 59 || *second > 59) {
      return std::nullopt;
    }
    micros += (static_cast<std::int64_t>(*hour) * 3600 + *minute * 60 + *second) * kMicrosPerSecond;
    position += 9;
    if (position < text.size() && text[position] == '.') {
      ++position;
      std::int64_t fraction = 0;
      int digits = 0;
      while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
        if (digits < 6) {
          fraction = fraction * 10 + (text[position] - '0');
          ++digits;
        }
        ++position;
      }
      if (digits == 0) return std::nullopt;
      for (; digits < 6; ++digits) fraction *= 10;
      micros += fraction;
    }
  }
  if (position < text.size() && text[position] == 'Z') ++position;
  if (position != text.size()) return std::nullopt;
  return micros;
}

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

std::string to_lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

}  // namespace kafkasink::detail
