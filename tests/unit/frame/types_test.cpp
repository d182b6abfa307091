#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
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

TEST(DataType, TheNewTypesAsSpark35NamesThem) {
  EXPECT_EQ(byte_type().to_string(), "tinyint");
  EXPECT_EQ(short_type().to_string(), "smallint");
  EXPECT_EQ(float_type().to_string(), "float");
  EXPECT_EQ(decimal_type(10, 2).to_string(), "decimal(10,2)");
  EXPECT_EQ(date_type().to_string(), "date");
  EXPECT_EQ(byte_type().type_name(), "byte");
  EXPECT_EQ(short_type().type_name(), "short");
  EXPECT_EQ(decimal_type(3, 2).type_name(), "decimal(3,2)");
  EXPECT_EQ(*DataType::parse("TINYINT"), byte_type());
  EXPECT_EQ(*DataType::parse("byte"), byte_type());
  EXPECT_EQ(*DataType::parse("SmallInt"), short_type());
  EXPECT_EQ(*DataType::parse("short"), short_type());
  EXPECT_EQ(*DataType::parse("real"), float_type());
  EXPECT_EQ(*DataType::parse("decimal"), decimal_type(10, 0));
  EXPECT_EQ(*DataType::parse("DEC(5)"), decimal_type(5, 0));
  EXPECT_EQ(*DataType::parse("numeric( 38 , 38 )"), decimal_type(38, 38));
  EXPECT_EQ(*DataType::parse("array<decimal(3,1)>"), array_type(decimal_type(3, 1)));
  EXPECT_EQ(*DataType::parse("date"), date_type());
  EXPECT_FALSE(DataType::parse("decimal(39,0)"));
  EXPECT_FALSE(DataType::parse("decimal(3,4)"));
  EXPECT_FALSE(DataType::parse("decimal(3,"));
  EXPECT_FALSE(decimal_type(3, 2) == decimal_type(3, 1));
  EXPECT_TRUE(decimal_type(3, 2).is_numeric());
  EXPECT_FALSE(date_type().is_numeric());
  EXPECT_THROW((void)decimal_type(0, 0), IllegalArgumentError);
  EXPECT_THROW((void)decimal_type(5, 6), IllegalArgumentError);
}

TEST(Schema, PrintSchemaOfTheNewTypes) {
  // PySpark 3.5.7's printSchema of the same columns.
  const Schema schema({{"f", float_type(), false},
                       {"b", byte_type(), false},
                       {"s", short_type(), false},
                       {"d", decimal_type(3, 2), false},
                       {"dt", date_type(), false},
                       {"a", array_type(decimal_type(2, 1), false), false}});
  EXPECT_EQ(schema.tree_string(),
            "root\n"
            " |-- f: float (nullable = false)\n"
            " |-- b: byte (nullable = false)\n"
            " |-- s: short (nullable = false)\n"
            " |-- d: decimal(3,2) (nullable = false)\n"
            " |-- dt: date (nullable = false)\n"
            " |-- a: array (nullable = false)\n"
            " |    |-- element: decimal(2,1) (containsNull = false)\n");
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
