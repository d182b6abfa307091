// CAST with Spark's (non-ANSI) results, one test per source type.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

#include "frame/column_data.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

constexpr std::int64_t kSecond = 1'000'000;
// 2024-01-02T03:04:05Z
constexpr std::int64_t kJan2 = 1'704'164'645 * kSecond;

DataFrame one_column(const DataType& type, const std::vector<Value>& values) {
  std::vector<Row> rows;
  rows.reserve(values.size());
  for (const Value& value : values) rows.emplace_back(std::vector<Value>{value});
  return DataFrame::from_rows(Schema({{"x", type}}), rows);
}

// The values of CAST(x AS to) over a one-column frame of `values`.
std::vector<Value> cast(const DataType& from,
                        const std::vector<Value>& values,
                        std::string_view to) {
  const DataFrame result = one_column(from, values).select({col("x").cast(to)});
  EXPECT_EQ(result.schema().field(0).type, *DataType::parse(to));
  std::vector<Value> cells;
  for (const Row& row : result.collect()) cells.push_back(row[0]);
  return cells;
}

TEST(Cast, IntToString) {
  EXPECT_THAT(
      cast(int_type(), {42, -7, 0, nullptr, std::numeric_limits<std::int32_t>::min()}, "string"),
      ElementsAre("42", "-7", "0", Value(), "-2147483648"));
}

TEST(Cast, LongToString) {
  EXPECT_THAT(
      cast(long_type(), {std::numeric_limits<std::int64_t>::max(), std::int64_t{-1}}, "string"),
      ElementsAre("9223372036854775807", "-1"));
}

TEST(Cast, DoubleToStringPrintsLikeJava) {
  EXPECT_THAT(
      cast(double_type(),
           {1.0, 1.0e7, 3.356934e-4, 0.001, 123456.789, -0.0, std::nan(""), -HUGE_VAL}, "string"),
      ElementsAre("1.0", "1.0E7", "3.356934E-4", "0.001", "123456.789", "-0.0", "NaN",
                  "-Infinity"));
}

TEST(Cast, DoubleToStringKeepsJava17sDigits) {
  // Java 17's Double.toString, not the shortest digits (JDK 19+ and std::to_chars).
  EXPECT_THAT(cast(double_type(),
                   {1e23, 2e23, 8.41e21, std::bit_cast<double>(std::uint64_t{0x438f67ea69ed3795}),
                    std::numeric_limits<double>::denorm_min()},
                   "string"),
              ElementsAre("9.999999999999999E22", "1.9999999999999998E23", "8.409999999999999E21",
                          "2.82879384806159008E17", "4.9E-324"));
}

TEST(Cast, BooleanAndTimestampToString) {
  EXPECT_THAT(cast(boolean_type(), {true, false}, "string"), ElementsAre("true", "false"));
  EXPECT_THAT(cast(timestamp_type(), {Timestamp{kJan2}, Timestamp{kJan2 + 123'000}}, "string"),
              ElementsAre("2024-01-02 03:04:05", "2024-01-02 03:04:05.123"));
}

TEST(Cast, StringToBinaryIsItsUtf8BytesWithoutACopy) {
  const DataFrame frame = one_column(string_type(), {"h\xC3\xA9llo", nullptr});
  const DataFrame result = frame.select({col("x").cast("binary")});
  EXPECT_THAT(result.collect(), ElementsAre(Row{Bytes{"h\xC3\xA9llo"}}, Row{nullptr}));
  EXPECT_EQ(result.partitions()[0].columns[0].data()->bytes,
            frame.partitions()[0].columns[0].data()->bytes);
  EXPECT_THAT(cast(binary_type(), {Bytes{"abc"}}, "string"), ElementsAre("abc"));
}

// Strings with bytes a literal cannot hold: NUL inside, DEL, other controls.
Value bytes(std::string_view text) {
  return Value(std::string(text));
}

TEST(Cast, StringToIntParsesLikeSpark) {
  // UTF8String.toInt: trimmed, a sign, digits, and a fraction that is dropped.
  EXPECT_THAT(cast(string_type(),
                   {"42", " 12 ", "abc", "3.7", "-3.7", "+5", "", "1e3", "2147483648", "12abc",
                    "-2147483648", nullptr},
                   "int"),
              ElementsAre(42, 12, Value(), 3, -3, 5, Value(), Value(), Value(), Value(),
                          std::numeric_limits<std::int32_t>::min(), Value()));
}

TEST(Cast, StringToIntegralTrimsControlBytesAndDel) {
  // UTF8String.trimAll drops every byte up to 0x20, and 0x7F, at both ends; not inside.
  const std::vector<Value> inputs = {bytes({"\0"
                                            "42",
                                            3}),
                                     bytes({"42\0", 3}),
                                     "\x01"
                                     "42",
                                     "42\x1f",
                                     "\x1c"
                                     "42",
                                     "42\x7f",
                                     "\x7f\t 42 \r\n",
                                     "4\x01"
                                     "2",
                                     "42\xc2\xa0"};
  EXPECT_THAT(cast(string_type(), inputs, "int"),
              ElementsAre(42, 42, 42, 42, 42, 42, 42, Value(), Value()));
  EXPECT_THAT(cast(string_type(), inputs, "bigint"),
              ElementsAre(std::int64_t{42}, std::int64_t{42}, std::int64_t{42}, std::int64_t{42},
                          std::int64_t{42}, std::int64_t{42}, std::int64_t{42}, Value(), Value()));
}

TEST(Cast, StringToIntegralTakesOneSignAndAWellFormedFraction) {
  EXPECT_THAT(cast(string_type(),
                   {"+-1",
                    "-+1",
                    "--1",
                    "++1",
                    "+",
                    "-",
                    ".",
                    "-.",
                    "+.5",
                    "3.",
                    "3 .5",
                    "3. 5",
                    "3.5.5",
                    "3.5e1",
                    "1,000",
                    "0x10",
                    "\xd9\xa3",
                    "2147483647.99",
                    "-2147483648.5",
                    "-2147483649",
                    "1 2"},
                   "int"),
              ElementsAre(Value(), Value(), Value(), Value(), Value(), Value(), 0, 0, 0, 3, Value(),
                          Value(), Value(), Value(), Value(), Value(), Value(),
                          std::numeric_limits<std::int32_t>::max(),
                          std::numeric_limits<std::int32_t>::min(), Value(), Value()));
  EXPECT_THAT(cast(string_type(),
                   {"9223372036854775807", "9223372036854775808", " -1 ", "-9223372036854775808",
                    "-9223372036854775809", "+-1", "99999999999999999999"},
                   "bigint"),
              ElementsAre(std::numeric_limits<std::int64_t>::max(), Value(), std::int64_t{-1},
                          std::numeric_limits<std::int64_t>::min(), Value(), Value(), Value()));
}

// Cast.castToDouble: Java's Double.parseDouble, then Spark's special literals.
std::vector<double> doubles(const std::vector<Value>& values) {
  std::vector<double> result;
  for (const Value& value : cast(string_type(), values, "double")) {
    result.push_back(value.is_null() ? -12345.0 : value.as<double>());
  }
  return result;
}

TEST(Cast, StringToDoubleParsesAsJava) {
  EXPECT_THAT(
      doubles({"1.5",
               " 2 ",
               "1e3",
               "abc",
               "-Infinity",
               "1.5d",
               "1.5F",
               "1d",
               "0x1p3",
               "0x1.8p1",
               "-0x1P-2f",
               "1e400",
               "-1e400",
               "1e-400",
               "2.4e-324",
               "4.9e-324",
               ".5",
               "5.",
               bytes({"\0"
                      "42",
                      3}),
               "\x1f"
               "42",
               "+-1",
               "1,5",
               "42\x7f",
               "0x1",
               "1e",
               "1.5dd"}),
      ElementsAre(1.5, 2.0, 1000.0, -12345.0, -HUGE_VAL, 1.5, 1.5, 1.0, 8.0, 3.0, -0.25, HUGE_VAL,
                  -HUGE_VAL, 0.0, 0.0, std::numeric_limits<double>::denorm_min(), 0.5, 5.0, 42.0,
                  42.0, -12345.0, -12345.0, -12345.0, -12345.0, -12345.0, -12345.0));
  EXPECT_TRUE(std::signbit(doubles({"-1e-400"})[0]));
}

TEST(Cast, StringToDoubleTakesSparksSpecialLiteralsInAnyCase) {
  EXPECT_THAT(doubles({"inf", "+inf", "Inf", " INF ", "infinity", "+Infinity", "-inf", "-Inf",
                       "-infinity", "Infinity", "+Infinity", "-Infinity"}),
              ElementsAre(HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL, -HUGE_VAL,
                          -HUGE_VAL, -HUGE_VAL, HUGE_VAL, HUGE_VAL, -HUGE_VAL));
  for (const double value : doubles({"NaN", "nan", " NAN ", "+NaN", "-NaN"})) {
    EXPECT_TRUE(std::isnan(value));
  }
  // Neither Java nor Spark's list: null.
  EXPECT_THAT(doubles({"nan(123)", "-nan", "+nan", "infd", "Infinityd", "-+inf", "in f", "nanf"}),
              ::testing::Each(-12345.0));
}

TEST(Cast, StringToDoubleThenStringIsJava17sText) {
  EXPECT_THAT(cast(string_type(), {"4.9e-324", "1e23", "0x1p3"}, "double"),
              ElementsAre(std::numeric_limits<double>::denorm_min(), 1e23, 8.0));
  const DataFrame frame = one_column(string_type(), {"4.9e-324", "1e23", "2e23"});
  const DataFrame result = frame.select({col("x").cast("double").cast("string")});
  EXPECT_THAT(result.collect(), ElementsAre(Row{"4.9E-324"}, Row{"9.999999999999999E22"},
                                            Row{"1.9999999999999998E23"}));
}

TEST(Cast, StringToBoolean) {
  EXPECT_THAT(cast(string_type(),
                   {"true", "TRUE", "t", "yes", "y", "1", " true ", "false", "f", "NO", "n", "0",
                    "maybe", ""},
                   "boolean"),
              ElementsAre(true, true, true, true, true, true, true, false, false, false, false,
                          false, Value(), Value()));
}

TEST(Cast, StringToBooleanTrimsControlBytesAndDel) {
  EXPECT_THAT(cast(string_type(),
                   {bytes({"true\0", 5}), "\x7fYes\x01", "\tF\n", "tr ue", "yes!", "2", "+1", "1.0",
                    "\xc2\xa0true"},
                   "boolean"),
              ElementsAre(true, true, false, Value(), Value(), Value(), Value(), Value(), Value()));
}

TEST(Cast, StringToTimestamp) {
  EXPECT_THAT(
      cast(string_type(),
           {"2024-01-02 03:04:05", "2024-01-02T03:04:05.5Z", "2024-01-02", "garbage"}, "timestamp"),
      ElementsAre(Timestamp{kJan2}, Timestamp{kJan2 + 500'000},
                  Timestamp{kJan2 - (3 * 3600 + 4 * 60 + 5) * kSecond}, Value()));
}

TEST(Cast, IntegralsWidenAndNarrowAsJava) {
  EXPECT_THAT(cast(int_type(), {3, -3}, "bigint"), ElementsAre(std::int64_t{3}, std::int64_t{-3}));
  EXPECT_THAT(cast(long_type(), {std::int64_t{4294967297}, std::int64_t{2147483648}}, "int"),
              ElementsAre(1, std::numeric_limits<std::int32_t>::min()));
  EXPECT_THAT(cast(int_type(), {3}, "double"), ElementsAre(3.0));
  EXPECT_THAT(cast(long_type(), {std::int64_t{1} << 53}, "double"),
              ElementsAre(9007199254740992.0));
}

TEST(Cast, DoubleToIntegralTruncatesAndSaturates) {
  EXPECT_THAT(cast(double_type(), {3.7, -3.7, std::nan(""), 1e10, -1e10}, "int"),
              ElementsAre(3, -3, 0, std::numeric_limits<std::int32_t>::max(),
                          std::numeric_limits<std::int32_t>::min()));
  EXPECT_THAT(cast(double_type(), {1e19, -1e19, 2.9}, "bigint"),
              ElementsAre(std::numeric_limits<std::int64_t>::max(),
                          std::numeric_limits<std::int64_t>::min(), std::int64_t{2}));
}

TEST(Cast, BooleanAndNumbers) {
  EXPECT_THAT(cast(boolean_type(), {true, false}, "int"), ElementsAre(1, 0));
  EXPECT_THAT(cast(boolean_type(), {true}, "bigint"), ElementsAre(std::int64_t{1}));
  EXPECT_THAT(cast(boolean_type(), {true}, "double"), ElementsAre(1.0));
  EXPECT_THAT(cast(int_type(), {0, 5, -1}, "boolean"), ElementsAre(false, true, true));
  EXPECT_THAT(cast(long_type(), {std::int64_t{0}}, "boolean"), ElementsAre(false));
  EXPECT_THAT(cast(double_type(), {0.0, 0.5, std::nan("")}, "boolean"),
              ElementsAre(false, true, true));
}

TEST(Cast, TimestampAndNumbers) {
  EXPECT_THAT(cast(timestamp_type(), {Timestamp{kJan2 + 123'456}, Timestamp{-1}}, "bigint"),
              ElementsAre(std::int64_t{1'704'164'645}, std::int64_t{-1}));
  EXPECT_THAT(cast(timestamp_type(), {Timestamp{kJan2}}, "int"), ElementsAre(1'704'164'645));
  EXPECT_THAT(cast(timestamp_type(), {Timestamp{kJan2 + 500'000}}, "double"),
              ElementsAre(1704164645.5));
  EXPECT_THAT(cast(timestamp_type(), {Timestamp{0}, Timestamp{1}}, "boolean"),
              ElementsAre(false, true));
  EXPECT_THAT(cast(long_type(), {std::int64_t{1'704'164'645}}, "timestamp"),
              ElementsAre(Timestamp{kJan2}));
  EXPECT_THAT(cast(int_type(), {-1}, "timestamp"), ElementsAre(Timestamp{-kSecond}));
  EXPECT_THAT(cast(double_type(), {1.5, std::nan(""), HUGE_VAL}, "timestamp"),
              ElementsAre(Timestamp{1'500'000}, Value(), Value()));
  // Spark makes true one microsecond after the epoch.
  EXPECT_THAT(cast(boolean_type(), {true, false}, "timestamp"),
              ElementsAre(Timestamp{1}, Timestamp{0}));
}

TEST(Cast, IntegralToBinaryIsBigEndian) {
  EXPECT_THAT(cast(int_type(), {1, -1}, "binary"),
              ElementsAre(Bytes{std::string("\0\0\0\1", 4)}, Bytes{"\xFF\xFF\xFF\xFF"}));
  EXPECT_THAT(cast(long_type(), {std::int64_t{258}}, "binary"),
              ElementsAre(Bytes{std::string("\0\0\0\0\0\0\1\2", 8)}));
}

TEST(Cast, ComplexTypesToStringAsSparkPrintsThem) {
  const DataType pair = struct_type({{"a", int_type()}, {"b", string_type()}});
  EXPECT_THAT(cast(array_type(int_type()), {ArrayValue{1, nullptr, 3}, ArrayValue{}}, "string"),
              ElementsAre("[1, null, 3]", "[]"));
  EXPECT_THAT(cast(pair, {StructValue{{1, "a"}}, StructValue{{nullptr, "x"}}}, "string"),
              ElementsAre("{1, a}", "{null, x}"));
  EXPECT_THAT(cast(array_type(pair), {Value(ArrayValue{StructValue{{1, "a"}}, nullptr})}, "string"),
              ElementsAre("[{1, a}, null]"));
  EXPECT_THAT(cast(array_type(double_type()), {Value(ArrayValue{1.0e7})}, "string"),
              ElementsAre("[1.0E7]"));
}

TEST(Cast, ArraysAndStructsCastTheirElements) {
  EXPECT_THAT(cast(array_type(int_type()), {ArrayValue{1, nullptr}, nullptr}, "array<string>"),
              ElementsAre(ArrayValue{"1", nullptr}, Value()));
  EXPECT_THAT(cast(struct_type({{"a", int_type()}}), {StructValue{{7}}}, "struct<b:string>"),
              ElementsAre(StructValue{{"7"}}));
}

TEST(Cast, NullTypeCastsToAnything) {
  const DataFrame frame = one_column(int_type(), {1, 2});
  const DataFrame result = frame.select({lit(nullptr).cast("int").alias("n")});
  EXPECT_EQ(result.schema().field(0).type, int_type());
  EXPECT_THAT(result.collect(), ElementsAre(Row{nullptr}, Row{nullptr}));
}

TEST(Cast, ResultIsNullableWhenParsingCanFail) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({Field{"s", string_type(), false}, Field{"i", int_type(), false}}), {});
  const DataFrame result = frame.select({col("s").cast("int"), col("i").cast("string")});
  EXPECT_TRUE(result.schema().field(0).nullable);
  EXPECT_FALSE(result.schema().field(1).nullable);
}

void expect_cast_error(const DataType& from, std::string_view to, const std::string& message) {
  const DataFrame frame = one_column(from, {});
  EXPECT_THAT([&] { (void)frame.select({col("x").cast(to)}); },
              ThrowsMessage<AnalysisError>(message));
}

TEST(Cast, UnsupportedPairsAreAnalysisErrors) {
  expect_cast_error(binary_type(), "int",
                    "cannot resolve 'CAST(x AS INT)' due to data type mismatch: cannot cast "
                    "binary to int");
  expect_cast_error(string_type(), "struct<a:int>",
                    "cannot resolve 'CAST(x AS STRUCT<a: INT>)' due to data type mismatch: "
                    "cannot cast string to struct<a:int>");
  expect_cast_error(double_type(), "binary",
                    "cannot resolve 'CAST(x AS BINARY)' due to data type mismatch: cannot cast "
                    "double to binary");
  expect_cast_error(boolean_type(), "binary",
                    "cannot resolve 'CAST(x AS BINARY)' due to data type mismatch: cannot cast "
                    "boolean to binary");
  expect_cast_error(timestamp_type(), "binary",
                    "cannot resolve 'CAST(x AS BINARY)' due to data type mismatch: cannot cast "
                    "timestamp to binary");
  expect_cast_error(int_type(), "array<int>",
                    "cannot resolve 'CAST(x AS ARRAY<INT>)' due to data type mismatch: cannot "
                    "cast int to array<int>");
  expect_cast_error(binary_type(), "timestamp",
                    "cannot resolve 'CAST(x AS TIMESTAMP)' due to data type mismatch: cannot "
                    "cast binary to timestamp");
}

TEST(Cast, UnknownTypeNameIsAnAnalysisError) {
  EXPECT_THAT(
      [] { (void)col("x").cast("varchar2"); },
      ThrowsMessage<AnalysisError>("[UNSUPPORTED_DATATYPE] Unsupported data type \"VARCHAR2\"."));
}

}  // namespace
}  // namespace kafkasink
