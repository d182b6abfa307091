// `kafkasink broker`: librdkafka's mock Kafka cluster on loopback, for local experiments and
// for scripts (the first line of standard output is the bootstrap servers).
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pthread.h>

#include <kafkasink/mock_cluster.hpp>

#include "arguments.hpp"
#include "client_settings.hpp"
#include "commands.hpp"

namespace kafkasink::tool {

namespace {

const CommandSpec kBrokerSpec{
    .usage = "kafkasink broker [--brokers N] [--topic NAME:PARTITIONS ...]",
    .description =
        "Runs an in-memory Kafka cluster (librdkafka's mock broker) on 127.0.0.1 until SIGINT\n"
        "(Ctrl-C) or SIGTERM. The first line of standard output is its bootstrap servers.\n"
        "Topics not created with --topic are created with 4 partitions on first use; each\n"
        "partition keeps about its newest 5 MiB.",
    .options =
        {
            value_option("--brokers", "N", "how many brokers (default 1)"),
            value_option("--topic",
                         "NAME:PARTITIONS",
                         "create this topic (PARTITIONS defaults to 1; repeatable)",
                         Repeat::kMany),
            flag_option("--help", "this text", "-h"),
        },
    .min_positionals = 0,
    .max_positionals = 0,
    .positional_name = "",
};

std::pair<std::string, int> topic_spec(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const std::string name = text.substr(0, colon);
  if (name.empty()) throw UsageError(fmt::format("--topic {}: the topic name is empty", text));
  check_topic_name("--topic", name);
  const int partitions =
      colon == std::string::npos
          ? 1
          : static_cast<int>(parse_count("--topic", text.substr(colon + 1), 1, 10'000));
  return {name, partitions};
}

}  // namespace

int run_broker_command(std::span<const std::string> argument_list) {
  const Arguments arguments = parse_arguments(argument_list, kBrokerSpec);
  if (arguments.has("--help")) {
    fmt::print("{}", help_text(kBrokerSpec));
    return kExitSuccess;
  }
  const int brokers =
      arguments.value("--brokers")
          ? static_cast<int>(parse_count("--brokers", *arguments.value("--brokers"), 1, 100))
          : 1;
  std::vector<std::pair<std::string, int>> topics;
  for (const std::string& text : arguments.values("--topic")) {
    auto topic = topic_spec(text);
    for (const auto& [name, partitions] : topics) {
      if (name == topic.first) {
        throw UsageError(fmt::format("--topic {}: topic '{}' is already given ({}:{})", text, name,
                                     name, partitions));
      }
    }
    topics.push_back(std::move(topic));
  }

  // Blocked before the brokers start their threads, which inherit the mask: the signals then
  // reach only the sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  MockCluster cluster(brokers);
  for (const auto& [name, partitions] : topics) cluster.create_topic(name, partitions);
  fmt::print("{}\n", cluster.bootstrap_servers());
  std::fflush(stdout);
  fmt::print(stderr, "kafkasink broker: {} broker(s) on {}; stop with Ctrl-C\n", brokers,
             cluster.bootstrap_servers());
  int received = 0;
  sigwait(&stop_signals, &received);
  fmt::print(stderr, "kafkasink broker: stopping on {}\n",
             received == SIGINT ? "SIGINT" : "SIGTERM");
  return kExitSuccess;
}

}  // namespace kafkasink::tool
