#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/streaming.hpp>

#include "util/duration.hpp"
#include "util/text.hpp"

namespace kafkasink {

Trigger Trigger::processing_time(std::chrono::milliseconds interval) {
  if (interval.count() < 0) {
    throw IllegalArgumentError(
        "trigger",
        fmt::format("The trigger interval must not be negative, but was {} ms", interval.count()));
  }
  return Trigger(Kind::kProcessingTime, interval);
}

Trigger Trigger::processing_time(const std::string& interval) {
  // Spark also accepts "10 seconds" and "1 minute"; the compact forms go straight through.
  std::string text = detail::to_lower(detail::trim(interval));
  static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
      {" milliseconds", "ms"}, {" millisecond", "ms"}, {" seconds", "s"}, {" second", "s"},
      {" minutes", "m"},       {" minute", "m"},       {" hours", "h"},   {" hour", "h"}};
  for (const auto& [long_form, short_form] : kUnits) {
    if (text.ends_with(long_form)) {
      text = text.substr(0, text.size() - long_form.size()) + std::string(short_form);
      break;
    }
  }
  const std::optional<std::chrono::milliseconds> parsed = detail::parse_duration(text);
  if (!parsed) {
    throw IllegalArgumentError(
        "trigger", fmt::format("Invalid trigger interval '{}': use a duration such as 500ms, 10 "
                               "seconds or 1m",
                               interval));
  }
  return processing_time(*parsed);
}

Trigger Trigger::available_now() {
  return Trigger(Kind::kAvailableNow, std::chrono::milliseconds(0));
}

Trigger Trigger::once() {
  return Trigger(Kind::kOnce, std::chrono::milliseconds(0));
}

}  // namespace kafkasink
