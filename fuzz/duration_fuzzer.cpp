// libFuzzer target: Spark's duration strings (parse_duration, behind
// spark.kafka.producer.cache.* and Trigger::processing_time) on arbitrary text.
//
// A duration is either nothing (not a duration) or a value; signed overflow, which UBSan
// reports, or a parse that disagrees with its own output, is a bug.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/errors.hpp>
#include <kafkasink/streaming.hpp>

#include "util/duration.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<std::chrono::milliseconds> parsed = kafkasink::detail::parse_duration(text);
  if (parsed) {
    // Whatever parsed prints back, in milliseconds, to the same value.
    const std::string again = std::to_string(parsed->count()) + "ms";
    const std::optional<std::chrono::milliseconds> reparsed =
        kafkasink::detail::parse_duration(again);
    if (!reparsed || *reparsed != *parsed) std::abort();
  }
  try {
    static_cast<void>(kafkasink::Trigger::processing_time(std::string(text)));
  } catch (const kafkasink::IllegalArgumentError&) {
    // Not a duration, or a negative one: the documented outcome.
  }
  return 0;
}
