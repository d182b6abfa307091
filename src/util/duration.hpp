// Spark's duration strings (`500ms`, `10s`, `10m`, `1h`, `1d`, `2min`, a bare number of
// milliseconds), as used by `spark.kafka.producer.cache.*` and triggers.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace kafkasink::detail {

/// The duration `text` denotes, or nothing when it is not one. A bare number is taken in
/// milliseconds, as Spark's `timeConf(TimeUnit.MILLISECONDS)` does; negative values are
/// allowed (Spark uses them to switch things off). A duration longer than 100 years (Spark
/// users write Long.MaxValue for "never") counts as 100 years, so that a deadline computed
/// from it stays within the clock's range.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace kafkasink::detail
