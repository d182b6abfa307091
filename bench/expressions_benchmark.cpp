// to_json(struct_(every column)) over census rows: the value column of the Kafka sink idiom.
//
// The frame is built in code from data/census_1000.csv (split on commas; the file has no
// quoted fields), repeated to 200,000 rows in one partition, so the figure is one thread's
// serializer speed: bytes of JSON written per second and rows per second. With
// KAFKASINK_BENCH_SMOKE set (the ctest smoke run) the frame has 2,000 rows.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/expressions.hpp>

namespace kafkasink {
namespace {

std::size_t row_count() {
  return std::getenv("KAFKASINK_BENCH_SMOKE") != nullptr ? 2'000 : 200'000;
}

// The census columns with the types Spark's inferSchema gives them.
DataFrame census_frame(std::size_t rows) {
  std::ifstream file(std::string(KAFKASINK_SOURCE_DIR) + "/data/census_1000.csv");
  if (!file) throw std::runtime_error("data/census_1000.csv not found");
  const std::vector<std::string> integers = {"_c0",          "age",          "education-num",
                                             "capital-gain", "capital-loss", "hours-per-week"};
  std::string line;
  std::getline(file, line);
  std::vector<Field> fields;
  {
    std::stringstream header(line);
    std::string name;
    while (std::getline(header, name, ',')) {
      const bool is_int = std::find(integers.begin(), integers.end(), name) != integers.end();
      fields.push_back(Field{name, is_int ? int_type() : string_type(), true});
    }
  }
  std::vector<Row> source;
  while (std::getline(file, line)) {
    std::stringstream cells(line);
    std::string cell;
    std::vector<Value> values;
    for (std::size_t column = 0; std::getline(cells, cell, ','); ++column) {
      if (fields.at(column).type == int_type()) {
        values.emplace_back(std::stoi(cell));
      } else {
        values.emplace_back(cell);
      }
    }
    source.emplace_back(std::move(values));
  }
  std::vector<Row> repeated;
  repeated.reserve(rows);
  while (repeated.size() < rows) repeated.push_back(source[repeated.size() % source.size()]);
  return DataFrame::from_rows(Schema(std::move(fields)), repeated);
}

const DataFrame& census() {
  static const DataFrame kFrame = census_frame(row_count());
  return kFrame;
}

std::size_t output_bytes(const DataFrame& result) {
  std::size_t bytes = 0;
  for (const Partition& partition : result.partitions()) {
    const ColumnVector& column = partition.columns.at(0);
    for (std::size_t row = 0; row < column.size(); ++row) bytes += column.bytes_at(row).size();
  }
  return bytes;
}

void BM_ToJsonStructOfAllColumns(benchmark::State& state) {
  const DataFrame& frame = census();
  const Column value = to_json(struct_(frame.columns()));
  std::size_t bytes = 0;
  for (auto _ : state) {
    DataFrame result = frame.select({value});
    benchmark::DoNotOptimize(result);
    if (bytes == 0) bytes = output_bytes(result);
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(frame.count()));
}

BENCHMARK(BM_ToJsonStructOfAllColumns)->Unit(benchmark::kMillisecond);

// The key of the idiom: CAST(_c0 AS STRING).
void BM_CastIntToString(benchmark::State& state) {
  const DataFrame& frame = census();
  const Column key = col("_c0").cast("string");
  std::size_t bytes = 0;
  for (auto _ : state) {
    DataFrame result = frame.select({key});
    benchmark::DoNotOptimize(result);
    if (bytes == 0) bytes = output_bytes(result);
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(frame.count()));
}

BENCHMARK(BM_CastIntToString)->Unit(benchmark::kMillisecond);

// to_json over doubles, one column per kind of value: what a price feed or a sensor sends
// (magnitudes 1e-3 to 1e7) and epoch seconds with a fraction (about 1.7e9), where Java's digits
// are the shortest ones and std::to_chars finds them; and magnitudes of 1e-15 to 1e-8 and 1e16
// to 1e24, where Java 17's own digit generation runs.
DataFrame double_frame(std::size_t rows) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Row> values;
  values.reserve(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    const double price = static_cast<double>(random() % 10'000'000) / 100.0;
    const double ratio = unit(random);
    const double seconds = 1.7e9 + static_cast<double>(random() % 100'000'000) / 1000.0;
    const double tiny = unit(random) * std::pow(10.0, -8.0 - static_cast<double>(row % 8));
    const double huge = unit(random) * std::pow(10.0, 17.0 + static_cast<double>(row % 8));
    values.push_back(Row({Value(price), Value(ratio), Value(seconds), Value(tiny), Value(huge)}));
  }
  return DataFrame::from_rows(
      Schema({Field{"price", double_type(), true}, Field{"ratio", double_type(), true},
              Field{"seconds", double_type(), true}, Field{"tiny", double_type(), true},
              Field{"huge", double_type(), true}}),
      values);
}

void to_json_of(benchmark::State& state, const std::vector<std::string>& names) {
  static const DataFrame kFrame = double_frame(row_count());
  std::vector<Column> columns;
  for (const std::string& name : names) columns.push_back(col(name));
  const Column value = to_json(struct_(columns));
  std::size_t bytes = 0;
  for (auto _ : state) {
    DataFrame result = kFrame.select({value});
    benchmark::DoNotOptimize(result);
    if (bytes == 0) bytes = output_bytes(result);
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(kFrame.count()));
}

void BM_ToJsonDoublesCommon(benchmark::State& state) {
  to_json_of(state, {"price", "ratio", "seconds"});
}

BENCHMARK(BM_ToJsonDoublesCommon)->Unit(benchmark::kMillisecond);

void BM_ToJsonDoublesOutsideCommonRange(benchmark::State& state) {
  to_json_of(state, {"tiny", "huge"});
}

BENCHMARK(BM_ToJsonDoublesOutsideCommonRange)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kafkasink

BENCHMARK_MAIN();
