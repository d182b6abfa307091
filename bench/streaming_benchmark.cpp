// The streaming query against the batch write of the same rows, in one run, on one in-process
// broker (MockCluster). The census rows, repeated to 200,000 (2,000 when KAFKASINK_BENCH_SMOKE
// is set), are split into 20 CSV files with a header:
//
//   BatchWriteOfTheFiles      spark.read().csv(folder), the seed's transformations, save().
//   StreamingQueryOfTheFiles/N  the same as a streaming query with maxFilesPerTrigger=N and the
//                             available-now trigger, until it finishes: N=20 is Spark's default
//                             (every file in one micro-batch), N=5 makes 4 micro-batches and
//                             N=1 makes 20, each with its offsets and commit entries. A
//                             micro-batch writes its files in parallel, one task per file, as
//                             the batch write does, so fewer files per trigger use fewer cores.
//   CheckpointPerBatch        the checkpoint's own work for one batch: the offsets entry, the
//                             source log entry and the commit entry, each fsynced and renamed.
//
// Compare items_per_second of the first two (`vs_batch` is their ratio; target >= 0.8).
// `checkpoint_ms_per_batch` is the checkpoint time each micro-batch spent, from its progress.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <kafkasink/kafkasink.hpp>

#include "streaming/checkpoint.hpp"

namespace ks = kafkasink;
namespace fs = std::filesystem;

namespace {

constexpr int kFiles = 20;
constexpr int kPartitions = 8;

std::size_t row_count() {
  return std::getenv("KAFKASINK_BENCH_SMOKE") != nullptr ? 2'000 : 200'000;
}

struct Fixture {
  ks::MockCluster cluster{1};
  ks::Session session = ks::Session::builder().create();
  fs::path root =
      fs::temp_directory_path() / ("kafkasink-streaming-bench-" + std::to_string(::getpid()));
  fs::path input = root / "input";
  ks::Schema schema;
  std::size_t rows = 0;
  int topics = 0;
  int checkpoints = 0;
  double batch_rows_per_second = 0;

  Fixture() {
    const std::string census = std::string(KAFKASINK_SOURCE_DIR) + "/data/census_1000.csv";
    schema = session.read().option("header", true).option("inferSchema", true).csv(census).schema();
    std::ifstream in(census);
    std::string header;
    std::getline(in, header);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    fs::create_directories(input);
    std::vector<std::ofstream> files;
    for (int file = 0; file < kFiles; ++file) {
      files.emplace_back(input / ("part-" + std::to_string(100 + file) + ".csv"));
      files.back() << header << '\n';
    }
    for (rows = 0; rows < row_count(); ++rows) {
      files[rows % kFiles] << lines[rows % lines.size()] << '\n';
    }
  }

  ~Fixture() {
    session.stop();
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }

  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  std::string new_topic() {
    std::string topic = "stream-bench-" + std::to_string(topics++);
    cluster.create_topic(topic, kPartitions);
    return topic;
  }

  std::string new_checkpoint() {
    return (root / ("checkpoint-" + std::to_string(checkpoints++))).string();
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BatchWriteOfTheFiles(benchmark::State& state) {
  Fixture& bench = fixture();
  double seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string topic = bench.new_topic();
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    const ks::DataFrame frame =
        bench.session.read().schema(bench.schema).option("header", true).csv(bench.input.string());
    frame.with_column("value", ks::to_json(ks::struct_(frame.columns())))
        .select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"})
        .write()
        .format("kafka")
        .option("kafka.bootstrap.servers", bench.cluster.bootstrap_servers())
        .option("topic", topic)
        .save();
    seconds += seconds_since(start);
  }
  bench.batch_rows_per_second =
      static_cast<double>(bench.rows) * static_cast<double>(state.iterations()) / seconds;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.rows));
}

void StreamingQueryOfTheFiles(benchmark::State& state) {
  Fixture& bench = fixture();
  double seconds = 0;
  double checkpoint_ms = 0;
  double trigger_ms = 0;
  double write_ms = 0;
  double read_ms = 0;
  std::size_t batches = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string topic = bench.new_topic();
    const std::string checkpoint = bench.new_checkpoint();
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    const ks::StreamingDataFrame stream = bench.session.read_stream()
                                              .schema(bench.schema)
                                              .option("header", true)
                                              .option("maxFilesPerTrigger", state.range(0))
                                              .csv(bench.input.string());
    ks::StreamingQuery query =
        stream.with_column("value", ks::to_json(ks::struct_(stream.columns())))
            .select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bench.cluster.bootstrap_servers())
            .option("topic", topic)
            .option("checkpointLocation", checkpoint)
            .trigger(ks::Trigger::available_now())
            .start();
    query.await_termination();
    seconds += seconds_since(start);
    state.PauseTiming();
    for (const ks::StreamingQueryProgress& progress : query.recent_progress()) {
      const auto ms = [&progress](const char* phase) {
        return static_cast<double>(progress.durations.at(phase).count()) / 1000.0;
      };
      checkpoint_ms += ms("walCommit") + ms("commitOffsets");
      trigger_ms += ms("triggerExecution");
      write_ms += ms("addBatch");
      read_ms += ms("getBatch");
      ++batches;
    }
    state.ResumeTiming();
  }
  const double rows_per_second =
      static_cast<double>(bench.rows) * static_cast<double>(state.iterations()) / seconds;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bench.rows));
  if (bench.batch_rows_per_second > 0) {
    state.counters["vs_batch"] = rows_per_second / bench.batch_rows_per_second;
  }
  if (batches > 0) {
    state.counters["batches"] =
        static_cast<double>(batches) / static_cast<double>(state.iterations());
    state.counters["checkpoint_ms_per_batch"] = checkpoint_ms / static_cast<double>(batches);
    state.counters["trigger_ms_per_batch"] = trigger_ms / static_cast<double>(batches);
    state.counters["write_ms_per_batch"] = write_ms / static_cast<double>(batches);
    state.counters["read_ms_per_batch"] = read_ms / static_cast<double>(batches);
  }
}

void CheckpointPerBatch(benchmark::State& state) {
  Fixture& bench = fixture();
  ks::detail::Checkpoint checkpoint(bench.new_checkpoint());
  const std::vector<ks::detail::SourceFile> files{
      {(bench.input / "part-100.csv").string(), 1000, 1}};
  std::int64_t batch = 0;
  for (auto _ : state) {
    checkpoint.begin_batch(batch, files, false);
    checkpoint.commit(batch, 100);
    ++batch;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BatchWriteOfTheFiles)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(StreamingQueryOfTheFiles)
    ->Arg(kFiles)
    ->Arg(kFiles / 4)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(CheckpointPerBatch)->Unit(benchmark::kMicrosecond)->UseRealTime();

BENCHMARK_MAIN();
