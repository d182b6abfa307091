// `kafkasink read`: a quick look at a topic, from its earliest records to its end.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>

#include "arguments.hpp"
#include "client_log.hpp"
#include "client_settings.hpp"
#include "commands.hpp"
#include "record_output.hpp"
#include "topic_reader.hpp"

namespace kafkasink::tool {

namespace {

const CommandSpec kReadSpec{
    .usage = "kafkasink read --topic T [options]",
    .description =
        "Prints the records of a topic, partition by partition in offset order, from the\n"
        "earliest offset to the end offsets the topic has when the read starts.",
    .options =
        {
            value_option("--topic", "T", "the topic to read (required)"),
            value_option("--bootstrap-servers",
                         "HOST:PORT,...",
                         "the Kafka cluster (default: localhost:9092)"),
            value_option("--limit", "N", "print at most N records"),
            value_option("--format",
                         "json|table",
                         "one JSON object per line (default), or a table as show() prints it"),
            value_option("-X",
                         "KEY=VALUE",
                         "a consumer setting, `kafka.` prefix optional (repeatable)",
                         Repeat::kMany),
            value_option("--timeout", "SECONDS", "give up after this long (default 30)"),
            flag_option("--verbose", "print librdkafka's log as it comes"),
            flag_option("--help", "this text", "-h"),
        },
    .min_positionals = 0,
    .max_positionals = 0,
    .positional_name = "",
};

}  // namespace

int run_read_command(std::span<const std::string> argument_list) {
  const Arguments arguments = parse_arguments(argument_list, kReadSpec);
  if (arguments.has("--help")) {
    fmt::print("{}", help_text(kReadSpec));
    return kExitSuccess;
  }
  TopicReadRequest request;
  const auto topic = arguments.value("--topic");
  if (!topic) throw UsageError("--topic T is required");
  check_topic_name("--topic", *topic);
  request.topic = *topic;
  request.bootstrap_servers = bootstrap_servers(arguments).value_or("localhost:9092");
  if (const auto limit = arguments.value("--limit")) {
    request.limit = parse_count("--limit", *limit, 0, 1'000'000'000);
  }
  if (const auto timeout = arguments.value("--timeout")) {
    request.timeout = std::chrono::seconds(parse_count("--timeout", *timeout, 1, 86'400));
  }
  const std::string format = arguments.value("--format").value_or("json");
  if (format != "json" && format != "table") {
    throw UsageError(fmt::format("--format {}: expected json or table", format));
  }
  request.settings = client_settings(arguments);

  ClientLog client_log("read", arguments.has("--verbose"));
  std::vector<ConsumedRecord> records;
  try {
    records = read_topic(request);
  } catch (const IllegalArgumentError& error) {
    throw UsageError(error.what());  // a refused setting, as `write` reports it
  } catch (const Error&) {
    client_log.print_summary();
    throw;
  }
  client_log.print_summary();
  if (format == "json") {
    for (const ConsumedRecord& record : records) fmt::print("{}\n", record_json(record));
  } else {
    const std::size_t rows = std::max<std::size_t>(records.size(), 1);
    fmt::print("{}", records_frame(records).show_string(rows));
  }
  std::fflush(stdout);
  return kExitSuccess;
}

}  // namespace kafkasink::tool
