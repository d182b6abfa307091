// A query killed with SIGKILL in the middle of a batch, then restarted from its checkpoint:
// the uncommitted batch is re-run with exactly the same files and every input row reaches
// Kafka at least once.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StreamingCrash, KilledMidBatchRestartsWithEveryRowInKafka) {
  MockCluster cluster(1);
  const std::string topic = test::unique_topic("crash");
  cluster.create_topic(topic, 2);
  const std::string input = test::temporary_directory("crash-input");
  const std::string checkpoint = test::temporary_directory("crash-checkpoint");
  constexpr int kFiles = 5;
  constexpr int kRowsPerFile = 50;
  for (int file = 0; file < kFiles; ++file) {
    test::write_numbers(input, "part-" + std::to_string(file) + ".json", file * kRowsPerFile,
                        file * kRowsPerFile + kRowsPerFile - 1, file);
  }
  // Slow acknowledgements keep each batch in flight long enough to be killed inside it.
  cluster.set_rtt(1, 400ms);

  const pid_t child = test::spawn_process(KAFKASINK_CRASH_HELPER,
                                          {cluster.bootstrap_servers(), topic, input, checkpoint});
  ASSERT_GT(child, 0);
  const fs::path offsets = fs::path(checkpoint) / "offsets" / "2";
  const fs::path commit = fs::path(checkpoint) / "commits" / "2";
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!(fs::exists(offsets) && !fs::exists(commit)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  ASSERT_TRUE(fs::exists(offsets)) << "the helper never reached batch 2";
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_FALSE(fs::exists(commit)) << "batch 2 committed before the kill";
  const std::string logged = read_file(offsets);
  EXPECT_THAT(logged, HasSubstr("part-2.json"));

  cluster.set_rtt(1, 0ms);
  Session session = Session::builder().create();
  StreamingQuery query = session.read_stream()
                             .schema(test::numbers_schema())
                             .option("maxFilesPerTrigger", 1)
                             .json(input)
                             .select_expr({"CAST(n AS STRING) AS value"})
                             .write_stream()
                             .format("kafka")
                             .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
                             .option("topic", topic)
                             .option("checkpointLocation", checkpoint)
                             .trigger(Trigger::processing_time(10ms))
                             .start();
  query.process_all_available();
  query.stop();
  EXPECT_FALSE(query.exception());

  const std::vector<StreamingQueryProgress> progress = query.recent_progress();
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.front().batch_id, 2);
  EXPECT_TRUE(progress.front().rerun);
  ASSERT_EQ(progress.front().files.size(), 1U);
  EXPECT_THAT(progress.front().files[0], HasSubstr("part-2.json"));
  // The offsets entry of the re-run batch was not rewritten.
  EXPECT_EQ(read_file(offsets), logged);

  // At least once: every input row is in Kafka (rows of batch 2 may be there twice).
  const std::vector<std::string> values = test::sorted_values(cluster.read_all(topic));
  const std::set<std::string> distinct(values.begin(), values.end());
  std::set<std::string> expected;
  for (int n = 0; n < kFiles * kRowsPerFile; ++n) expected.insert(std::to_string(n));
  EXPECT_EQ(distinct, expected);
  EXPECT_GE(values.size(), expected.size());
  fs::remove_all(input);
  fs::remove_all(checkpoint);
}

}  // namespace
}  // namespace kafkasink
