#include "kafka/record_mapper.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>

#include "support/frames.hpp"

namespace kafkasink {
namespace {

using detail::RecordMapper;
using ::testing::ThrowsMessage;

DataType headers_type() {
  return array_type(struct_type({{"key", string_type()}, {"value", binary_type()}}));
}

void expect_bind_error(const std::vector<std::pair<std::string, DataType>>& fields,
                       std::optional<std::string> topic,
                       const std::string& message) {
  const DataFrame frame = test::frame(fields);
  EXPECT_THAT([&] { (void)RecordMapper::bind(frame.schema(), topic); },
              ThrowsMessage<AnalysisError>(message));
}

TEST(RecordMapper, RequiresATopicColumnOrOption) {
  expect_bind_error({{"value", string_type()}}, std::nullopt,
                    "topic option required when no 'topic' attribute is present. Use the topic "
                    "option for setting a topic.");
}

TEST(RecordMapper, RequiresAValueColumn) {
  expect_bind_error({{"key", string_type()}}, "t", "Required attribute 'value' not found");
  // Lookup is case-sensitive, as Spark's `schema.find(_.name == name)`.
  expect_bind_error({{"VALUE", string_type()}}, "t", "Required attribute 'value' not found");
}

TEST(RecordMapper, RejectsWrongTypesWithSparksMessages) {
  expect_bind_error({{"topic", int_type()}, {"value", string_type()}}, std::nullopt,
                    "topic attribute unsupported type int. topic must be a(n) string");
  expect_bind_error({{"key", int_type()}, {"value", string_type()}}, "t",
                    "key attribute unsupported type int. key must be a(n) string or binary");
  expect_bind_error({{"value", long_type()}}, "t",
                    "value attribute unsupported type bigint. value must be a(n) string or binary");
  expect_bind_error({{"value", string_type()}, {"headers", string_type()}}, "t",
                    "headers attribute unsupported type string. headers must be a(n) "
                    "array<struct<key:string,value:binary>>");
  expect_bind_error({{"value", string_type()}, {"partition", string_type()}}, "t",
                    "partition attribute unsupported type string. partition must be a(n) int");
  expect_bind_error({{"value", string_type()}, {"partition", long_type()}}, "t",
                    "partition attribute unsupported type bigint. partition must be a(n) int");
}

TEST(RecordMapper, ReportsTheFirstFailureInSparksOrder) {
  // topic, key, value, headers, partition: the key error wins over the value and partition ones.
  expect_bind_error({{"partition", string_type()}, {"key", double_type()}, {"value", int_type()}},
                    "t",
                    "key attribute unsupported type double. key must be a(n) string or binary");
  expect_bind_error({{"partition", string_type()}, {"key", binary_type()}}, std::nullopt,
                    "topic option required when no 'topic' attribute is present. Use the topic "
                    "option for setting a topic.");
}

TEST(RecordMapper, TopicOptionOverridesTopicColumnWithoutCheckingIt) {
  const DataFrame frame = test::frame({{"topic", int_type()}, {"value", binary_type()}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "from_option");
  EXPECT_EQ(mapper.topic_option(), "from_option");
  EXPECT_EQ(mapper.columns(frame.partitions()[0]).topic, nullptr);
}

TEST(RecordMapper, FirstColumnOfANameWinsAndOthersAreIgnored) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"value", string_type()}, {"value", int_type()}, {"extra", double_type()}}),
      {{"first", 2, 3.0}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "t");
  EXPECT_EQ(mapper.columns(frame.partitions()[0]).value_at(0), "first");
}

TEST(RecordMapper, AcceptsHeadersWhateverTheirNullability) {
  const DataType strict = array_type(
      struct_type({{"key", string_type(), false}, {"value", binary_type(), false}}), false);
  const DataFrame frame = test::frame({{"value", string_type()}, {"headers", strict}});
  EXPECT_NO_THROW((void)RecordMapper::bind(frame.schema(), "t"));
}

TEST(RecordMapper, MapsNullKeyNullValueAndNullPartition) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"key", binary_type()}, {"value", string_type()}, {"partition", int_type()}}),
      {{nullptr, nullptr, nullptr}, {Bytes{"k"}, "v", 3}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "t");
  const detail::RecordColumns columns = mapper.columns(frame.partitions()[0]);
  EXPECT_EQ(columns.key_at(0), std::nullopt);
  EXPECT_EQ(columns.value_at(0), std::nullopt);
  EXPECT_EQ(columns.partition_at(0), -1);
  EXPECT_EQ(columns.key_at(1), "k");
  EXPECT_EQ(columns.value_at(1), "v");
  EXPECT_EQ(columns.partition_at(1), 3);
}

TEST(RecordMapper, CheckFindsANullTopicBeforeSending) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"topic", string_type()}, {"value", string_type()}}), {{"t", "1"}, {nullptr, "2"}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), std::nullopt);
  // Spark 3.5's text, verbatim (it names no row).
  EXPECT_THAT([&] { mapper.check(frame.partitions()[0], 0); },
              ThrowsMessage<AnalysisError>("null topic present in the data. Use the topic option "
                                           "for setting a default topic."));
  // With the option, the null in the ignored column does not matter.
  EXPECT_NO_THROW(RecordMapper::bind(frame.schema(), "t").check(frame.partitions()[0], 0));
}

TEST(RecordMapper, CheckFindsANegativePartition) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"value", string_type()}, {"partition", int_type()}}), {{"1", nullptr}, {"2", -1}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "t");
  // 4 rows in the partitions before this one: the row is the frame's sixth.
  EXPECT_THAT([&] { mapper.check(frame.partitions()[0], 4); },
              ThrowsMessage<AnalysisError>(
                  "Invalid partition: -1. Partition number should always be non-negative or null. "
                  "(row 6 of the frame)"));
}

TEST(RecordMapper, CheckFindsANullHeaderKey) {
  const DataFrame frame = DataFrame::from_rows(
      Schema({{"value", string_type()}, {"headers", headers_type()}}),
      {{"1", ArrayValue{StructValue{{"a", Bytes{"x"}}}, StructValue{{nullptr, Bytes{"y"}}}}}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "t");
  EXPECT_THAT([&] { mapper.check(frame.partitions()[0], 0); },
              ThrowsMessage<AnalysisError>(
                  "The Kafka message data sent to the producer contains a null header key: header "
                  "2 of the record (row 1 of the frame). Header keys must be non-null strings."));
}

TEST(RecordMapper, CheckNamesTheFileAndLineOfARowReadFromAFile) {
  DataFrame frame = DataFrame::from_rows(
      Schema({{"value", string_type()}, {"partition", int_type()}}), {{"1", 0}, {"2", -2}});
  std::vector<Partition> partitions = frame.partitions();
  auto origin = std::make_shared<RowOrigin>();
  origin->files = {{"first.csv", 0}, {"second.csv", 1}};
  origin->lines = {2, 7};
  partitions[0].origin = origin;
  frame = DataFrame(frame.schema(), std::move(partitions));
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), "t");
  EXPECT_THAT([&] { mapper.check(frame.partitions()[0], 0); },
              ThrowsMessage<AnalysisError>(
                  "Invalid partition: -2. Partition number should always be non-negative or null. "
                  "(in second.csv at line 7)"));
}

TEST(RecordMapper, CheckRefusesTopicsKafkaDoesNotAllow) {
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"topic", string_type()}, {"value", string_type()}}),
                           {{"ok", "1"}, {"ok", "2"}, {"..", "3"}});
  const RecordMapper mapper = RecordMapper::bind(frame.schema(), std::nullopt);
  EXPECT_THAT([&] { mapper.check(frame.partitions()[0], 0); },
              ThrowsMessage<AnalysisError>(
                  "Topic name cannot be \".\" or \"..\" (row 3 of the frame, column 'topic')"));
}

}  // namespace
}  // namespace kafkasink
