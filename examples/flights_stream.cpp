// The seed's streaming program in C++: the flight-data folder (six JSON-lines files) read as
// a stream, one file per trigger, every row turned into a JSON value and written to Kafka by
// a streaming query with a checkpoint; first with the topic from the `topic` option, then
// with the topic from a column. Each batch's progress is printed, then the records are read
// back.
//
//   flights_stream [--bootstrap-servers HOST:PORT] [--data data/flight-data]
//                  [--checkpoint DIR]
//
// Without --bootstrap-servers it starts an embedded Kafka broker (MockCluster) on loopback.
// Without --checkpoint the checkpoints go to a fresh temporary folder; with one, running the
// program again resumes both queries and writes only files they have not seen.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

namespace {

struct Arguments {
  std::optional<std::string> bootstrap_servers;
  std::string data = "data/flight-data";
  std::optional<std::string> checkpoint;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  for (int index = 1; index < argc; ++index) {
    const std::string flag =
        argv[index];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    if ((flag == "--bootstrap-servers" || flag == "--data" || flag == "--checkpoint") &&
        index + 1 < argc) {
      const std::string value = argv[++index];  // NOLINT
      if (flag == "--data") {
        arguments.data = value;
      } else if (flag == "--checkpoint") {
        arguments.checkpoint = value;
      } else {
        arguments.bootstrap_servers = value;
      }
    } else {
      std::cerr << "usage: flights_stream [--bootstrap-servers HOST:PORT] [--data DIR] "
                   "[--checkpoint DIR]\n";
      std::exit(2);  // NOLINT(concurrency-mt-unsafe)
    }
  }
  return arguments;
}

void print_progress(const ks::StreamingQueryProgress& progress) {
  const auto ms = [&progress](const char* phase) {
    const auto found = progress.durations.find(phase);
    return found == progress.durations.end() ? 0.0
                                             : static_cast<double>(found->second.count()) / 1000.0;
  };
  std::printf(
      "  batch %lld: %lld rows in, %lld records acknowledged, %.0f rows/s "
      "(read %.1f ms, write %.1f ms, checkpoint %.1f ms, total %.1f ms) %s\n",
      static_cast<long long>(progress.batch_id), static_cast<long long>(progress.num_input_rows),
      static_cast<long long>(progress.sink_num_output_rows), progress.processed_rows_per_second,
      ms("getBatch"), ms("addBatch"), ms("walCommit") + ms("commitOffsets"), ms("triggerExecution"),
      progress.files.empty() ? "" : std::filesystem::path(progress.files[0]).filename().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments arguments = parse_arguments(argc, argv);
  try {
    std::optional<ks::MockCluster> embedded;
    std::string broker;
    if (arguments.bootstrap_servers) {
      broker = *arguments.bootstrap_servers;
    } else {
      embedded.emplace(1);
      broker = embedded->bootstrap_servers();
      embedded->create_topic("default_topic", 1);
      std::cout << "Embedded Kafka broker at " << broker << "\n";
    }
    const std::string checkpoints = arguments.checkpoint.value_or(
        (std::filesystem::temp_directory_path() / ("flights_stream-" + std::to_string(::getpid())))
            .string());

    ks::Session spark = ks::Session::builder().get_or_create();
    // The schema is taken from a batch read, as the seed does; a stream requires one.
    const ks::Schema schema = spark.read().json(arguments.data).schema();
    std::cout << "Schema of " << arguments.data << ":\n" << schema.tree_string();

    ks::StreamingDataFrame streaming =
        spark.read_stream().schema(schema).option("maxFilesPerTrigger", "1").json(arguments.data);
    const ks::StreamingDataFrame with_value =
        streaming.with_column("value", ks::to_json(ks::struct_(streaming.columns())));

    std::cout << "\nQuery 1: topic from the option, one file per trigger\n";
    ks::StreamingQuery by_option =
        with_value.select_expr({"CAST(count AS STRING) AS key", "CAST(value AS STRING)"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", broker)
            .option("topic", "default_topic")
            .option("checkpointLocation", checkpoints + "/by_option")
            .query_name("flights_by_option")
            .trigger(ks::Trigger::processing_time(std::chrono::milliseconds(100)))
            .progress_listener(print_progress)
            .start();
    std::cout << "  query id " << by_option.id() << ", run id " << by_option.run_id() << "\n";
    by_option.process_all_available();
    by_option.stop();

    std::cout << "\nQuery 2: topic from a column\n";
    ks::StreamingQuery by_column =
        with_value.with_column("topic", ks::lit("default_topic"))
            .select_expr({"topic", "CAST(count AS STRING) AS key", "CAST(value AS STRING)"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", broker)
            .option("checkpointLocation", checkpoints + "/by_column")
            .query_name("flights_by_column")
            .progress_listener(print_progress)
            .start();
    by_column.process_all_available();
    by_column.stop();
    if (const auto last = by_column.last_progress()) {
      std::cout << "\nLast progress of query 2, as Spark prints it:\n" << last->json() << "\n";
    }

    if (embedded) {
      const std::vector<ks::ConsumedRecord> records = embedded->read_all("default_topic");
      std::cout << "\nRead back " << records.size() << " records from default_topic";
      if (!records.empty()) {
        std::cout << "; the first: key=" << records.front().key.value_or("null")
                  << " value=" << records.front().value.value_or("null");
      }
      std::cout << "\n";
    }
    // Stop the session (and its producers) while the embedded broker still runs.
    spark.stop();
    if (!arguments.checkpoint) std::filesystem::remove_all(checkpoints);
  } catch (const std::exception& error) {
    std::cerr << "flights_stream: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
