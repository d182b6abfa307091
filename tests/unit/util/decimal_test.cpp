// Decimal: BigDecimal's grammar, HALF_UP rescaling and text at the 38-digit limits.
#include "util/decimal.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include <kafkasink/row.hpp>

namespace kafkasink::detail {
namespace {

TEST(Decimal, ParsesAsBigDecimalAndPrintsAsToString) {
  EXPECT_EQ(Decimal::parse("1.50")->to_string(), "1.50");
  EXPECT_EQ(Decimal::parse("1.50")->precision(), 3);
  EXPECT_EQ(Decimal::parse("-0.000001")->to_string(), "-0.000001");
  EXPECT_EQ(Decimal::parse("0.0000001")->to_string(), "1E-7");
  EXPECT_EQ(Decimal::parse("0.0000001")->to_plain_string(), "0.0000001");
  EXPECT_EQ(Decimal::parse("-0.00000012")->to_string(), "-1.2E-7");
  EXPECT_EQ(Decimal::parse("1.5e2")->to_string(), "150");  // scale -1 becomes 0
  EXPECT_EQ(*Decimal::parse("1e5"), Decimal(100000, 0));
  EXPECT_FALSE(Decimal::parse(" 1"));
  EXPECT_FALSE(Decimal::parse("."));
  EXPECT_FALSE(Decimal::parse("1e"));
  EXPECT_FALSE(Decimal::parse("123456789012345678901234567890123456789"));
  const std::string max38(38, '9');
  EXPECT_EQ(Decimal::parse(max38)->to_string(), max38);
  EXPECT_EQ(Decimal::parse("-" + max38)->to_string(), "-" + max38);
  EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min(), 0).to_string(),
            "-9223372036854775808");
  EXPECT_EQ(Decimal(-5, 3).to_string(), "-0.005");
  EXPECT_EQ(Decimal(0, 8).to_string(), "0E-8");
  EXPECT_EQ(Decimal(0, 8).to_plain_string(), "0.00000000");
}

TEST(Decimal, RescalesHalfUpWithinThePrecision) {
  EXPECT_EQ(*rescale(125, 2, 2, 1), 13);
  EXPECT_EQ(*rescale(-125, 2, 2, 1), -13);
  EXPECT_EQ(*rescale(124, 2, 2, 1), 12);
  EXPECT_FALSE(rescale(995, 2, 2, 1));  // 9.95 rounds to 10.0: three digits
  EXPECT_EQ(*rescale(1, 0, 38, 37), power_of_ten(37));
  EXPECT_FALSE(rescale(10, 0, 38, 37));
  EXPECT_EQ(*parse_decimal("0.00000000000000000000000000000000000000000000000005", 5, 2), 0);
  EXPECT_EQ(*parse_decimal("9.999", 4, 2), 1000);
  EXPECT_FALSE(parse_decimal("9.999", 3, 2));
  EXPECT_EQ(*parse_decimal(" 1e-2 ", 3, 2), 1);
}

TEST(Decimal, ConvertsToOtherNumbersAsJava) {
  EXPECT_EQ(decimal_to_double(15, 1), 1.5);
  EXPECT_EQ(decimal_to_float(1, 1), 0.1F);
  EXPECT_EQ(decimal_to_long(-19, 1), -1);
  EXPECT_EQ(*double_to_decimal(0.1, 20, 19), power_of_ten(18));
  EXPECT_FALSE(double_to_decimal(std::numeric_limits<double>::quiet_NaN(), 10, 0));
}

}  // namespace
}  // namespace kafkasink::detail
