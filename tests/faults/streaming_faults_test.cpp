// Streaming queries while the broker misbehaves: transient errors, disconnects and a short
// outage are ridden out (every row once); an outage past the delivery timeout or a permanent
// error stops the query with exception() naming the broker's error, and a restart from the
// checkpoint delivers every row at least once.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

#include "faults/fault_support.hpp"
#include "integration/streaming_support.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

using test::answer;
using test::appends;
using test::kMaxInFlight;
using test::kProduceApi;
using test::refusals;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr int kRowsPerFile = 200;

class StreamingFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    input_ = test::temporary_directory("faults-stream-input");
    checkpoint_ = test::temporary_directory("faults-stream-checkpoint");
    topic_ = test::unique_topic("faults-stream");
  }

  void TearDown() override {
    session_.stop();
    std::filesystem::remove_all(input_);
    std::filesystem::remove_all(checkpoint_);
  }

  // Files first..last-1, each of kRowsPerFile numbers, oldest first.
  void write_files(int first, int last) const {
    for (int file = first; file < last; ++file) {
      test::write_numbers(input_, "part-" + std::to_string(file) + ".json",
                          std::int64_t{file} * kRowsPerFile,
                          std::int64_t{file} * kRowsPerFile + kRowsPerFile - 1, file);
    }
  }

  StreamingQuery start(const MockCluster& cluster,
                       const std::map<std::string, std::string>& extra_options = {},
                       const std::vector<std::string>& columns = {
                           "CAST(n AS STRING) AS value"}) const {
    DataStreamWriter writer = session_.read_stream()
                                  .schema(test::numbers_schema())
                                  .option("maxFilesPerTrigger", 1)
                                  .json(input_)
                                  .select_expr(columns)
                                  .write_stream();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
        .option("topic", topic_)
        .option("checkpointLocation", checkpoint_)
        .option("kafka.retry.backoff.ms", "20")
        .option("kafka.reconnect.backoff.ms", "20")
        .option("kafka.reconnect.backoff.max.ms", "200")
        .options(extra_options)
        .query_name("faults")
        .trigger(Trigger::processing_time(10ms));
    return writer.start();
  }

  // How many times each of the rows of files 0..files-1 is in the topic.
  std::vector<int> copies_of_rows(const MockCluster& cluster, int files) const {
    std::vector<int> copies(static_cast<std::size_t>(files) * kRowsPerFile, 0);
    for (const ConsumedRecord& record : cluster.read_all(topic_)) {
      const std::size_t row = std::stoul(record.value.value_or("-1"));
      if (row < copies.size()) ++copies[row];
    }
    return copies;
  }

  Session session_ = Session::builder().create();
  std::string input_;
  std::string checkpoint_;
  std::string topic_;
};

TEST_F(StreamingFaults, TransientErrorsDisconnectsAndAShortOutageAreRiddenOut) {
  MockCluster cluster(1);
  test::BrokersUpAtExit brokers_up(cluster, 1);
  cluster.create_topic(topic_, 2);
  // Errors that append nothing, a disconnect only after kMaxInFlight of them (see
  // fault_support.hpp), then refusals until the broker goes down.
  const std::vector<test::RequestFault> transient = test::in_order(
      {{answer(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION),
        answer(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT), answer(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS),
        answer(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND),
        answer(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)},
       test::disconnect()});
  constexpr std::size_t kRefusals = 50;
  cluster.push_broker_request_errors(1, kProduceApi,
                                     test::in_order({appends(1), transient, appends(2), transient,
                                                     appends(2), refusals(kRefusals)}));
  // More micro-batches than the stack has appends: however librdkafka batches the records (one
  // Produce request a micro-batch on a slow machine), the refusals are reached.
  write_files(0, 10);
  StreamingQuery query = start(cluster);
  ASSERT_TRUE(test::take_down_during_refusals(cluster, 1, kRefusals))
      << "the test thread ran too late: the broker went down after its refusals";
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(query.is_active());  // waiting for the broker, not failed
  cluster.set_broker_up(1);
  write_files(10, 15);
  query.process_all_available();
  EXPECT_TRUE(query.is_active());
  query.stop();
  EXPECT_FALSE(query.exception());

  // Ridden out without a restart: no batch ran twice, so every row is there exactly once.
  const std::vector<int> copies = copies_of_rows(cluster, 15);
  EXPECT_EQ(std::count(copies.begin(), copies.end(), 1),
            static_cast<std::ptrdiff_t>(copies.size()));
}

TEST_F(StreamingFaults, OutagePastTheDeliveryTimeoutStopsTheQueryAndARestartDeliversEveryRow) {
  MockCluster cluster(3);
  test::BrokersUpAtExit brokers_up(cluster, 3);
  cluster.create_topic(topic_, 3);
  for (int partition = 0; partition < 3; ++partition) {
    cluster.set_partition_leader(topic_, partition, partition + 1);
  }
  constexpr std::size_t kRefusals = 50;
  cluster.push_broker_request_errors(2, kProduceApi,
                                     test::in_order({appends(2), refusals(kRefusals)}));
  write_files(0, 8);
  // Keyed rows, spread over the partitions by their key's hash: without a key librdkafka's sticky
  // partitioner sends each micro-batch to one partition, and partition 1 may then get no more
  // than the two appends.
  const std::vector<std::string> columns{"CAST(n AS STRING) AS key", "CAST(n AS STRING) AS value"};
  StreamingQuery query = start(cluster, {{"kafka.delivery.timeout.ms", "1500"}}, columns);
  // The refusals alone can outlast the delivery timeout and stop the query before the outage
  // starts: either way the records of partition 1 time out, which is what is tested.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (query.is_active() &&
         cluster.broker_request_errors_left(2, kProduceApi) > kRefusals - kMaxInFlight) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "broker 2 got no Produce requests";
    std::this_thread::sleep_for(1ms);
  }
  cluster.set_broker_down(2);
  // A minute bounds the wait (the query stops 1.5 s after its records time out) so that a
  // regression fails here instead of hanging the suite.
  EXPECT_THROW(static_cast<void>(query.await_termination(60s)), StreamingQueryError)
      << "the query did not stop within a minute of the outage";
  cluster.set_broker_up(2);
  const std::optional<StreamingQueryError> error = query.exception();
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(), HasSubstr("Job aborted due to stage failure"));
  EXPECT_THAT(error->what(), HasSubstr("records were not delivered to topic-partition " + topic_ +
                                       "-1: _MSG_TIMED_OUT"));
  EXPECT_THROW(std::rethrow_exception(error->cause()), KafkaWriteError);

  StreamingQuery restarted = start(cluster, {}, columns);
  restarted.process_all_available();
  restarted.stop();
  EXPECT_FALSE(restarted.exception());
  const std::vector<int> copies = copies_of_rows(cluster, 8);
  EXPECT_EQ(std::count(copies.begin(), copies.end(), 0), 0) << "rows lost";
}

TEST_F(StreamingFaults, PermanentErrorStopsTheQueryNamingItAndARestartDeliversEveryRow) {
  MockCluster cluster(1);
  cluster.create_topic(topic_, 2);
  write_files(0, 2);
  StreamingQuery first = start(cluster);
  first.process_all_available();
  first.stop();
  // The next Produce request is refused for good; the query must not wait for the ten minutes
  // of the delivery timeout: the test finishing at all shows that it did not.
  cluster.push_broker_request_errors(1, kProduceApi,
                                     {answer(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)});
  write_files(2, 3);
  StreamingQuery query = start(cluster, {{"kafka.delivery.timeout.ms", "600000"}});
  EXPECT_THROW(query.await_termination(), StreamingQueryError);
  const std::optional<StreamingQueryError> error = query.exception();
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(), HasSubstr(": MSG_SIZE_TOO_LARGE: "));
  EXPECT_THAT(error->what(), HasSubstr("micro-batch 2"));

  write_files(3, 5);
  StreamingQuery restarted = start(cluster);
  restarted.process_all_available();
  restarted.stop();
  EXPECT_FALSE(restarted.exception());
  const std::vector<int> copies = copies_of_rows(cluster, 5);
  EXPECT_EQ(std::count(copies.begin(), copies.end(), 0), 0) << "rows lost";
}

}  // namespace
}  // namespace kafkasink
