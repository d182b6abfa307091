// Streaming queries against real Kafka protocol brokers (the mock cluster and Apache Kafka), read
// back with a real consumer. Ports the streaming tests of Spark's KafkaSinkSuite (section 6.1 of
// SPARK_REFERENCE.md) and adds the file source, triggers, restarts and broker faults.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::ThrowsMessage;
using ::testing::UnorderedElementsAreArray;
using namespace std::chrono_literals;

constexpr int kProduceApi = 0;
constexpr int kUnknownTopicOrPartition = 3;  // RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART

class StreamingSink : public test::BrokerTest {
 protected:
  void SetUp() override {
    input_ = test::temporary_directory("stream-input");
    checkpoint_ = test::temporary_directory("stream-checkpoint");
    topic_ = test::unique_topic("stream");
    broker().create_topic(topic_, 2);
  }

  void TearDown() override {
    std::filesystem::remove_all(input_);
    std::filesystem::remove_all(checkpoint_);
  }

  StreamingDataFrame numbers(std::optional<int> max_files = std::nullopt) const {
    DataStreamReader reader = session_.read_stream();
    reader.schema(test::numbers_schema());
    if (max_files) reader.option("maxFilesPerTrigger", *max_files);
    return reader.json(input_);
  }

  // The seed's shape: value = the number as a string.
  StreamingDataFrame values(std::optional<int> max_files = std::nullopt) const {
    return numbers(max_files).select_expr({"CAST(n AS STRING) AS value"});
  }

  DataStreamWriter kafka_writer(const StreamingDataFrame& frame) const {
    DataStreamWriter writer = frame.write_stream();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", broker().bootstrap_servers())
        .option("checkpointLocation", checkpoint_)
        .trigger(Trigger::processing_time(20ms));
    return writer;
  }

  std::vector<std::string> read_values() const {
    return test::sorted_values(broker().read_all(topic_));
  }

  static std::vector<std::string> sorted(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    return values;
  }

  Session session_ = Session::builder().get_or_create();
  std::string input_;
  std::string checkpoint_;
  std::string topic_;
};

KAFKASINK_INSTANTIATE_ON_BROKERS(StreamingSink);

// Faults only the mock broker can inject in process (the real cluster's are in
// tests/faults/real_kafka_faults_test.cpp).
class StreamingSinkOnMock : public StreamingSink {
 protected:
  MockCluster& cluster() const { return *broker().mock(); }
};

INSTANTIATE_TEST_SUITE_P(Mock, StreamingSinkOnMock, ::testing::Values(test::BrokerKind::mock));

// Spark 1: "streaming - write to kafka with topic field".
TEST_P(StreamingSink, WritesWithTopicField) {
  test::write_numbers(input_, "a.json", 1, 5, 1);
  StreamingQuery query = kafka_writer(numbers().select_expr({"'" + topic_ + "' AS topic",
                                                             "CAST(n AS STRING) AS value"}))
                             .start();
  query.process_all_available();
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 5)));
  test::write_numbers(input_, "b.json", 6, 10, 2);
  query.process_all_available();
  query.stop();
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 10)));
  EXPECT_FALSE(query.exception());
}

// Spark 2: "streaming - write w/o topic field, with topic option".
TEST_P(StreamingSink, WritesWithTopicOption) {
  test::write_numbers(input_, "a.json", 1, 5, 1);
  test::write_numbers(input_, "b.json", 6, 10, 2);
  StreamingQuery query = kafka_writer(values()).option("topic", topic_).start();
  query.process_all_available();
  query.stop();
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 10)));
}

// Spark 3: "streaming - topic field and topic option": the option wins.
TEST_P(StreamingSink, TopicOptionOverridesTopicField) {
  test::write_numbers(input_, "a.json", 1, 3, 1);
  const std::string other = test::unique_topic("foo");
  broker().create_topic(other, 1);
  StreamingQuery query = kafka_writer(numbers().select_expr({"'" + other + "' AS topic",
                                                             "CAST(n AS STRING) AS value"}))
                             .option("topic", topic_)
                             .start();
  query.process_all_available();
  query.stop();
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 3)));
  EXPECT_THAT(broker().read_all(other, 5s), IsEmpty());
}

// Spark's CaseInsensitiveMap: the later spelling of `topic` (and of `checkpointLocation`) wins,
// in either order.
TEST_P(StreamingSink, TheLaterSpellingOfAnOptionWinsInEitherOrder) {
  test::write_numbers(input_, "a.json", 1, 3, 1);
  const std::string earlier = test::unique_topic("earlier");
  broker().create_topic(earlier, 1);
  const std::string second_checkpoint = checkpoint_ + "-second";
  StreamingQuery upper_first = kafka_writer(values())
                                   .option("Topic", earlier)
                                   .option("topic", topic_)
                                   .trigger(Trigger::available_now())
                                   .start();
  EXPECT_TRUE(upper_first.await_termination(10s));
  StreamingQuery lower_first = kafka_writer(values())
                                   .option("CHECKPOINTLOCATION", second_checkpoint)
                                   .option("topic", earlier)
                                   .option("TOPIC", topic_)
                                   .trigger(Trigger::available_now())
                                   .start();
  EXPECT_TRUE(lower_first.await_termination(10s));
  EXPECT_THAT(read_values(), ElementsAre("1", "1", "2", "2", "3", "3"));
  EXPECT_THAT(broker().end_offsets(earlier), ElementsAre(0));
  // The second query ran on the checkpoint spelled last, so it did not skip the file.
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(second_checkpoint) / "commits" / "0"));
  std::filesystem::remove_all(second_checkpoint);
}

// Spark 4: "streaming - write data with bad schema": rejected by start(), before running.
TEST_P(StreamingSink, BadSchemaIsRejectedByStart) {
  EXPECT_THAT([&] { (void)kafka_writer(values()).start(); },
              ThrowsMessage<AnalysisError>(HasSubstr(
                  "topic option required when no 'topic' attribute is present. Use the topic "
                  "option for setting a topic.")));
  EXPECT_THAT(
      [&] {
        (void)kafka_writer(numbers().select_expr({"CAST(n AS STRING) AS key"}))
            .option("topic", topic_)
            .start();
      },
      ThrowsMessage<AnalysisError>(HasSubstr("Required attribute 'value' not found")));
  // Nothing was started: the checkpoint has no batch.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(checkpoint_) / "offsets" / "0"));
}

// Spark 5: "streaming - write data with valid schema but wrong types".
TEST_P(StreamingSink, WrongTypesAreRejectedByStart) {
  const auto start_with = [&](const std::vector<std::string>& expressions) {
    (void)kafka_writer(numbers().select_expr(expressions)).start();
  };
  EXPECT_THAT(
      [&] {
        start_with({"CAST(n AS INT) AS topic", "CAST(n AS STRING) AS value"});
      },
      ThrowsMessage<AnalysisError>(HasSubstr("topic must be a(n) string")));
  EXPECT_THAT(
      [&] {
        start_with({"'t' AS topic", "CAST(n AS INT) AS value"});
      },
      ThrowsMessage<AnalysisError>(HasSubstr("value must be a(n) string or binary")));
  EXPECT_THAT(
      [&] {
        start_with({"'t' AS topic", "CAST(n AS INT) AS key", "CAST(n AS STRING) AS value"});
      },
      ThrowsMessage<AnalysisError>(HasSubstr("key must be a(n) string or binary")));
  EXPECT_THAT(
      [&] {
        start_with(
            {"'t' AS topic", "CAST(n AS STRING) AS value", "CAST(n AS STRING) AS partition"});
      },
      ThrowsMessage<AnalysisError>(HasSubstr("partition must be a(n) int")));
}

// A broker on which no topic exists. The real broker runs with auto.create.topics.enable=false;
// librdkafka's mock broker creates any topic it is asked for, so a mock of its own answers every
// Produce request with UNKNOWN_TOPIC_OR_PART, as a broker without the topic does.
class BrokerWithoutTopics {
 public:
  explicit BrokerWithoutTopics(const test::TestBroker& broker) {
    if (broker.kind() == test::BrokerKind::real_kafka) {
      bootstrap_servers_ = broker.bootstrap_servers();
    } else {
      mock_.emplace(1);
      mock_->push_request_errors(kProduceApi, std::vector<int>(200, kUnknownTopicOrPartition));
      bootstrap_servers_ = mock_->bootstrap_servers();
    }
  }
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }

 private:
  std::optional<MockCluster> mock_;
  std::string bootstrap_servers_;
};

// Spark 6: "streaming - write to non-existing topic": the query stops with "job aborted".
TEST_P(StreamingSink, NonExistingTopicStopsTheQuery) {
  const BrokerWithoutTopics without_topic(broker());
  test::write_numbers(input_, "a.json", 1, 3, 1);
  StreamingQuery query = kafka_writer(values())
                             .option("kafka.bootstrap.servers", without_topic.bootstrap_servers())
                             .option("topic", test::unique_topic("never-created"))
                             .option("kafka.max.block.ms", "1500")
                             .option("kafka.delivery.timeout.ms", "1500")
                             .query_name("missing_topic")
                             .start();
  EXPECT_THROW(query.await_termination(), StreamingQueryError);
  EXPECT_FALSE(query.is_active());
  const std::optional<StreamingQueryError> error = query.exception();
  ASSERT_TRUE(error);
  EXPECT_THAT(error->what(),
              HasSubstr("Query missing_topic [id = " + query.id() + ", runId = " + query.run_id() +
                        "] terminated with exception: Job aborted due to stage "
                        "failure: micro-batch 0"));
  EXPECT_THAT(error->what(), HasSubstr("3 of 3 records were not delivered"));
  EXPECT_THROW(std::rethrow_exception(error->cause()), KafkaWriteError);
  // The batch was not committed: a restart re-runs it.
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(checkpoint_) / "offsets" / "0"));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(checkpoint_) / "commits" / "0"));
}

// Spark 7: "streaming - exception on config serializer".
TEST_P(StreamingSink, SerializerOptionsAreRejectedByStart) {
  EXPECT_THAT(
      [&] {
        (void)kafka_writer(values())
            .option("topic", topic_)
            .option("kafka.key.serializer", "foo")
            .start();
      },
      ThrowsMessage<IllegalArgumentError>(
          HasSubstr("Kafka option 'key.serializer' is not supported as keys are serialized with "
                    "ByteArraySerializer.")));
  EXPECT_THAT(
      [&] {
        (void)kafka_writer(values())
            .option("topic", topic_)
            .option("kafka.value.serializer", "foo")
            .start();
      },
      ThrowsMessage<IllegalArgumentError>(
          HasSubstr("Kafka option 'value.serializer' is not supported as value are serialized "
                    "with ByteArraySerializer.")));
}

// Spark 8: "streaming - sink progress is produced".
TEST_P(StreamingSink, SinkProgressIsProduced) {
  test::write_numbers(input_, "a.json", 1, 3, 1);
  std::atomic<int> listened{0};
  StreamingQuery query =
      kafka_writer(values())
          .option("topic", topic_)
          .query_name("progress")
          .progress_listener([&listened](const StreamingQueryProgress& progress) {
            if (progress.sink_num_output_rows == 3) ++listened;
          })
          .start();
  query.process_all_available();
  query.stop();
  const std::vector<StreamingQueryProgress> progress = query.recent_progress();
  ASSERT_THAT(progress, SizeIs(1));
  EXPECT_EQ(progress[0].batch_id, 0);
  EXPECT_EQ(progress[0].num_input_rows, 3);
  EXPECT_EQ(progress[0].sink_num_output_rows, 3);
  EXPECT_EQ(progress[0].id, query.id());
  EXPECT_EQ(progress[0].run_id, query.run_id());
  EXPECT_EQ(progress[0].name, "progress");
  EXPECT_GT(progress[0].processed_rows_per_second, 0);
  for (const char* phase : {"latestOffset", "walCommit", "getBatch", "queryPlanning", "addBatch",
                            "commitOffsets", "triggerExecution"}) {
    EXPECT_TRUE(progress[0].durations.contains(phase)) << phase;
  }
  EXPECT_THAT(progress[0].json(), HasSubstr("\"numOutputRows\": 3"));
  EXPECT_EQ(listened.load(), 1);
  ASSERT_TRUE(query.last_progress());
  EXPECT_EQ(query.last_progress()->batch_id, 0);
}

TEST_P(StreamingSink, PicksUpFilesAddedWhileRunningOldestFirst) {
  std::vector<std::vector<std::string>> batches;
  StreamingQuery query = kafka_writer(values(1))
                             .option("topic", topic_)
                             .progress_listener([&batches](const StreamingQueryProgress& progress) {
                               batches.push_back(progress.files);
                             })
                             .start();
  query.process_all_available();
  EXPECT_THAT(read_values(), IsEmpty());
  // "z" is older than "a": modification time comes before the name.
  test::write_numbers(input_, "z.json", 1, 2, 1);
  test::write_numbers(input_, "a.json", 3, 4, 2);
  query.process_all_available();
  test::write_numbers(input_, "m.json", 5, 6, 3);
  query.process_all_available();
  query.stop();
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 6)));
  ASSERT_THAT(batches, SizeIs(3));
  EXPECT_THAT(batches[0], ElementsAre(HasSubstr("z.json")));
  EXPECT_THAT(batches[1], ElementsAre(HasSubstr("a.json")));
  EXPECT_THAT(batches[2], ElementsAre(HasSubstr("m.json")));
}

TEST_P(StreamingSink, MaxFilesPerTriggerBoundsEachBatch) {
  for (int file = 0; file < 5; ++file) {
    test::write_numbers(input_, fmt::format("f{}.json", file), file * 10, file * 10 + 1, file);
  }
  StreamingQuery query = kafka_writer(values(2)).option("topic", topic_).start();
  query.process_all_available();
  query.stop();
  std::vector<std::size_t> sizes;
  for (const StreamingQueryProgress& progress : query.recent_progress()) {
    sizes.push_back(progress.files.size());
  }
  EXPECT_THAT(sizes, ElementsAre(2U, 2U, 1U));
  EXPECT_THAT(read_values(), SizeIs(10));
}

TEST_P(StreamingSink, AvailableNowProcessesWhatIsThereThenStops) {
  for (int file = 0; file < 3; ++file) {
    test::write_numbers(input_, fmt::format("f{}.json", file), file, file, file);
  }
  StreamingQuery query =
      kafka_writer(values(1)).option("topic", topic_).trigger(Trigger::available_now()).start();
  EXPECT_TRUE(query.await_termination(10s));
  EXPECT_FALSE(query.exception());
  EXPECT_THAT(query.recent_progress(), SizeIs(3));
  EXPECT_EQ(read_values(), sorted(test::number_strings(0, 2)));
}

TEST_P(StreamingSink, OnceProcessesEverythingInOneBatchThenStops) {
  for (int file = 0; file < 3; ++file) {
    test::write_numbers(input_, fmt::format("f{}.json", file), file, file, file);
  }
  StreamingQuery query =
      kafka_writer(values(1)).option("topic", topic_).trigger(Trigger::once()).start();
  EXPECT_TRUE(query.await_termination(10s));
  ASSERT_THAT(query.recent_progress(), SizeIs(1));
  EXPECT_THAT(query.recent_progress()[0].files, SizeIs(3));
  EXPECT_EQ(read_values(), sorted(test::number_strings(0, 2)));
}

TEST_P(StreamingSink, DefaultTriggerRunsBatchesBackToBack) {
  for (int file = 0; file < 3; ++file) {
    test::write_numbers(input_, fmt::format("f{}.json", file), file, file, file);
  }
  StreamingQuery query = kafka_writer(values(1)).option("topic", topic_).trigger(Trigger()).start();
  query.process_all_available();
  query.stop();
  EXPECT_THAT(query.recent_progress(), SizeIs(3));
  EXPECT_EQ(read_values(), sorted(test::number_strings(0, 2)));
}

TEST_P(StreamingSink, ProcessingTimeSpacesTriggers) {
  for (int file = 0; file < 3; ++file) {
    test::write_numbers(input_, fmt::format("f{}.json", file), file, file, file);
  }
  const auto started = std::chrono::steady_clock::now();
  StreamingQuery query = kafka_writer(values(1))
                             .option("topic", topic_)
                             .trigger(Trigger::processing_time("200ms"))
                             .start();
  query.process_all_available();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  query.stop();
  // Three batches start at 0, 200 and 400 ms at the earliest.
  EXPECT_GE(elapsed, 400ms);
  EXPECT_THAT(query.recent_progress(), SizeIs(3));
}

TEST_P(StreamingSink, StopAndRestartContinuesWhereItLeftOff) {
  test::write_numbers(input_, "a.json", 1, 5, 1);
  std::string id;
  std::string first_run;
  {
    StreamingQuery query = kafka_writer(values()).option("topic", topic_).start();
    query.process_all_available();
    query.stop();
    EXPECT_FALSE(query.is_active());
    id = query.id();
    first_run = query.run_id();
  }
  test::write_numbers(input_, "b.json", 6, 10, 2);
  StreamingQuery query = kafka_writer(values()).option("topic", topic_).start();
  query.process_all_available();
  query.stop();
  EXPECT_EQ(query.id(), id);
  EXPECT_NE(query.run_id(), first_run);
  ASSERT_THAT(query.recent_progress(), SizeIs(1));
  EXPECT_EQ(query.recent_progress()[0].batch_id, 1);
  // Each row exactly once: nothing lost, and the committed batch was not repeated.
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 10)));
}

TEST_P(StreamingSink, RestartReRunsTheUncommittedBatchWithTheSameFiles) {
  test::write_numbers(input_, "a.json", 1, 3, 1);
  {
    // A first run that cannot deliver: batch 0 is logged, never committed.
    const BrokerWithoutTopics without_topic(broker());
    StreamingQuery query =
        kafka_writer(values())
            .option("kafka.bootstrap.servers", without_topic.bootstrap_servers())
            .option("topic",
                    broker().mock() != nullptr ? topic_ : test::unique_topic("never-created"))
            .option("kafka.delivery.timeout.ms", "1000")
            .start();
    EXPECT_THROW(query.await_termination(), StreamingQueryError);
  }
  test::write_numbers(input_, "b.json", 4, 6, 2);
  StreamingQuery query = kafka_writer(values()).option("topic", topic_).start();
  query.process_all_available();
  query.stop();
  const std::vector<StreamingQueryProgress> progress = query.recent_progress();
  ASSERT_THAT(progress, SizeIs(2));
  EXPECT_EQ(progress[0].batch_id, 0);
  EXPECT_TRUE(progress[0].rerun);
  EXPECT_THAT(progress[0].files, ElementsAre(HasSubstr("a.json")));
  EXPECT_EQ(progress[1].batch_id, 1);
  EXPECT_THAT(progress[1].files, ElementsAre(HasSubstr("b.json")));
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 6)));
}

TEST_P(StreamingSink, TwoQueriesCannotShareACheckpoint) {
  StreamingQuery first = kafka_writer(values()).option("topic", topic_).start();
  EXPECT_THAT([&] { (void)kafka_writer(values()).option("topic", topic_).start(); },
              ThrowsMessage<CheckpointError>(
                  HasSubstr("Two queries cannot share a checkpoint location at the same time")));
  first.stop();
  // Once the first has stopped, the location is free again.
  StreamingQuery second = kafka_writer(values()).option("topic", topic_).start();
  EXPECT_TRUE(second.is_active());
  second.stop();
}

TEST_P(StreamingSinkOnMock, BrokerDownForAWhileDelaysButLosesNothing) {
  StreamingQuery query = kafka_writer(values()).option("topic", topic_).start();
  query.process_all_available();
  cluster().set_broker_down(1);
  test::write_numbers(input_, "a.json", 1, 20, 1);
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(query.is_active());  // waiting for the broker, not failed
  cluster().set_broker_up(1);
  query.process_all_available();
  query.stop();
  EXPECT_FALSE(query.exception());
  EXPECT_EQ(read_values(), sorted(test::number_strings(1, 20)));
}

TEST_P(StreamingSinkOnMock, BrokerDownPastTheDeliveryTimeoutFailsClearlyAndRestartRecovers) {
  StreamingQuery query = kafka_writer(values())
                             .option("topic", topic_)
                             .option("kafka.delivery.timeout.ms", "1000")
                             .start();
  query.process_all_available();
  cluster().set_broker_down(1);
  test::write_numbers(input_, "a.json", 1, 5, 1);
  EXPECT_THROW(query.await_termination(), StreamingQueryError);
  cluster().set_broker_up(1);
  ASSERT_TRUE(query.exception());
  EXPECT_THAT(query.exception()->what(), HasSubstr("Job aborted due to stage failure"));
  EXPECT_THAT(query.exception()->what(), HasSubstr("not delivered"));

  StreamingQuery restarted = kafka_writer(values()).option("topic", topic_).start();
  restarted.process_all_available();
  restarted.stop();
  // At least once: every row is there (some may be there twice).
  std::vector<std::string> got = read_values();
  got.erase(std::unique(got.begin(), got.end()), got.end());
  EXPECT_EQ(got, sorted(test::number_strings(1, 5)));
}

TEST_P(StreamingSink, CsvSourceWithHeaderAndSeedTransformations) {
  {
    std::ofstream out(std::filesystem::path(input_) / "people.csv");
    out << "name;age\nada;36\nalan;41\n";
  }
  const Schema schema({{"name", string_type(), true}, {"age", int_type(), true}});
  StreamingDataFrame people =
      session_.read_stream().schema(schema).option("header", true).option("sep", ";").csv(input_);
  StreamingDataFrame shaped = people.with_column("value", to_json(struct_(people.columns())))
                                  .select_expr({"name AS key", "CAST(value AS STRING)"});
  EXPECT_THAT(shaped.columns(), ElementsAre("key", "value"));
  StreamingQuery query = kafka_writer(shaped).option("topic", topic_).start();
  query.process_all_available();
  query.stop();
  EXPECT_EQ(read_values(), sorted({R"({"name":"ada","age":36})", R"({"name":"alan","age":41})"}));
}

TEST_P(StreamingSink, RetentionKeepsTheNewestBatchesAndCompactsTheSourceLog) {
  // As in Spark, the retention is the session's setting; the query option of that name is
  // ignored.
  Session retain_three =
      Session::builder().config("spark.sql.streaming.minBatchesToRetain", "3").create();
  const StreamingDataFrame three = retain_three.read_stream()
                                       .schema(test::numbers_schema())
                                       .json(input_)
                                       .select_expr({"CAST(n AS STRING) AS value"});
  StreamingQuery query =
      kafka_writer(three).option("topic", topic_).option("minBatchesToRetain", 1).start();
  for (int file = 0; file < 12; ++file) {
    test::write_numbers(input_, fmt::format("f{:02}.json", file), file, file, file);
    query.process_all_available();
  }
  query.stop();
  namespace fs = std::filesystem;
  const auto names = [](const fs::path& folder) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(folder)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(names(fs::path(checkpoint_) / "offsets"), ElementsAre("10", "11", "9"));
  EXPECT_THAT(names(fs::path(checkpoint_) / "commits"), ElementsAre("10", "11", "9"));
  EXPECT_THAT(names(fs::path(checkpoint_) / "sources" / "0"), ElementsAre("10", "11", "9.compact"));

  // The compacted source log still knows every file: a restart reads nothing again.
  StreamingQuery restarted = kafka_writer(values()).option("topic", topic_).start();
  restarted.process_all_available();
  restarted.stop();
  EXPECT_THAT(restarted.recent_progress(), IsEmpty());
  EXPECT_EQ(read_values(), sorted(test::number_strings(0, 11)));
  retain_three.stop();
}

}  // namespace
}  // namespace kafkasink
