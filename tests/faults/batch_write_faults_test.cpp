// Batch writes (`df.write().format("kafka")...save()`) while the broker misbehaves: transient
// errors and disconnects are ridden out with every row in Kafka once and in order; a broker
// down past the delivery timeout and permanent errors fail the write with a KafkaWriteError
// that counts exactly the rows that are not in Kafka and names the broker's error.
#include <chrono>
#include <cstdint>
#include <future>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

#include "faults/fault_support.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

using test::answer;
using test::appends;
using test::kMaxInFlight;
using test::kProduceApi;
using test::refusals;
using namespace std::chrono_literals;

// Short backoffs: the faults last milliseconds to seconds, and the tests wait for the retries.
DataFrameWriter kafka_writer(const DataFrame& frame,
                             const MockCluster& cluster,
                             const std::string& topic) {
  DataFrameWriter writer = frame.write();
  writer.format("kafka")
      .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
      .option("topic", topic)
      .option("kafka.retry.backoff.ms", "20")
      .option("kafka.reconnect.backoff.ms", "20")
      .option("kafka.reconnect.backoff.max.ms", "200")
      // Smaller batches: more Produce requests, so that faults land in the middle of a write.
      .option("kafka.batch.num.messages", "2000");
  return writer;
}

void expect_each_row_once_in_order(const test::Tally& tally) {
  EXPECT_EQ(tally.missing(), 0U);
  EXPECT_EQ(tally.duplicated(), 0U);
  EXPECT_EQ(tally.out_of_order, 0U);
  EXPECT_EQ(tally.wrong_partition, 0U);
  EXPECT_EQ(tally.foreign, 0U);
}

TEST(BatchWriteFaults, TransientProduceErrorsAndDisconnectsLoseAndDuplicateNothing) {
  MockCluster cluster(1);
  test::BrokersUpAtExit brokers_up(cluster, 1);
  const std::string topic = test::unique_topic("faults-transient");
  constexpr int kPartitions = 4;
  constexpr std::size_t kRows = 100'000;
  constexpr std::size_t kTasks = 4;
  cluster.create_topic(topic, kPartitions);
  const DataFrame frame = test::numbered_rows(kRows, kPartitions, kTasks);

  // Every transient error appends nothing; a disconnect comes only after kMaxInFlight such
  // answers and is followed by as many (see fault_support.hpp), and so is the broker going down.
  const std::vector<test::RequestFault> transient = test::in_order(
      {{answer(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION),
        answer(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT), answer(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS),
        answer(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND),
        answer(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION),
        answer(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)},
       test::disconnect()});
  // Enough refusals that a test thread slowed by a loaded machine still takes the broker down
  // while they last (each costs the producer a retry backoff).
  constexpr std::size_t kRefusalsBeforeDown = 200;
  cluster.push_broker_request_errors(1, kProduceApi,
                                     test::in_order({appends(2), transient, appends(3), transient,
                                                     appends(3), refusals(kRefusalsBeforeDown)}));

  auto write = std::async(std::launch::async, [&] { kafka_writer(frame, cluster, topic).save(); });
  // Every request in flight when the broker goes down must be one that appends nothing.
  ASSERT_TRUE(test::take_down_during_refusals(cluster, 1, kRefusalsBeforeDown))
      << "the test thread ran too late: the broker went down after its refusals";
  std::this_thread::sleep_for(200ms);
  cluster.set_broker_up(1);
  ASSERT_NO_THROW(write.get());

  const std::vector<std::int64_t> ends = cluster.end_offsets(topic);
  ASSERT_EQ(ends.size(), static_cast<std::size_t>(kPartitions));
  for (const std::int64_t end : ends)
    EXPECT_EQ(end, static_cast<std::int64_t>(kRows / kPartitions));
  const test::Tally tally = test::tally(cluster.read_all(topic), kRows, kPartitions, kTasks);
  expect_each_row_once_in_order(tally);
}

TEST(BatchWriteFaults, BrokerDownForSecondsMidWriteDelaysTheWriteButLosesNothing) {
  MockCluster cluster(3);
  test::BrokersUpAtExit brokers_up(cluster, 3);
  const std::string topic = test::unique_topic("faults-down");
  constexpr int kPartitions = 3;
  constexpr std::size_t kRows = 60'000;
  constexpr std::size_t kTasks = 2;
  cluster.create_topic(topic, kPartitions);
  // Partition p is led by broker p + 1.
  for (int partition = 0; partition < kPartitions; ++partition) {
    cluster.set_partition_leader(topic, partition, partition + 1);
  }
  const DataFrame frame = test::numbered_rows(kRows, kPartitions, kTasks);

  // Broker 2 appends two batches of partition 1, then refuses until it goes down (so that the
  // write is certainly in the middle of partition 1 when it does).
  constexpr std::size_t kRefusals = 200;  // see kRefusalsBeforeDown above
  cluster.push_broker_request_errors(2, kProduceApi,
                                     test::in_order({appends(2), refusals(kRefusals)}));
  auto write = std::async(std::launch::async, [&] { kafka_writer(frame, cluster, topic).save(); });
  ASSERT_TRUE(test::take_down_during_refusals(cluster, 2, kRefusals))
      << "the test thread ran too late: the broker went down after its refusals";
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(write.wait_for(0ms), std::future_status::timeout)
      << "the write ended while the leader of partition 1 was down";
  cluster.set_broker_up(2);
  ASSERT_NO_THROW(write.get());

  const test::Tally tally = test::tally(cluster.read_all(topic), kRows, kPartitions, kTasks);
  expect_each_row_once_in_order(tally);
  EXPECT_EQ(tally.per_partition.at(1), kRows / kPartitions);
}

TEST(BatchWriteFaults, BrokerDownPastTheDeliveryTimeoutCountsExactlyTheRowsNotInKafka) {
  MockCluster cluster(3);
  test::BrokersUpAtExit brokers_up(cluster, 3);
  const std::string topic = test::unique_topic("faults-timeout");
  constexpr int kPartitions = 3;
  constexpr std::size_t kRows = 30'000;
  constexpr std::size_t kTasks = 2;
  cluster.create_topic(topic, kPartitions);
  for (int partition = 0; partition < kPartitions; ++partition) {
    cluster.set_partition_leader(topic, partition, partition + 1);
  }
  const DataFrame frame = test::numbered_rows(kRows, kPartitions, kTasks);

  // Broker 2 appends two batches of partition 1, then refuses until it goes down, and stays
  // down until the write has failed.
  constexpr std::size_t kRefusals = 200;  // see kRefusalsBeforeDown above
  cluster.push_broker_request_errors(2, kProduceApi,
                                     test::in_order({appends(2), refusals(kRefusals)}));
  auto write = std::async(std::launch::async, [&] {
    kafka_writer(frame, cluster, topic).option("kafka.delivery.timeout.ms", "2000").save();
  });
  test::wait_for_produce_requests(cluster, 2, kRefusals - kMaxInFlight);
  cluster.set_broker_down(2);
  // The write fails while the broker is still down: it is down for longer than the timeout.
  std::size_t failed = 0;
  try {
    write.get();
    FAIL() << "the write succeeded with the leader of partition 1 down";
  } catch (const KafkaWriteError& error) {
    failed = error.failed_records();
    EXPECT_EQ(error.total_records(), kRows);
    EXPECT_GT(failed, 0U);
    EXPECT_EQ(error.first_error().error_name, "_MSG_TIMED_OUT");
    EXPECT_EQ(error.first_error().topic, topic);
    EXPECT_EQ(error.first_error().partition, 1);
    EXPECT_THAT(error.what(), ::testing::HasSubstr(std::to_string(failed)));
    EXPECT_THAT(error.what(), ::testing::HasSubstr(std::to_string(kRows)));
  }
  cluster.set_broker_up(2);

  const test::Tally tally = test::tally(cluster.read_all(topic), kRows, kPartitions, kTasks);
  EXPECT_EQ(tally.duplicated(), 0U);
  EXPECT_EQ(tally.out_of_order, 0U);
  EXPECT_EQ(tally.foreign, 0U);
  // The error counts exactly the rows that are not in Kafka: all of them led by broker 2.
  EXPECT_EQ(tally.distinct() + failed, kRows);
  EXPECT_EQ(tally.per_partition.at(0), kRows / kPartitions);
  EXPECT_EQ(tally.per_partition.at(2), kRows / kPartitions);
  EXPECT_EQ(tally.per_partition.at(1) + failed, kRows / kPartitions);

  // The cached producer recovered: the next write with the same options goes through.
  const std::string second_topic = test::unique_topic("faults-after-timeout");
  cluster.create_topic(second_topic, 1);
  cluster.set_partition_leader(second_topic, 0, 1);
  kafka_writer(test::numbered_rows(10, 1, 1), cluster, second_topic)
      .option("kafka.delivery.timeout.ms", "2000")
      .save();
  EXPECT_EQ(cluster.end_offsets(second_topic), std::vector<std::int64_t>{10});
}

// Permanent errors: the write fails at the first answer, without retrying until the delivery
// timeout, which is ten minutes here: the test finishing at all shows the write failed fast.
// (A topic error in Metadata answers is not tested: librdkafka 2.0.2's mock broker lists the
// topic's partitions along with the error, where a real broker lists none, and librdkafka then
// keeps the records for a partition count that never comes, until the delivery timeout.)
class PermanentErrors : public ::testing::Test {
 protected:
  static constexpr std::size_t kRows = 100;

  PermanentErrors() { cluster_.create_topic(topic_, 2); }

  // Runs the write and returns its error; counts the Produce requests it made.
  KafkaWriteError failed_write(const DataFrame& frame) {
    try {
      kafka_writer(frame, cluster_, topic_).option("kafka.delivery.timeout.ms", "600000").save();
    } catch (const KafkaWriteError& error) {
      return error;
    }
    ADD_FAILURE() << "the write succeeded";
    return KafkaWriteError(0, 0, {});
  }

  // Counts Produce requests: the broker answers the first `fault` and `kCounted` more as
  // usual, and the unused entries tell how many were made.
  static constexpr std::size_t kCounted = 1'000;
  void count_produce_requests_after(const test::RequestFault& fault) {
    cluster_.push_broker_request_errors(1, kProduceApi,
                                        test::in_order({{fault}, appends(kCounted)}));
  }
  std::size_t produce_requests() const {
    return kCounted + 1 - cluster_.broker_request_errors_left(1, kProduceApi);
  }

  MockCluster cluster_{1};
  std::string topic_ = test::unique_topic("faults-permanent");
};

TEST_F(PermanentErrors, TopicAuthorizationFailedOnProduceFailsFastAndIsNamed) {
  count_produce_requests_after(answer(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED));
  const KafkaWriteError error = failed_write(test::numbered_rows(kRows, 1, 1));
  EXPECT_EQ(error.first_error().error_name, "TOPIC_AUTHORIZATION_FAILED");
  EXPECT_EQ(error.first_error().topic, topic_);
  EXPECT_EQ(error.total_records(), kRows);
  const std::size_t in_kafka = cluster_.read_all(topic_).size();
  EXPECT_EQ(in_kafka + error.failed_records(), kRows);
  // No retry storm: the refused batch is not sent again.
  EXPECT_LE(produce_requests(), 3U);
}

TEST_F(PermanentErrors, MessageTooLargeFromTheBrokerFailsFastAndIsNamed) {
  count_produce_requests_after(answer(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
  const KafkaWriteError error = failed_write(test::numbered_rows(kRows, 1, 1));
  EXPECT_EQ(error.first_error().error_name, "MSG_SIZE_TOO_LARGE");
  EXPECT_EQ(error.first_error().topic, topic_);
  EXPECT_EQ(error.first_error().partition, 0);
  const std::size_t in_kafka = cluster_.read_all(topic_).size();
  EXPECT_EQ(in_kafka + error.failed_records(), kRows);
  EXPECT_LE(produce_requests(), 3U);
}

TEST_F(PermanentErrors, MessageLargerThanTheProducerAllowsFailsBeforeSendingIt) {
  const DataFrame frame = DataFrame::from_rows(Schema({{"value", string_type()}}),
                                               {{"small"}, {std::string(20'000, 'x')}});
  try {
    kafka_writer(frame, cluster_, topic_)
        .option("kafka.max.request.size", "10000")
        .option("kafka.delivery.timeout.ms", "600000")
        .save();
    FAIL() << "the write succeeded";
  } catch (const KafkaWriteError& error) {
    EXPECT_EQ(error.first_error().error_name, "MSG_SIZE_TOO_LARGE");
    const std::size_t in_kafka = cluster_.read_all(topic_).size();
    EXPECT_EQ(in_kafka + error.failed_records(), 2U);
  }
}

TEST_F(PermanentErrors, PartitionColumnBeyondThePartitionCountFailsFastAndIsNamed) {
  // Rows 0..99 name partitions 0..6 of a topic that has 2.
  const KafkaWriteError error = failed_write(test::numbered_rows(kRows, 7, 1));
  EXPECT_EQ(error.first_error().error_name, "_UNKNOWN_PARTITION");
  EXPECT_EQ(error.first_error().topic, topic_);
  EXPECT_GE(error.first_error().partition, 2);
  const std::size_t in_kafka = cluster_.read_all(topic_).size();
  EXPECT_EQ(in_kafka + error.failed_records(), kRows);
}

}  // namespace
}  // namespace kafkasink
