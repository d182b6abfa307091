// Spark's duration strings, and the inputs the duration fuzzer (fuzz/duration_fuzzer.cpp)
// turned up: amounts whose milliseconds overflow int64 and doubled signs.
#include "util/duration.hpp"

#include <chrono>
#include <optional>

#include <gtest/gtest.h>

namespace kafkasink {
namespace {

using std::chrono::milliseconds;

std::optional<milliseconds> parse(std::string_view text) {
  return detail::parse_duration(text);
}

TEST(Duration, ParsesSparksSuffixesAndBareMilliseconds) {
  EXPECT_EQ(parse("500ms"), milliseconds(500));
  EXPECT_EQ(parse("10s"), milliseconds(10'000));
  EXPECT_EQ(parse(" 10 m "), milliseconds(600'000));
  EXPECT_EQ(parse("2min"), milliseconds(120'000));
  EXPECT_EQ(parse("1H"), milliseconds(3'600'000));
  EXPECT_EQ(parse("7 days"), milliseconds(7 * 86'400'000LL));
  EXPECT_EQ(parse("1500us"), milliseconds(1));
  EXPECT_EQ(parse("250"), milliseconds(250));
  EXPECT_EQ(parse("-1"), milliseconds(-1));
  EXPECT_EQ(parse("+30secs"), milliseconds(30'000));
}

TEST(Duration, RejectsWhatIsNoDuration) {
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse("ms"), std::nullopt);
  EXPECT_EQ(parse("10 minutes"), std::nullopt);  // Spark's conf parser has no long units either
  EXPECT_EQ(parse("1.5s"), std::nullopt);
  EXPECT_EQ(parse("-"), std::nullopt);
}

TEST(Duration, AmountsBeyondACenturyCountAsACentury) {
  // Fuzzer regressions: these overflowed int64 (undefined behaviour) before, and Spark's
  // "never" (Long.MaxValue ms) overflowed the clock's nanoseconds where deadlines are computed.
  const milliseconds century = std::chrono::hours(24) * 365 * 100;
  EXPECT_EQ(parse("9999999999999999 days"), century);
  EXPECT_EQ(parse("106751991167301d"), century);
  EXPECT_EQ(parse("9223372036854775807"), century);
  EXPECT_EQ(parse("-9223372036854775807"), -century);
  EXPECT_EQ(parse("9223372036854775807us"), century);
  EXPECT_EQ(parse("36500d"), century);
  EXPECT_EQ(parse("36499d"), std::chrono::hours(24) * 36'499);
  EXPECT_EQ(parse("9223372036854775808"), std::nullopt);  // not even a 64-bit number
}

TEST(Duration, ASecondSignIsRejected) {
  // from_chars accepts a sign of its own: "--9223372036854775808" negated INT64_MIN before.
  EXPECT_EQ(parse("--9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse("+-5s"), std::nullopt);
  EXPECT_EQ(parse("--5"), std::nullopt);
}

}  // namespace
}  // namespace kafkasink
