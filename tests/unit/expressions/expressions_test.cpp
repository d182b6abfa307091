// Building, naming, binding and evaluating expressions: col, lit, alias, struct_, with_column.
#include <cstdint>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

#include "support/frames.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

DataFrame people() {
  return DataFrame::from_rows(
      Schema({{"id", int_type()}, {"value", string_type()}, {"age", int_type()}}),
      {{1, "one", 30}, {2, nullptr, 40}, {3, "three", nullptr}});
}

TEST(Expressions, NamesFollowSpark) {
  EXPECT_EQ(col("value").name(), "value");
  EXPECT_EQ(col("value").cast("string").name(), "value");
  EXPECT_EQ(col("value").cast("string").to_string(), "CAST(value AS STRING)");
  EXPECT_EQ(col("value").cast(long_type()).alias("k").name(), "k");
  EXPECT_EQ(col("value").alias("k").cast("string").name(), "k");
  EXPECT_EQ(lit("abc").name(), "abc");
  EXPECT_EQ(lit("abc").to_string(), "'abc'");
  EXPECT_EQ(lit(1).name(), "1");
  EXPECT_EQ(lit(std::int64_t{5}).name(), "5");
  EXPECT_EQ(lit(std::int64_t{5}).to_string(), "5L");
  EXPECT_EQ(lit(1.5).name(), "1.5");
  EXPECT_EQ(lit(true).name(), "true");
  EXPECT_EQ(lit(nullptr).name(), "NULL");
  EXPECT_EQ(lit(Bytes{"ab"}).name(), "X'6162'");
  EXPECT_EQ(lit(Timestamp{0}).name(), "TIMESTAMP '1970-01-01 00:00:00'");
  EXPECT_EQ(lit(1).cast("string").name(), "CAST(1 AS STRING)");
  EXPECT_EQ(lit("a").cast("int").name(), "CAST(a AS INT)");
  EXPECT_EQ(lit("a").cast("int").to_string(), "CAST('a' AS INT)");
  // Spark's Cast.sql leaves out a cast to a complex type (PySpark 3.5.7 prints Column<'x'>).
  EXPECT_EQ(col("x").cast("array<struct<a:int,`b c`:string>>").to_string(), "x");
  EXPECT_EQ(struct_(std::vector<std::string>{"a", "b"}).name(), "struct(a, b)");
  EXPECT_EQ(to_json(struct_(std::vector<std::string>{"a", "b"})).name(), "to_json(struct(a, b))");
  EXPECT_EQ(col("a").alias("odd name").to_string(), "a AS `odd name`");
}

TEST(Expressions, LiteralTypes) {
  const DataFrame frame = people();
  const DataFrame result = frame.select({lit(true), lit(1), lit(std::int64_t{2}), lit(1.5),
                                         lit("s"), lit(Bytes{"b"}), lit(Timestamp{1}), lit(nullptr),
                                         lit(ArrayValue{1, nullptr, 2}), lit(ArrayValue{})});
  std::vector<std::string> types;
  for (const Field& field : result.schema().fields()) types.push_back(field.type.to_string());
  EXPECT_THAT(types, ElementsAre("boolean", "int", "bigint", "double", "string", "binary",
                                 "timestamp", "void", "array<int>", "array<void>"));
  EXPECT_EQ(result.count(), 3U);
  EXPECT_EQ(result.collect()[2], (Row{true, 1, std::int64_t{2}, 1.5, "s", Bytes{"b"}, Timestamp{1},
                                      nullptr, ArrayValue{1, nullptr, 2}, ArrayValue{}}));
  EXPECT_THAT(
      [] {
        (void)lit(ArrayValue{1, "a"});
      },
      ThrowsMessage<AnalysisError>(
          "The elements of an array literal must have one type, but it holds int and "
          "string"));
}

TEST(Expressions, UnknownColumnListsTheFramesColumns) {
  EXPECT_THAT([] { (void)people().select({col("x")}); },
              ThrowsMessage<AnalysisError>(
                  "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
                  "`x` cannot be resolved. Did you mean one of the following? [`id`, `value`, "
                  "`age`]."));
  EXPECT_THAT([] { (void)DataFrame().select({col("x")}); },
              ThrowsMessage<AnalysisError>(
                  "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with "
                  "name `x` cannot be resolved."));
}

TEST(Expressions, ColumnsResolveIgnoringCaseAndKeepTheFramesSpelling) {
  const DataFrame result = people().select({col("AGE"), col("Value").cast("string")});
  EXPECT_THAT(result.columns(), ElementsAre("age", "value"));
  EXPECT_THAT(result.collect()[0], (Row{30, "one"}));
  const DataFrame both = test::frame({{"ab", int_type()}, {"AB", int_type()}});
  EXPECT_THAT(both.select({col("AB")}).columns(), ElementsAre("AB"));
  EXPECT_THAT([&] { (void)both.select({col("Ab")}); },
              ThrowsMessage<AnalysisError>(
                  "[AMBIGUOUS_REFERENCE] Reference `Ab` is ambiguous, could be: [`ab`, `AB`]."));
}

TEST(Expressions, StructFieldsAreNamedAsSparkNamesThem) {
  const DataFrame result = people().select({struct_(
      {col("id"), lit(1), col("value").alias("v"), col("age").cast("string"), col("AGE")})});
  const Field& field = result.schema().field(0);
  EXPECT_EQ(field.name, "struct(id, 1, value AS v, CAST(age AS STRING), age)");
  EXPECT_FALSE(field.nullable);
  EXPECT_EQ(field.type.to_string(), "struct<id:int,col2:int,v:string,col4:string,AGE:int>");
  EXPECT_EQ(result.collect()[1][0], (StructValue{{2, 1, nullptr, "40", 40}}));
}

TEST(Expressions, WithColumnReplacesASameNamedColumnInPlace) {
  const DataFrame result = people().with_column("value", lit("x"));
  EXPECT_THAT(result.columns(), ElementsAre("id", "value", "age"));
  EXPECT_EQ(result.schema().field(1), (Field{"value", string_type(), false}));
  EXPECT_THAT(result.collect(),
              ElementsAre(Row{1, "x", 30}, Row{2, "x", 40}, Row{3, "x", nullptr}));
  const DataFrame retyped = people().with_column("age", col("age").cast("string"));
  EXPECT_THAT(retyped.columns(), ElementsAre("id", "value", "age"));
  EXPECT_EQ(retyped.collect()[0], (Row{1, "one", "30"}));
}

TEST(Expressions, WithColumnAppendsANewColumn) {
  const DataFrame result =
      people().with_column("json", to_json(struct_(std::vector<std::string>{"id", "value"})));
  EXPECT_THAT(result.columns(), ElementsAre("id", "value", "age", "json"));
  EXPECT_THAT(result.collect()[1], (Row{2, nullptr, 40, R"({"id":2})"}));
}

TEST(Expressions, EvaluatesEveryPartition) {
  const DataFrame frame = people().repartition(2);
  const DataFrame result = frame.select({col("id").cast("string").alias("key"), lit(7),
                                         to_json(struct_(frame.columns())).alias("value")});
  ASSERT_EQ(result.num_partitions(), 2U);
  EXPECT_THAT(result.collect(), ElementsAre(Row{"1", 7, R"({"id":1,"value":"one","age":30})"},
                                            Row{"2", 7, R"({"id":2,"age":40})"},
                                            Row{"3", 7, R"({"id":3,"value":"three"})"}));
}

TEST(Expressions, TheSeedProgramsValueAndKey) {
  DataFrame df = people();
  df = df.with_column("value", to_json(struct_(df.columns())));
  const DataFrame records = df.select_expr({"CAST(id AS STRING) AS key", "CAST(value AS STRING)"});
  EXPECT_EQ(records.schema(),
            Schema({{"key", string_type(), true}, {"value", string_type(), false}}));
  EXPECT_EQ(records.collect()[0], (Row{"1", R"({"id":1,"value":"one","age":30})"}));
}

}  // namespace
}  // namespace kafkasink
