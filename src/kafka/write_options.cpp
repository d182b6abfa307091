#include "kafka/write_options.hpp"

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "util/text.hpp"

namespace kafkasink::detail {

std::optional<std::string> find_option(const std::map<std::string, std::string>& options,
                                       std::string_view key) {
  for (const auto& [name, value] : options) {
    if (to_lower(name) == key) return value;
  }
  return std::nullopt;
}

WriteOptions WriteOptions::parse(const std::map<std::string, std::string>& options) {
  WriteOptions parsed;
  for (const auto& [name, value] : options) {
    const std::string key = to_lower(name);
    if (!key.starts_with(kKafkaPrefix)) continue;
    const std::string setting = key.substr(kKafkaPrefix.size());
    // Spark rejects the serializers first, before looking at anything else
    // (KafkaSourceProvider.kafkaParamsForProducer): records are always bytes.
    if (setting == "key.serializer") {
      throw IllegalArgumentError(
          name,
          "Kafka option 'key.serializer' is not supported as keys are serialized with "
          "ByteArraySerializer.");
    }
    if (setting == "value.serializer") {
      throw IllegalArgumentError(
          name,
          "Kafka option 'value.serializer' is not supported as value are serialized with "
          "ByteArraySerializer.");
    }
    parsed.producer_settings[setting] = value;
  }
  if (const auto topic = find_option(options, kTopicOption)) {
    parsed.topic = std::string(trim(*topic));
  }
  if (const auto include_headers = find_option(options, kIncludeHeadersOption)) {
    const std::string lower = to_lower(trim(*include_headers));
    if (lower != "true" && lower != "false") {
      throw IllegalArgumentError(
          "includeHeaders",
          fmt::format("includeHeaders should be a boolean (true or false), but was '{}'",
                      *include_headers));
    }
    parsed.include_headers = lower == "true";
  }
  return parsed;
}

}  // namespace kafkasink::detail
