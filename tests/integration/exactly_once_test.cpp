// Exactly-once writes (deliveryGuarantee exactly-once) against a real Kafka broker: librdkafka's
// mock cluster shows aborted records to read_committed consumers, so only a real broker can
// tell a committed transaction from an aborted one. Every read here is read_committed unless
// it says otherwise.
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

// Each of the values `first`..`last` once, and nothing else, in `topic` as read_committed
// consumers see it once the last commit's markers are in.
void expect_each_once(const test::TestBroker& broker,
                      const std::string& topic,
                      std::int64_t first,
                      std::int64_t last) {
  const std::vector<ConsumedRecord> records =
      broker.read_at_least(topic, static_cast<std::size_t>(last - first + 1));
  std::multiset<std::string> seen;
  for (const ConsumedRecord& record : records) seen.insert(record.value.value_or("<null>"));
  const std::vector<std::string> expected = test::number_strings(first, last);
  EXPECT_EQ(records.size(), expected.size());
  for (const std::string& value : expected) {
    EXPECT_EQ(seen.count(value), 1U) << "value " << value;
  }
}

DataFrame numbered_values(std::int64_t count, std::size_t partitions) {
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(count));
  for (std::int64_t n = 0; n < count; ++n) rows.push_back(Row{std::to_string(n)});
  return DataFrame::from_rows(Schema({{"value", string_type()}}), rows).repartition(partitions);
}

class ExactlyOnce : public test::BrokerTest {
 protected:
  std::string new_topic(int partitions = 1) const {
    std::string topic = test::unique_topic("eos");
    broker().create_topic(topic, partitions);
    return topic;
  }

  DataFrameWriter exactly_once_writer(const DataFrame& frame, const std::string& topic) const {
    DataFrameWriter writer = frame.write();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", broker().bootstrap_servers())
        .option("topic", topic)
        .option("deliveryGuarantee", "Exactly-Once");
    return writer;
  }
};

INSTANTIATE_TEST_SUITE_P(RealKafka, ExactlyOnce, ::testing::Values(test::BrokerKind::real_kafka));

TEST_P(ExactlyOnce, TwentyThousandRowsOverFourTasksAreSeenOnceEach) {
  const std::string topic = new_topic(3);
  exactly_once_writer(numbered_values(20'000, 4), topic).save();
  expect_each_once(broker(), topic, 0, 19'999);
}

TEST_P(ExactlyOnce, ARecordTheBrokerRefusesAbortsTheWholeSave) {
  const std::string topic = new_topic(2);
  std::vector<Row> rows;
  for (int n = 0; n < 2'000; ++n) rows.push_back(Row{std::to_string(n)});
  // Over the broker's message.max.bytes (1 MB by default); max.request.size is raised so
  // that the client sends it and the broker is the one to refuse it.
  rows.push_back(Row{std::string(2'000'000, 'x')});
  const DataFrame frame =
      DataFrame::from_rows(Schema({{"value", string_type()}}), rows).repartition(4);
  DataFrameWriter writer = exactly_once_writer(frame, topic);
  writer.option("kafka.max.request.size", "3000000");
  try {
    writer.save();
    FAIL() << "save() succeeded";
  } catch (const TransactionAbortedError& error) {
    EXPECT_EQ(error.failed_records(), 2'001U);
    EXPECT_EQ(error.total_records(), 2'001U);
    EXPECT_GT(error.records_in_transaction(), 0U);
    EXPECT_FALSE(error.fenced());
    EXPECT_EQ(error.first_error().error_name, "MSG_SIZE_TOO_LARGE");
    EXPECT_THAT(error.what(), HasSubstr(fmt::format("was aborted with the {} records it held "
                                                    "(2001 in the write)",
                                                    error.records_in_transaction())));
    EXPECT_THAT(error.what(), HasSubstr("none of them is visible to read_committed consumers"));
    EXPECT_THAT(error.what(),
                HasSubstr(fmt::format("A record was not delivered to topic-partition {}-", topic)));
  }
  // The records did reach the broker, inside the aborted transaction.
  EXPECT_FALSE(broker().read_all(topic, 30s, "read_uncommitted").empty());

  // A retry writes everything once: nothing of the aborted transaction is visible.
  rows.pop_back();
  exactly_once_writer(DataFrame::from_rows(Schema({{"value", string_type()}}), rows), topic).save();
  expect_each_once(broker(), topic, 0, 1'999);
}

TEST_P(ExactlyOnce, ASaveLongerThanTheTransactionTimeoutFailsAndShowsNothing) {
  const std::string topic = new_topic();
  DataFrameWriter writer = exactly_once_writer(numbered_values(100, 1), topic);
  bool slept = false;
  // The progress callback runs on the thread of save(), between the sends and the commit.
  writer.option("kafka.transaction.timeout.ms", "1000").on_progress([&](const WriteProgress&) {
    if (!slept) std::this_thread::sleep_for(1500ms);
    slept = true;
  });
  try {
    writer.save();
    FAIL() << "save() succeeded";
  } catch (const TransactionAbortedError& error) {
    EXPECT_EQ(error.first_error().error_name, "_TIMED_OUT");
    EXPECT_THAT(error.what(), HasSubstr("longer than kafka.transaction.timeout.ms (1000 ms)"));
  }
  // A later committed save shows that the first one's records never become visible.
  exactly_once_writer(test::frame_of_strings({{"value", "after"}}), topic).save();
  const std::vector<ConsumedRecord> records = broker().read_at_least(topic, 1);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].value, "after");
}

TEST_P(ExactlyOnce, ConcurrentSavesEachGetTheirOwnTransaction) {
  const std::string topic = new_topic(2);
  constexpr int kWriters = 3;
  constexpr int kRows = 2'000;
  std::vector<std::jthread> writers;
  std::array<std::exception_ptr, kWriters> errors{};
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&, writer] {
      try {
        std::vector<Row> rows;
        for (int n = writer * kRows; n < (writer + 1) * kRows; ++n) {
          rows.push_back(Row{std::to_string(n)});
        }
        exactly_once_writer(
            DataFrame::from_rows(Schema({{"value", string_type()}}), rows).repartition(2), topic)
            .save();
      } catch (...) {
        errors[static_cast<std::size_t>(writer)] = std::current_exception();
      }
    });
  }
  writers.clear();
  for (const std::exception_ptr& error : errors) EXPECT_EQ(error, nullptr);
  expect_each_once(broker(), topic, 0, kWriters * kRows - 1);
}

// The streaming half: each micro-batch one transaction, which also records its batch id.
class ExactlyOnceStreaming : public test::BrokerTest {
 protected:
  void SetUp() override {
    input_ = test::temporary_directory("eos-input");
    checkpoint_ = test::temporary_directory("eos-checkpoint");
    topic_ = test::unique_topic("eos-stream");
    broker().create_topic(topic_, 2);
  }

  void TearDown() override {
    fs::remove_all(input_);
    fs::remove_all(checkpoint_);
  }

  StreamingQuery start(Session& session,
                       Trigger trigger = Trigger::available_now(),
                       const std::map<std::string, std::string>& options = {}) const {
    // A string column, so that a line can be a record too large for the broker.
    return session.read_stream()
        .schema(Schema({{"n", string_type(), true}}))
        .option("maxFilesPerTrigger", 1)
        .csv(input_)
        .select_expr({"n AS value"})
        .write_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", broker().bootstrap_servers())
        .option("topic", topic_)
        .option("checkpointLocation", checkpoint_)
        .option("deliveryGuarantee", "exactly-once")
        .options(options)
        .trigger(trigger)
        .start();
  }

  void write_files(int from, int to, int rows_per_file) const {
    for (int file = from; file < to; ++file) {
      test::write_number_csv(input_, fmt::format("part-{:02}.csv", file), file * rows_per_file,
                             (file + 1) * rows_per_file - 1, file);
    }
  }

  std::string input_;
  std::string checkpoint_;
  std::string topic_;
};

INSTANTIATE_TEST_SUITE_P(RealKafka,
                         ExactlyOnceStreaming,
                         ::testing::Values(test::BrokerKind::real_kafka));

TEST_P(ExactlyOnceStreaming, ABatchKafkaCommittedIsMarkedCommittedNotReRun) {
  write_files(0, 3, 100);
  Session session = Session::builder().create();
  {
    StreamingQuery query = start(session);
    query.await_termination();
    ASSERT_EQ(query.recent_progress().size(), 3U);
  }
  // A crash after the transaction of batch 2 committed, before the checkpoint's commit entry.
  const fs::path commit = fs::path(checkpoint_) / "commits" / "2";
  ASSERT_TRUE(fs::remove(commit));

  StreamingQuery restarted = start(session);
  restarted.await_termination();
  EXPECT_FALSE(restarted.exception());
  EXPECT_THAT(restarted.recent_progress(), IsEmpty()) << "a batch was re-run";
  EXPECT_TRUE(fs::exists(commit));
  expect_each_once(broker(), topic_, 0, 299);
}

TEST_P(ExactlyOnceStreaming, ABatchKafkaAbortedIsReRunInANewTransaction) {
  write_files(0, 2, 100);
  // Batch 2 holds a record the broker refuses: its transaction is aborted, the query fails.
  {
    std::ofstream big(fs::path(input_) / ".part-02.csv.tmp");
    for (int n = 200; n < 300; ++n) big << n << "\n";
    big << std::string(2'000'000, '9') << "\n";
  }
  fs::last_write_time(fs::path(input_) / ".part-02.csv.tmp",
                      fs::file_time_type::clock::now() - 30min);
  fs::rename(fs::path(input_) / ".part-02.csv.tmp", fs::path(input_) / "part-02.csv");
  Session session = Session::builder().create();
  const std::map<std::string, std::string> big_requests{{"kafka.max.request.size", "3000000"}};
  {
    StreamingQuery query = start(session, Trigger::available_now(), big_requests);
    EXPECT_THROW(query.await_termination(), StreamingQueryError);
    ASSERT_TRUE(query.exception());
    EXPECT_THAT(query.exception()->what(), HasSubstr("micro-batch 2 could not be written"));
    EXPECT_THAT(query.exception()->what(), HasSubstr("was aborted"));
  }
  expect_each_once(broker(), topic_, 0, 199);

  // The file is repaired in place; the re-run reads the batch's files again.
  test::write_number_csv(input_, "part-02.csv", 200, 299, 2);
  StreamingQuery restarted = start(session, Trigger::available_now(), big_requests);
  restarted.await_termination();
  const std::vector<StreamingQueryProgress> progress = restarted.recent_progress();
  ASSERT_EQ(progress.size(), 1U);
  EXPECT_EQ(progress[0].batch_id, 2);
  EXPECT_TRUE(progress[0].rerun);
  expect_each_once(broker(), topic_, 0, 299);
}

struct HandleDeleter {
  void operator()(rd_kafka_t* handle) const noexcept { rd_kafka_destroy(handle); }
};

// A producer of another process that takes over `transactional_id`.
std::unique_ptr<rd_kafka_t, HandleDeleter> fence(const std::string& bootstrap,
                                                 const std::string& transactional_id) {
  std::array<char, 512> error{};
  rd_kafka_conf_t* configuration = rd_kafka_conf_new();
  EXPECT_EQ(rd_kafka_conf_set(configuration, "bootstrap.servers", bootstrap.c_str(), error.data(),
                              error.size()),
            RD_KAFKA_CONF_OK);
  EXPECT_EQ(rd_kafka_conf_set(configuration, "transactional.id", transactional_id.c_str(),
                              error.data(), error.size()),
            RD_KAFKA_CONF_OK);
  std::unique_ptr<rd_kafka_t, HandleDeleter> producer(
      rd_kafka_new(RD_KAFKA_PRODUCER, configuration, error.data(), error.size()));
  EXPECT_NE(producer, nullptr) << error.data();
  rd_kafka_error_t* failed = rd_kafka_init_transactions(producer.get(), 30'000);
  EXPECT_EQ(failed, nullptr) << (failed ? rd_kafka_error_string(failed) : "");
  if (failed != nullptr) rd_kafka_error_destroy(failed);
  return producer;
}

TEST_P(ExactlyOnceStreaming, ANewerProducerWithTheQuerysIdFencesItAndTheQuerySaysSo) {
  write_files(0, 1, 100);
  Session session = Session::builder().create();
  const std::string prefix = test::unique_topic("fence");
  StreamingQuery query =
      start(session, Trigger::processing_time(10ms), {{"transactionalIdPrefix", prefix}});
  query.process_all_available();
  const std::string transactional_id = prefix + "-" + query.id();
  {
    const auto newer = fence(broker().bootstrap_servers(), transactional_id);
    write_files(1, 2, 100);
    EXPECT_THROW(query.process_all_available(), StreamingQueryError);
  }
  ASSERT_TRUE(query.exception());
  const std::string message = query.exception()->what();
  EXPECT_THAT(message, HasSubstr("micro-batch 1 could not be written"));
  EXPECT_THAT(message, HasSubstr(fmt::format("Its producer was fenced: another producer with "
                                             "transactional id '{}'",
                                             transactional_id)));
  try {
    std::rethrow_exception(query.exception()->cause());
  } catch (const TransactionAbortedError& error) {
    EXPECT_TRUE(error.fenced());
    EXPECT_EQ(error.transactional_id(), transactional_id);
  }
  expect_each_once(broker(), topic_, 0, 99);

  // Started again, the query takes its id back and re-runs the batch.
  StreamingQuery restarted =
      start(session, Trigger::available_now(), {{"transactionalIdPrefix", prefix}});
  restarted.await_termination();
  EXPECT_FALSE(restarted.exception());
  expect_each_once(broker(), topic_, 0, 199);
}

}  // namespace
}  // namespace kafkasink
