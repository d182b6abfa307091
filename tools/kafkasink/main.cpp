// kafkasink: write CSV and JSON-lines files to Kafka the way Spark's Kafka sink does, read a
// topic back, or run a local broker. See tools/README.md.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <kafkasink/version.hpp>

#include "arguments.hpp"
#include "commands.hpp"

namespace {

constexpr std::string_view kTopLevelHelp =
    "Usage: kafkasink COMMAND [options]\n"
    "\n"
    "Writes CSV and JSON-lines files to Kafka with Spark's Kafka sink semantics, in the manner\n"
    "of kcat.\n"
    "\n"
    "Commands:\n"
    "  write FILE_OR_DIR --topic T   write the rows of a file or folder as Kafka records\n"
    "  read --topic T                print a topic's records (JSON lines or a table)\n"
    "  broker                        run a local Kafka broker until Ctrl-C\n"
    "\n"
    "Options:\n"
    "  -h, --help     this text; `kafkasink COMMAND --help` describes a command\n"
    "  -V, --version  the version\n"
    "\n"
    "Exit codes: 0 success, 1 the work failed (records not delivered, the cluster not\n"
    "reached), 2 bad arguments or bad input, 130 or 143 stopped by SIGINT (Ctrl-C) or SIGTERM.\n";

}  // namespace

int main(int argc, char** argv) {
  namespace tool = kafkasink::tool;
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) {
    std::fputs(kTopLevelHelp.data(), stderr);
    return tool::kExitBadUsage;
  }
  const std::string& command = arguments.front();
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kTopLevelHelp.data(), stdout);
    return tool::kExitSuccess;
  }
  if (command == "-V" || command == "--version") {
    fmt::print("kafkasink {}\n", kafkasink::version());
    return tool::kExitSuccess;
  }
  const std::span<const std::string> rest(arguments.begin() + 1, arguments.end());
  try {
    if (command == "write") return tool::run_write_command(rest);
    if (command == "read") return tool::run_read_command(rest);
    if (command == "broker") return tool::run_broker_command(rest);
    fmt::print(stderr,
               "kafkasink: unknown command '{}': expected write, read or broker (see --help)\n",
               command);
    return tool::kExitBadUsage;
  } catch (const tool::UsageError& error) {
    fmt::print(stderr, "kafkasink {}: {}\n", command, error.what());
    return tool::kExitBadUsage;
  } catch (const std::exception& error) {
    fmt::print(stderr, "kafkasink {}: {}\n", command, error.what());
    return tool::kExitFailure;
  }
}
