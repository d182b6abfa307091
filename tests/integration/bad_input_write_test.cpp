// Bad input on its way to Kafka: files read with malformed rows, wrong column types, a 100 MB
// value, invalid UTF-8 and empty files, written with df.write().format("kafka") to the mock
// cluster and to a real Kafka broker, and read back. docs/bad-input.md documents each result.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "support/frames.hpp"
#include "support/test_broker.hpp"
#include "unit/io/io_test_support.hpp"

namespace kafkasink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class BadInputWrite : public test::BrokerTest {
 protected:
  std::string new_topic(const test::TestBroker::TopicConfigs& configs = {}) const {
    std::string topic = test::unique_topic("bad-input");
    broker().create_topic(topic, 1, configs);
    return topic;
  }

  DataFrameWriter kafka_writer(const DataFrame& frame, const std::string& topic) {
    DataFrameWriter writer = frame.write();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", broker().bootstrap_servers())
        .option("topic", topic);
    return writer;
  }
};

KAFKASINK_INSTANTIATE_ON_BROKERS(BadInputWrite);

TEST_P(BadInputWrite, DroppedMalformedRowsNeverReachKafka) {
  test::TemporaryFolder folder;
  const std::string file =
      folder.write("rows.csv", "key,value\nk1,v1\nk2\nk3,v3,extra\n\"k4\",\"v4\"\n");
  const DataFrame frame =
      DataFrameReader().option("header", true).option("mode", "DROPMALFORMED").csv(file);
  const std::string topic = new_topic();
  kafka_writer(frame, topic).save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].key, "k1");
  EXPECT_EQ(records[1].value, "v4");
}

TEST_P(BadInputWrite, PermissiveMissingValueIsSentAsANullValue) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("rows.csv", "key,value\nk1\n");
  const DataFrame frame = DataFrameReader().option("header", true).csv(file);
  const std::string topic = new_topic();
  kafka_writer(frame, topic).save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].key, "k1");
  EXPECT_EQ(records[0].value, std::nullopt);
}

TEST_P(BadInputWrite, InferredWrongTypesAreRejectedNamingTheColumnBeforeAnythingIsSent) {
  test::TemporaryFolder folder;
  const std::string int_key = folder.write("int_key.csv", "key,value\n1,one\n2,two\n");
  const std::string topic = new_topic();
  const DataFrame keyed =
      DataFrameReader().option("header", true).option("inferSchema", true).csv(int_key);
  EXPECT_THAT([&] { kafka_writer(keyed, topic).save(); },
              ThrowsMessage<AnalysisError>(
                  HasSubstr("key attribute unsupported type int. key must be a(n) string or "
                            "binary")));
  const std::string bool_value = folder.write("bool_value.json", "{\"value\":true}\n");
  const DataFrame flagged = DataFrameReader().json(bool_value);
  EXPECT_THAT([&] { kafka_writer(flagged, topic).save(); },
              ThrowsMessage<AnalysisError>(
                  HasSubstr("value attribute unsupported type boolean. value must be a(n) "
                            "string or binary")));
  EXPECT_THAT(broker().end_offsets(topic), ElementsAre(0));
}

TEST_P(BadInputWrite, AHundredMegabyteValueFailsWithMessageTooLargeAndSendsNothing) {
  // Read from a file like any other value, then refused by the producer before it is sent:
  // larger than message.max.bytes (Java's max.request.size, 1 MB by default). Raising the
  // limit to 100 MB is possible, but no broker keeps such a record by default (Kafka's
  // message.max.bytes is 1 MB), so the documented outcome is this error.
  test::TemporaryFolder folder;
  constexpr std::size_t kValueBytes = std::size_t{100} << 20U;
  const std::string file = (std::filesystem::path(folder.path()) / "huge.csv").string();
  {
    std::ofstream out(file, std::ios::binary);
    out << "value\n";
    const std::string block(1U << 20U, 'v');
    for (std::size_t written = 0; written < kValueBytes; written += block.size()) out << block;
    out << "\n";
  }
  const DataFrame frame = DataFrameReader().option("header", true).csv(file);
  ASSERT_EQ(frame.count(), 1U);
  const std::string topic = new_topic();
  try {
    kafka_writer(frame, topic).save();
    FAIL() << "expected a KafkaWriteError";
  } catch (const KafkaWriteError& error) {
    EXPECT_EQ(error.failed_records(), 1U);
    EXPECT_EQ(error.total_records(), 1U);
    EXPECT_EQ(error.first_error().error_name, "MSG_SIZE_TOO_LARGE");
    EXPECT_THAT(error.what(), HasSubstr("1 of 1 records were not delivered to topic"));
  }
  EXPECT_THAT(broker().end_offsets(topic), ElementsAre(0));
}

TEST_P(BadInputWrite, AValueAboveTheDefaultLimitArrivesWithTheLimitRaised) {
  const std::string big(3U << 20U, 'b');
  const DataFrame frame = DataFrame::from_rows(Schema({{"value", string_type()}}), {{big}});
  // A real broker keeps a record this large only where the topic allows it, too.
  const std::string topic = new_topic({{"max.message.bytes", "4194304"}});
  kafka_writer(frame, topic).option("kafka.max.request.size", "4194304").save();
  EXPECT_THAT(broker().end_offsets(topic), ElementsAre(1));
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].value, big);
}

// Spark's CSV reader decodes the file: each malformed sequence becomes U+FFFD, split where
// Java's decoder splits them, and that is what reaches Kafka.
TEST_P(BadInputWrite, InvalidUtf8ReachesKafkaAsReplacementCharacters) {
  test::TemporaryFolder folder;
  const std::string invalid = "caf\xe9 \xc3( \xff\xfe\xfd";
  const std::string file = folder.write("latin1.csv", "key,value\n\xff," + invalid + "\n");
  const DataFrame frame = DataFrameReader().option("header", true).csv(file);
  const std::string topic = new_topic();
  kafka_writer(frame, topic).save();
  const std::vector<ConsumedRecord> records = broker().read_all(topic);
  ASSERT_EQ(records.size(), 1U);
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(records[0].key, replacement);
  EXPECT_EQ(records[0].value, "caf" + replacement + " " + replacement + "( " + replacement +
                                  replacement + replacement);
}

TEST_P(BadInputWrite, AnEmptyFileHasNoValueColumnUnlessASchemaIsGiven) {
  test::TemporaryFolder folder;
  const std::string file = folder.write("empty.csv", "");
  const std::string topic = new_topic();
  EXPECT_THAT([&] { kafka_writer(DataFrameReader().csv(file), topic).save(); },
              ThrowsMessage<AnalysisError>(HasSubstr("Required attribute 'value' not found")));
  const DataFrame typed =
      DataFrameReader().schema(Schema({{"value", string_type(), true}})).csv(file);
  kafka_writer(typed, topic).save();
  EXPECT_THAT(broker().end_offsets(topic), ElementsAre(0));
}

}  // namespace
}  // namespace kafkasink
