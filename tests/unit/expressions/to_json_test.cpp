// to_json: Spark's output character for character, and the same JSON read back by nlohmann.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

#include "support/frames.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

// to_json(struct_(every column)) of a frame built from `rows`, one string per row.
std::vector<Value> json_rows(const Schema& schema, const std::vector<Row>& rows) {
  const DataFrame frame = DataFrame::from_rows(schema, rows);
  const DataFrame result = frame.select({to_json(struct_(frame.columns()))});
  std::vector<Value> cells;
  for (const Row& row : result.collect()) cells.push_back(row[0]);
  return cells;
}

std::string json_row(const Schema& schema, const Row& row) {
  return json_rows(schema, {row}).at(0).as<std::string>();
}

TEST(ToJson, WritesFieldsInOrderCompactly) {
  const Schema schema(
      {{"a", int_type()}, {"b", string_type()}, {"c", long_type()}, {"d", boolean_type()}});
  EXPECT_EQ(json_row(schema, {1, "x", std::int64_t{-9'000'000'000}, true}),
            R"({"a":1,"b":"x","c":-9000000000,"d":true})");
}

TEST(ToJson, OmitsNullFields) {
  const Schema schema({{"a", int_type()}, {"b", string_type()}, {"c", int_type()}});
  EXPECT_THAT(
      json_rows(schema, {{nullptr, "x", 3}, {1, nullptr, nullptr}, {nullptr, nullptr, nullptr}}),
      ElementsAre(R"({"b":"x","c":3})", R"({"a":1})", "{}"));
}

TEST(ToJson, EscapesStringsAsJackson) {
  const Schema schema({{"s", string_type()}});
  // Quote, backslash and control characters are escaped; '/', DEL and UTF-8 pass through.
  EXPECT_EQ(json_row(schema, {"q\"b\\s/\n\t\r\b\f\x01\x1F\x7F h\xC3\xA9 \xE2\x82\xAC"}),
            "{\"s\":\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001F\x7F h\xC3\xA9 \xE2\x82\xAC\"}");
  EXPECT_EQ(json_row(schema, {std::string("a\0b", 3)}), R"({"s":"a\u0000b"})");
}

TEST(ToJson, EscapesFieldNames) {
  EXPECT_EQ(json_row(Schema({{"we\"ird\n", int_type()}}), {1}), R"({"we\"ird\n":1})");
}

TEST(ToJson, PrintsDoublesLikeJavaAndQuotesNonFiniteOnes) {
  const Schema schema({{"d", double_type()}});
  EXPECT_THAT(
      json_rows(
          schema,
          {{1.0}, {3.356934e-4}, {1.0e7}, {-0.0}, {0.1}, {std::nan("")}, {HUGE_VAL}, {-HUGE_VAL}}),
      ElementsAre(R"({"d":1.0})", R"({"d":3.356934E-4})", R"({"d":1.0E7})", R"({"d":-0.0})",
                  R"({"d":0.1})", R"({"d":"NaN"})", R"({"d":"Infinity"})", R"({"d":"-Infinity"})"));
}

TEST(ToJson, PrintsJava17sDigitsWhereTheyAreNotTheShortest) {
  // Jackson's writeNumber(double) calls Double.toString, which on Java 17 is not the shortest.
  const Schema schema({{"d", double_type()}});
  EXPECT_THAT(json_rows(schema, {{1e23}, {-2e23}, {std::numeric_limits<double>::denorm_min()}}),
              ElementsAre(R"({"d":9.999999999999999E22})", R"({"d":-1.9999999999999998E23})",
                          R"({"d":4.9E-324})"));
}

TEST(ToJson, WritesBinaryAsBase64) {
  const Schema schema({{"b", binary_type()}});
  EXPECT_THAT(
      json_rows(
          schema,
          {{Bytes{"abc"}}, {Bytes{"ab"}}, {Bytes{"a"}}, {Bytes{""}}, {Bytes{"\xFF\xFE\xFD\xFC"}}}),
      ElementsAre(R"({"b":"YWJj"})", R"({"b":"YWI="})", R"({"b":"YQ=="})", R"({"b":""})",
                  R"({"b":"//79/A=="})"));
}

TEST(ToJson, WritesTimestampsWithMillisecondsInUtc) {
  const Schema schema({{"t", timestamp_type()}});
  EXPECT_THAT(
      json_rows(schema, {{Timestamp{1'704'164'645'123'456}}, {Timestamp{0}}, {Timestamp{-1}}}),
      ElementsAre(R"({"t":"2024-01-02T03:04:05.123Z"})", R"({"t":"1970-01-01T00:00:00.000Z"})",
                  R"({"t":"1969-12-31T23:59:59.999Z"})"));
}

TEST(ToJson, WritesNestedStructsAndArrays) {
  const DataType inner = struct_type({{"x", double_type()}, {"y", string_type()}});
  const Schema schema({{"id", int_type()},
                       {"tags", array_type(string_type())},
                       {"inner", inner},
                       {"grid", array_type(array_type(int_type()))}});
  EXPECT_THAT(
      json_rows(schema, {{1, ArrayValue{"a", nullptr, "b"}, StructValue{{1.5, nullptr}},
                          ArrayValue{ArrayValue{1, 2}, nullptr, ArrayValue{}}},
                         {2, ArrayValue{}, nullptr, nullptr}}),
      ElementsAre(R"({"id":1,"tags":["a",null,"b"],"inner":{"x":1.5},"grid":[[1,2],null,[]]})",
                  R"({"id":2,"tags":[]})"));
}

TEST(ToJson, AcceptsAnArrayOfStructs) {
  const DataType element = struct_type({{"a", int_type()}, {"b", string_type()}});
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"items", array_type(element)}}),
      {{ArrayValue{StructValue{{1, "x"}}, nullptr, StructValue{{nullptr, nullptr}}}}, {nullptr}});
  const DataFrame result = frame.select({to_json(col("items"))});
  EXPECT_EQ(result.schema().field(0), (Field{"to_json(items)", string_type(), true}));
  EXPECT_THAT(result.collect(), ElementsAre(Row{R"([{"a":1,"b":"x"},null,{}])"}, Row{nullptr}));
}

TEST(ToJson, WritesTheNewTypesAsSpark) {
  // PySpark 3.5.7: to_json(named_struct(...)) of each value.
  const Schema schema({{"b", byte_type()},
                       {"s", short_type()},
                       {"f", float_type()},
                       {"n", float_type()},
                       {"d", decimal_type(3, 2)},
                       {"e", decimal_type(10, 8)},
                       {"z", decimal_type(10, 8)},
                       {"day", date_type()}});
  EXPECT_EQ(
      json_row(schema, Row{std::int8_t{-1}, std::int16_t{300}, 1.5F,
                           std::numeric_limits<float>::quiet_NaN(), *Decimal::parse("1.50"),
                           *Decimal::parse("0.0000001"), Decimal(0, 8), Date{18'262}}),
      R"({"b":-1,"s":300,"f":1.5,"n":"NaN","d":1.50,"e":1.0E-7,"z":0E-8,"day":"2020-01-01"})");
  EXPECT_EQ(json_row(Schema({{"d", date_type()}, {"late", date_type()}}),
                     Row{Date{-800'000}, Date{3'000'000}}),
            R"({"d":"-0221-09-04","late":"+10183-09-21"})");
}

TEST(ToJson, WritesTimestampsBeyondYear9999AsJava) {
  const Schema schema({{"t", timestamp_type()}});
  EXPECT_THAT(
      json_rows(schema, {{Timestamp{std::numeric_limits<std::int64_t>::min()}},
                         {Timestamp{std::numeric_limits<std::int64_t>::max()}},
                         {Timestamp{-62'167'219'200'000'001}},
                         {Timestamp{253'402'300'800'000'000}}}),
      ElementsAre(R"({"t":"-290308-12-21T19:59:05.224Z"})",
                  R"({"t":"+294247-01-10T04:00:54.775Z"})", R"({"t":"-0001-12-31T23:59:59.999Z"})",
                  R"({"t":"+10000-01-01T00:00:00.000Z"})"));
}

TEST(ToJson, AcceptsAnArrayOfAtomicValues) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"ints", array_type(int_type())},
              {"days", array_type(date_type())},
              {"grid", array_type(array_type(long_type()))}}),
      {{ArrayValue{1, 2, nullptr}, ArrayValue{Date{0}}, ArrayValue{ArrayValue{std::int64_t{1}}}},
       {ArrayValue{}, nullptr, ArrayValue{}}});
  const DataFrame result =
      frame.select({to_json(col("ints")), to_json(col("days")), to_json(col("grid"))});
  EXPECT_EQ(result.schema().field(0), (Field{"to_json(ints)", string_type(), true}));
  EXPECT_THAT(result.collect(), ElementsAre(Row{"[1,2,null]", R"(["1970-01-01"])", "[[1]]"},
                                            Row{"[]", nullptr, "[]"}));
}

TEST(ToJson, NullStructRowGivesNull) {
  const DataType pair = struct_type({{"a", int_type()}});
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"s", pair}}), {{StructValue{{1}}}, {nullptr}});
  EXPECT_THAT(frame.select({to_json(col("s"))}).collect(),
              ElementsAre(Row{R"({"a":1})"}, Row{nullptr}));
}

TEST(ToJson, RejectsAnythingButStructsAndArraysWithSparks35Text) {
  const DataFrame frame = test::frame({{"n", int_type()}, {"d", decimal_type(5, 2)}});
  EXPECT_THAT([&] { (void)frame.select({to_json(col("n"))}); },
              ThrowsMessage<AnalysisError>(
                  "[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve \"to_json(n)\" due to "
                  "data type mismatch: Input schema \"INT\" must be a struct, an array or a map."));
  EXPECT_THAT([&] { (void)frame.select({to_json(col("d"))}); },
              ThrowsMessage<AnalysisError>(
                  "[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve \"to_json(d)\" due to "
                  "data type mismatch: Input schema \"DECIMAL(5,2)\" must be a struct, an array or "
                  "a map."));
  EXPECT_THAT([&] { (void)frame.select({to_json(lit(1))}); },
              ThrowsMessage<AnalysisError>(
                  "[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve \"to_json(1)\" due to "
                  "data type mismatch: Input schema \"INT\" must be a struct, an array or a map."));
}

TEST(ToJson, NamesTheColumnAsSpark) {
  const DataFrame frame = test::frame({{"a", int_type()}, {"b", string_type()}});
  const DataFrame result = frame.select({to_json(struct_(frame.columns()))});
  EXPECT_EQ(result.schema().field(0), (Field{"to_json(struct(a, b))", string_type(), false}));
}

TEST(ToJson, ReadsBackAsTheSameJson) {
  const Schema schema({{"id", long_type()},
                       {"name", string_type()},
                       {"score", double_type()},
                       {"ok", boolean_type()},
                       {"tags", array_type(string_type())},
                       {"nested", struct_type({{"k", string_type()}, {"v", int_type()}})}});
  const std::string text =
      json_row(schema, {std::int64_t{7}, "tab\there \"quoted\" \xC3\xA9", 2.5, false,
                        ArrayValue{"x", nullptr}, StructValue{{"key", 3}}});
  const nlohmann::json expected = {{"id", 7},
                                   {"name", "tab\there \"quoted\" \xC3\xA9"},
                                   {"score", 2.5},
                                   {"ok", false},
                                   {"tags", {"x", nullptr}},
                                   {"nested", {{"k", "key"}, {"v", 3}}}};
  EXPECT_EQ(nlohmann::json::parse(text), expected);
}

TEST(ToJson, ReadsSlicedPartitionsAtTheirOffsets) {
  const Schema schema({{"a", int_type()}, {"s", string_type()}, {"t", array_type(int_type())}});
  std::vector<Row> rows;
  for (int index = 0; index < 10; ++index) {
    rows.push_back(Row{index, index % 3 == 0 ? Value() : Value(std::to_string(index)),
                       ArrayValue{index, index + 1}});
  }
  const DataFrame frame = DataFrame::from_rows(schema, rows);
  const Column json = to_json(struct_(frame.columns()));
  EXPECT_EQ(frame.repartition(3).select({json}).collect(), frame.select({json}).collect());
  EXPECT_EQ(frame.repartition(4)
                .select({to_json(struct_({col("a"), col("s")}).alias("x"))})
                .collect()
                .at(9),
            Row{R"({"a":9})"});
}

// The census file's columns and types (as inferSchema reads them), built with from_rows: the
// io component is not needed to test the serializer.
struct Census {
  Schema schema;
  std::vector<Row> rows;
};

Census read_census(std::size_t limit) {
  std::ifstream file(test::source_path("data/census_1000.csv"));
  std::string line;
  std::getline(file, line);
  std::vector<Field> fields;
  std::vector<bool> numeric;
  {
    std::stringstream header(line);
    std::string name;
    const std::vector<std::string> integers = {"_c0",          "age",          "education-num",
                                               "capital-gain", "capital-loss", "hours-per-week"};
    while (std::getline(header, name, ',')) {
      const bool is_int = std::find(integers.begin(), integers.end(), name) != integers.end();
      fields.push_back(Field{name, is_int ? int_type() : string_type(), true});
      numeric.push_back(is_int);
    }
  }
  Census census{Schema(fields), {}};
  while (census.rows.size() < limit && std::getline(file, line)) {
    std::stringstream cells(line);
    std::string cell;
    std::vector<Value> values;
    for (std::size_t column = 0; std::getline(cells, cell, ','); ++column) {
      if (numeric.at(column)) {
        values.emplace_back(std::stoi(cell));
      } else {
        values.emplace_back(cell);
      }
    }
    census.rows.emplace_back(std::move(values));
  }
  return census;
}

TEST(ToJson, SerializesCensusRows) {
  const Census census = read_census(200);
  ASSERT_EQ(census.rows.size(), 200U);
  const DataFrame frame = DataFrame::from_rows(census.schema, census.rows);
  const DataFrame result = frame.with_column("value", to_json(struct_(frame.columns())));
  const std::vector<Row> rows = result.collect();
  EXPECT_EQ(rows[0]["value"].as<std::string>(),
            R"({"_c0":0,"age":57,"workclass":" Private","education":" Masters",)"
            R"("education-num":14,"marital-status":" Separated","occupation":" Prof-specialty",)"
            R"("relationship":" Not-in-family","ethnicity":" White","gender":" Male",)"
            R"("capital-gain":10520,"capital-loss":0,"hours-per-week":32,"loan":" >50K"})");
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const nlohmann::json parsed = nlohmann::json::parse(rows[row]["value"].as<std::string>());
    ASSERT_EQ(parsed.size(), census.schema.size());
    for (std::size_t column = 0; column < census.schema.size(); ++column) {
      const std::string& name = census.schema.field(column).name;
      const Value& value = census.rows[row][column];
      if (value.is<std::int32_t>()) {
        EXPECT_EQ(parsed.at(name).get<std::int32_t>(), value.as<std::int32_t>());
      } else {
        EXPECT_EQ(parsed.at(name).get<std::string>(), value.as<std::string>());
      }
    }
  }
}

}  // namespace
}  // namespace kafkasink
