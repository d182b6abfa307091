// The Kafka sink against raw librdkafka, in one run, on one in-process broker (MockCluster):
//
//   RawProducev      rd_kafka_producev of the same pre-serialized key/value bytes, then flush:
//                    the baseline a hand-written C program gets.
//   SaveReadyColumns DataFrame::write()...save() of a frame whose key and value columns are
//                    ready (what the baseline sends).
//   SeedPipeline     the seed's whole program from a read frame: to_json(struct_(all)),
//                    CAST(_c0 AS STRING) AS key, then save().
//
// Rows are the census rows repeated to 200,000 (2,000 when KAFKASINK_BENCH_SMOKE is set).
// Compare items_per_second between the three.
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

// librdkafka's RD_KAFKA_V_* macros are C casts.
#pragma GCC diagnostic ignored "-Wold-style-cast"

namespace {

std::size_t row_count() {
  return std::getenv("KAFKASINK_BENCH_SMOKE") != nullptr ? 2'000 : 200'000;
}

constexpr int kPartitions = 8;

struct Fixture {
  ks::MockCluster cluster{1};
  ks::Session session = ks::Session::builder().create();
  ks::DataFrame census;  // the read frame, repeated
  ks::DataFrame ready;   // key, value columns
  int topics = 0;

  Fixture() {
    const ks::DataFrame once =
        session.read()
            .option("header", true)
            .option("inferSchema", true)
            .csv(std::string(KAFKASINK_SOURCE_DIR) + "/data/census_1000.csv");
    // Repeat by sharing the column buffers: partitions of 999 rows each.
    std::vector<ks::Partition> partitions;
    std::size_t rows = 0;
    while (rows < row_count()) {
      for (const ks::Partition& partition : once.partitions()) {
        partitions.push_back(partition);
        rows += partition.num_rows;
      }
    }
    census = ks::DataFrame(once.schema(), std::move(partitions), session.state());
    ready = seed_select(census);
  }

  static ks::DataFrame seed_select(const ks::DataFrame& frame) {
    return frame.with_column("value", ks::to_json(ks::struct_(frame.columns())))
        .select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"});
  }

  std::string new_topic() {
    std::string topic = "bench-" + std::to_string(topics++);
    cluster.create_topic(topic, kPartitions);
    return topic;
  }

  void save(const ks::DataFrame& frame, const std::string& topic) const {
    frame.write()
        .format("kafka")
        .option("kafka.bootstrap.servers", cluster.bootstrap_servers())
        .option("topic", topic)
        .save();
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

void RawProducev(benchmark::State& state) {
  Fixture& bench = fixture();
  // The same configuration the sink uses by default, so that the comparison is of the code.
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] :
       {std::pair{"bootstrap.servers", bench.cluster.bootstrap_servers()},
        std::pair{"acks", std::string("all")}, std::pair{"enable.idempotence", std::string("true")},
        std::pair{"partitioner", std::string("murmur2_random")}}) {
    if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(error);
    }
  }
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (producer == nullptr) throw std::runtime_error(error);
  std::size_t bytes = 0;
  const std::string topic = bench.new_topic();
  // Warm up: the producer learns the topic's metadata before the clock starts, as the
  // sink's cached producer has after its own warm-up write.
  rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(nullptr, 0),
                    RD_KAFKA_V_END);
  rd_kafka_flush(producer, 10'000);
  for (auto _ : state) {
    bytes = 0;
    for (const ks::Partition& partition : bench.ready.partitions()) {
      const ks::ColumnVector& keys = partition.columns[0];
      const ks::ColumnVector& values = partition.columns[1];
      for (std::size_t row = 0; row < partition.num_rows; ++row) {
        const std::string_view key = keys.bytes_at(row);
        const std::string_view value = values.bytes_at(row);
        bytes += key.size() + value.size();
        while (true) {
          const rd_kafka_resp_err_t result = rd_kafka_producev(
              producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
              RD_KAFKA_V_KEY(key.data(), key.size()),
              RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),  // NOLINT
              RD_KAFKA_V_END);
          if (result != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            if (result != RD_KAFKA_RESP_ERR_NO_ERROR)
              throw std::runtime_error(rd_kafka_err2str(result));
            break;
          }
          rd_kafka_poll(producer, 1);
        }
        rd_kafka_poll(producer, 0);
      }
    }
    if (rd_kafka_flush(producer, 60'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error("flush timed out");
    }
  }
  rd_kafka_destroy(producer);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.ready.count()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void SaveReadyColumns(benchmark::State& state) {
  Fixture& bench = fixture();
  const std::string topic = bench.new_topic();
  bench.save(bench.ready.repartition(1).select_expr({"key", "value"}), topic);  // warm-up
  for (auto _ : state) bench.save(bench.ready, topic);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.ready.count()));
}

void SeedPipeline(benchmark::State& state) {
  Fixture& bench = fixture();
  const std::string topic = bench.new_topic();
  bench.save(bench.ready, topic);  // warm-up
  for (auto _ : state) bench.save(Fixture::seed_select(bench.census), topic);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.census.count()));
}

BENCHMARK(RawProducev)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SaveReadyColumns)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SeedPipeline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
