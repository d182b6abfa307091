// `kafkasink write`: a file or folder of CSV or JSON lines, written to Kafka through the
// library's DataFrameWriter exactly as a Spark job would write it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include <kafkasink/kafkasink.hpp>

#include "arguments.hpp"
#include "client_log.hpp"
#include "client_settings.hpp"
#include "commands.hpp"
#include "progress_display.hpp"
#include "record_output.hpp"
#include "stop_signals.hpp"
#include "util/redact.hpp"

namespace kafkasink::tool {

namespace {

// How long a write stopped by Ctrl-C waits for the records in flight.
constexpr std::chrono::seconds kCancelGrace(5);

const CommandSpec kWriteSpec{
    .usage = "kafkasink write FILE_OR_DIR --topic T [options]",
    .description =
        "Reads a CSV or JSON-lines file (or every file of a folder) and writes one Kafka record\n"
        "per row, as Spark's `df.write.format(\"kafka\")` does. By default the value is the row\n"
        "as JSON (to_json(struct(*))). Without --bootstrap-servers (or -X bootstrap.servers)\n"
        "the records go to an embedded broker and are read back and shown. A malformed record in "
        "the input stops\n"
        "the tool before anything is written (Spark's FAILFAST mode).",
    .options =
        {
            value_option(
                "--format", "csv|json", "input format (default: from the file name's extension)"),
            flag_option("--header", "CSV: the first line holds the column names"),
            flag_option("--infer-schema", "CSV: infer int/long/double/boolean columns"),
            value_option("--topic", "T", "the topic to write to (required)"),
            value_option("--key", "COLUMN", "the record key: COLUMN as string"),
            flag_option("--value-json", "the value is the whole row as JSON (the default)"),
            value_option("--value", "COLUMN", "the value is COLUMN as string instead"),
            value_option("--partition-column",
                         "COLUMN",
                         "the partition is COLUMN as int (else the partitioner chooses)"),
            value_option("--record-header",
                         "NAME=VALUE",
                         "add this header to every record (repeatable)",
                         Repeat::kMany,
                         "-H"),
            value_option("--header-column",
                         "COLUMN",
                         "add a header named COLUMN holding the row's value (repeatable)",
                         Repeat::kMany),
            value_option("--bootstrap-servers",
                         "HOST:PORT,...",
                         "the Kafka cluster (default: an embedded broker)"),
            value_option("-X",
                         "KEY=VALUE",
                         "a producer setting, `kafka.` prefix optional (repeatable)",
                         Repeat::kMany),
            value_option("--repartition",
                         "N",
                         "split the rows into N partitions, written by parallel tasks"),
            value_option("--show", "N", "embedded broker: how many records to show (default 5)"),
            flag_option("--verbose",
                        "print the producer settings (secrets redacted) and librdkafka's log"),
            flag_option("--help", "this text", "-h"),
        },
    .min_positionals = 1,
    .max_positionals = 1,
    .positional_name = "FILE_OR_DIR",
};

// Fails, naming the flag, the file and the columns it has, when `column` is not in the frame.
void check_column(const DataFrame& frame,
                  const std::string& flag,
                  const std::string& column,
                  const std::string& path) {
  if (frame.schema().index_of(column)) return;
  std::string names;
  for (const std::string& name : frame.columns()) names += (names.empty() ? "" : ", ") + name;
  throw UsageError(
      fmt::format("{} {}: no such column in {} (columns: {})", flag, column, path, names));
}

std::string input_format(const Arguments& arguments, const std::string& path) {
  std::string format = arguments.value("--format").value_or("");
  if (format.empty()) {
    const std::string extension = std::filesystem::path(path).extension().string();
    if (extension == ".csv") format = "csv";
    if (extension == ".json" || extension == ".jsonl") format = "json";
    if (format.empty()) {
      throw UsageError(
          fmt::format("--format: cannot tell the format of {}: give --format csv "
                      "or --format json",
                      path));
    }
  }
  if (format != "csv" && format != "json") {
    throw UsageError(fmt::format("--format {}: expected csv or json", format));
  }
  return format;
}

// Named so as not to clash with a `headers` column of the input.
constexpr const char* kHeadersColumn = "__kafkasink_headers";

// The headers column: for every row, the fixed headers then one per header column, with the
// row's value as text (a null value stays a null header value).
DataFrame with_headers(const DataFrame& frame,
                       const std::vector<std::pair<std::string, std::string>>& fixed,
                       const std::vector<std::string>& columns) {
  if (fixed.empty() && columns.empty()) return frame;
  std::vector<Column> as_text;
  for (const std::string& name : columns) as_text.push_back(col(name).cast("string"));
  const DataFrame texts = columns.empty() ? frame : frame.select(as_text);
  const DataType header_type =
      array_type(struct_type({{"key", string_type()}, {"value", binary_type()}}));
  std::vector<Partition> partitions = frame.partitions();
  for (std::size_t index = 0; index < partitions.size(); ++index) {
    Partition& partition = partitions[index];
    const Partition& text_partition = texts.partitions()[index];
    ColumnBuilder headers(header_type);
    headers.reserve(partition.num_rows);
    for (std::size_t row = 0; row < partition.num_rows; ++row) {
      ColumnBuilder& element = headers.element_builder();
      for (const auto& [name, value] : fixed) {
        element.field_builder(0).append_bytes(name);
        element.field_builder(1).append_bytes(value);
        element.finish_struct();
      }
      for (std::size_t column = 0; column < columns.size(); ++column) {
        const ColumnVector& values = text_partition.columns[column];
        element.field_builder(0).append_bytes(columns[column]);
        if (values.is_null(row)) {
          element.field_builder(1).append_null();
        } else {
          element.field_builder(1).append_bytes(values.bytes_at(row));
        }
        element.finish_struct();
      }
      headers.finish_array();
    }
    partition.columns.push_back(headers.finish());
  }
  std::vector<Field> fields = frame.schema().fields();
  fields.push_back({kHeadersColumn, header_type});
  return DataFrame(Schema(std::move(fields)), std::move(partitions), frame.session());
}

// The records' columns by Spark's contract: key, value, partition, headers.
DataFrame sink_frame(const DataFrame& input, const Arguments& arguments, const std::string& path) {
  std::vector<std::pair<std::string, std::string>> fixed_headers;
  for (const std::string& setting : arguments.values("--record-header")) {
    fixed_headers.push_back(split_setting("--record-header", setting, "source=census"));
  }
  const std::vector<std::string> header_columns = arguments.values("--header-column");
  for (const std::string& column : header_columns)
    check_column(input, "--header-column", column, path);
  const DataFrame frame = with_headers(input, fixed_headers, header_columns);

  std::vector<Column> columns;
  if (const auto key = arguments.value("--key")) {
    check_column(input, "--key", *key, path);
    columns.push_back(col(*key).cast("string").alias("key"));
  }
  if (const auto value = arguments.value("--value")) {
    check_column(input, "--value", *value, path);
    columns.push_back(col(*value).cast("string").alias("value"));
  } else {
    columns.push_back(to_json(struct_(input.columns())).alias("value"));
  }
  if (const auto partition = arguments.value("--partition-column")) {
    check_column(input, "--partition-column", *partition, path);
    columns.push_back(col(*partition).cast("int").alias("partition"));
  }
  if (!fixed_headers.empty() || !header_columns.empty()) {
    columns.push_back(col(kHeadersColumn).alias("headers"));
  }
  return frame.select(columns);
}

// `-X` settings as writer options: `kafka.acks=all` and `acks=all` both give kafka.acks.
std::map<std::string, std::string> producer_options(const Arguments& arguments) {
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : client_settings(arguments)) options["kafka." + key] = value;
  return options;
}

void show_readback(const MockCluster& cluster, const std::string& topic, std::size_t rows) {
  const std::vector<ConsumedRecord> records = cluster.read_all(topic);
  const std::vector<std::int64_t> ends = cluster.end_offsets(topic);
  std::size_t written = 0;
  for (const std::int64_t end : ends) written += static_cast<std::size_t>(end);
  if (records.size() == written) {
    fmt::print("Read back {} records from topic '{}' on the embedded broker ({}):\n",
               with_thousands(records.size()), topic, cluster.bootstrap_servers());
  } else {
    fmt::print(
        "Read back {} of {} records from topic '{}' on the embedded broker ({}), which keeps "
        "about the newest 5 MiB of each partition:\n",
        with_thousands(records.size()), with_thousands(written), topic,
        cluster.bootstrap_servers());
  }
  if (rows > 0) fmt::print("{}", records_frame(records).show_string(rows));
  for (std::size_t partition = 0; partition < ends.size(); ++partition) {
    fmt::print("partition {}: {} records\n", partition, ends[partition]);
  }
  std::fflush(stdout);
}

}  // namespace

int run_write_command(std::span<const std::string> argument_list) {
  const Arguments arguments = parse_arguments(argument_list, kWriteSpec);
  if (arguments.has("--help")) {
    fmt::print("{}", help_text(kWriteSpec));
    return kExitSuccess;
  }
  const std::string path = arguments.positionals().front();
  const auto topic = arguments.value("--topic");
  if (!topic) throw UsageError("--topic T is required");
  check_topic_name("--topic", *topic);
  if (arguments.has("--value") && arguments.has("--value-json")) {
    throw UsageError("--value and --value-json exclude each other");
  }
  const std::string format = input_format(arguments, path);
  std::optional<std::size_t> repartition;
  if (const auto count = arguments.value("--repartition")) {
    repartition = parse_count("--repartition", *count, 1, 100'000);
  }
  const std::size_t show_rows =
      arguments.value("--show") ? parse_count("--show", *arguments.value("--show"), 0, 1'000'000)
                                : 5;
  std::map<std::string, std::string> options = producer_options(arguments);
  const std::optional<std::string> servers = bootstrap_servers(arguments);
  if (servers) options["kafka.bootstrap.servers"] = *servers;
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) {
    throw UsageError(fmt::format("{}: no such file or directory", path));
  }

  // Before the session and the broker start their threads, which inherit its signal mask.
  StopSignals stop_signals;
  ClientLog client_log("write", arguments.has("--verbose"));
  // A session of its own, so that stopping it below closes exactly this write's producer.
  const auto read_start = std::chrono::steady_clock::now();
  Session session = Session::builder().app_name("kafkasink write").create();
  DataFrame frame;
  try {
    frame = session.read()
                .format(format)
                .option("header", arguments.has("--header"))
                .option("inferSchema", arguments.has("--infer-schema"))
                .option("mode", "FAILFAST")
                .load(path);
    frame = sink_frame(frame, arguments, path);
  } catch (const ParseError& error) {
    throw UsageError(error.what());
  } catch (const AnalysisError& error) {
    throw UsageError(fmt::format("{}: {}", path, error.what()));
  }
  if (repartition) frame = frame.repartition(*repartition);
  const std::chrono::duration<double> read_time = std::chrono::steady_clock::now() - read_start;

  std::unique_ptr<MockCluster> cluster;
  if (!servers) {
    cluster = std::make_unique<MockCluster>(1);
    options["kafka.bootstrap.servers"] = cluster->bootstrap_servers();
  }
  if (arguments.has("--verbose")) {
    std::map<std::string, std::string> settings;
    for (const auto& [key, value] : options) settings[key.substr(6)] = value;
    fmt::print(stderr, "producer settings:\n{}\n", detail::describe_settings(settings));
  }

  ProgressDisplay display(isatty(STDERR_FILENO) == 1);
  WriteProgress last;
  const auto start = std::chrono::steady_clock::now();
  int exit_code = kExitSuccess;
  try {
    frame.write()
        .format("kafka")
        .mode(SaveMode::kAppend)
        .options(options)
        .option("topic", *topic)
        .on_progress([&](const WriteProgress& progress) {
          last = progress;
          display.update(progress);
        })
        .cancel_when(stop_signals.token(), kCancelGrace)
        .save();
  } catch (const KafkaWriteError& error) {
    display.clear();
    fmt::print(stderr, "kafkasink write: {}\n", error.what());
    exit_code = kExitFailure;
  } catch (const IllegalArgumentError& error) {
    display.clear();
    throw UsageError(error.what());
  } catch (const AnalysisError& error) {
    display.clear();
    throw UsageError(fmt::format("{}: {}", path, error.what()));
  }
  display.clear();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (stop_signals.received() != 0) {
    // Stopped by a signal: say what reached Kafka and go. Closing the producer would wait for
    // what is still queued, and the embedded broker's records are not worth showing.
    fmt::print(stderr, "{}\n", summary_line(last, *topic, elapsed));
    client_log.print_summary();
    std::fflush(nullptr);
    std::_Exit(stop_signals.exit_code());
  }
  // Closes the producer while its broker is still there: an embedded broker stops with this
  // function, and a producer outliving it would log that the broker went down.
  session.stop();
  fmt::print(stderr, "{} (reading the input took {:.2f} s)\n", summary_line(last, *topic, elapsed),
             read_time.count());
  client_log.print_summary();
  if (cluster) show_readback(*cluster, *topic, show_rows);
  return exit_code;
}

}  // namespace kafkasink::tool
