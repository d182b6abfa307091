// kafkasink's half of bench/side_by_side.py (not a Google Benchmark, not run by ctest: it needs
// a broker the driver starts, and the driver times several tools against the same one).
//
//   side_by_side_save save CSV BOOTSTRAP TOPIC WARMUP_CSV WARMUP_TOPIC
//       The seed's batch program, timed: read CSV (header, inferSchema), value =
//       to_json(struct(all)), key = CAST(_c0 AS STRING), write.format("kafka").save(). It runs
//       once on WARMUP_CSV to WARMUP_TOPIC first (the cached producer connects, learns the
//       metadata, the pages are touched), as Spark's side runs a warm-up job. Prints one JSON
//       line: rows, read_seconds, save_seconds, seconds (read + save).
//
//   side_by_side_save serialize CSV OUT
//       The same key and value bytes as `save` sends, one record a line, `key TAB value`, for
//       the clients that send pre-serialized lines (kcat -P -K '\t', confluent-kafka). A JSON
//       value never holds a raw tab or newline (to_json escapes them); a key or value that
//       does is refused rather than written as two records. Prints rows and bytes as JSON.
#include <chrono>
#include <cstddef>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

ks::DataFrame read_census(ks::Session& session, const std::string& path) {
  return session.read().option("header", true).option("inferSchema", true).csv(path);
}

ks::DataFrame seed_records(const ks::DataFrame& census) {
  return census.with_column("value", ks::to_json(ks::struct_(census.columns())))
      .select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"});
}

void save(const ks::DataFrame& records, const std::string& bootstrap, const std::string& topic) {
  records.write()
      .format("kafka")
      .option("kafka.bootstrap.servers", bootstrap)
      .option("topic", topic)
      .save();
}

int run_save(const std::vector<std::string>& arguments) {
  const std::string& csv = arguments[0];
  const std::string& bootstrap = arguments[1];
  const std::string& topic = arguments[2];
  ks::Session session = ks::Session::builder().get_or_create();
  save(seed_records(read_census(session, arguments[3])), bootstrap, arguments[4]);

  const Clock::time_point start = Clock::now();
  const ks::DataFrame census = read_census(session, csv);
  const double read_seconds = seconds_since(start);
  const ks::DataFrame records = seed_records(census);
  save(records, bootstrap, topic);
  const double total_seconds = seconds_since(start);
  std::cout << R"({"rows":)" << records.count() << R"(,"read_seconds":)" << read_seconds
            << R"(,"save_seconds":)" << total_seconds - read_seconds << R"(,"seconds":)"
            << total_seconds << "}\n";
  session.stop();
  return 0;
}

void check_line_safe(std::string_view field, const char* what, std::size_t row) {
  if (field.find_first_of("\t\n") != std::string_view::npos) {
    throw std::runtime_error(std::string(what) + " of record " + std::to_string(row) +
                             " holds a tab or newline; it cannot be one line");
  }
}

int run_serialize(const std::vector<std::string>& arguments) {
  ks::Session session = ks::Session::builder().get_or_create();
  const ks::DataFrame records = seed_records(read_census(session, arguments[0]));
  std::ofstream out(arguments[1], std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + arguments[1]);
  std::size_t row_number = 0;
  std::size_t bytes = 0;
  for (const ks::Partition& partition : records.partitions()) {
    const ks::ColumnVector& keys = partition.columns[0];
    const ks::ColumnVector& values = partition.columns[1];
    for (std::size_t row = 0; row < partition.num_rows; ++row, ++row_number) {
      const std::string_view key = keys.bytes_at(row);
      const std::string_view value = values.bytes_at(row);
      check_line_safe(key, "the key", row_number);
      check_line_safe(value, "the value", row_number);
      out << key << '\t' << value << '\n';
      bytes += key.size() + value.size();
    }
  }
  out.close();
  if (!out) throw std::runtime_error("writing " + arguments[1] + " failed");
  std::cout << R"({"rows":)" << row_number << R"(,"bytes":)" << bytes << "}\n";
  session.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::vector<std::string> words(argv + 1, argv + argc);  // NOLINT
  if (words.size() == 6 && words[0] == "save") return run_save({words.begin() + 1, words.end()});
  if (words.size() == 3 && words[0] == "serialize") {
    return run_serialize({words.begin() + 1, words.end()});
  }
  std::cerr << "usage: side_by_side_save save CSV BOOTSTRAP TOPIC WARMUP_CSV WARMUP_TOPIC\n"
               "       side_by_side_save serialize CSV OUT\n";
  return 2;
} catch (const std::exception& error) {
  std::cerr << "side_by_side_save: " << error.what() << '\n';
  return 1;
}
