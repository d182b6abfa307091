// select_expr's grammar: what it accepts (with Spark's output names) and the exact errors.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::ThrowsMessage;

DataFrame sample() {
  return DataFrame::from_rows(Schema({{"_c0", int_type()},
                                      {"value", string_type()},
                                      {"odd-name", int_type()},
                                      {"a`b", int_type()},
                                      {"cast", int_type()}}),
                              {{7, "v", 1, 2, 3}});
}

// The field and the one value of select_expr({sql}) over sample().
std::pair<Field, Value> evaluate(const std::string& sql) {
  const DataFrame result = sample().select_expr({sql});
  return {result.schema().field(0), result.collect().at(0)[0]};
}

void expect_selects(const std::string& sql, const Field& field, const Value& value) {
  const auto [actual_field, actual_value] = evaluate(sql);
  EXPECT_EQ(actual_field, field) << sql << " gives " << actual_field.name << ": "
                                 << actual_field.type.to_string();
  EXPECT_EQ(actual_value, value) << sql << " gives " << actual_value.to_string();
}

TEST(SelectExpr, ColumnNames) {
  expect_selects("_c0", {"_c0", int_type(), true}, 7);
  expect_selects("  value  ", {"value", string_type(), true}, "v");
  expect_selects("`odd-name`", {"odd-name", int_type(), true}, 1);
  expect_selects("`a``b`", {"a`b", int_type(), true}, 2);
  expect_selects("VALUE", {"value", string_type(), true}, "v");
  expect_selects("cast", {"cast", int_type(), true}, 3);
  expect_selects("(value)", {"value", string_type(), true}, "v");
}

TEST(SelectExpr, CastsKeepTheColumnName) {
  expect_selects("CAST(value AS STRING)", {"value", string_type(), true}, "v");
  expect_selects("CAST(_c0 AS STRING) AS key", {"key", string_type(), true}, "7");
  expect_selects("cast( _c0 as string ) key", {"key", string_type(), true}, "7");
  expect_selects("CAST(_c0 AS bigint)", {"_c0", long_type(), true}, std::int64_t{7});
  expect_selects("CAST(`odd-name` AS BOOLEAN) AS `my key`", {"my key", boolean_type(), true}, true);
  expect_selects("CAST(CAST(_c0 AS STRING) AS INT)",
                 {"CAST(CAST(_c0 AS STRING) AS INT)", int_type(), true}, 7);
  expect_selects("CAST((_c0) AS DOUBLE)", {"_c0", double_type(), true}, 7.0);
}

TEST(SelectExpr, Literals) {
  expect_selects("'abc'", {"abc", string_type(), false}, "abc");
  expect_selects("\"it's\"", {"it's", string_type(), false}, "it's");
  expect_selects(R"('a\nb\t\'c\'\\\u00e9\101')",
                 {"a\nb\t'c'\\\xC3\xA9"
                  "A",
                  string_type(), false},
                 "a\nb\t'c'\\\xC3\xA9"
                 "A");
  expect_selects("'a' \"b\"", {"ab", string_type(), false}, "ab");
  expect_selects("42", {"42", int_type(), false}, 42);
  expect_selects("-2", {"-2", int_type(), false}, -2);
  expect_selects("3000000000", {"3000000000", long_type(), false}, std::int64_t{3'000'000'000});
  expect_selects("7L", {"7", long_type(), false}, std::int64_t{7});
  expect_selects("1.5", {"1.5", decimal_type(2, 1), false}, Decimal(15, 1));
  expect_selects("1e3", {"1000.0", double_type(), false}, 1000.0);
  expect_selects("2D", {"2.0", double_type(), false}, 2.0);
  // A literal is named by Java 17's Double.toString of its value.
  expect_selects("1e23", {"9.999999999999999E22", double_type(), false}, 1e23);
  expect_selects("NULL", {"NULL", null_type(), true}, Value());
  expect_selects("true", {"true", boolean_type(), false}, true);
  expect_selects("FALSE AS f", {"f", boolean_type(), false}, false);
  expect_selects("CAST(1 AS STRING)", {"CAST(1 AS STRING)", string_type(), false}, "1");
  expect_selects("CAST('12' AS INT) n", {"n", int_type(), true}, 12);
  expect_selects("CAST(NULL AS STRING) AS topic", {"topic", string_type(), true}, Value());
}

void expect_syntax_error(const std::string& sql, std::size_t position, const std::string& what);

TEST(SelectExpr, NumericLiteralsFollowSparksTypesAndNames) {
  // PySpark 3.5.7: name, type and value of SELECT <literal>.
  expect_selects("1.50", {"1.50", decimal_type(3, 2), false}, Decimal(150, 2));
  expect_selects("-1.50", {"-1.50", decimal_type(3, 2), false}, Decimal(-150, 2));
  expect_selects("0.000001", {"0.000001", decimal_type(6, 6), false}, Decimal(1, 6));
  expect_selects("0.0000001", {"1E-7", decimal_type(7, 7), false}, Decimal(1, 7));
  expect_selects(".5", {"0.5", decimal_type(1, 1), false}, Decimal(5, 1));
  expect_selects("5.", {"5", decimal_type(1, 0), false}, Decimal(5, 0));
  expect_selects("00.10", {"0.10", decimal_type(2, 2), false}, Decimal(10, 2));
  expect_selects("0.0", {"0.0", decimal_type(1, 1), false}, Decimal(0, 1));
  expect_selects("12345678901234567890", {"12345678901234567890", decimal_type(20, 0), false},
                 *Decimal::parse("12345678901234567890"));
  expect_selects("9223372036854775808", {"9223372036854775808", decimal_type(19, 0), false},
                 *Decimal::parse("9223372036854775808"));
  expect_selects("-9223372036854775808", {"-9223372036854775808", long_type(), false},
                 std::numeric_limits<std::int64_t>::min());
  expect_selects("12345678901234567890123456789012345678",
                 {"12345678901234567890123456789012345678", decimal_type(38, 0), false},
                 *Decimal::parse("12345678901234567890123456789012345678"));
  expect_selects("1e5", {"100000.0", double_type(), false}, 100000.0);
  expect_selects("1.23e2", {"123.0", double_type(), false}, 123.0);
  expect_selects("1.0E10", {"1.0E10", double_type(), false}, 1e10);
  expect_selects("1.5D", {"1.5", double_type(), false}, 1.5);
  expect_selects("1.5F", {"1.5", float_type(), false}, 1.5F);
  expect_selects("1.5e3F", {"1500.0", float_type(), false}, 1500.0F);
  expect_selects("1L", {"1", long_type(), false}, std::int64_t{1});
  expect_selects("1S", {"1", short_type(), false}, std::int16_t{1});
  expect_selects("100s", {"100", short_type(), false}, std::int16_t{100});
  expect_selects("-1Y", {"-1", byte_type(), false}, std::int8_t{-1});
  expect_selects("1BD", {"1", decimal_type(1, 0), false}, Decimal(1, 0));
  expect_selects("1.5BD", {"1.5", decimal_type(2, 1), false}, Decimal(15, 1));
  expect_selects("1E-5BD", {"0.00001", decimal_type(5, 5), false}, Decimal(1, 5));
  expect_selects("1e5BD", {"100000", decimal_type(6, 0), false}, Decimal(100000, 0));
  expect_selects("1.5e3BD", {"1500", decimal_type(4, 0), false}, Decimal(1500, 0));
  expect_selects("CAST(1.5 AS STRING)", {"CAST(1.5 AS STRING)", string_type(), false}, "1.5");
  expect_selects("CAST(0.000001 AS STRING)", {"CAST(0.000001 AS STRING)", string_type(), false},
                 "0.000001");
  expect_selects("CAST(1 AS DECIMAL)", {"CAST(1 AS DECIMAL(10,0))", decimal_type(10, 0), false},
                 Decimal(1, 0));
  expect_selects("CAST(1.5 AS FLOAT)", {"CAST(1.5 AS FLOAT)", float_type(), false}, 1.5F);
  expect_selects("CAST(1 AS TINYINT)", {"CAST(1 AS TINYINT)", byte_type(), false}, std::int8_t{1});
}

TEST(SelectExpr, DateAndTimestampLiterals) {
  expect_selects("DATE '2020-01-01'", {"DATE '2020-01-01'", date_type(), false}, Date{18'262});
  expect_selects("TIMESTAMP'2020-01-01 00:00:00'",
                 {"TIMESTAMP '2020-01-01 00:00:00'", timestamp_type(), false},
                 Timestamp{1'577'836'800'000'000});
  expect_syntax_error("DATE '2020-02-30'", 5,
                      "[INVALID_TYPED_LITERAL] The value of the typed literal \"DATE\" is not "
                      "valid: '2020-02-30'.");
}

TEST(SelectExpr, LiteralsSparkRefuses) {
  expect_syntax_error("123456789012345678901234567890123456789", 0,
                      "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 39 exceeds max "
                      "precision 38.");
  expect_syntax_error("128Y", 0,
                      "Numeric literal 128 does not fit in range [-128, 127] for type tinyint");
  expect_syntax_error(
      "32768S", 0, "Numeric literal 32768 does not fit in range [-32768, 32767] for type smallint");
  expect_syntax_error("1.5L", 3, "an integer literal cannot have a fraction or an exponent");
  expect_syntax_error("CAST(1 AS DECIMAL(39,0))", 10, "unknown data type 'DECIMAL(39,0)'");
  expect_syntax_error("CAST(1 AS DECIMAL(3,4))", 10, "unknown data type 'DECIMAL(3,4)'");
}

void expect_syntax_error(const std::string& sql, std::size_t position, const std::string& what) {
  EXPECT_THAT([&] { (void)expr(sql); },
              ThrowsMessage<AnalysisError>("Syntax error in expression '" + sql + "' at position " +
                                           std::to_string(position) + ": " + what));
}

TEST(SelectExpr, RejectsWhatItCannotParseWithThePosition) {
  expect_syntax_error("CAST(x AS)", 9, "expected a type name");
  expect_syntax_error("CAST(x AS )", 10, "expected a type name");
  expect_syntax_error("CAST(x AS foo)", 10, "unknown data type 'foo'");
  expect_syntax_error("CAST(x STRING)", 7, "expected 'AS'");
  expect_syntax_error("CAST(x AS INT", 13, "expected ')'");
  expect_syntax_error("CAST(AS INT)", 8, "expected 'AS'");
  expect_syntax_error("a + b", 2, "unexpected '+'");
  expect_syntax_error("a b c", 4, "unexpected 'c'");
  expect_syntax_error("", 0, "expected an expression");
  expect_syntax_error("   ", 3, "expected an expression");
  expect_syntax_error("+", 0, "expected an expression but found '+'");
  expect_syntax_error("'abc", 0, "unterminated string literal");
  expect_syntax_error("x AS 'abc'", 5, "expected an alias");
  expect_syntax_error("a AS", 4, "expected an alias");
  expect_syntax_error("(a", 2, "expected ')'");
  expect_syntax_error("`abc", 0, "unterminated quoted identifier");
  expect_syntax_error("a.b", 1, "unexpected '.'");
  expect_syntax_error("count(*)", 5, "unexpected '('");
  expect_syntax_error("99999999999999999999L", 0,
                      "the number 99999999999999999999 is out of the range of bigint");
  // Java's parser rounds these to Infinity; Spark refuses the literal.
  expect_syntax_error("1e400", 0, "the number 1e400 is out of the range of double");
  expect_syntax_error("-1.5e309D", 0, "the number -1.5e309 is out of the range of double");
}

TEST(SelectExpr, UnknownColumnIsUnresolved) {
  EXPECT_THAT([] { (void)sample().select_expr({"CAST(missing AS STRING)"}); },
              ThrowsMessage<AnalysisError>(
                  "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
                  "`missing` cannot be resolved. Did you mean one of the following? [`_c0`, "
                  "`value`, `odd-name`, `a``b`, `cast`]."));
}

TEST(SelectExpr, TheKafkaSinkIdiom) {
  const DataFrame frame = sample().with_column("topic", lit("default_topic"));
  const DataFrame records =
      frame.select_expr({"topic", "CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"});
  EXPECT_THAT(records.columns(), ElementsAre("topic", "key", "value"));
  EXPECT_THAT(records.collect(), ElementsAre(Row{"default_topic", "7", "v"}));
}

}  // namespace
}  // namespace kafkasink
