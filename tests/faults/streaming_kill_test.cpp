// A streaming query SIGKILLed at random points, again and again, then restarted: the
// checkpoint survives every kill, and every input row reaches Kafka at least once. The query
// runs in tests/integration/streaming_crash_helper.cpp; the broker lives in this process, so
// it outlives every killed one.
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

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
using namespace std::chrono_literals;

TEST(StreamingKill, KilledTwentyTimesAtRandomPointsEveryRowIsInKafkaAfterTheRestart) {
  MockCluster cluster(1);
  const std::string topic = test::unique_topic("faults-kill");
  cluster.create_topic(topic, 2);
  const std::string input = test::temporary_directory("faults-kill-input");
  const std::string checkpoint = test::temporary_directory("faults-kill-checkpoint");
  constexpr int kFiles = 40;
  constexpr int kRowsPerFile = 50;
  for (int file = 0; file < kFiles; ++file) {
    test::write_numbers(input, "part-" + std::to_string(file) + ".json", file * kRowsPerFile,
                        file * kRowsPerFile + kRowsPerFile - 1, file);
  }
  // A little latency keeps each batch in flight for a while, so that kills land inside
  // batches as well as between them and in the checkpoint writes.
  cluster.set_rtt(1, 5ms);

  // A fixed seed: the same kill points, as far as the scheduler allows, on every run.
  std::mt19937 random(20240501);
  std::uniform_int_distribution<int> delay_ms(0, 50);
  constexpr int kKills = 20;
  for (int kill = 0; kill < kKills; ++kill) {
    const pid_t child = test::spawn_process(
        KAFKASINK_CRASH_HELPER, {cluster.bootstrap_servers(), topic, input, checkpoint});
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // Killed, not exited: a helper that failed (a corrupt checkpoint, say) exits with 1.
    ASSERT_TRUE(WIFSIGNALED(status))
        << "kill " << kill << ": the helper exited with status " << WEXITSTATUS(status);
  }

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
                             .trigger(Trigger::processing_time(0ms))
                             .start();
  query.process_all_available();
  query.stop();
  EXPECT_FALSE(query.exception());
  session.stop();

  std::vector<int> copies(kFiles * kRowsPerFile, 0);
  for (const ConsumedRecord& record : cluster.read_all(topic)) {
    const std::size_t row = std::stoul(record.value.value_or("-1"));
    ASSERT_LT(row, copies.size());
    ++copies[row];
  }
  for (std::size_t row = 0; row < copies.size(); ++row) {
    EXPECT_GE(copies[row], 1) << "row " << row << " is not in Kafka";
  }
  fs::remove_all(input);
  fs::remove_all(checkpoint);
}

}  // namespace
}  // namespace kafkasink
