// Faults of a real three-node Kafka cluster (replication 3, min.insync.replicas=2) that the mock
// broker cannot make: the process leading a partition SIGKILLed in the middle of a write, a
// broker frozen (SIGSTOP) past request.timeout.ms, the whole cluster gone past the delivery
// timeout, and a topic name that a real broker refuses. The cluster is the ctest fixture
// real_kafka_3; these tests run serially and leave every node running when they end.
#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "faults/fault_support.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

test::RealKafkaCluster& cluster() {
  // Never destroyed: it only records where the fixture's cluster is.
  static auto* cluster =
      test::RealKafkaCluster::from_environment("KAFKASINK_REAL_KAFKA_3").release();
  return *cluster;
}

// Whatever a test did to the nodes, they all run again when it ends.
class NodesRunningAtExit {
 public:
  NodesRunningAtExit() = default;
  NodesRunningAtExit(const NodesRunningAtExit&) = delete;
  NodesRunningAtExit& operator=(const NodesRunningAtExit&) = delete;
  ~NodesRunningAtExit() {
    for (const int id : cluster().nodes()) {
      if (killed_.contains(id)) {
        cluster().restart_node(id);
      } else {
        cluster().signal_node(id, "CONT");
      }
    }
  }
  void killed(int id) { killed_.insert(id); }

 private:
  std::set<int> killed_;
};

class RealKafkaFaults : public test::BrokerTest {
 protected:
  static std::string new_topic(int partitions) {
    std::string topic = test::unique_topic("faults3");
    cluster().create_topic(topic, partitions);
    return topic;
  }

  static DataFrameWriter kafka_writer(const DataFrame& frame, const std::string& topic) {
    DataFrameWriter writer = frame.write();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", cluster().bootstrap_servers())
        .option("topic", topic);
    return writer;
  }

  // Waits (30 s at most) until no partition of `topic` is led by node `gone`: the controller
  // fences a dead broker only after broker.session.timeout.ms.
  static void wait_for_leaders_other_than(const std::string& topic, int partitions, int gone) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      bool moved = true;
      for (int partition = 0; partition < partitions; ++partition) {
        moved = moved && cluster().leader_of(topic, partition) != gone;
      }
      if (moved) return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "node " << gone << " still leads a partition of " << topic;
      std::this_thread::sleep_for(200ms);
    }
  }

  // Calls `action` once, from the progress callback, when `acknowledged` records are acknowledged.
  static std::function<void(const WriteProgress&)> when_acknowledged(std::size_t acknowledged,
                                                                     std::atomic<bool>& fired,
                                                                     std::function<void()> action) {
    return [acknowledged, &fired, action = std::move(action)](const WriteProgress& progress) {
      if (progress.records_acknowledged >= acknowledged && !fired.exchange(true)) action();
    };
  }
};

INSTANTIATE_TEST_SUITE_P(RealKafka3,
                         RealKafkaFaults,
                         ::testing::Values(test::BrokerKind::real_kafka));

// The leader of a partition dies mid-write: the other replicas take over, the producer
// retries, idempotence keeps each row once and the order within each partition.
TEST_P(RealKafkaFaults, LeaderSigkilledMidWriteLosesAndRepeatsNothing) {
  constexpr std::size_t kRows = 200'000;
  constexpr int kPartitions = 6;
  const std::string topic = new_topic(kPartitions);
  const int leader = cluster().leader_of(topic, 0);
  NodesRunningAtExit guard;
  std::atomic<bool> killed{false};
  kafka_writer(test::numbered_rows(kRows, kPartitions, 1), topic)
      .on_progress(when_acknowledged(kRows / 10, killed,
                                     [&] {
                                       cluster().signal_node(leader, "KILL");
                                       guard.killed(leader);
                                     }))
      .save();
  ASSERT_TRUE(killed.load()) << "the write ended before the leader could be killed";
  wait_for_leaders_other_than(topic, kPartitions, leader);

  const test::Tally tally = test::tally(cluster().read_all(topic, 120s), kRows, kPartitions, 1);
  EXPECT_EQ(tally.missing(), 0U);
  EXPECT_EQ(tally.duplicated(), 0U);
  EXPECT_EQ(tally.out_of_order, 0U);
  EXPECT_EQ(tally.wrong_partition, 0U);
}

// A leader that stops answering (SIGSTOP) for longer than request.timeout.ms, then comes back
// before the controller fences it: the producer's requests time out and are retried, and every
// row arrives once, in order.
TEST_P(RealKafkaFaults, LeaderFrozenPastTheRequestTimeoutLosesAndRepeatsNothing) {
  constexpr std::size_t kRows = 50'000;
  constexpr int kPartitions = 3;
  const std::string topic = new_topic(kPartitions);
  const int leader = cluster().leader_of(topic, 0);
  NodesRunningAtExit guard;
  std::atomic<bool> frozen{false};
  std::thread thaw;
  kafka_writer(test::numbered_rows(kRows, kPartitions, 1), topic)
      .option("kafka.request.timeout.ms", "1500")
      .on_progress(when_acknowledged(kRows / 10, frozen,
                                     [&] {
                                       cluster().signal_node(leader, "STOP");
                                       thaw = std::thread([&] {
                                         std::this_thread::sleep_for(4s);
                                         cluster().signal_node(leader, "CONT");
                                       });
                                     }))
      .save();
  if (thaw.joinable()) thaw.join();
  ASSERT_TRUE(frozen.load()) << "the write ended before the leader could be frozen";

  const test::Tally tally = test::tally(cluster().read_all(topic, 120s), kRows, kPartitions, 1);
  EXPECT_EQ(tally.missing(), 0U);
  EXPECT_EQ(tally.duplicated(), 0U);
  EXPECT_EQ(tally.out_of_order, 0U);
}

// Every node frozen past the delivery timeout: the write fails and says how many records were
// not delivered; once the cluster is back, every row it did not count as failed is there (no
// row is lost silently).
TEST_P(RealKafkaFaults, WholeClusterDownPastTheDeliveryTimeoutCountsWhatIsMissing) {
  constexpr std::size_t kRows = 200'000;
  constexpr int kPartitions = 3;
  const std::string topic = new_topic(kPartitions);
  NodesRunningAtExit guard;
  std::atomic<bool> stopped{false};
  std::size_t failed = 0;
  try {
    kafka_writer(test::numbered_rows(kRows, kPartitions, 1), topic)
        .option("kafka.delivery.timeout.ms", "4000")
        .option("kafka.request.timeout.ms", "1000")
        .option("kafka.linger.ms", "50")
        .on_progress(when_acknowledged(kRows / 20, stopped,
                                       [&] {
                                         for (const int id : cluster().nodes()) {
                                           cluster().signal_node(id, "STOP");
                                         }
                                       }))
        .save();
    FAIL() << "expected a KafkaWriteError";
  } catch (const KafkaWriteError& error) {
    failed = error.failed_records();
    EXPECT_EQ(error.total_records(), kRows);
    EXPECT_GT(failed, 0U);
    EXPECT_THAT(error.what(), HasSubstr(std::to_string(failed) + " of " + std::to_string(kRows) +
                                        " records were not delivered"));
  }
  ASSERT_TRUE(stopped.load());
  for (const int id : cluster().nodes()) cluster().signal_node(id, "CONT");

  const test::Tally tally = test::tally(cluster().read_all(topic, 120s), kRows, kPartitions, 1);
  EXPECT_LE(tally.missing(), failed);
  EXPECT_GE(tally.distinct(), kRows - failed);
  EXPECT_EQ(tally.out_of_order, 0U);
}

// A topic name Kafka refuses ("a b": a space) never becomes a topic, and the write fails naming
// it; the mock broker would have created it.
TEST_P(RealKafkaFaults, IllegalTopicNameIsRefused) {
  const DataFrame frame = test::frame_of_strings({{"value", "v"}});
  try {
    kafka_writer(frame, "a b")
        .option("kafka.max.block.ms", "3000")
        .option("kafka.delivery.timeout.ms", "3000")
        .save();
    FAIL() << "expected the write to fail";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("a b"));
  }
  EXPECT_TRUE(cluster().end_offsets("a b").empty());
}

}  // namespace
}  // namespace kafkasink
