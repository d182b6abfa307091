// An exactly-once streaming query SIGKILLed at random moments, twenty times, and restarted under
// the same checkpoint each time: afterwards every input row is in Kafka exactly once, as a
// read_committed consumer sees it. The kills land before, inside and after transactions and
// checkpoint writes; each restart fences the killed producer (ending its open transaction)
// and compares the checkpoint with the batch Kafka last committed. The query runs in
// tests/integration/streaming_crash_helper.cpp; the broker is the real one of the fixture.
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ExactlyOnceKill : public test::BrokerTest {};

INSTANTIATE_TEST_SUITE_P(RealKafka,
                         ExactlyOnceKill,
                         ::testing::Values(test::BrokerKind::real_kafka));

TEST_P(ExactlyOnceKill, KilledTwentyTimesAtRandomMomentsEveryRowIsInKafkaExactlyOnce) {
  const std::string topic = test::unique_topic("eos-kill");
  broker().create_topic(topic, 2);
  const std::string input = test::temporary_directory("eos-kill-input");
  const std::string checkpoint = test::temporary_directory("eos-kill-checkpoint");
  constexpr int kFiles = 40;
  constexpr int kRowsPerFile = 50;
  for (int file = 0; file < kFiles; ++file) {
    test::write_number_csv(input, fmt::format("part-{:02}.csv", file), file * kRowsPerFile,
                           file * kRowsPerFile + kRowsPerFile - 1, file);
  }

  // A fixed seed: the same kill moments, as far as the scheduler allows, on every run. Each run
  // lives at most 150 ms: about long enough to start, fence its predecessor and commit a batch or
  // two, so that the kills land all through the work.
  std::mt19937 random(20261201);
  std::uniform_int_distribution<int> delay_ms(0, 150);
  constexpr int kKills = 20;
  for (int kill = 0; kill < kKills; ++kill) {
    const pid_t child = test::spawn_process(
        KAFKASINK_CRASH_HELPER,
        {broker().bootstrap_servers(), topic, input, checkpoint, "--csv", "--exactly-once"});
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // Killed, not exited: a helper that failed (a corrupt checkpoint, say) exits with 1.
    ASSERT_TRUE(WIFSIGNALED(status))
        << "kill " << kill << ": the helper exited with status " << WEXITSTATUS(status);
  }

  // How far the killed runs got, for the record (the kill moments decide it, not the test).
  int committed = 0;
  for ([[maybe_unused]] const auto& entry :
       fs::directory_iterator(fs::path(checkpoint) / "commits")) {
    ++committed;
  }
  RecordProperty("batches_committed_by_the_killed_runs", committed);

  Session session = Session::builder().create();
  StreamingQuery query = session.read_stream()
                             .schema(test::numbers_schema())
                             .option("maxFilesPerTrigger", 1)
                             .csv(input)
                             .select_expr({"CAST(n AS STRING) AS value"})
                             .write_stream()
                             .format("kafka")
                             .option("kafka.bootstrap.servers", broker().bootstrap_servers())
                             .option("topic", topic)
                             .option("checkpointLocation", checkpoint)
                             .option("deliveryGuarantee", "exactly-once")
                             .trigger(Trigger::available_now())
                             .start();
  query.await_termination();
  EXPECT_FALSE(query.exception());
  session.stop();

  std::vector<int> copies(kFiles * kRowsPerFile, 0);
  for (const ConsumedRecord& record : broker().read_at_least(topic, copies.size())) {
    const std::size_t row = std::stoul(record.value.value_or("-1"));
    ASSERT_LT(row, copies.size());
    ++copies[row];
  }
  for (std::size_t row = 0; row < copies.size(); ++row) {
    EXPECT_EQ(copies[row], 1) << "row " << row << " is in Kafka " << copies[row] << " times";
  }
  fs::remove_all(input);
  fs::remove_all(checkpoint);
}

}  // namespace
}  // namespace kafkasink
