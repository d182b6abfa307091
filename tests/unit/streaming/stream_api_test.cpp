// The streaming API without a broker: the source's checks, recorded transformations,
// triggers, and start()'s validation order.
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "streaming/stream_plan.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using namespace std::chrono_literals;

class StreamApi : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = test::temporary_directory("stream-api"); }
  void TearDown() override { fs::remove_all(folder_); }

  StreamingDataFrame people() const {
    return session_.read_stream()
        .schema(Schema({{"name", string_type(), true}, {"age", long_type(), true}}))
        .json(folder_);
  }

  Session session_ = Session::builder().get_or_create();
  std::string folder_;
};

TEST_F(StreamApi, SchemaIsRequired) {
  EXPECT_THAT([&] { (void)session_.read_stream().json(folder_); },
              ThrowsMessage<IllegalArgumentError>(HasSubstr(
                  "Schema must be specified when creating a streaming source DataFrame.")));
}

TEST_F(StreamApi, MaxFilesPerTriggerMustBePositive) {
  EXPECT_THAT(
      [&] {
        (void)session_.read_stream()
            .schema(Schema({{"n", long_type(), true}}))
            .option("maxFilesPerTrigger", "0")
            .json(folder_);
      },
      ThrowsMessage<IllegalArgumentError>(
          "Invalid value '0' for option 'maxFilesPerTrigger', must be a positive integer"));
}

// Spark's CaseInsensitiveMap: the later spelling of an option wins, in either order.
TEST_F(StreamApi, TheLaterSpellingOfAnOptionWinsInEitherOrder) {
  const auto source_of = [this](const std::vector<std::pair<std::string, std::string>>& calls) {
    DataStreamReader reader = session_.read_stream();
    reader.schema(Schema({{"n", long_type(), true}}));
    for (const auto& [key, value] : calls) reader.option(key, value);
    return reader.csv(folder_).plan()->source;
  };
  const auto upper_first = source_of({{"Header", "false"},
                                      {"header", "true"},
                                      {"MAXFILESPERTRIGGER", "0"},
                                      {"maxFilesPerTrigger", "2"}});
  EXPECT_TRUE(upper_first->csv.header);
  EXPECT_EQ(upper_first->max_files_per_trigger, 2U);
  const auto lower_first = source_of({{"header", "true"},
                                      {"HEADER", "false"},
                                      {"maxFilesPerTrigger", "2"},
                                      {"MaxFilesPerTrigger", "3"}});
  EXPECT_FALSE(lower_first->csv.header);
  EXPECT_EQ(lower_first->max_files_per_trigger, 3U);
  // The value set last is the one checked, and the message names the key as spelled last.
  EXPECT_THAT(
      [&] {
        (void)source_of({{"maxFilesPerTrigger", "2"}, {"MAXFILESPERTRIGGER", "0"}});
      },
      ThrowsMessage<IllegalArgumentError>(
          "Invalid value '0' for option 'maxFilesPerTrigger', must be a positive integer"));
  try {
    (void)source_of({{"maxFilesPerTrigger", "2"}, {"MAXFILESPERTRIGGER", "0"}});
  } catch (const IllegalArgumentError& error) {
    EXPECT_EQ(error.option(), "MAXFILESPERTRIGGER");
  }
}

TEST_F(StreamApi, MissingFolderAndUnknownFormatFailAtLoad) {
  EXPECT_THAT(
      [&] {
        (void)session_.read_stream()
            .schema(Schema({{"n", long_type(), true}}))
            .json(folder_ + "/nope");
      },
      ThrowsMessage<ParseError>(HasSubstr("Path does not exist: " + folder_ + "/nope")));
  EXPECT_THROW((void)session_.read_stream()
                   .schema(Schema({{"n", long_type(), true}}))
                   .format("parquet")
                   .load(folder_),
               IllegalArgumentError);
}

TEST_F(StreamApi, TransformationsAreCheckedWhenRecorded) {
  const StreamingDataFrame frame = people();
  EXPECT_TRUE(frame.is_streaming());
  EXPECT_THAT(frame.columns(), ElementsAre("name", "age"));
  const StreamingDataFrame shaped = frame.with_column("value", to_json(struct_(frame.columns())))
                                        .select_expr({"name AS key", "CAST(value AS STRING)"});
  EXPECT_THAT(shaped.columns(), ElementsAre("key", "value"));
  EXPECT_EQ(shaped.schema().field(1).type.to_string(), "string");
  // The original is unchanged.
  EXPECT_THAT(frame.columns(), ElementsAre("name", "age"));
  EXPECT_THROW((void)frame.select({col("missing")}), AnalysisError);
}

TEST_F(StreamApi, Triggers) {
  EXPECT_EQ(Trigger().kind(), Trigger::Kind::kProcessingTime);
  EXPECT_EQ(Trigger().interval(), 0ms);
  EXPECT_EQ(Trigger::processing_time(250ms).interval(), 250ms);
  EXPECT_EQ(Trigger::processing_time("10 seconds").interval(), 10s);
  EXPECT_EQ(Trigger::processing_time("1m").interval(), 1min);
  EXPECT_EQ(Trigger::available_now().kind(), Trigger::Kind::kAvailableNow);
  EXPECT_EQ(Trigger::once().kind(), Trigger::Kind::kOnce);
  EXPECT_THROW((void)Trigger::processing_time("soon"), IllegalArgumentError);
  EXPECT_THROW((void)Trigger::processing_time(-1ms), IllegalArgumentError);
}

TEST_F(StreamApi, StartChecksFormatThenCheckpointThenSink) {
  const StreamingDataFrame frame = people().select_expr({"name AS value"});
  // No format and no checkpoint: the format is reported first.
  EXPECT_THAT([&] { (void)frame.write_stream().start(); },
              ThrowsMessage<IllegalArgumentError>(HasSubstr("format(\"kafka\")")));
  // No checkpoint and a bad schema: the checkpoint is reported first, with Spark's text.
  EXPECT_THAT([&] { (void)people().write_stream().format("kafka").start(); },
              ThrowsMessage<AnalysisError>(
                  "checkpointLocation must be specified either through "
                  "option(\"checkpointLocation\", ...) or "
                  "SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)."));
  // includeHeaders comes before the checkpoint (Spark reads it when it builds the sink's
  // table), with CaseInsensitiveStringMap.getBoolean's text: any case, nothing trimmed.
  EXPECT_THAT(
      [&] { (void)frame.write_stream().format("kafka").option("IncludeHeaders", " true").start(); },
      ThrowsMessage<IllegalArgumentError>(" true is not a boolean string."));
  const std::string checkpoint = folder_ + "-checkpoint";
  EXPECT_THAT(
      [&] {
        (void)people()
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", "127.0.0.1:1")
            .option("checkpointLocation", checkpoint)
            .option("topic", "t")
            .start();
      },
      ThrowsMessage<AnalysisError>("Required attribute 'value' not found"));
  // The session's minBatchesToRetain is checked last, with Spark's text.
  Session retain_none =
      Session::builder().config("spark.sql.streaming.minBatchesToRetain", "0").create();
  EXPECT_THAT(
      [&] {
        (void)retain_none.read_stream()
            .schema(Schema({{"name", string_type(), true}}))
            .json(folder_)
            .select_expr({"name AS value"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", "127.0.0.1:1")
            .option("CheckpointLocation", checkpoint)
            .option("topic", "t")
            .start();
      },
      ThrowsMessage<IllegalArgumentError>(
          "requirement failed: minBatchesToRetain has to be positive"));
  retain_none.stop();
  // Nothing was created for a query that did not start.
  EXPECT_FALSE(fs::exists(checkpoint));
}

// As in Spark, minBatchesToRetain is the session's (spark.sql.streaming.minBatchesToRetain): the
// query option of that name is ignored, and a malformed setting fails the session's creation.
TEST_F(StreamApi, MinBatchesToRetainIsASessionSetting) {
  EXPECT_THAT(
      [] {
        (void)Session::builder().config("spark.sql.streaming.minBatchesToRetain", "abc").create();
      },
      ThrowsMessage<IllegalArgumentError>(
          "spark.sql.streaming.minBatchesToRetain should be int, but was abc"));
  EXPECT_THAT(
      [] {
        (void)Session::builder()
            .config("spark.sql.streaming.minBatchesToRetain", "3000000000")
            .create();
      },
      ThrowsMessage<IllegalArgumentError>(HasSubstr("should be int")));
  Session padded =
      Session::builder().config("spark.sql.streaming.minBatchesToRetain", " 7 ").create();
  padded.stop();
  const std::string checkpoint = folder_ + "-checkpoint";
  StreamingQuery query = people()
                             .select_expr({"name AS value"})
                             .write_stream()
                             .format("kafka")
                             .option("kafka.bootstrap.servers", "127.0.0.1:1")
                             .option("checkpointLocation", checkpoint)
                             .option("topic", "t")
                             .option("minBatchesToRetain", "0")
                             .start();
  query.stop();
  fs::remove_all(checkpoint);
}

TEST_F(StreamApi, CorruptCheckpointFailsStartNamingTheFile) {
  const std::string checkpoint = folder_ + "-checkpoint";
  fs::create_directories(fs::path(checkpoint) / "offsets");
  std::ofstream(fs::path(checkpoint) / "offsets" / "0") << "v1\n{\"batchId\":0}\n{\"files\":[{\"pa";
  EXPECT_THAT(
      [&] {
        (void)people()
            .select_expr({"name AS value"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", "127.0.0.1:1")
            .option("checkpointLocation", checkpoint)
            .option("topic", "t")
            .start();
      },
      ThrowsMessage<CheckpointError>(
          HasSubstr("Corrupt checkpoint file " + checkpoint + "/offsets/0")));
  fs::remove_all(checkpoint);
}

}  // namespace
}  // namespace kafkasink
