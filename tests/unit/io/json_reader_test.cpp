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

// simdjson refuses integers beyond 64 bits; Jackson reads them as BIG_INTEGER, which Spark 3.5
// infers as a decimal of their digits (up to 38, else double). Results from PySpark 3.5.7.
TEST(JsonReader, IntegersBeyond64BitsKeepEveryDigit) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.json",
      "{\"a\":9223372036854775808,\"b\":-9223372036854775809,"
      "\"c\":123456789012345678901234567890123456789,\"d\":[1,99999999999999999999999]}\n"
      "{\"a\":18446744073709551616,\"b\":-1,\"c\":1,\"d\":[2]}\n");
  const DataFrame frame = read_json(file, "FAILFAST");
  EXPECT_EQ(frame.schema(), Schema({{"a", decimal_type(20, 0), true},
                                    {"b", decimal_type(20, 0), true},
                                    {"c", double_type(), true},
                                    {"d", array_type(decimal_type(23, 0)), true}}));
  EXPECT_THAT(frame.select({to_json(struct_(frame.columns()))}).collect(),
              ElementsAre(Row{R"({"a":9223372036854775808,"b":-9223372036854775809,)"
                              R"("c":1.2345678901234568E38,"d":[1,99999999999999999999999]})"},
                          Row{R"({"a":18446744073709551616,"b":-1,"c":1.0,"d":[2]})"}));
}

TEST(JsonReader, IntegersBeyond64BitsInAUserSchemaFollowJackson) {
  test::TemporaryFolder folder;
  const std::string big = "12345678901234567890123";
  const std::string first =
      fmt::format("{{\"a\":{0},\"b\":{0},\"c\":{0},\"d\":{0},\"e\":{0},\"f\":{0},\"g\":{0}}}", big);
  const std::string file = folder.write("a.json", first + fmt::format("\n{{\"d\":[1,{}]}}\n", big));
  const Schema schema({{"a", long_type()},
                       {"b", int_type()},
                       {"c", double_type()},
                       {"d", string_type()},
                       {"e", decimal_type(38, 0)},
                       {"f", float_type()},
                       {"g", timestamp_type()},
                       {"_corrupt_record", string_type()}});
  const DataFrame frame = DataFrameReader().schema(schema).json(file);
  // getLongValue, getIntValue and the timestamp's seconds overflow: null, and the line is kept
  // as corrupt; a string column copies the digits, inside a structure too.
  const std::vector<std::string> values = {"a", "b", "c", "d", "e", "f", "g"};
  EXPECT_THAT(frame.select({to_json(struct_(values))}).collect(),
              ElementsAre(Row{R"({"c":1.2345678901234568E22,"d":"12345678901234567890123",)"
                              R"("e":12345678901234567890123,"f":1.2345679E22})"},
                          Row{R"({"d":"[1,12345678901234567890123]"})"}));
  const std::vector<Row> rows = frame.select({frame["_corrupt_record"]}).collect();
  EXPECT_EQ(rows[0][0], Value(first));
  EXPECT_EQ(rows[1][0], Value(nullptr));
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

// Spark 3.5 (spark.sql.json.enablePartialResults) keeps what Jackson read of a line it could not
// finish: a fault inside a value nulls that field and parsing goes on just past the bad byte;
// a fault between fields ends the record with nothing. Every row was read from PySpark 3.5.7.
TEST(JsonReader, PermissiveKeepsTheFieldsJacksonReadOfAMalformedLine) {
  test::TemporaryFolder folder;
  const std::vector<std::string> lines = {
      "{\"id\":0,\"s\":\"ok\xFFok\"}",       // past 0xFF comes 'o' where ',' or '}' must be
      "{\"id\":1,\"s\":\"trunc\xE2\x82\"}",  // the quote ended the sequence; '}' closes
      "{\"id\":2,\"s\":\"a\xC3\",\"t\":5}",  // goes on past the quote: t is read
      "{\"id\":3,\"n\":{\"x\":7,\"z\":\"\xFF\"},\"t\":6}",   // '"' is not ','; '}' ends the row
      "{\"id\":4,\"n\":{\"x\":1,\"z\":\"a\xC3\"},\"t\":3}",  // a partial struct is kept
      "{\"id\":5,\"n\":{\"x\":1,\"y\":",                     // the end inside n: id stays
      "{\"id\":6,\"t\":5,\"s\":\"x\",\"u\":",        // the end after a name at the top: nothing
      "{\"id\":7,\"u\":{\"k\":\"v\xC3\"},\"t\":6}",  // a field not in the schema is skipped
      "{\"id\":8,\"s\":{\"k\":\"v\xC3\"},\"t\":7}",  // copying an object into a string
      "{\"id\":9,\"s\":\"a\"}x",                     // Jackson stops after the object
  };
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  const std::string file = folder.write("a.json", text);
  const Schema schema({{"id", long_type()},
                       {"s", string_type()},
                       {"t", long_type()},
                       {"n", struct_type({{"x", long_type()}, {"z", string_type()}})},
                       {"_corrupt_record", string_type()}});
  const DataFrame frame = DataFrameReader().schema(schema).json(file);
  const std::vector<std::string> values = {"id", "s", "t", "n"};
  std::vector<std::string> json;
  std::vector<Value> corrupt;
  for (const Row& row :
       frame.select({to_json(struct_(values)), frame["_corrupt_record"]}).collect()) {
    json.push_back(row[0].as<std::string>());
    corrupt.push_back(row[1]);
  }
  EXPECT_THAT(json, ElementsAre(R"({})", R"({"id":1})", R"({"id":2,"t":5})", R"({"id":3})",
                                R"({"id":4,"t":3,"n":{"x":1}})", R"({"id":5})", R"({})", R"({})",
                                R"({"id":8})", R"({"id":9,"s":"a"})"));
  for (std::size_t index = 0; index + 1 < lines.size(); ++index) {
    EXPECT_EQ(corrupt[index], Value(lines[index])) << index;
  }
  EXPECT_EQ(corrupt.back(), Value(nullptr));
  // Inference has no partial rows: such a line only adds the corrupt-record column.
  const DataFrame inferred = read_json(file);
  EXPECT_THAT(inferred.columns(), ElementsAre("_corrupt_record", "id", "s"));
  EXPECT_EQ(inferred.collect().back(), (Row{nullptr, std::int64_t{9}, "a"}));
  EXPECT_EQ(inferred.collect()[1], (Row{lines[1], std::int64_t{1}, nullptr}));
}

// The same partial results for a value of the wrong type: a struct nulls just that field and
// an array keeps its partial structs, but anything else wrong in an array nulls the array.
TEST(JsonReader, AStructKeepsTheFieldsThatConvert) {
  test::TemporaryFolder folder;
  const std::string file = folder.write(
      "a.json",
      "{\"n\":{\"x\":\"bad\",\"z\":\"q\"},\"an\":[{\"x\":\"bad\",\"z\":\"q\"},{\"x\":2}]}\n"
      "{\"an\":[{\"x\":1},7],\"nn\":{\"m\":{\"x\":\"bad\",\"z\":\"q\"},\"y\":1}}\n"
      "{\"nn\":{\"m\":5,\"y\":1}}\n");
  const DataType xz = struct_type({{"x", long_type()}, {"z", string_type()}});
  const Schema schema({{"n", xz},
                       {"an", array_type(xz)},
                       {"nn", struct_type({{"m", xz}, {"y", long_type()}})},
                       {"_corrupt_record", string_type()}});
  const DataFrame frame = DataFrameReader().schema(schema).json(file);
  const std::vector<std::string> values = {"n", "an", "nn"};
  EXPECT_THAT(frame.select({to_json(struct_(values))}).collect(),
              ElementsAre(Row{R"({"n":{"z":"q"},"an":[{"z":"q"},{"x":2}]})"},
                          Row{R"({"nn":{"m":{"z":"q"},"y":1}})"}, Row{R"({"nn":{"y":1}})"}));
  for (const Row& row : frame.select({frame["_corrupt_record"]}).collect()) {
    EXPECT_FALSE(row[0].is_null());
  }
}

// A line simdjson refuses for its depth goes to the Jackson-like reader, which stops at
// Jackson's 1,000 levels instead of recursing through a million. Jackson's fault comes again
// as skipChildren goes on into the next level, so the row is null (PySpark 3.5.7, 1,100 levels).
TEST(JsonReader, TheFallbackStopsAtJacksonsNestingLimit) {
  test::TemporaryFolder folder;
  const std::string deep =
      "{\"id\":1,\"a\":" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
  const std::string file = folder.write("a.json", deep + "\n");
  const Schema schema({{"id", long_type()},
                       {"a", array_type(array_type(long_type()))},
                       {"_corrupt_record", string_type()}});
  EXPECT_THAT(DataFrameReader().schema(schema).json(file).collect(),
              ElementsAre(Row{nullptr, nullptr, deep}));
  EXPECT_THAT(read_json(file).collect(), ElementsAre(Row{deep}));
}

TEST(JsonReader, APartialRowIsMalformedForDropMalformedAndFailFast) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("a.json", "{\"id\":1,\"s\":\"a\xC3\",\"t\":5}\n{\"id\":2}\n");
  const Schema schema({{"id", long_type()}, {"s", string_type()}, {"t", long_type()}});
  EXPECT_THAT(DataFrameReader().schema(schema).option("mode", "DROPMALFORMED").json(file).collect(),
              ElementsAre(Row{std::int64_t{2}, nullptr, nullptr}));
  EXPECT_THAT(
      [&] { DataFrameReader().schema(schema).option("mode", "FAILFAST").json(file); },
      ThrowsMessage<ParseError>(HasSubstr(fmt::format("Malformed JSON in {} at line 1", file))));
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

// The seed: Spark reads data/flight-data as the union schema, sorted by name, count bigint, and
// takes the largest file (2015) first.
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
  EXPECT_EQ(frame.take(1)[0], (Row{"United States", "Romania", std::int64_t{15}}));
}

}  // namespace
}  // namespace kafkasink
