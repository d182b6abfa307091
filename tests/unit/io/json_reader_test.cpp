// JSON-lines reading: Spark's inferred schema (union of keys, sorted, bigint, widening),
// nested structs and arrays, malformed lines per mode, and the seed's flight data.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/reader.hpp>

#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

DataFrame read_json(const std::string& path, const std::string& mode = "PERMISSIVE") {
  return DataFrameReader().option("mode", mode).json(path);
}

TEST(JsonReader, SchemaIsTheUnionOfKeysSortedByNameWithIntegersAsBigint) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.json", "{\"b\":1,\"a\":\"x\"}\n{\"c\":true}\n");
  const DataFrame frame = read_json(file);
  EXPECT_EQ(frame.schema().tree_string(),
            "root\n"
            " |-- a: string (nullable = true)\n"
            " |-- b: long (nullable = true)\n"
            " |-- c: boolean (nullable = true)\n");
  EXPECT_THAT(frame.collect(),
              ElementsAre(Row{"x", std::int64_t{1}, nullptr}, Row{nullptr, nullptr, true}));
}

TEST(JsonReader, WidensBigintToDoubleAndConflictsToString) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.json", "{\"n\":1,\"m\":1,\"o\":{\"x\":1}}\n{\"n\":2.5,\"m\":\"two\",\"o\":3}\n");
  const DataFrame frame = read_json(file);
  EXPECT_EQ(
      frame.schema(),
      Schema({{"m", string_type(), true}, {"n", double_type(), true}, {"o", string_type(), true}}));
  // A value read into a string column keeps its JSON text.
  EXPECT_THAT(frame.collect(), ElementsAre(Row{"1", 1.0, "{\"x\":1}"}, Row{"two", 2.5, "3"}));
}

TEST(JsonReader, IntegersBeyondBigintAreDecimalsAsSpark35) {
  test::TemporaryFolder folder;
  // PySpark 3.5.7: decimal(20,0) then bigint merges to decimal(20,0); with a double, double.
  const std::string file =
      folder.write("a.json",
                   "{\"n\":12345678901234567890,\"m\":1.5,\"s\":\"2020-01-01\"}\n"
                   "{\"n\":1,\"m\":12345678901234567890,\"s\":\"2020-01-01 00:00:00\"}\n");
  const DataFrame frame = read_json(file);
  EXPECT_EQ(frame.schema(), Schema({{"m", double_type(), true},
                                    {"n", decimal_type(20, 0), true},
                                    {"s", string_type(), true}}));
  EXPECT_THAT(frame.select({to_json(struct_(frame.columns()))}).collect(),
              ElementsAre(Row{R"({"m":1.5,"n":12345678901234567890,"s":"2020-01-01"})"},
                          Row{R"({"m":1.2345678901234567E19,"n":1,"s":"2020-01-01 00:00:00"})"}));
}

TEST(JsonReader, UserSchemaReadsTheNewTypes) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.json",
      "{\"b\":1,\"s\":300,\"f\":1.5,\"d\":1.255,\"e\":\"2.5\",\"day\":\"2020-1-1\","
      "\"t\":\"2020-01-01 12:00:00+01:00\"}\n"
      "{\"b\":128}\n{\"d\":123.4}\n{\"day\":\"2020-02-30\"}\n{\"f\":\"NaN\",\"e\":12}\n");
  const Schema schema({{"b", byte_type()},
                       {"s", short_type()},
                       {"f", float_type()},
                       {"d", decimal_type(3, 2)},
                       {"e", decimal_type(5, 1)},
                       {"day", date_type()},
                       {"t", timestamp_type()}});
  const DataFrame frame =
      DataFrameReader().schema(schema).option("mode", "DROPMALFORMED").json(file);
  const std::vector<Row> rows = frame.collect();
  ASSERT_EQ(rows.size(), 2U);  // 128, 123.4 and 2020-02-30 do not fit their columns
  EXPECT_EQ(rows[0], (Row{std::int8_t{1}, std::int16_t{300}, 1.5F, Decimal(126, 2), Decimal(25, 1),
                          Date{18'262}, Timestamp{1'577'876'400'000'000}}));
  EXPECT_TRUE(std::isnan(rows[1][2].as<float>()));
  EXPECT_EQ(rows[1][4], Value(Decimal(120, 1)));
}

TEST(JsonReader, NestedObjectsBecomeStructsAndArraysArrays) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.json",
      "{\"p\":{\"z\":1,\"y\":\"a\"},\"xs\":[1,2],\"e\":[]}\n{\"p\":{\"w\":true},\"xs\":[3.5]}\n");
  const DataFrame frame = read_json(file);
  const DataType point = struct_type(
      {{"w", boolean_type(), true}, {"y", string_type(), true}, {"z", long_type(), true}});
  EXPECT_EQ(frame.schema(), Schema({{"e", array_type(string_type()), true},
                                    {"p", point, true},
                                    {"xs", array_type(double_type()), true}}));
  const std::vector<Row> rows = frame.collect();
  EXPECT_EQ(rows[0]["p"], Value(StructValue{{nullptr, "a", std::int64_t{1}}}));
  EXPECT_EQ(rows[0]["xs"], Value(ArrayValue{1.0, 2.0}));
  EXPECT_EQ(rows[0]["e"], Value(ArrayValue{}));
  EXPECT_EQ(rows[1]["p"], Value(StructValue{{true, nullptr, nullptr}}));
  EXPECT_EQ(rows[1]["e"], Value());
}

TEST(JsonReader, NullOnlyFieldsAreStringsAndBlankLinesAreSkipped) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("a.json", "{\"a\":null}\r\n\n   \n{\"a\":null}\n");
  const DataFrame frame = read_json(file);
  EXPECT_EQ(frame.schema(), Schema({{"a", string_type(), true}}));
  EXPECT_EQ(frame.count(), 2U);
}

constexpr const char* kMalformed = "{\"a\":1}\n{\"a\":2\n[1]\n{\"a\":3}\n";

TEST(JsonReader, PermissiveKeepsMalformedLinesInTheCorruptRecordColumn) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.json", kMalformed);
  const DataFrame frame = read_json(file);
  EXPECT_EQ(frame.schema(),
            Schema({{"_corrupt_record", string_type(), true}, {"a", long_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{nullptr, std::int64_t{1}}, Row{"{\"a\":2", nullptr},
                                           Row{"[1]", nullptr}, Row{nullptr, std::int64_t{3}}));
}

TEST(JsonReader, DropMalformedDropsMalformedLines) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.json", kMalformed);
  const DataFrame frame = read_json(file, "DROPMALFORMED");
  EXPECT_EQ(frame.schema(), Schema({{"a", long_type(), true}}));
  EXPECT_THAT(frame.collect(), ElementsAre(Row{std::int64_t{1}}, Row{std::int64_t{3}}));
}

TEST(JsonReader, FailFastNamesFileLineAndParserMessage) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("x.json", kMalformed);
  EXPECT_THAT([&] { read_json(file, "FAILFAST"); },
              ThrowsMessage<ParseError>(fmt::format(
                  "Malformed JSON in {} at line 2: parse error at column 7: syntax error while "
                  "parsing object - unexpected end of input; expected '}}'",
                  file)));
  const std::string array = folder.write("y.json", "{\"a\":1}\n[1]\n");
  EXPECT_THAT([&] { read_json(array, "FAILFAST"); },
              ThrowsMessage<ParseError>(fmt::format(
                  "Malformed JSON in {} at line 2: expected an object, found an array", array)));
}

TEST(JsonReader, UserSchemaConvertsAndReportsValuesThatDoNotFit) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("x.json", "{\"n\":1,\"s\":\"a\",\"extra\":0}\n{\"n\":\"two\",\"s\":\"b\"}\n");
  const Schema schema({{"n", int_type(), true}, {"s", string_type(), true}});
  EXPECT_THAT(DataFrameReader().schema(schema).json(file).collect(),
              ElementsAre(Row{1, "a"}, Row{nullptr, "b"}));
  EXPECT_THAT(DataFrameReader().schema(schema).option("mode", "DROPMALFORMED").json(file).collect(),
              ElementsAre(Row{1, "a"}));
  EXPECT_THAT(
      [&] { DataFrameReader().schema(schema).option("mode", "FAILFAST").json(file); },
      ThrowsMessage<ParseError>(fmt::format(
          "Malformed JSON in {} at line 2, column 'n': cannot convert \"two\" to int", file)));
}

TEST(JsonReader, EmptyFolderNeedsASchema) {
  test::TemporaryFolder folder;
  EXPECT_THAT([&] { read_json(folder.path()); },
              ThrowsMessage<AnalysisError>(
                  "Unable to infer schema for JSON. It must be specified manually."));
  const Schema schema({{"a", long_type(), true}});
  const DataFrame frame = DataFrameReader().schema(schema).json(folder.path());
  EXPECT_EQ(frame.schema(), schema);
  EXPECT_EQ(frame.count(), 0U);
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) lines += line.empty() ? 0U : 1U;
  return lines;
}

// The seed: Spark reads data/flight-data as the union schema, sorted by name, count bigint.
TEST(JsonReader, ReadsTheFlightDataFolderAsSparkDoes) {
  const std::string folder = test::source_path("data/flight-data");
  const DataFrame frame = DataFrameReader().json(folder);
  EXPECT_EQ(frame.schema().tree_string(),
            "root\n"
            " |-- DEST_COUNTRY_NAME: string (nullable = true)\n"
            " |-- ORIGIN_COUNTRY_NAME: string (nullable = true)\n"
            " |-- count: long (nullable = true)\n");
  std::size_t lines = 0;
  for (const char* year : {"2010", "2011", "2012", "2013", "2014", "2015"}) {
    lines += count_lines(fmt::format("{}/{}-summary.json", folder, year));
  }
  EXPECT_EQ(frame.count(), lines);
  EXPECT_EQ(frame.num_partitions(), 6U);
  EXPECT_EQ(frame.take(1)[0], (Row{"United States", "Romania", std::int64_t{1}}));
}

}  // namespace
}  // namespace kafkasink
