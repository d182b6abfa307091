// CAST with Spark's (non-ANSI) results, one test per source type.
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
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

// Spark 3.5.7's own text, as PySpark printed it for CAST(x AS ...) over a column x (without the
// "; line 1 pos 0;" and the plan that its AnalysisException appends).
TEST(Cast, UnsupportedPairsAreSparkAnalysisErrors) {
  expect_cast_error(binary_type(), "int",
                    "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(x AS INT)\" "
                    "due to data type mismatch: cannot cast \"BINARY\" to \"INT\".");
  expect_cast_error(
      *DataType::parse("decimal(10,2)"), "date",
      "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(x AS DATE)\" "
      "due to data type mismatch: cannot cast \"DECIMAL(10,2)\" to \"DATE\".");
  expect_cast_error(*DataType::parse("struct<a:int,b:string>"), "int",
                    "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(x AS INT)\" "
                    "due to data type mismatch: cannot cast \"STRUCT<a: INT, b: STRING>\" to "
                    "\"INT\".");
  // Spark's Cast.sql leaves out a cast to a complex type: only the input is named.
  expect_cast_error(string_type(), "struct<a:int>",
                    "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"x\" due to data "
                    "type mismatch: cannot cast \"STRING\" to \"STRUCT<a: INT>\".");
  expect_cast_error(int_type(), "array<int>",
                    "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"x\" due to data "
                    "type mismatch: cannot cast \"INT\" to \"ARRAY<INT>\".");
}

TEST(Cast, UnsupportedPairInSelectExprNamesTheExpression) {
  const DataFrame frame = one_column(int_type(), {});
  EXPECT_THAT([&] { (void)frame.select_expr({"CAST(CAST(x AS BINARY) AS DOUBLE)"}); },
              ThrowsMessage<AnalysisError>(
                  "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(CAST(x AS "
                  "BINARY) AS DOUBLE)\" due to data type mismatch: cannot cast \"BINARY\" to "
                  "\"DOUBLE\"."));
  EXPECT_THAT([&] { (void)frame.select_expr({"CAST(CAST(x AS STRING) AS ARRAY<INT>)"}); },
              ThrowsMessage<AnalysisError>(
                  "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(x AS "
                  "STRING)\" due to data type mismatch: cannot cast \"STRING\" to "
                  "\"ARRAY<INT>\"."));
}

// Which casts Spark 3.5.7 (non-ANSI) accepts, as PySpark answered CAST(x AS target) over a
// column x of each source type: '+' accepted, '.' an AnalysisError of the text above. Columns
// follow kTypes.
TEST(Cast, AcceptsExactlySparksPairs) {
  const std::vector<std::string> kTypes = {
      "BOOLEAN",    "TINYINT",       "SMALLINT",       "INT",
      "BIGINT",     "FLOAT",         "DOUBLE",         "DECIMAL(10,2)",
      "STRING",     "BINARY",        "DATE",           "TIMESTAMP",
      "ARRAY<INT>", "ARRAY<STRING>", "STRUCT<a: INT>", "STRUCT<a: INT, b: STRING>"};
  const std::vector<std::string> kAccepted = {
      "+++++++++..+....",  // BOOLEAN
      "++++++++++.+....",  // TINYINT
      "++++++++++.+....",  // SMALLINT
      "++++++++++.+....",  // INT
      "++++++++++.+....",  // BIGINT
      "+++++++++..+....",  // FLOAT
      "+++++++++..+....",  // DOUBLE
      "+++++++++..+....",  // DECIMAL(10,2)
      "++++++++++++....",  // STRING
      "........++......",  // BINARY
      "+++++++++.++....",  // DATE
      "+++++++++.++....",  // TIMESTAMP
      "........+...++..",  // ARRAY<INT>
      "........+...++..",  // ARRAY<STRING>
      "........+.....+.",  // STRUCT<a: INT>
      "........+......+",  // STRUCT<a: INT, b: STRING>
  };
  for (std::size_t from = 0; from < kTypes.size(); ++from) {
    const std::optional<DataType> source = DataType::parse(kTypes[from]);
    ASSERT_TRUE(source) << kTypes[from];
    const DataFrame frame = one_column(*source, {});
    for (std::size_t to = 0; to < kTypes.size(); ++to) {
      const std::string expression = "CAST(x AS " + kTypes[to] + ")";
      SCOPED_TRACE(kTypes[from] + " " + expression);
      if (kAccepted[from][to] == '+') {
        const DataFrame result = frame.select_expr({expression});
        EXPECT_EQ(result.schema().field(0).type, *DataType::parse(kTypes[to]));
        EXPECT_EQ(result.schema().field(0).name, "x");  // a cast keeps its column's name
        continue;
      }
      const bool complex = kTypes[to].starts_with("ARRAY") || kTypes[to].starts_with("STRUCT");
      EXPECT_THAT([&] { (void)frame.select_expr({expression}); },
                  ThrowsMessage<AnalysisError>(
                      "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"" +
                      (complex ? std::string("x") : expression) +
                      "\" due to data type mismatch: cannot cast \"" + kTypes[from] + "\" to \"" +
                      kTypes[to] + "\"."));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// tinyint, smallint, float, decimal, date and Spark's timestamp and date parsers. Each row is a
// select_expr expression and what CAST(expression AS STRING) gives in PySpark 3.5.7 (local[1],
// session time zone UTC); nullopt where Spark gives null.

struct Expected {
  std::string expression;
  std::optional<std::string> text;
};

void expect_texts(const std::vector<Expected>& cases) {
  const DataFrame one_row = DataFrame::from_rows(Schema({{"x", int_type()}}), {{1}});
  for (const Expected& expected : cases) {
    SCOPED_TRACE(expected.expression);
    const DataFrame result =
        one_row.select_expr({"CAST(" + expected.expression + " AS STRING) AS text"});
    const Value value = result.collect().at(0)[0];
    if (expected.text) {
      EXPECT_EQ(value.is_null() ? "NULL" : value.as<std::string>(), *expected.text);
    } else {
      EXPECT_TRUE(value.is_null()) << expected.expression << " gives " << value.to_string();
    }
  }
}

TEST(Cast, ToTinyintAndSmallint) {
  expect_texts({
      {"CAST(1.9e10 AS TINYINT)", "-1"},  // through int: Int.MaxValue.toByte
      {"CAST(1000.5 AS TINYINT)", "-24"},
      {"CAST(2.5 AS TINYINT)", "2"},
      {"CAST(-129 AS TINYINT)", "127"},
      {"CAST('127' AS TINYINT)", "127"},
      {"CAST('128' AS TINYINT)", std::nullopt},
      {"CAST('1.9' AS TINYINT)", "1"},
      {"CAST(' 12 ' AS SMALLINT)", "12"},
      {"CAST('-32769' AS SMALLINT)", std::nullopt},
      {"CAST(70000 AS SMALLINT)", "4464"},
      {"CAST(1e10D AS SMALLINT)", "-1"},
      {"CAST(CAST('NaN' AS DOUBLE) AS TINYINT)", "0"},
      {"CAST(TIMESTAMP '2020-01-01 00:00:00' AS TINYINT)", "0"},
      {"CAST(TIMESTAMP '2020-01-01 00:00:00' AS SMALLINT)", "-7936"},
      {"CAST(true AS TINYINT)", "1"},
      {"CAST(CAST(5 AS TINYINT) AS BOOLEAN)", "true"},
      {"CAST(CAST(1 AS TINYINT) AS TIMESTAMP)", "1970-01-01 00:00:01"},
      {"CAST(12345678901234567890 AS SMALLINT)", "2770"},
      {"CAST(1 AS BYTE)", "1"},
      {"CAST(1 AS SHORT)", "1"},
  });
}

TEST(Cast, TinyintAndSmallintToBinaryAreTheirBigEndianBytes) {
  EXPECT_THAT(cast(byte_type(), {std::int8_t{1}, std::int8_t{-1}}, "binary"),
              ElementsAre(Bytes{"\x01"}, Bytes{"\xFF"}));
  EXPECT_THAT(cast(short_type(), {std::int16_t{1}, std::int16_t{-2}}, "binary"),
              ElementsAre(Bytes{std::string("\x00\x01", 2)}, Bytes{"\xFF\xFE"}));
}

TEST(Cast, ToAndFromFloat) {
  expect_texts({
      {"CAST(1.5 AS FLOAT)", "1.5"},
      {"CAST(1.23456789 AS FLOAT)", "1.2345679"},
      {"CAST(1 AS REAL)", "1.0"},
      {"CAST(CAST(1e10 AS FLOAT) AS STRING)", "1.0E10"},
      {"CAST(CAST(0.001 AS FLOAT) AS STRING)", "0.001"},
      {"CAST(CAST(1e-4 AS FLOAT) AS STRING)", "1.0E-4"},
      {"CAST(CAST(1e7 AS FLOAT) AS STRING)", "1.0E7"},
      {"CAST(CAST(1.0E-45 AS FLOAT) AS STRING)", "1.4E-45"},    // Java 17's digits, not the
      {"CAST(CAST(3e10 AS FLOAT) AS STRING)", "3.0000001E10"},  // shortest ones
      {"CAST(16777217L AS FLOAT)", "1.6777216E7"},
      {"CAST(CAST('-0' AS FLOAT) AS STRING)", "-0.0"},
      {"CAST('1e40' AS FLOAT)", "Infinity"},
      {"CAST(1e40D AS FLOAT)", "Infinity"},
      {"CAST('inf' AS FLOAT)", "Infinity"},
      {"CAST(' 1.5 ' AS FLOAT)", "1.5"},
      {"CAST('1.5f' AS FLOAT)", "1.5"},
      {"CAST('0x1p3' AS FLOAT)", "8.0"},
      {"CAST('abc' AS FLOAT)", std::nullopt},
      {"CAST(CAST(0.1 AS FLOAT) AS DOUBLE)", "0.10000000149011612"},
      {"CAST(CAST(2.5 AS FLOAT) AS INT)", "2"},
      {"CAST(CAST(3e9 AS FLOAT) AS INT)", "2147483647"},
      {"CAST(CAST(1.5 AS FLOAT) AS TIMESTAMP)", "1970-01-01 00:00:01.5"},
      {"CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS FLOAT)", "1.5778368E9"},
      {"CAST(CAST('NaN' AS FLOAT) AS BOOLEAN)", "true"},
      {"CAST(CAST(CAST('0.1' AS DECIMAL(38,37)) AS FLOAT) AS STRING)", "0.1"},
  });
}

TEST(Cast, ToDecimalRoundsHalfUpAndOverflowsToNull) {
  expect_texts({
      {"CAST('1.255' AS DECIMAL(3,2))", "1.26"},
      {"CAST('-1.255' AS DECIMAL(3,2))", "-1.26"},
      {"CAST('123.4' AS DECIMAL(3,2))", std::nullopt},
      {"CAST(' 1.5 ' AS DECIMAL(3,1))", "1.5"},
      {"CAST('1e3' AS DECIMAL(10,0))", "1000"},
      {"CAST('1E+2' AS DECIMAL(5,0))", "100"},
      {"CAST('1e-3' AS DECIMAL(5,3))", "0.001"},
      {"CAST('+1.5' AS DECIMAL(3,1))", "1.5"},
      {"CAST('.5' AS DECIMAL(3,1))", "0.5"},
      {"CAST('5.' AS DECIMAL(3,1))", "5.0"},
      {"CAST('abc' AS DECIMAL)", std::nullopt},
      {"CAST('1.5D' AS DECIMAL(3,1))", std::nullopt},
      {"CAST('NaN' AS DECIMAL(3,1))", std::nullopt},
      {"CAST('1_000' AS DECIMAL(10,0))", std::nullopt},
      {"CAST('  ' AS DECIMAL(5,3))", std::nullopt},
      {"CAST('\\t1\\n' AS DECIMAL(5,3))", "1.000"},
      {"CAST('1.5e400' AS DECIMAL(5,0))", std::nullopt},
      {"CAST(0.1D AS DECIMAL(20,19))", "0.1000000000000000000"},
      {"CAST(CAST(0.1 AS FLOAT) AS DECIMAL(20,19))", "0.1000000014901161200"},
      {"CAST(1e300D AS DECIMAL(38,0))", std::nullopt},
      {"CAST(1e20D AS DECIMAL(38,0))", "100000000000000000000"},
      {"CAST(123.456D AS DECIMAL(5,2))", "123.46"},
      {"CAST(TIMESTAMP '2020-01-01 00:00:00.123456' AS DECIMAL(20,6))", "1577836800.123456"},
      {"CAST(true AS DECIMAL(1,0))", "1"},
      {"CAST(1 AS DECIMAL(1,1))", std::nullopt},
      {"CAST(1 AS DECIMAL)", "1"},
      {"CAST(1 AS DEC(5,2))", "1.00"},
      {"CAST(1 AS NUMERIC(5,2))", "1.00"},
      {"CAST(1.25 AS DECIMAL(2,1))", "1.3"},
      {"CAST(-1.25 AS DECIMAL(2,1))", "-1.3"},
      {"CAST(0.5 AS DECIMAL(1,0))", "1"},
      {"CAST(-0.5 AS DECIMAL(1,0))", "-1"},
      {"CAST(9.5 AS DECIMAL(1,0))", std::nullopt},
      {"CAST(100 AS DECIMAL(2,0))", std::nullopt},
      {"CAST(CAST(123 AS TINYINT) AS DECIMAL(2,0))", std::nullopt},
      {"CAST(DATE '2020-01-01' AS DECIMAL(10,0))", std::nullopt},
      {"CAST(CAST('0' AS DECIMAL(10,8)) AS STRING)", "0E-8"},
      {"CAST(CAST('0.0000001' AS DECIMAL(10,8)) AS STRING)", "1.0E-7"},
  });
}

TEST(Cast, FromDecimal) {
  expect_texts({
      {"CAST(12345678901234567890 AS BIGINT)", "-6101065172474983726"},
      {"CAST(12345678901234567890 AS INT)", "-350287150"},
      {"CAST(-12345678901234567890.5 AS BIGINT)", "6101065172474983726"},
      {"CAST(-1.9 AS INT)", "-1"},
      {"CAST(1.5 AS DOUBLE)", "1.5"},
      {"CAST(99999999999999999999999999999999999999 AS DOUBLE)", "1.0E38"},
      {"CAST(1.5 AS TIMESTAMP)", "1970-01-01 00:00:01.5"},
      {"CAST(-1.0000005 AS TIMESTAMP)", "1969-12-31 23:59:59"},
      {"CAST(1.5 AS BOOLEAN)", "true"},
      {"CAST(0.0 AS BOOLEAN)", "false"},
      {"CAST(0.5 AS BOOLEAN)", "true"},
  });
}

TEST(Cast, DecimalCastsThatCannotOverflowKeepNullability) {
  const DataFrame frame = DataFrame::from_rows(Schema({{"i", int_type(), false}}), {{1}});
  const DataFrame result =
      frame.select_expr({"CAST(i AS DECIMAL(10,0)) AS wide", "CAST(i AS DECIMAL(9,0)) AS narrow",
                         "CAST(i AS DOUBLE) AS d", "CAST(CAST(i AS DOUBLE) AS INT) AS back"});
  EXPECT_FALSE(result.schema().field(0).nullable);
  EXPECT_TRUE(result.schema().field(1).nullable);
  EXPECT_FALSE(result.schema().field(2).nullable);
  EXPECT_TRUE(result.schema().field(3).nullable);  // Spark: NaN and infinity to an integer
}

TEST(Cast, StringToDateAsSparksStringToDate) {
  expect_texts({
      {"CAST('2020-02-30' AS DATE)", std::nullopt},
      {"CAST('2021-02-29' AS DATE)", std::nullopt},
      {"CAST('2024-02-29' AS DATE)", "2024-02-29"},
      {"CAST('2020-1-1' AS DATE)", "2020-01-01"},
      {"CAST('2020' AS DATE)", "2020-01-01"},
      {"CAST('2020-01' AS DATE)", "2020-01-01"},
      {"CAST(' 2020-01-01 ' AS DATE)", "2020-01-01"},
      {"CAST('2020-01-01T10:00' AS DATE)", "2020-01-01"},
      {"CAST('2020-01-01 garbage' AS DATE)", "2020-01-01"},
      {"CAST('2020-01-01x' AS DATE)", std::nullopt},
      {"CAST('+12345-01-01' AS DATE)", "+12345-01-01"},
      {"CAST('12345-01-01' AS DATE)", "+12345-01-01"},
      {"CAST('1234567-01-01' AS DATE)", "+1234567-01-01"},
      {"CAST('-0001-01-01' AS DATE)", "-0001-01-01"},
      {"CAST('123-01-01' AS DATE)", std::nullopt},
      {"CAST('2020-01-' AS DATE)", std::nullopt},
      {"CAST('2020-' AS DATE)", std::nullopt},
      {"CAST('2020-01-1' AS DATE)", "2020-01-01"},
      {"CAST('2020-13-01' AS DATE)", std::nullopt},
      {"CAST('2020-01-01 12:34:56+01:00' AS DATE)", "2020-01-01"},
      {"CAST('\\u00002020-01-01' AS DATE)", "2020-01-01"},
      {"CAST(TIMESTAMP '2020-01-01 23:59:59' AS DATE)", "2020-01-01"},
      {"CAST(CAST(-1 AS TIMESTAMP) AS DATE)", "1969-12-31"},
      {"CAST(DATE '2020-01-01' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST(DATE '2020-01-01' AS INT)", std::nullopt},
      {"CAST(DATE '2020-01-01' AS BOOLEAN)", std::nullopt},
      {"CAST(DATE '2020-01-01' AS DOUBLE)", std::nullopt},
  });
}

TEST(Cast, StringToTimestampAsSparksStringToTimestamp) {
  expect_texts({
      {"CAST('2020-02-30' AS TIMESTAMP)", std::nullopt},
      {"CAST('2021-02-29' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01T12:34:56+01:00' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01T12:34:56-08:00' AS TIMESTAMP)", "2020-01-01 20:34:56"},
      {"CAST('2020-01-01 12:34:56 UTC' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56.5+0530' AS TIMESTAMP)", "2020-01-01 07:04:56.5"},
      {"CAST('2020' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-01' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-1' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-1-1' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-01-01 1:2:3' AS TIMESTAMP)", "2020-01-01 01:02:03"},
      {"CAST('2020-01-01 12:34' AS TIMESTAMP)", "2020-01-01 12:34:00"},
      {"CAST('2020-01-01 1:2' AS TIMESTAMP)", "2020-01-01 01:02:00"},
      {"CAST('2020-01-01 12' AS TIMESTAMP)", "2020-01-01 12:00:00"},
      {"CAST('2020-01-01 12:34:5' AS TIMESTAMP)", "2020-01-01 12:34:05"},
      {"CAST('+2020-01-01' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('-0001-01-01' AS TIMESTAMP)", "-0001-01-01 00:00:00"},
      {"CAST('0000-01-01' AS TIMESTAMP)", "0000-01-01 00:00:00"},
      {"CAST('12345-01-01' AS TIMESTAMP)", "+12345-01-01 00:00:00"},
      {"CAST('123456-01-01' AS TIMESTAMP)", "+123456-01-01 00:00:00"},
      {"CAST('1234567-01-01' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56.' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01T' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 ' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-01-01Z' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56Z' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56 Z' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56.Z' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56.+01:00' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56GMT+1' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56 GMT+01:00' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56UTC-5' AS TIMESTAMP)", "2020-01-01 17:34:56"},
      {"CAST('2020-01-01 12:34:56 UT+3' AS TIMESTAMP)", "2020-01-01 09:34:56"},
      {"CAST('2020-01-01 12:34:56+1:00' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56+01:0' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56+1' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56+01' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56+0100' AS TIMESTAMP)", "2020-01-01 11:34:56"},
      {"CAST('2020-01-01 12:34:56+01:00:30' AS TIMESTAMP)", "2020-01-01 11:34:26"},
      {"CAST('2020-01-01 12:34:56+010030' AS TIMESTAMP)", "2020-01-01 11:34:26"},
      {"CAST('2020-01-01 12:34:56+18:00' AS TIMESTAMP)", "2019-12-31 18:34:56"},
      {"CAST('2020-01-01 12:34:56+19:00' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56 GMT+1:30' AS TIMESTAMP)", "2020-01-01 11:04:56"},
      {"CAST('2020-01-01 12:34:56 GMT+0130' AS TIMESTAMP)", "2020-01-01 11:04:56"},
      {"CAST('2020-01-01 12:34:56 UTC+01:30:15' AS TIMESTAMP)", "2020-01-01 11:04:41"},
      {"CAST('2020-01-01 12:34:56 -00:00' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56 EST' AS TIMESTAMP)", "2020-01-01 17:34:56"},
      {"CAST('2020-01-01 12:34:56 MST' AS TIMESTAMP)", "2020-01-01 19:34:56"},
      {"CAST('2020-01-01 12:34:56 HST' AS TIMESTAMP)", "2020-01-01 22:34:56"},
      {"CAST('2020-01-01 12:34:56 Etc/UTC' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 12:34:56Zulu' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 00:00:00 GMT0' AS TIMESTAMP)", "2020-01-01 00:00:00"},
      {"CAST('2020-01-01 00:00:00 UTC0' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 00:00:00 UTC+' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56 utc' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56+01:00Z' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56.1234567' AS TIMESTAMP)", "2020-01-01 12:34:56.123456"},
      {"CAST('2020-01-01 24:00:00' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 23:59:60' AS TIMESTAMP)", std::nullopt},
      {"CAST('20200101' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56:12' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01 12:34:56 12' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-01-01  12:34:56' AS TIMESTAMP)", std::nullopt},
      {"CAST('  2020-01-01T12:34:56Z\\t' AS TIMESTAMP)", "2020-01-01 12:34:56"},
      {"CAST('2020-01-01 123:34:56' AS TIMESTAMP)", std::nullopt},
      {"CAST('2020-001-01' AS TIMESTAMP)", std::nullopt},
      {"CAST('-290308-12-21 19:59:05.224192' AS TIMESTAMP)", "-290308-12-21 19:59:05.224192"},
      {"CAST('+294247-01-10 04:00:54.775807' AS TIMESTAMP)", "+294247-01-10 04:00:54.775807"},
      {"CAST('+294247-01-10 04:00:54.775808' AS TIMESTAMP)", std::nullopt},
  });
}

TEST(Cast, TimeAloneIsTodayAtThatTime) {
  const DataFrame one_row = DataFrame::from_rows(Schema({{"x", int_type()}}), {{1}});
  const auto micros_of = [&](const std::string& text) {
    const Value value =
        one_row.select_expr({"CAST('" + text + "' AS TIMESTAMP)"}).collect().at(0)[0];
    return value.as<Timestamp>().micros;
  };
  constexpr std::int64_t kDay = 86'400 * kSecond;
  const auto time_of_day = [](std::int64_t micros) { return (micros % kDay + kDay) % kDay; };
  EXPECT_EQ(time_of_day(micros_of("12:34")), (12 * 3600 + 34 * 60) * kSecond);
  EXPECT_EQ(time_of_day(micros_of("T10:11:12")), (10 * 3600 + 11 * 60 + 12) * kSecond);
  EXPECT_EQ(time_of_day(micros_of("1:2:3")), (3600 + 2 * 60 + 3) * kSecond);
  EXPECT_EQ(time_of_day(micros_of("T10:11:12.5+01:00")),
            (9 * 3600 + 11 * 60 + 12) * kSecond + 500'000);
  // Today's date: within a day of the clock now (the test may run across midnight).
  const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  EXPECT_LT(std::abs(micros_of("10:11:12") - now), kDay);
}

TEST(Cast, TimestampsBeyondYear9999PrintAsJava) {
  EXPECT_THAT(
      cast(timestamp_type(),
           {Timestamp{std::numeric_limits<std::int64_t>::min()},
            Timestamp{std::numeric_limits<std::int64_t>::max()}, Timestamp{-62'167'219'200'000'001},
            Timestamp{-62'167'219'200'000'000}, Timestamp{253'402'300'800'000'000}},
           "string"),
      ElementsAre("-290308-12-21 19:59:05.224192", "+294247-01-10 04:00:54.775807",
                  "-0001-12-31 23:59:59.999999", "0000-01-01 00:00:00", "+10000-01-01 00:00:00"));
  EXPECT_THAT(cast(date_type(), {Date{-800'000}, Date{3'000'000}, Date{-719'528}, Date{-719'529}},
                   "string"),
              ElementsAre("-0221-09-04", "+10183-09-21", "0000-01-01", "-0001-12-31"));
}

TEST(Cast, NewTypesThatSparkCannotCast) {
  const DataFrame one_row = DataFrame::from_rows(Schema({{"x", int_type()}}), {{1}});
  for (const std::string sql :
       {"CAST(1 AS DATE)", "CAST(1.5 AS DATE)", "CAST(true AS DATE)", "CAST(1.5 AS BINARY)",
        "CAST(DATE '2020-01-01' AS BINARY)", "CAST(CAST(1 AS FLOAT) AS BINARY)"}) {
    EXPECT_THROW((void)one_row.select_expr({sql}), AnalysisError) << sql;
  }
}

TEST(Cast, UnknownTypeNameIsAnAnalysisError) {
  EXPECT_THAT(
      [] { (void)col("x").cast("varchar2"); },
      ThrowsMessage<AnalysisError>("[UNSUPPORTED_DATATYPE] Unsupported data type \"VARCHAR2\"."));
}

}  // namespace
}  // namespace kafkasink
