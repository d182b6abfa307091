#include "client_settings.hpp"

#include <fmt/format.h>

#include "kafka/client_rules.hpp"

namespace kafkasink::tool {

namespace {

constexpr std::string_view kBootstrapServers = "bootstrap.servers";

std::map<std::string, std::string> all_settings(const Arguments& arguments) {
  std::map<std::string, std::string> settings;
  for (const std::string& setting : arguments.values("-X")) {
    auto [key, value] = split_setting("-X", setting, "acks=1");
    if (key.starts_with("kafka.")) key = key.substr(6);
    settings[key] = std::move(value);
  }
  return settings;
}

}  // namespace

std::map<std::string, std::string> client_settings(const Arguments& arguments) {
  std::map<std::string, std::string> settings = all_settings(arguments);
  settings.erase(std::string(kBootstrapServers));
  return settings;
}

std::optional<std::string> bootstrap_servers(const Arguments& arguments) {
  const std::map<std::string, std::string> settings = all_settings(arguments);
  const auto setting = settings.find(std::string(kBootstrapServers));
  const std::optional<std::string> flag = arguments.value("--bootstrap-servers");
  std::optional<std::string> servers = flag;
  if (setting != settings.end()) {
    if (flag && *flag != setting->second) {
      throw UsageError(fmt::format(
          "--bootstrap-servers {} and -X bootstrap.servers={} name different clusters: give "
          "one",
          *flag, setting->second));
    }
    servers = setting->second;
  }
  if (servers) {
    if (const auto error = detail::bootstrap_servers_error(*servers)) {
      throw UsageError(fmt::format("--bootstrap-servers {}: {}", *servers, *error));
    }
    if (servers->find_first_not_of(" ,") == std::string::npos) {
      throw UsageError("--bootstrap-servers: no HOST:PORT given");
    }
  }
  return servers;
}

void check_topic_name(const std::string& flag, const std::string& topic) {
  if (const auto error = detail::topic_name_error(topic)) {
    throw UsageError(fmt::format("{} {}: {}", flag, topic, *error));
  }
}

}  // namespace kafkasink::tool
