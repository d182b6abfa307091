// The batch sink against a real Kafka protocol broker (MockCluster), read back with a real
// consumer. Ports Spark's KafkaSinkSuite batch tests and adds kafkasink's own guarantees.
#include <cstdint>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class BatchWrite : public test::BrokerTest {
 protected:
  std::string new_topic(int partitions = 1) const {
    std::string topic = test::unique_topic("batch");
    broker().create_topic(topic, partitions);
    return topic;
  }

  DataFrameWriter kafka_writer(const DataFrame& frame) const {
    DataFrameWriter writer = frame.write();
    writer.format("kafka").option("kafka.bootstrap.servers", broker().bootstrap_servers());
    return writer;
  }
};

KAFKASINK_INSTANTIATE_ON_BROKERS(BatchWrite);

DataType headers_type() {
  return array_type(struct_type({{"key", string_type()}, {"value", binary_type()}}));
}

// Java's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), written from its definition,
// to check that keys land where a Java producer would put them.
std::int32_t java_murmur2(std::string_view data) {
  constexpr std::uint32_t kSeed = 0x9747b28c;
  constexpr std::uint32_t kMultiplier = 0x5bd1e995;
  constexpr int kShift = 24;
  const auto length = static_cast<std::uint32_t>(data.size());
  std::uint32_t hash = kSeed ^ length;
  const std::uint32_t blocks = length / 4;
  const auto byte = [&data](std::size_t index) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[index]));
  };
  for (std::uint32_t block = 0; block < blocks; ++block) {
    const std::size_t at = std::size_t{block} * 4;
    std::uint32_t k =
        byte(at) | (byte(at + 1) << 8U) | (byte(at + 2) << 16U) | (byte(at + 3) << 24U);
    k *= kMultiplier;
    k ^= k >> kShift;
    k *= kMultiplier;
    hash *= kMultiplier;
    hash ^= k;
  }
  const std::size_t tail = std::size_t{blocks} * 4;
  switch (length % 4) {
    case 3:
      hash ^= byte(tail + 2) << 16U;
      [[fallthrough]];
    case 2:
      hash ^= byte(tail + 1) << 8U;
      [[fallthrough]];
    case 1:
      hash ^= byte(tail);
      hash *= kMultiplier;
      break;
    default:
      break;
  }
  hash ^= hash >> 13U;
  hash *= kMultiplier;
  hash ^= hash >> 15U;
  return static_cast<std::int32_t>(hash);
}

std::int32_t java_partition(std::string_view key, std::int32_t partitions) {
  return (java_murmur2(key) & 0x7fffffff) % partitions;
}

TEST(JavaMurmur2, MatchesKafkasOwnVectors) {
  // Kafka's UtilsTest.testMurmur2.
  EXPECT_EQ(java_murmur2("21"), -973932308);
  EXPECT_EQ(java_murmur2("foobar"), -790332482);
  EXPECT_EQ(java_murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(java_murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(java_murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(java_murmur2("abc"), 479470107);
}

// Spark: "batch - write to kafka" (headers: order and duplicates kept, null stays null).
TEST_P(BatchWrite, WritesValuesAndHeaders) {
  const std::string topic = new_topic();
  const Schema schema(
      {{"topic", string_type()}, {"value", string_type()}, {"headers", headers_type()}});
  const DataFrame frame = DataFrame::from_rows(
      schema,
      {{topic, "1", ArrayValue{StructValue{{"a", Bytes{"b"}}}}},
       {topic, "2", ArrayValue{StructValue{{"c", Bytes{"d"}}}, StructValue{{"e", Bytes{"f"}}}}},
       {topic, "3", ArrayValue{StructValue{{"g", Bytes{"h"}}}, StructValue{{"g", Bytes{"i"}}}}},
       {topic, "4", nullptr},
       {topic, "5",
        ArrayValue{StructValue{{"j", Bytes{"k"}}}, StructValue{{"j", nullptr}},
                   StructValue{{"l", Bytes{"m"}}}}}});
  kafka_writer(frame).save();

  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[0].value, "1");
  EXPECT_THAT(records[0].headers, ElementsAre(Header{"a", "b"}));
  EXPECT_THAT(records[1].headers, ElementsAre(Header{"c", "d"}, Header{"e", "f"}));
  EXPECT_THAT(records[2].headers, ElementsAre(Header{"g", "h"}, Header{"g", "i"}));
  EXPECT_TRUE(records[3].headers.empty());
  EXPECT_THAT(records[4].headers,
              ElementsAre(Header{"j", "k"}, Header{"j", std::nullopt}, Header{"l", "m"}));
  for (const ConsumedRecord& record : records) EXPECT_EQ(record.key, std::nullopt);
}

TEST_P(BatchWrite, WritesStringAndBinaryKeysAndValuesNullsIncluded) {
  const std::string topic = new_topic();
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"key", binary_type()}, {"value", binary_type()}}),
                           {{Bytes{std::string("k\0ey", 4)}, Bytes{std::string("v\0al", 4)}},
                            {nullptr, Bytes{"no key"}},
                            {Bytes{"null value"}, nullptr},
                            {Bytes{""}, Bytes{""}}});
  kafka_writer(frame).option("topic", topic).save();
  const DataFrame strings = DataFrame::from_rows(
      Schema({{"key", string_type()}, {"value", string_type()}}), {{"ключ", "значение"}});
  kafka_writer(strings).option("topic", topic).save();

  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[0].key, std::string("k\0ey", 4));
  EXPECT_EQ(records[0].value, std::string("v\0al", 4));
  EXPECT_EQ(records[1].key, std::nullopt);
  EXPECT_EQ(records[1].value, "no key");
  EXPECT_EQ(records[2].key, "null value");
  EXPECT_EQ(records[2].value, std::nullopt);
  EXPECT_EQ(records[3].key, "");
  EXPECT_EQ(records[3].value, "");
  EXPECT_EQ(records[4].key, "ключ");
  EXPECT_EQ(records[4].value, "значение");
}

// Spark: "streaming - topic field and topic option", batch form.
TEST_P(BatchWrite, TopicOptionOverridesTopicColumn) {
  const std::string topic = new_topic();
  const DataFrame frame = test::frame_of_strings({{"topic", "from_column"}, {"value", "v1"}});
  kafka_writer(frame).option("topic", topic).save();
  EXPECT_THAT(test::values(broker().read_all(topic)), ElementsAre("v1"));
}

// Spark's CaseInsensitiveMap: the later spelling of `topic` wins, in either order (the writer
// once took whichever spelling sorted first).
TEST_P(BatchWrite, TheLaterSpellingOfTheTopicOptionWinsInEitherOrder) {
  const std::string earlier = new_topic();
  const std::string later = new_topic();
  kafka_writer(test::frame_of_strings({{"value", "upper first"}}))
      .option("Topic", earlier)
      .option("topic", later)
      .save();
  kafka_writer(test::frame_of_strings({{"value", "lower first"}}))
      .option("topic", earlier)
      .option("TOPIC", later)
      .save();
  EXPECT_THAT(test::values(broker().read_all(later)), ElementsAre("upper first", "lower first"));
  EXPECT_THAT(broker().end_offsets(earlier), ElementsAre(0));
}

TEST_P(BatchWrite, TopicColumnRoutesEachRow) {
  const std::string first = new_topic();
  const std::string second = new_topic();
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"topic", string_type()}, {"value", string_type()}}),
                           {{first, "a"}, {second, "b"}, {first, "c"}});
  kafka_writer(frame).save();
  EXPECT_THAT(test::values(broker().read_all(first)), ElementsAre("a", "c"));
  EXPECT_THAT(test::values(broker().read_all(second)), ElementsAre("b"));
}

// Spark: "batch - partition column and partitioner priorities".
TEST_P(BatchWrite, PartitionColumnAndPartitionerPriorities) {
  register_partitioner("test-always-zero",
                       [](const std::string*, std::int32_t) -> std::int32_t { return 0; });
  const auto partitions_used = [](const std::vector<ConsumedRecord>& records) {
    std::set<std::int32_t> used;
    for (const ConsumedRecord& record : records) used.insert(record.partition);
    return used;
  };
  std::vector<Row> rows;
  for (int key = 0; key < 5; ++key) rows.push_back(Row{std::to_string(key), std::to_string(key)});
  const Schema schema({{"key", string_type()}, {"value", string_type()}});
  const DataFrame frame = DataFrame::from_rows(schema, rows);

  const std::string by_default = new_topic(4);
  kafka_writer(frame).option("topic", by_default).save();
  const std::vector<ConsumedRecord> default_records = broker().read_all(by_default);
  EXPECT_GT(partitions_used(default_records).size(), 1U);

  const std::string custom = new_topic(4);
  kafka_writer(frame)
      .option("topic", custom)
      .option("kafka.partitioner.class", "test-always-zero")
      .save();
  EXPECT_THAT(partitions_used(broker().read_all(custom)), ElementsAre(0));

  std::vector<Row> with_partition;
  for (int key = 0; key < 5; ++key)
    with_partition.push_back(Row{std::to_string(key), std::to_string(key), 2});
  const DataFrame pinned = DataFrame::from_rows(
      Schema({{"key", string_type()}, {"value", string_type()}, {"partition", int_type()}}),
      with_partition);
  const std::string overridden = new_topic(4);
  kafka_writer(pinned)
      .option("topic", overridden)
      .option("kafka.partitioner.class", "test-always-zero")
      .save();
  EXPECT_THAT(partitions_used(broker().read_all(overridden)), ElementsAre(2));

  std::vector<Row> null_partition;
  for (int key = 0; key < 5; ++key)
    null_partition.push_back(Row{std::to_string(key), std::to_string(key), nullptr});
  const DataFrame unpinned = DataFrame::from_rows(pinned.schema(), null_partition);
  const std::string ignored = new_topic(4);
  kafka_writer(unpinned).option("topic", ignored).save();
  std::map<std::string, std::int32_t> expected;
  for (const ConsumedRecord& record : default_records) expected[*record.key] = record.partition;
  for (const ConsumedRecord& record : broker().read_all(ignored)) {
    EXPECT_EQ(record.partition, expected.at(*record.key)) << *record.key;
  }
}

TEST_P(BatchWrite, KeysLandWhereJavasPartitionerPutsThem) {
  const std::string topic = new_topic(7);
  std::vector<Row> rows;
  for (int key = 0; key < 50; ++key) rows.push_back(Row{"key-" + std::to_string(key), "v"});
  kafka_writer(
      DataFrame::from_rows(Schema({{"key", string_type()}, {"value", string_type()}}), rows))
      .option("topic", topic)
      .save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 50U);
  for (const ConsumedRecord& record : records) {
    EXPECT_EQ(record.partition, java_partition(*record.key, 7)) << *record.key;
  }
}

// Spark: "batch - null topic field value, and no topic option".
TEST_P(BatchWrite, NullTopicFailsBeforeAnythingIsSent) {
  const std::string topic = new_topic();
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"topic", string_type()}, {"value", string_type()}}),
                           {{topic, "sent?"}, {nullptr, "1"}});
  EXPECT_THAT([&] { kafka_writer(frame).save(); },
              ThrowsMessage<AnalysisError>("null topic present in the data. Use the topic option "
                                           "for setting a default topic."));
  EXPECT_EQ(broker().end_offsets(topic), std::vector<std::int64_t>{0});
}

// Spark: "SPARK-20496: batch - enforce analyzed plans".
TEST_P(BatchWrite, ToJsonOfAStructOfEveryColumn) {
  const std::string topic = new_topic();
  std::vector<Row> rows;
  for (std::int64_t id = 1; id < 1000; ++id) rows.push_back(Row{id});
  const DataFrame range = DataFrame::from_rows(Schema({{"id", long_type()}}), rows);
  kafka_writer(range.select({to_json(struct_(range.columns())).alias("value")}))
      .option("topic", topic)
      .save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 999U);
  EXPECT_EQ(records.front().value, R"({"id":1})");
  EXPECT_EQ(records.back().value, R"({"id":999})");
}

// Spark: "batch - unsupported save modes".
TEST_P(BatchWrite, UnsupportedSaveModes) {
  const DataFrame frame = test::frame_of_strings({{"value", "v"}});
  EXPECT_THAT([&] { kafka_writer(frame).option("topic", "t").mode("ignore").save(); },
              ThrowsMessage<AnalysisError>("Save mode Ignore not allowed for Kafka. Allowed save "
                                           "modes are Append and ErrorIfExists (default)."));
  EXPECT_THAT(
      [&] { kafka_writer(frame).option("topic", "t").mode(SaveMode::kOverwrite).save(); },
      ThrowsMessage<AnalysisError>("Save mode Overwrite not allowed for Kafka. Allowed save "
                                   "modes are Append and ErrorIfExists (default)."));
  const std::string topic = new_topic();
  kafka_writer(frame).option("topic", topic).mode("append").save();
  kafka_writer(frame).option("topic", topic).mode("errorifexists").save();
  EXPECT_EQ(broker().read_all(topic).size(), 2U);
}

TEST_P(BatchWrite, OptionErrorsComeBeforeAnythingIsSent) {
  const DataFrame frame = test::frame_of_strings({{"value", "v"}});
  EXPECT_THAT([&] { frame.write().format("kafka").option("topic", "t").save(); },
              ThrowsMessage<IllegalArgumentError>(
                  "Kafka option bootstrap.servers is not set. Please make sure it is set and "
                  "retry."));
  EXPECT_THAT(
      [&] { kafka_writer(frame).option("topic", "t").option("kafka.key.serializer", "x").save(); },
      ThrowsMessage<IllegalArgumentError>(
          "Kafka option 'key.serializer' is not supported as keys are serialized with "
          "ByteArraySerializer."));
  EXPECT_THAT(
      [&] { kafka_writer(frame).option("topic", "t").option("kafka.no.such.setting", "1").save(); },
      ThrowsMessage<IllegalArgumentError>(HasSubstr("no.such.setting")));
  EXPECT_THAT(
      [&] { frame.write().format("parquet").save(); },
      ThrowsMessage<IllegalArgumentError>(HasSubstr("Failed to find the data source: parquet")));
  EXPECT_THAT([&] { frame.write().format("bogus").save(); },
              ThrowsMessage<IllegalArgumentError>(
                  HasSubstr("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: bogus.")));
}

TEST_P(BatchWrite, ParallelPartitionsAllArrive) {
  const std::string topic = new_topic(3);
  std::vector<Row> rows;
  for (int index = 0; index < 10'000; ++index)
    rows.push_back(Row{std::to_string(index), std::to_string(index)});
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"key", string_type()}, {"value", string_type()}}), rows)
          .repartition(8);
  kafka_writer(frame).option("topic", topic).save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 10'000U);
  std::set<std::string> values;
  for (const ConsumedRecord& record : records) values.insert(*record.value);
  EXPECT_EQ(values.size(), 10'000U);
}

TEST_P(BatchWrite, RecordLargerThanMessageMaxBytesFailsTheWrite) {
  const std::string topic = new_topic();
  const DataFrame frame = DataFrame::from_rows(Schema({{"value", string_type()}}),
                                               {{"small"}, {std::string(20'000, 'x')}});
  try {
    kafka_writer(frame).option("topic", topic).option("kafka.max.request.size", "10000").save();
    FAIL() << "expected a KafkaWriteError";
  } catch (const KafkaWriteError& error) {
    EXPECT_EQ(error.total_records(), 2U);
    EXPECT_GE(error.failed_records(), 1U);
    EXPECT_EQ(error.first_error().error_name, "MSG_SIZE_TOO_LARGE");
    EXPECT_EQ(error.first_error().topic, topic);
    EXPECT_THAT(error.what(), HasSubstr("MSG_SIZE_TOO_LARGE"));
  }
}

// The mock broker auto-creates every topic, so there the missing topic is made by a topic error;
// the real broker runs with auto.create.topics.enable=false.
TEST_P(BatchWrite, MissingTopicWithoutAutoCreateFails) {
  const DataFrame frame = test::frame_of_strings({{"value", "v"}});
  const std::string topic = test::unique_topic("never-created");
  if (MockCluster* mock = broker().mock()) {
    mock->set_topic_error(topic, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  }
  try {
    kafka_writer(frame)
        .option("topic", topic)
        .option("kafka.allow.auto.create.topics", "false")
        .option("kafka.max.block.ms", "2000")
        .option("kafka.delivery.timeout.ms", "3000")
        .save();
    FAIL() << "expected a KafkaWriteError";
  } catch (const KafkaWriteError& error) {
    EXPECT_EQ(error.failed_records(), 1U);
    EXPECT_THAT(error.first_error().error_name,
                ::testing::AnyOf("UNKNOWN_TOPIC_OR_PART", "_UNKNOWN_TOPIC", "_MSG_TIMED_OUT"));
  }
}

// Spark: "generic - write big data with small producer buffer": sends block, never fail.
TEST_P(BatchWrite, BigDataWithASmallProducerBuffer) {
  const std::string topic = new_topic(4);
  std::vector<Row> rows;
  rows.reserve(1000);
  for (int index = 0; index < 1000; ++index)
    rows.push_back(Row{std::to_string(index), std::string(15'000, 'x')});
  kafka_writer(
      DataFrame::from_rows(Schema({{"key", string_type()}, {"value", string_type()}}), rows))
      .option("topic", topic)
      .option("kafka.buffer.memory", "16384")
      .option("kafka.block.on.buffer.full", "true")
      .save();
  // 15 MB does not fit the mock broker's 5 MiB per partition log: count by end offsets.
  std::int64_t written = 0;
  for (const std::int64_t end : broker().end_offsets(topic)) written += end;
  EXPECT_EQ(written, 1000);
}

}  // namespace
}  // namespace kafkasink
