#include "util/duration.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

#include "util/text.hpp"

namespace kafkasink::detail {
namespace {

// Spark users write Long.MaxValue milliseconds for "never"; counted as nanoseconds from now,
// as the pool's and the triggers' deadlines are, that would overflow the clock. A century is
// as good as never.
constexpr std::int64_t kLongestMilliseconds = std::int64_t{100} * 365 * 86'400'000;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const std::string lower = to_lower(trim(text));
  std::string_view rest = lower;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  // The magnitude only: from_chars would accept a second sign ("--5"), and a magnitude no
  // larger than the int64 maximum negates without overflow.
  if (rest.empty() || !is_digit(rest.front())) return std::nullopt;
  std::int64_t amount = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), amount);
  if (error != std::errc()) return std::nullopt;
  const std::string_view unit = trim(rest.substr(static_cast<std::size_t>(end - rest.data())));

  // Spark's JavaUtils.timeSuffixes.
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 12> kUnits{{
      {"", 1},
      {"ms", 1},
      {"s", 1'000},
      {"sec", 1'000},
      {"secs", 1'000},
      {"m", 60'000},
      {"min", 60'000},
      {"mins", 60'000},
      {"h", 3'600'000},
      {"hour", 3'600'000},
      {"hours", 3'600'000},
      {"d", 86'400'000},
  }};
  const auto scaled = [&](std::int64_t milliseconds) -> std::optional<std::chrono::milliseconds> {
    const std::int64_t value = amount > kLongestMilliseconds / milliseconds
                                   ? kLongestMilliseconds
                                   : std::min(amount * milliseconds, kLongestMilliseconds);
    return std::chrono::milliseconds(negative ? -value : value);
  };
  for (const auto& [suffix, milliseconds] : kUnits) {
    if (unit == suffix) return scaled(milliseconds);
  }
  if (unit == "us" || unit == "micros") {
    const std::int64_t value = std::min(amount / 1000, kLongestMilliseconds);
    return std::chrono::milliseconds(negative ? -value : value);
  }
  if (unit == "days") return scaled(86'400'000);
  return std::nullopt;
}

}  // namespace kafkasink::detail
