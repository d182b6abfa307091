#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>

namespace kafkasink {
namespace {

using ::testing::ElementsAre;

DataFrame people() {
  return DataFrame::from_rows(Schema({{"id", int_type()}, {"name", string_type()}}),
                              {{1, "one"}, {2, nullptr}, {3, "a name longer than twenty"}});
}

TEST(DataFrame, FromRowsCollectsBack) {
  const DataFrame frame = people();
  EXPECT_EQ(frame.count(), 3U);
  EXPECT_THAT(frame.columns(), ElementsAre("id", "name"));
  const std::vector<Row> rows = frame.collect();
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0]["name"], Value("one"));
  EXPECT_TRUE(rows[1][1].is_null());
  EXPECT_EQ(rows[0].as_dict().at("id"), Value(1));
  EXPECT_EQ(rows[0].to_string(), "Row(id=1, name='one')");
}

TEST(DataFrame, FromRowsNamesTheBadRowAndColumn) {
  EXPECT_THAT(
      [] {
        DataFrame::from_rows(Schema({{"id", int_type()}}), {{1}, {"x"}});
      },
      ::testing::ThrowsMessage<AnalysisError>(
          "row 1, column 'id': a string value (x) cannot be stored in a column of type int"));
}

TEST(DataFrame, RepartitionSplitsContiguousRuns) {
  const DataFrame frame = people().repartition(2);
  ASSERT_EQ(frame.num_partitions(), 2U);
  EXPECT_EQ(frame.partitions()[0].num_rows, 2U);
  EXPECT_EQ(frame.partitions()[1].num_rows, 1U);
  EXPECT_EQ(frame.collect(), people().collect());
  const DataFrame many = frame.repartition(5);
  EXPECT_EQ(many.num_partitions(), 5U);
  EXPECT_EQ(many.partitions()[4].num_rows, 0U);
  EXPECT_EQ(many.collect(), people().collect());
  EXPECT_THROW((void)frame.repartition(0), IllegalArgumentError);
}

TEST(DataFrame, ShowMatchesSpark) {
  EXPECT_EQ(people().show_string(),
            "+---+--------------------+\n"
            "| id|                name|\n"
            "+---+--------------------+\n"
            "|  1|                 one|\n"
            "|  2|                NULL|\n"
            "|  3|a name longer tha...|\n"
            "+---+--------------------+\n");
}

TEST(DataFrame, ShowPrintsDoublesAsJava17) {
  const DataFrame frame = DataFrame::from_rows(Schema({{"d", double_type()}}),
                                               {Row{1e23}, Row{0.001}, Row{1e7}, Row{-0.0}});
  EXPECT_EQ(frame.show_string(),
            "+--------------------+\n"
            "|                   d|\n"
            "+--------------------+\n"
            "|9.999999999999999E22|\n"
            "|               0.001|\n"
            "|               1.0E7|\n"
            "|                -0.0|\n"
            "+--------------------+\n");
  EXPECT_EQ(frame.collect()[0].to_string(), "Row(d=9.999999999999999E22)");
}

TEST(DataFrame, ShowPrintsTheNewTypesAsSpark) {
  // PySpark 3.5.7's show of the same row: decimals without an exponent, even nested.
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"f", float_type()},
              {"b", byte_type()},
              {"s", short_type()},
              {"d", decimal_type(3, 2)},
              {"dt", date_type()},
              {"a", array_type(decimal_type(2, 1))},
              {"tiny", decimal_type(10, 8)},
              {"z", array_type(decimal_type(10, 8))}}),
      {{1.5F, std::int8_t{1}, std::int16_t{2}, Decimal(150, 2), Date{18'262},
        ArrayValue{Decimal(15, 1)}, Decimal(10, 8), ArrayValue{Decimal(0, 8)}}});
  EXPECT_EQ(frame.show_string(),
            "+---+---+---+----+----------+-----+----------+------------+\n"
            "|  f|  b|  s|   d|        dt|    a|      tiny|           z|\n"
            "+---+---+---+----+----------+-----+----------+------------+\n"
            "|1.5|  1|  2|1.50|2020-01-01|[1.5]|0.00000010|[0.00000000]|\n"
            "+---+---+---+----+----------+-----+----------+------------+\n");
}

TEST(DataFrame, ShowWithoutTruncateAlignsLeftAndSaysWhatItCut) {
  EXPECT_EQ(people().show_string(2, false),
            "+---+----+\n"
            "|id |name|\n"
            "+---+----+\n"
            "|1  |one |\n"
            "|2  |NULL|\n"
            "+---+----+\n"
            "only showing top 2 rows\n");
  EXPECT_THAT(people().show_string(1), ::testing::EndsWith("only showing top 1 row\n"));
}

TEST(DataFrame, ShowOfAnEmptyFrame) {
  const DataFrame frame = DataFrame::from_rows(Schema({{"value", string_type()}}), {});
  EXPECT_EQ(frame.show_string(),
            "+-----+\n"
            "|value|\n"
            "+-----+\n"
            "+-----+\n");
}

TEST(DataFrame, PartitionsMustMatchTheSchema) {
  Partition partition;
  partition.num_rows = 1;
  partition.columns.push_back(ColumnVector::repeat(int_type(), Value(1), 1));
  EXPECT_THROW(DataFrame(Schema({{"a", string_type()}}), {partition}), AnalysisError);
  EXPECT_THROW(DataFrame(Schema({{"a", int_type()}, {"b", int_type()}}), {partition}),
               AnalysisError);
}

}  // namespace
}  // namespace kafkasink
