#include "support/test_broker.hpp"

#include <array>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <nlohmann/json.hpp>
#include <signal.h>

namespace kafkasink::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kTopicTimeout = std::chrono::seconds(30);

class MockBroker : public TestBroker {
 public:
  BrokerKind kind() const override { return BrokerKind::mock; }
  std::string bootstrap_servers() const override { return cluster_.bootstrap_servers(); }
  void create_topic(const std::string& name,
                    int partitions,
                    const TopicConfigs& /*configs*/) override {
    cluster_.create_topic(name, partitions);
  }
  MockCluster* mock() override { return &cluster_; }

 private:
  MockCluster cluster_{1};
};

struct HandleDeleter {
  void operator()(rd_kafka_t* handle) const noexcept { rd_kafka_destroy(handle); }
};

using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

HandlePtr new_admin(const std::string& bootstrap_servers) {
  rd_kafka_conf_t* configuration = rd_kafka_conf_new();
  std::array<char, 512> error_text{};
  rd_kafka_conf_set(configuration, "bootstrap.servers", bootstrap_servers.c_str(),
                    error_text.data(), error_text.size());
  rd_kafka_conf_set(configuration, "log.connection.close", "false", error_text.data(),
                    error_text.size());
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, configuration, error_text.data(), error_text.size());
  if (handle == nullptr) {
    rd_kafka_conf_destroy(configuration);
    throw std::runtime_error(fmt::format("cannot create an admin client: {}", error_text.data()));
  }
  return HandlePtr(handle);
}

// Partition id -> leader id of `topic`, empty while the brokers do not know it.
std::map<int, int> leaders(rd_kafka_t* handle, const std::string& topic) {
  const rd_kafka_metadata_t* metadata = nullptr;
  std::map<int, int> result;
  if (rd_kafka_metadata(handle, 1, nullptr, &metadata, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return result;
  }
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& described = metadata->topics[t];
    if (topic != described.topic || described.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    for (int p = 0; p < described.partition_cnt; ++p) {
      result[described.partitions[p].id] = described.partitions[p].leader;
    }
  }
  rd_kafka_metadata_destroy(metadata);
  return result;
}

}  // namespace

std::string broker_name(BrokerKind kind) {
  return kind == BrokerKind::mock ? "Mock" : "RealKafka";
}

std::vector<ConsumedRecord> TestBroker::read_all(const std::string& topic,
                                                 std::chrono::milliseconds timeout,
                                                 const std::string& isolation_level) const {
  TopicReadOptions options;
  options.timeout = timeout;
  options.isolation_level = isolation_level;
  return read_topic(bootstrap_servers(), topic, options);
}

std::vector<ConsumedRecord> TestBroker::read_at_least(const std::string& topic,
                                                      std::size_t count,
                                                      std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  std::vector<ConsumedRecord> records = read_all(topic);
  while (records.size() < count && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    records = read_all(topic);
  }
  return records;
}

std::vector<std::int64_t> TestBroker::end_offsets(const std::string& topic) const {
  return topic_end_offsets(bootstrap_servers(), topic);
}

TestBroker& shared_broker(BrokerKind kind) {
  // Never destroyed: the brokers serve every suite of the program until it exits.
  static std::mutex mutex;
  static auto* brokers = new std::map<BrokerKind, std::unique_ptr<TestBroker>>();
  const std::lock_guard lock(mutex);
  std::unique_ptr<TestBroker>& broker = (*brokers)[kind];
  if (broker == nullptr) {
    if (kind == BrokerKind::mock) {
      broker = std::make_unique<MockBroker>();
    } else {
      broker = RealKafkaCluster::from_environment("KAFKASINK_REAL_KAFKA");
    }
  }
  return *broker;
}

RealKafkaCluster::RealKafkaCluster(std::string directory) : directory_(std::move(directory)) {
  reload();
}

std::unique_ptr<RealKafkaCluster> RealKafkaCluster::from_environment(const char* variable) {
  const char* directory = std::getenv(variable);
  if (directory == nullptr || *directory == '\0') {
    throw std::runtime_error(fmt::format(
        "{} is not set: real-kafka tests run under ctest, whose fixture starts the broker "
        "(or start one with tests/support/kafka_cluster.py start DIR and set {}=DIR)",
        variable, variable));
  }
  return std::make_unique<RealKafkaCluster>(directory);
}

void RealKafkaCluster::reload() {
  const std::string path = directory_ + "/cluster.json";
  std::ifstream file(path);
  if (!file) throw std::runtime_error(fmt::format("no real Kafka cluster at {}", path));
  const nlohmann::json cluster = nlohmann::json::parse(file);
  bootstrap_servers_ = cluster.at("bootstrap").get<std::string>();
  sasl_bootstrap_servers_ = cluster.at("sasl_bootstrap").get<std::string>();
  sasl_users_ = cluster.at("sasl_users").get<std::map<std::string, std::string>>();
  pids_.clear();
  for (const auto& node : cluster.at("nodes")) {
    pids_[node.at("id").get<int>()] = node.at("pid").get<int>();
  }
}

std::string RealKafkaCluster::sasl_password(const std::string& user) const {
  return sasl_users_.at(user);
}

std::vector<int> RealKafkaCluster::nodes() const {
  std::vector<int> ids;
  for (const auto& [id, pid] : pids_) ids.push_back(id);
  return ids;
}

void RealKafkaCluster::create_topic(const std::string& name,
                                    int partitions,
                                    const TopicConfigs& configs) {
  const HandlePtr admin = new_admin(bootstrap_servers_);
  std::array<char, 512> error_text{};
  const int replication = std::min<int>(static_cast<int>(pids_.size()), 3);
  rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(name.c_str(), partitions, replication,
                                                     error_text.data(), error_text.size());
  if (topic == nullptr) {
    throw std::runtime_error(fmt::format("topic {}: {}", name, error_text.data()));
  }
  for (const auto& [key, value] : configs) {
    rd_kafka_NewTopic_set_config(topic, key.c_str(), value.c_str());
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin.get());
  rd_kafka_CreateTopics(admin.get(), &topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30'000);
  std::string failure;
  if (event == nullptr) {
    failure = "no answer within 30 s";
  } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failure = rd_kafka_event_error_string(event);
  } else {
    std::size_t count = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
    if (count == 1 && rd_kafka_topic_result_error(results[0]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      failure = rd_kafka_topic_result_error_string(results[0]);
    }
  }
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  if (!failure.empty()) {
    throw std::runtime_error(fmt::format("creating topic {} failed: {}", name, failure));
  }
  // Every partition has a leader before a test writes: a producer's first metadata answer then
  // names them all.
  const auto deadline = Clock::now() + kTopicTimeout;
  while (Clock::now() < deadline) {
    const std::map<int, int> known = leaders(admin.get(), name);
    if (static_cast<int>(known.size()) == partitions &&
        std::all_of(known.begin(), known.end(),
                    [](const auto& entry) { return entry.second >= 0; })) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error(fmt::format("topic {} has no leader after 30 s", name));
}

int RealKafkaCluster::leader_of(const std::string& topic, int partition) const {
  const HandlePtr admin = new_admin(bootstrap_servers_);
  const std::map<int, int> known = leaders(admin.get(), topic);
  const auto found = known.find(partition);
  if (found == known.end()) {
    throw std::runtime_error(fmt::format("{}-{} is not known", topic, partition));
  }
  return found->second;
}

void RealKafkaCluster::run_script(const std::string& arguments) const {
  const std::string command = fmt::format("python3 '{}/tests/support/kafka_cluster.py' {}",
                                          KAFKASINK_SOURCE_DIR, arguments);
  // NOLINTNEXTLINE(cert-env33-c): the test's own script, with arguments the test chose.
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error(fmt::format("`{}` failed", command));
  }
}

void RealKafkaCluster::signal_node(int id, const std::string& signal) {
  // Sent directly, not through the script: a test freezes nodes at a precise moment.
  static const std::map<std::string, int> kSignals = {
      {"KILL", SIGKILL}, {"STOP", SIGSTOP}, {"CONT", SIGCONT}, {"TERM", SIGTERM}};
  if (::kill(pids_.at(id), kSignals.at(signal)) != 0) {
    throw std::runtime_error(fmt::format("cannot send SIG{} to node {}", signal, id));
  }
}

void RealKafkaCluster::restart_node(int id) {
  run_script(fmt::format("restart '{}' {}", directory_, id));
  reload();
}

}  // namespace kafkasink::test
