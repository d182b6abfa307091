// Sessions: frames built through a session write through it, and settings given to an existing
// session are ignored with Spark's warning.
#include <mutex>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

namespace kafkasink {
namespace {

using ::testing::HasSubstr;

TEST(Session, CreateDataFrameBuildsAFrameOfTheSession) {
  Session session = Session::builder().create();
  const Schema schema({{"id", int_type()}, {"value", string_type()}});
  const std::vector<Row> rows{{1, "one"}, {2, Value()}};
  const DataFrame frame = session.create_data_frame(schema, rows);
  EXPECT_EQ(frame.session(), session.state());
  EXPECT_EQ(frame.collect(), DataFrame::from_rows(schema, rows).collect());
  // Bound to it: once the session is stopped, the frame cannot write.
  session.stop();
  EXPECT_THROW(frame.write()
                   .format("kafka")
                   .option("kafka.bootstrap.servers", "127.0.0.1:9")
                   .option("topic", "t")
                   .save(),
               IllegalArgumentError);
}

TEST(Session, CreateDataFrameRefusesRowsAsFromRowsDoes) {
  const Session session = Session::builder().create();
  EXPECT_THROW(session.create_data_frame(Schema({{"id", int_type()}}), {{1, 2}}), AnalysisError);
}

class CapturedLog {
 public:
  CapturedLog() {
    set_log_handler([this](const LogRecord& record) {
      const std::lock_guard lock(mutex_);
      records_.push_back(record);
    });
  }
  ~CapturedLog() { set_log_handler({}); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::vector<LogRecord> records() const {
    const std::lock_guard lock(mutex_);
    return records_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<LogRecord> records_;
};

TEST(Session, SettingsGivenToAnExistingSessionAreIgnoredWithAWarning) {
  const Session first = Session::builder().get_or_create();
  const CapturedLog log;
  const Session again = Session::builder().get_or_create();  // no settings: nothing to say
  EXPECT_TRUE(log.records().empty());
  const Session configured =
      Session::builder().config("spark.kafka.producer.cache.timeout", "1s").get_or_create();
  EXPECT_EQ(configured.state(), first.state());
  EXPECT_EQ(configured.conf("spark.kafka.producer.cache.timeout"),
            first.conf("spark.kafka.producer.cache.timeout"));
  const std::vector<LogRecord> records = log.records();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].level, 4);
  EXPECT_EQ(records[0].facility, "SESSION");
  EXPECT_THAT(records[0].message, HasSubstr("Using an existing session"));
}

}  // namespace
}  // namespace kafkasink
