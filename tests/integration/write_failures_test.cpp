// How a batch write fails when the cluster cannot be reached, the user cancels it, a custom
// partitioner misbehaves or a topic name is illegal (issue 14): against MockCluster, read
// back with a real consumer.
#include <chrono>
#include <cstdint>
#include <map>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// `rows` rows with a string value "v<index>".
DataFrame values_frame(int rows) {
  std::vector<Row> values;
  for (int index = 0; index < rows; ++index) values.push_back(Row{"v" + std::to_string(index)});
  return DataFrame::from_rows(Schema({{"value", string_type()}}), values);
}

KafkaWriteError failed_write(DataFrameWriter writer) {
  try {
    writer.save();
  } catch (const KafkaWriteError& error) {
    return error;
  }
  ADD_FAILURE() << "the write succeeded";
  return KafkaWriteError(0, 0, {});
}

TEST(WriteToAnUnreachableCluster, FailsWithinMaxBlockNamingServersAndTheLastError) {
  MockCluster cluster(1);
  cluster.create_topic("down", 1);
  cluster.set_broker_down(1);
  DataFrameWriter writer = values_frame(100).write();
  writer.format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "down")
      .option("kafka.max.block.ms", "1000")
      // Without the rule, the write would wait this long and end in _MSG_TIMED_OUT.
      .option("kafka.delivery.timeout.ms", "20000");
  const KafkaWriteError error = failed_write(writer);
  EXPECT_EQ(error.failed_records(), 100U);
  EXPECT_EQ(error.first_error().topic, "down");
  EXPECT_EQ(error.first_error().error_name, "_TRANSPORT");
  EXPECT_THAT(error.what(),
              AllOf(HasSubstr("no broker of bootstrap.servers " + cluster.bootstrap_servers() +
                              " could be reached within max.block.ms (1000 ms)"),
                    HasSubstr("the last connection error: ")));

  // The broker back, the same settings write.
  cluster.set_broker_up(1);
  writer.save();
  EXPECT_EQ(cluster.read_all("down").size(), 100U);
}

TEST(WriteToAnUnreachableCluster, ABrokerThatWentDownAfterAWriteFailsTheNextWithinMaxBlock) {
  MockCluster cluster(1);
  cluster.create_topic("went-down", 1);
  DataFrameWriter writer = values_frame(10).write();
  writer.format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "went-down")
      .option("kafka.max.block.ms", "1000")
      .option("kafka.delivery.timeout.ms", "20000");
  writer.save();  // connects, and caches the producer
  cluster.set_broker_down(1);
  const KafkaWriteError error = failed_write(writer);
  EXPECT_EQ(error.failed_records(), 10U);
  EXPECT_THAT(error.what(), HasSubstr("could be reached within max.block.ms (1000 ms)"));
  cluster.set_broker_up(1);
  EXPECT_EQ(cluster.read_all("went-down").size(), 10U);
}

TEST(WriteToAnUnreachableCluster, AFullQueueToADownBrokerEndsNamingTheConnectionNotTheQueue) {
  // Was: a broker killed mid-write ended after max.block.ms plus the delivery timeout, as
  // _QUEUE_FULL.
  MockCluster cluster(1);
  cluster.create_topic("full", 1);
  const std::map<std::string, std::string> options = {
      {"kafka.bootstrap.servers", cluster.bootstrap_servers()},
      {"topic", "full"},
      {"kafka.max.block.ms", "1000"},
      {"kafka.delivery.timeout.ms", "20000"},
      {"kafka.queue.buffering.max.messages", "10"}};
  values_frame(5).write().format("kafka").options(options).save();  // connected and cached
  cluster.set_broker_down(1);
  DataFrameWriter writer = values_frame(1000).write();
  writer.format("kafka").options(options);
  const KafkaWriteError error = failed_write(writer);
  EXPECT_EQ(error.failed_records(), 1000U);
  EXPECT_EQ(error.first_error().error_name, "_TRANSPORT");
  EXPECT_THAT(error.what(), HasSubstr("could be reached within max.block.ms (1000 ms)"));
  cluster.set_broker_up(1);
  EXPECT_EQ(cluster.read_all("full").size(), 5U);
}

TEST(CancelledWrite, ACancelledWriteSendsNothingMoreAndSaysSo) {
  MockCluster cluster(1);
  cluster.create_topic("cancelled", 1);
  std::stop_source stop;
  stop.request_stop();
  DataFrameWriter writer = values_frame(50).write();
  writer.format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "cancelled")
      .cancel_when(stop.get_token(), std::chrono::milliseconds(500));
  const KafkaWriteError error = failed_write(writer);
  EXPECT_EQ(error.failed_records(), 50U);
  EXPECT_EQ(error.first_error().error_name, "_INTR");
  EXPECT_THAT(error.what(), HasSubstr("the write was cancelled: 50 records were not sent"));
  EXPECT_TRUE(cluster.read_all("cancelled").empty());
}

TEST(CancelledWrite, CancelledMidWayWaitsOnlyTheGraceForRecordsInFlight) {
  MockCluster cluster(1);
  cluster.create_topic("slow", 1);
  cluster.set_rtt(1, std::chrono::milliseconds(500));
  std::stop_source stop;
  DataFrameWriter writer = values_frame(200).write();
  writer.format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "slow")
      .on_progress([&](const WriteProgress& progress) {
        if (!progress.done) stop.request_stop();  // the first report: the write is under way
      })
      .cancel_when(stop.get_token(), std::chrono::milliseconds(200));
  const KafkaWriteError error = failed_write(writer);
  EXPECT_EQ(error.first_error().error_name, "_INTR");
  EXPECT_GT(error.failed_records(), 0U);
  // Frames built in code write through the default session: stopping it lets the records
  // still in flight arrive while their broker is there.
  Session::builder().get_or_create().stop();
}

TEST(WriteProgressBytes, AcknowledgedBytesCountKeysAndValuesOfDeliveredRecords) {
  MockCluster cluster(1);
  cluster.create_topic("bytes", 1);
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"key", string_type()}, {"value", string_type()}}),
                           {{"k", "value"}, {nullptr, "vv"}, {"kk", nullptr}});
  WriteProgress last;
  frame.write()
      .format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "bytes")
      .on_progress([&](const WriteProgress& progress) { last = progress; })
      .save();
  EXPECT_TRUE(last.done);
  std::size_t bytes = 0;
  for (const ConsumedRecord& record : cluster.read_all("bytes")) {
    bytes += record.key.value_or("").size() + record.value.value_or("").size();
  }
  EXPECT_EQ(bytes, 10U);
  EXPECT_EQ(last.bytes_acknowledged, bytes);
}

TEST(CustomPartitioner, AValueOutOfRangeFailsTheRecordAtOnceNamingThePartitioner) {
  MockCluster cluster(1);
  cluster.create_topic("two", 2);
  for (const std::int32_t chosen : {7, 2, -1}) {
    const std::string name = "out-of-range-" + std::to_string(chosen);
    register_partitioner(name, [chosen](const std::string*, std::int32_t) { return chosen; });
    const DataFrame frame = DataFrame::from_rows(
        Schema({{"key", string_type()}, {"value", string_type()}}), {{"k", "v"}});
    DataFrameWriter writer = frame.write();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
        .option("topic", "two")
        .option("kafka.partitioner.class", name)
        // A record left waiting would end here, in _MSG_TIMED_OUT.
        .option("kafka.delivery.timeout.ms", "20000");
    const KafkaWriteError error = failed_write(writer);
    EXPECT_EQ(error.failed_records(), 1U);
    EXPECT_EQ(error.first_error().error_name, "_UNKNOWN_PARTITION");
    EXPECT_THAT(error.first_error().error_text,
                HasSubstr("partitioner '" + name + "' returned " + std::to_string(chosen) +
                          ", outside [0, 2) for topic 'two'"));
  }
  EXPECT_TRUE(cluster.read_all("two").empty());
}

TEST(IllegalTopicNames, AreRefusedBeforeAnythingIsSentInKafkasWords) {
  MockCluster cluster(1);
  const DataFrame values = values_frame(1);
  for (const std::string& topic : std::vector<std::string>{"a b", "", ".", std::string(250, 't')}) {
    EXPECT_THAT(
        [&] {
          values.write()
              .format("kafka")
              .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
              .option("topic", topic)
              .save();
        },
        ::testing::Throws<IllegalArgumentError>(
            ::testing::Property(&IllegalArgumentError::option, "topic")));
  }
  // In the column: named with the row.
  const DataFrame routed =
      DataFrame::from_rows(Schema({{"topic", string_type()}, {"value", string_type()}}),
                           {{"legal", "1"}, {"il legal", "2"}});
  EXPECT_THAT(
      [&] {
        routed.write()
            .format("kafka")
            .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
            .save();
      },
      ::testing::ThrowsMessage<AnalysisError>(
          "Topic name \"il legal\" is illegal, it contains a character other than ASCII "
          "alphanumerics, '.', '_' and '-' (row 2 of the frame, column 'topic')"));
  EXPECT_TRUE(cluster.read_all("legal").empty());
}

// A streaming batch goes through the same write: with its broker down it fails within
// max.block.ms, and stop() returns then, not after the delivery timeout.
StreamingQuery unreachable_query(Session& session, const MockCluster& cluster) {
  const std::string input = test::temporary_directory("unreachable-input");
  test::write_numbers(input, "f0.json", 1, 10, 0);
  return session.read_stream()
      .schema(test::numbers_schema())
      .json(input)
      .select_expr({"CAST(n AS STRING) AS value"})
      .write_stream()
      .format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", "stream-down")
      .option("kafka.max.block.ms", "1000")
      // Without the max.block.ms rule the batch would end here, in _MSG_TIMED_OUT.
      .option("kafka.delivery.timeout.ms", "20000")
      .option("checkpointLocation", test::temporary_directory("unreachable-checkpoint"))
      .start();
}

TEST(StreamingToAnUnreachableCluster, StopReturnsWhenTheBatchFailsWithinMaxBlock) {
  MockCluster cluster(1);
  cluster.create_topic("stream-down", 1);
  cluster.set_broker_down(1);
  Session session = Session::builder().create();
  StreamingQuery query = unreachable_query(session, cluster);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the batch is under way
  query.stop();
  const std::optional<StreamingQueryError> error = query.exception();
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(error->what(), HasSubstr("could be reached within max.block.ms (1000 ms)"));
  cluster.set_broker_up(1);
  EXPECT_TRUE(cluster.read_all("stream-down").empty());
}

}  // namespace
}  // namespace kafkasink
