// What exactly-once costs, on the real Kafka broker of the test fixture (librdkafka's mock
// cannot run transactions faithfully):
//
//   Save/at_least_once     save() of 200,000 rows of 100-byte values over 8 partitions
//   Save/exactly_once      the same, deliveryGuarantee exactly-once: one transaction
//   MicroBatch/at_least_once   a 100-row micro-batch written as a streaming query writes it
//   MicroBatch/exactly_once    the same in its own transaction, with the batch's marker
//                              (begin, AddPartitionsToTxn, send_offsets_to_transaction,
//                              commit): the per-batch overhead of the transaction
//
// Compare items_per_second of the two Save runs (the throughput ratio), and the time per
// iteration of the two MicroBatch runs (the difference is the transaction's overhead).
// The broker: KAFKASINK_REAL_KAFKA (a folder of tests/support/kafka_cluster.py, as ctest's
// real_kafka fixture sets it), or without it a one-node cluster the program starts and stops.
// 2,000 rows when KAFKASINK_BENCH_SMOKE is set.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <kafkasink/kafkasink.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/transactional_write.hpp"
#include "session/session_state.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace ks = kafkasink;

namespace {

std::size_t row_count() {
  return std::getenv("KAFKASINK_BENCH_SMOKE") != nullptr ? 2'000 : 200'000;
}

constexpr int kPartitions = 8;
constexpr std::size_t kMicroBatchRows = 100;

ks::DataFrame values(std::size_t rows, std::size_t partitions) {
  std::vector<ks::Row> data;
  data.reserve(rows);
  for (std::size_t n = 0; n < rows; ++n) {
    std::string value = std::to_string(n);
    value.resize(100, '.');
    data.push_back(ks::Row{std::move(value)});
  }
  return ks::DataFrame::from_rows(ks::Schema({{"value", ks::string_type()}}), data)
      .repartition(partitions);
}

// The broker of KAFKASINK_REAL_KAFKA, or one started for this run (as `./dev.sh bench` runs
// it) with tests/support/kafka_cluster.py and stopped at exit.
class Broker {
 public:
  Broker() {
    if (const char* folder = std::getenv("KAFKASINK_REAL_KAFKA"); folder != nullptr && *folder) {
      cluster_ = std::make_unique<ks::test::RealKafkaCluster>(folder);
      return;
    }
    own_ = ks::test::temporary_directory("bench-kafka");
    run_script("start");
    cluster_ = std::make_unique<ks::test::RealKafkaCluster>(own_);
  }
  ~Broker() {
    if (!own_.empty()) {
      run_script("stop");
      std::filesystem::remove_all(own_);
    }
  }
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  ks::test::RealKafkaCluster* operator->() const { return cluster_.get(); }

 private:
  void run_script(const char* command) const {
    const std::string line = std::string("python3 ") + KAFKASINK_SOURCE_DIR +
                             "/tests/support/kafka_cluster.py " + command + " " + own_ +
                             " > /dev/null";
    if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + line);
  }

  std::string own_;
  std::unique_ptr<ks::test::RealKafkaCluster> cluster_;
};

struct Fixture {
  Broker cluster;
  ks::Session session = ks::Session::builder().create();
  ks::DataFrame big = values(row_count(), kPartitions);
  ks::DataFrame small = values(kMicroBatchRows, 1);
  int topics = 0;

  std::string new_topic() {
    std::string topic = ks::test::unique_topic("bench-eos-" + std::to_string(topics++));
    cluster->create_topic(topic, kPartitions);
    return topic;
  }

  std::map<std::string, std::string> options(const std::string& topic, bool exactly_once) const {
    return {{"kafka.bootstrap.servers", cluster->bootstrap_servers()},
            {"topic", topic},
            {"deliveryGuarantee", exactly_once ? "exactly-once" : "at-least-once"}};
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

void Save(benchmark::State& state, bool exactly_once) {
  Fixture& bench = fixture();
  const std::string topic = bench.new_topic();
  const auto options = bench.options(topic, exactly_once);
  // Warm up: the cached producer exists and knows the topic before the clock starts.
  bench.small.write().format("kafka").options(options).save();
  for (auto _ : state) bench.big.write().format("kafka").options(options).save();
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.big.count()));
}

void MicroBatch(benchmark::State& state, bool exactly_once) {
  Fixture& bench = fixture();
  const std::string topic = bench.new_topic();
  const ks::detail::KafkaSinkPlan plan = ks::detail::KafkaSinkPlan::prepare(
      bench.small.schema(), ks::detail::OptionMap(bench.options(topic, exactly_once)));
  ks::ProducerPool& pool = bench.session.state()->pool();
  std::optional<ks::detail::TransactionalProducer> transactions;
  if (exactly_once) {
    transactions.emplace(ks::detail::TransactionalProducer::for_query(
        plan, pool, ks::test::unique_topic("bench-query")));
  }
  std::int64_t batch = 0;
  const auto write = [&] {
    if (transactions) {
      transactions->write(plan, bench.small, pool, batch++);
    } else {
      ks::detail::write_frame(plan, bench.small, pool);
    }
  };
  write();  // warm up, as for Save
  for (auto _ : state) write();
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMicroBatchRows));
}

}  // namespace

BENCHMARK_CAPTURE(Save, at_least_once, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(Save, exactly_once, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(MicroBatch, at_least_once, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(MicroBatch, exactly_once, true)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
