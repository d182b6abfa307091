// Reader throughput: CSV with header and inferSchema (the seed's census file repeated), and
// JSON lines (the seed's flight data repeated). Sizes shrink under KAFKASINK_BENCH_SMOKE so
// that ctest can run the program as a smoke test.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <kafkasink/reader.hpp>

namespace {

namespace fs = std::filesystem;

bool smoke() {
  return std::getenv("KAFKASINK_BENCH_SMOKE") != nullptr;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

/// A data file written once per process under the temp directory, removed at exit.
struct InputFile {
  fs::path path;
  std::size_t bytes = 0;
  std::size_t rows = 0;

  InputFile() = default;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  ~InputFile() {
    std::error_code ignored;
    if (!path.empty()) fs::remove(path, ignored);
  }
};

// The census rows repeated to `rows` data rows, after the header.
const InputFile& census_file() {
  static InputFile file;  // removed by its destructor at exit
  if (!file.path.empty()) return file;
  {
    const std::vector<std::string> lines =
        lines_of(slurp(fs::path(KAFKASINK_SOURCE_DIR) / "data/census_1000.csv"));
    const std::size_t rows = smoke() ? 2'000 : 200'000;
    file.path = fs::temp_directory_path() / "kafkasink_io_benchmark_census.csv";
    std::ofstream out(file.path, std::ios::binary);
    out << lines.front() << '\n';
    for (std::size_t row = 0; row < rows; ++row) out << lines[1 + row % (lines.size() - 1)] << '\n';
    out.close();
    file.rows = rows;
    file.bytes = static_cast<std::size_t>(fs::file_size(file.path));
  }
  return file;
}

// Every flight-data line, repeated to about `rows` lines.
const InputFile& flight_file() {
  static InputFile file;  // removed by its destructor at exit
  if (!file.path.empty()) return file;
  {
    std::vector<std::string> lines;
    for (const auto& entry :
         fs::directory_iterator(fs::path(KAFKASINK_SOURCE_DIR) / "data/flight-data")) {
      for (std::string& line : lines_of(slurp(entry.path()))) lines.push_back(std::move(line));
    }
    const std::size_t rows = smoke() ? 2'000 : 200'000;
    file.path = fs::temp_directory_path() / "kafkasink_io_benchmark_flights.json";
    std::ofstream out(file.path, std::ios::binary);
    for (std::size_t row = 0; row < rows; ++row) out << lines[row % lines.size()] << '\n';
    out.close();
    file.rows = rows;
    file.bytes = static_cast<std::size_t>(fs::file_size(file.path));
  }
  return file;
}

void BM_CsvHeaderInferSchema(benchmark::State& state) {
  const InputFile& file = census_file();
  for (auto _ : state) {
    kafkasink::DataFrame frame = kafkasink::DataFrameReader()
                                     .format("csv")
                                     .option("header", "true")
                                     .option("inferSchema", "true")
                                     .load(file.path.string());
    if (frame.count() != file.rows) throw std::runtime_error("wrong CSV row count");
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(file.rows));
}

BENCHMARK(BM_CsvHeaderInferSchema)->Unit(benchmark::kMillisecond);

void BM_CsvHeaderStrings(benchmark::State& state) {
  const InputFile& file = census_file();
  for (auto _ : state) {
    kafkasink::DataFrame frame =
        kafkasink::DataFrameReader().option("header", "true").csv(file.path.string());
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(file.rows));
}

BENCHMARK(BM_CsvHeaderStrings)->Unit(benchmark::kMillisecond);

void BM_JsonLinesInferSchema(benchmark::State& state) {
  const InputFile& file = flight_file();
  for (auto _ : state) {
    kafkasink::DataFrame frame = kafkasink::DataFrameReader().json(file.path.string());
    if (frame.count() != file.rows) throw std::runtime_error("wrong JSON row count");
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(file.rows));
}

BENCHMARK(BM_JsonLinesInferSchema)->Unit(benchmark::kMillisecond);

void BM_JsonLinesWithSchema(benchmark::State& state) {
  const InputFile& file = flight_file();
  const kafkasink::Schema schema({{"DEST_COUNTRY_NAME", kafkasink::string_type(), true},
                                  {"ORIGIN_COUNTRY_NAME", kafkasink::string_type(), true},
                                  {"count", kafkasink::long_type(), true}});
  for (auto _ : state) {
    kafkasink::DataFrame frame =
        kafkasink::DataFrameReader().schema(schema).json(file.path.string());
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(file.rows));
}

BENCHMARK(BM_JsonLinesWithSchema)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
