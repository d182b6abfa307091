#include "util/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "util/text.hpp"

namespace kafkasink::detail {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const std::string lower = to_lower(trim(text));
  std::string_view rest = lower;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  std::int64_t amount = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), amount);
  if (error != std::errc() || end == rest.data()) return std::nullopt;
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
  for (const auto& [suffix, milliseconds] : kUnits) {
    if (unit == suffix) {
      if (amount > std::numeric_limits<std::int64_t>::max() / milliseconds) return std::nullopt;
      const std::int64_t value = amount * milliseconds;
      return std::chrono::milliseconds(negative ? -value : value);
    }
  }
  if (unit == "us" || unit == "micros") {
    return std::chrono::milliseconds((negative ? -amount : amount) / 1000);
  }
  if (unit == "days") return std::chrono::milliseconds((negative ? -amount : amount) * 86'400'000);
  return std::nullopt;
}

}  // namespace kafkasink::detail
