// The kafkasink tool's commands. Each takes the arguments after its name, prints to standard
// output and error, and returns the process's exit code (arguments.hpp: 0, 1 or 2).
#pragma once

#include <span>
#include <string>

namespace kafkasink::tool {

/// `kafkasink write FILE_OR_DIR --topic T ...`: reads CSV or JSON lines and writes them to Kafka.
int run_write_command(std::span<const std::string> arguments);

/// `kafkasink read --topic T ...`: prints a topic's records, from the earliest to the end.
int run_read_command(std::span<const std::string> arguments);

/// `kafkasink broker ...`: a local Kafka broker (librdkafka's mock) until SIGINT or SIGTERM.
int run_broker_command(std::span<const std::string> arguments);

}  // namespace kafkasink::tool
