// DataFrameWriter::on_progress against a real Kafka protocol broker (MockCluster): what the
// reports say, on which thread they come, and what happens when the write or the callback
// fails.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "support/frames.hpp"
#include "support/shared_cluster.hpp"

namespace kafkasink {
namespace {

class WriteProgressTest : public test::SharedClusterTest {
 protected:
  // `rows` rows of key `k<i>` and value `value-<i>`, in `partitions` frame partitions.
  static DataFrame numbered_frame(std::size_t rows, std::size_t partitions) {
    std::vector<Row> content;
    for (std::size_t row = 0; row < rows; ++row) {
      content.push_back(Row{"k" + std::to_string(row), "value-" + std::to_string(row)});
    }
    return DataFrame::from_rows(Schema({{"key", string_type()}, {"value", string_type()}}), content)
        .repartition(partitions);
  }

  static std::size_t key_and_value_bytes(std::size_t rows) {
    std::size_t bytes = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      bytes += ("k" + std::to_string(row)).size() + ("value-" + std::to_string(row)).size();
    }
    return bytes;
  }

  static DataFrameWriter kafka_writer(const DataFrame& frame, const std::string& topic) {
    DataFrameWriter writer = frame.write();
    writer.format("kafka")
        .mode(SaveMode::kAppend)
        .option("kafka.bootstrap.servers", cluster().bootstrap_servers())
        .option("topic", topic);
    return writer;
  }
};

TEST_F(WriteProgressTest, LastReportCountsEveryRecordAndComesOnTheSavingThread) {
  const std::string topic = test::unique_topic("progress");
  cluster().create_topic(topic, 3);
  constexpr std::size_t kRows = 5'000;
  std::vector<WriteProgress> reports;
  std::vector<std::thread::id> threads;
  kafka_writer(numbered_frame(kRows, 3), topic)
      .on_progress([&](const WriteProgress& progress) {
        reports.push_back(progress);
        threads.push_back(std::this_thread::get_id());
      })
      .save();

  ASSERT_FALSE(reports.empty());
  const WriteProgress& last = reports.back();
  EXPECT_TRUE(last.done);
  EXPECT_EQ(last.records_total, kRows);
  EXPECT_EQ(last.records_sent, kRows);
  EXPECT_EQ(last.records_acknowledged, kRows);
  EXPECT_EQ(last.records_failed, 0U);
  EXPECT_EQ(last.bytes_sent, key_and_value_bytes(kRows));
  for (std::size_t index = 0; index + 1 < reports.size(); ++index) {
    EXPECT_FALSE(reports[index].done) << "report " << index;
    EXPECT_LE(reports[index].records_sent, reports[index + 1].records_sent);
    EXPECT_LE(reports[index].records_acknowledged, reports[index + 1].records_acknowledged);
    EXPECT_LE(reports[index].bytes_sent, reports[index + 1].bytes_sent);
    EXPECT_LE(reports[index].records_acknowledged, reports[index].records_sent);
  }
  EXPECT_THAT(threads, ::testing::Each(std::this_thread::get_id()));
  EXPECT_EQ(cluster().read_all(topic).size(), kRows);
}

TEST_F(WriteProgressTest, ReportsWhileAcknowledgementsAreOutstanding) {
  // Every answer of the broker takes 300 ms, so the write lasts longer than the 100 ms
  // between reports and at least one report comes before the last.
  MockCluster slow_cluster(1);
  slow_cluster.set_rtt(1, std::chrono::milliseconds(300));
  // A session of its own, stopped before the cluster goes, so no producer outlives its broker.
  Session session = Session::builder().create();
  const DataFrame rows = numbered_frame(100, 1);
  std::vector<WriteProgress> reports;
  DataFrame(rows.schema(), rows.partitions(), session.state())
      .write()
      .format("kafka")
      .mode(SaveMode::kAppend)
      .option("kafka.bootstrap.servers", slow_cluster.bootstrap_servers())
      .option("topic", "slow")
      .on_progress([&](const WriteProgress& progress) { reports.push_back(progress); })
      .save();
  session.stop();
  ASSERT_GE(reports.size(), 2U);
  EXPECT_FALSE(reports.front().done);
  EXPECT_EQ(reports.front().records_total, 100U);
  EXPECT_TRUE(reports.back().done);
  EXPECT_EQ(reports.back().records_acknowledged, 100U);
}

TEST_F(WriteProgressTest, LastReportCountsFailedRecordsBeforeSaveThrows) {
  const std::string topic = test::unique_topic("progress-fail");
  cluster().create_topic(topic, 1);
  const DataFrame frame = numbered_frame(10, 1).with_column("partition", lit(std::int32_t{7}));
  std::vector<WriteProgress> reports;
  EXPECT_THROW(kafka_writer(frame, topic)
                   .on_progress([&](const WriteProgress& progress) { reports.push_back(progress); })
                   .save(),
               KafkaWriteError);
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().done);
  EXPECT_EQ(reports.back().records_total, 10U);
  EXPECT_EQ(reports.back().records_acknowledged, 0U);
  EXPECT_GE(reports.back().records_failed, 1U);
}

TEST_F(WriteProgressTest, CallbackExceptionIsRethrownAfterEveryRecordIsDelivered) {
  const std::string topic = test::unique_topic("progress-throw");
  cluster().create_topic(topic, 2);
  int calls = 0;
  EXPECT_THAT(
      [&] {
        kafka_writer(numbered_frame(2'000, 2), topic)
            .on_progress([&](const WriteProgress&) {
              ++calls;
              throw std::runtime_error("display failed");
            })
            .save();
      },
      ::testing::ThrowsMessage<std::runtime_error>(::testing::StrEq("display failed")));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(cluster().read_all(topic).size(), 2'000U);
}

TEST_F(WriteProgressTest, EmptyFrameGetsNoReport) {
  int calls = 0;
  kafka_writer(numbered_frame(0, 1), test::unique_topic("progress-empty"))
      .on_progress([&](const WriteProgress&) { ++calls; })
      .save();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace kafkasink
