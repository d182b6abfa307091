// TestBroker: the Kafka a suite writes to, either librdkafka's mock cluster or a real Apache
// Kafka, so that one suite runs against both (parameterized, not copied).
//
// The real cluster is started once for the whole ctest run by a fixture
// (tests/support/kafka_cluster.py) that records it in a folder; the tests find the folder in
// the environment (KAFKASINK_REAL_KAFKA, or KAFKASINK_REAL_KAFKA_3 for the three-node
// cluster of the fault tests). The mock runs in process. Either way each suite shares one
// broker and tests stay apart by writing to topics no other test uses (test::unique_topic).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <kafkasink/mock_cluster.hpp>

namespace kafkasink::test {

enum class BrokerKind {
  mock,        ///< librdkafka's mock cluster, in process
  real_kafka,  ///< Apache Kafka, one node, started by the ctest fixture `real_kafka`
};

/// "Mock" or "RealKafka": the prefix of a parameterized test's name, which the ctest label
/// script reads to give a test the `real-kafka` label and fixture.
std::string broker_name(BrokerKind kind);

inline std::ostream& operator<<(std::ostream& out, BrokerKind kind) {
  return out << broker_name(kind);
}

class TestBroker {
 public:
  virtual ~TestBroker() = default;

  virtual BrokerKind kind() const = 0;

  /// `host:port,...` of the PLAINTEXT listeners.
  virtual std::string bootstrap_servers() const = 0;

  /// Topic settings by Kafka name (`max.message.bytes`, ...).
  using TopicConfigs = std::map<std::string, std::string>;

  /// Creates `name` with `partitions` partitions, waiting until every broker knows it. The mock
  /// broker keeps no topic settings: `configs` apply on a real broker only.
  virtual void create_topic(const std::string& name,
                            int partitions = 1,
                            const TopicConfigs& configs = {}) = 0;

  /// Every record of `topic` (read_topic against this broker).
  std::vector<ConsumedRecord> read_all(const std::string& topic,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                       const std::string& isolation_level = "read_committed") const;

  /// read_all (read_committed) again and again until at least `count` records are visible or
  /// `timeout` passes. A transaction's commit markers reach its partitions a moment after
  /// commit_transaction returns; until then its records lie past the last stable offset, where
  /// a read_committed read ends.
  std::vector<ConsumedRecord> read_at_least(
      const std::string& topic,
      std::size_t count,
      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  /// The end offset of every partition of `topic`.
  std::vector<std::int64_t> end_offsets(const std::string& topic) const;

  /// The mock cluster, for the faults only it can inject; nullptr on a real broker.
  virtual MockCluster* mock() { return nullptr; }
};

/// The broker of `kind` that every suite of this program shares; created on first use.
/// Fails the calling test (an exception) when the real cluster's folder is not given.
TestBroker& shared_broker(BrokerKind kind);

/// A real Kafka cluster started by kafka_cluster.py, found through its folder.
class RealKafkaCluster : public TestBroker {
 public:
  /// Attaches to the cluster recorded in `directory`/cluster.json.
  explicit RealKafkaCluster(std::string directory);

  /// The cluster named by environment variable `variable` (a fixture's folder).
  static std::unique_ptr<RealKafkaCluster> from_environment(const char* variable);

  BrokerKind kind() const override { return BrokerKind::real_kafka; }
  std::string bootstrap_servers() const override { return bootstrap_servers_; }
  void create_topic(const std::string& name,
                    int partitions = 1,
                    const TopicConfigs& configs = {}) override;

  /// `host:port,...` of the SASL_PLAINTEXT (mechanism PLAIN) listeners, and the password of a
  /// user the brokers know.
  std::string sasl_bootstrap_servers() const { return sasl_bootstrap_servers_; }
  std::string sasl_password(const std::string& user) const;

  /// Node ids, 1..N.
  std::vector<int> nodes() const;

  /// The node leading `topic`-`partition` now.
  int leader_of(const std::string& topic, int partition) const;

  /// Sends SIGKILL, SIGSTOP or SIGCONT ("KILL", "STOP", "CONT") to node `id`.
  void signal_node(int id, const std::string& signal);

  /// Starts node `id` again after a SIGKILL and waits until it answers.
  void restart_node(int id);

 private:
  void run_script(const std::string& arguments) const;
  void reload();

  std::string directory_;
  std::string bootstrap_servers_;
  std::string sasl_bootstrap_servers_;
  std::map<std::string, std::string> sasl_users_;
  std::map<int, int> pids_;
};

/// A value-parameterized suite over brokers: `broker()` is the shared broker of the
/// parameter. Instantiate with KAFKASINK_INSTANTIATE_ON_BROKERS(Suite).
class BrokerTest : public ::testing::TestWithParam<BrokerKind> {
 protected:
  static TestBroker& broker_of(BrokerKind kind) { return shared_broker(kind); }
  TestBroker& broker() const { return shared_broker(GetParam()); }
  bool real_kafka() const { return GetParam() == BrokerKind::real_kafka; }
};

}  // namespace kafkasink::test

/// Runs every TEST_P of `suite` on the mock cluster (tests named Mock/...) and on the real
/// broker (RealKafka/..., labelled real-kafka).
#define KAFKASINK_INSTANTIATE_ON_BROKERS(suite)                                                  \
  INSTANTIATE_TEST_SUITE_P(Mock, suite, ::testing::Values(::kafkasink::test::BrokerKind::mock)); \
  INSTANTIATE_TEST_SUITE_P(RealKafka, suite,                                                     \
                           ::testing::Values(::kafkasink::test::BrokerKind::real_kafka))
