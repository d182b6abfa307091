#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/types.hpp>

namespace kafkasink {
namespace {

DataType headers_type() {
  return array_type(
      struct_type({Field{"key", string_type(), true}, Field{"value", binary_type(), true}}));
}

TEST(DataType, PrintsSparksSimpleStrings) {
  EXPECT_EQ(string_type().to_string(), "string");
  EXPECT_EQ(int_type().to_string(), "int");
  EXPECT_EQ(long_type().to_string(), "bigint");
  EXPECT_EQ(double_type().to_string(), "double");
  EXPECT_EQ(boolean_type().to_string(), "boolean");
  EXPECT_EQ(binary_type().to_string(), "binary");
  EXPECT_EQ(timestamp_type().to_string(), "timestamp");
  EXPECT_EQ(null_type().to_string(), "void");
  EXPECT_EQ(headers_type().to_string(), "array<struct<key:string,value:binary>>");
}

TEST(DataType, TypeNamesFollowPrintSchema) {
  EXPECT_EQ(int_type().type_name(), "integer");
  EXPECT_EQ(long_type().type_name(), "long");
  EXPECT_EQ(headers_type().type_name(), "array");
}

TEST(DataType, ParsesSqlTypeNamesCaseInsensitively) {
  EXPECT_EQ(DataType::parse("STRING"), string_type());
  EXPECT_EQ(DataType::parse("Integer"), int_type());
  EXPECT_EQ(DataType::parse("bigint"), long_type());
  EXPECT_EQ(DataType::parse("LONG"), long_type());
  EXPECT_EQ(DataType::parse(" array< struct<key: string, value: binary> > "), headers_type());
  EXPECT_EQ(DataType::parse("varchar"), std::nullopt);
  EXPECT_EQ(DataType::parse("array<int"), std::nullopt);
  EXPECT_EQ(DataType::parse("int int"), std::nullopt);
}

TEST(DataType, EqualityIgnoresNullabilityButNotNames) {
  const DataType not_nullable = array_type(
      struct_type({Field{"key", string_type(), false}, Field{"value", binary_type(), false}}),
      false);
  EXPECT_EQ(not_nullable, headers_type());
  const DataType renamed = array_type(
      struct_type({Field{"name", string_type(), true}, Field{"value", binary_type(), true}}));
  EXPECT_NE(renamed, headers_type());
  EXPECT_NE(int_type(), long_type());
}

TEST(Schema, FindsTheFirstFieldOfANameCaseSensitively) {
  const Schema schema({{"value", string_type()}, {"Key", string_type()}, {"value", int_type()}});
  EXPECT_EQ(schema.index_of("value"), 0U);
  EXPECT_EQ(schema.index_of("key"), std::nullopt);
  EXPECT_EQ(schema.index_of("Key"), 1U);
  EXPECT_THAT(schema.names(), ::testing::ElementsAre("value", "Key", "value"));
}

TEST(Schema, TreeStringMatchesPrintSchema) {
  const Schema schema({{"age", int_type()},
                       {"name", string_type(), false},
                       {"headers", headers_type()},
                       {"total", long_type()}});
  EXPECT_EQ(schema.tree_string(),
            "root\n"
            " |-- age: integer (nullable = true)\n"
            " |-- name: string (nullable = false)\n"
            " |-- headers: array (nullable = true)\n"
            " |    |-- element: struct (containsNull = true)\n"
            " |    |    |-- key: string (nullable = true)\n"
            " |    |    |-- value: binary (nullable = true)\n"
            " |-- total: long (nullable = true)\n");
}

}  // namespace
}  // namespace kafkasink
