#include "kafka/write_options.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "kafka/client_rules.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

// The sources Spark 3.5 ships (their short names, lower-cased) other than Kafka: Spark would
// write to them, so its "not found" text would mislead.
constexpr std::string_view kSparkSources[] = {
    "avro", "binaryfile", "console", "csv",  "foreach",          "foreachbatch",
    "hive", "image",      "jdbc",    "json", "libsvm",           "memory",
    "noop", "orc",        "parquet", "rate", "rate-micro-batch", "socket",
    "text"};

// The first of `names` the producer settings hold.
std::optional<std::pair<std::string, std::string>> setting(
    const ProducerSettings& settings, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto found = settings.find(name);
    if (found != settings.end()) return *found;
  }
  return std::nullopt;
}

// Transactions need the idempotent producer, which needs acks=all, retries and at most 5
// requests in flight. librdkafka would refuse some of these only when the producer is
// created, and Kafka clients >= 3.2 quietly turn idempotence off for others; here each is
// refused by name before anything is sent.
void check_transactional_settings(const ProducerSettings& settings) {
  const auto refuse = [](const std::string& name, const std::string& value, const char* needed) {
    throw IllegalArgumentError(
        fmt::format("kafka.{}", name),
        fmt::format("Kafka producer setting '{}={}' cannot hold with deliveryGuarantee "
                    "exactly-once: Kafka transactions need {}. Remove the setting or use "
                    "deliveryGuarantee at-least-once.",
                    name, value, needed));
  };
  if (const auto acks = setting(settings, {"acks", "request.required.acks"})) {
    const std::string value = to_lower(trim(acks->second));
    if (value != "all" && value != "-1") refuse(acks->first, acks->second, "acks=all");
  }
  if (const auto idempotence = setting(settings, {"enable.idempotence"})) {
    if (to_lower(trim(idempotence->second)) != "true") {
      refuse(idempotence->first, idempotence->second, "the idempotent producer");
    }
  }
  if (const auto retries = setting(settings, {"retries", "message.send.max.retries"})) {
    if (parse_long(retries->second) == 0) {
      refuse(retries->first, retries->second, "retries (the idempotent producer retries)");
    }
  }
  if (const auto in_flight =
          setting(settings, {"max.in.flight.requests.per.connection", "max.in.flight"})) {
    const std::optional<std::int64_t> count = parse_long(in_flight->second);
    if (count && *count > 5) {
      refuse(in_flight->first, in_flight->second, "at most 5 requests in flight per connection");
    }
  }
}

void parse_delivery_guarantee(const OptionMap& options, WriteOptions& parsed) {
  if (const OptionMap::Entry* guarantee = options.find(kDeliveryGuaranteeOption)) {
    const std::string lower = to_lower(trim(guarantee->value));
    if (lower == "exactly-once") {
      parsed.delivery_guarantee = DeliveryGuarantee::kExactlyOnce;
    } else if (lower != "at-least-once") {
      throw IllegalArgumentError(
          std::string(kDeliveryGuaranteeOption),
          fmt::format("deliveryGuarantee should be 'at-least-once' or 'exactly-once', but was "
                      "'{}'",
                      guarantee->value));
    }
  }
  if (const OptionMap::Entry* prefix = options.find(kTransactionalIdPrefixOption)) {
    parsed.transactional_id_prefix = std::string(trim(prefix->value));
    if (parsed.transactional_id_prefix->empty()) {
      throw IllegalArgumentError(std::string(kTransactionalIdPrefixOption),
                                 "transactionalIdPrefix must not be empty");
    }
  }
  if (parsed.producer_settings.contains("transactional.id")) {
    throw IllegalArgumentError(
        "kafka.transactional.id",
        "Kafka producer setting 'transactional.id' is chosen by kafkasink: set option "
        "deliveryGuarantee to exactly-once for transactional writes, and "
        "transactionalIdPrefix to choose how their transactional ids start.");
  }
  if (parsed.delivery_guarantee == DeliveryGuarantee::kExactlyOnce) {
    check_transactional_settings(parsed.producer_settings);
  }
}

}  // namespace

void check_sink_format(std::string_view format, std::string_view call) {
  const std::string name = to_lower(format);
  if (name == "kafka") return;
  if (name.empty()) {
    throw IllegalArgumentError(
        "format", fmt::format("No format given: call format(\"kafka\") before {}.", call));
  }
  if (std::ranges::find(kSparkSources, name) != std::end(kSparkSources)) {
    throw IllegalArgumentError(
        "format",
        fmt::format("Failed to find the data source: {}. kafkasink writes to \"kafka\" only.",
                    format));
  }
  throw IllegalArgumentError(
      "format",
      fmt::format("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {}. Please "
                  "find packages at `https://spark.apache.org/third-party-projects.html`.",
                  format));
}

WriteOptions WriteOptions::parse(const OptionMap& options) {
  WriteOptions parsed;
  // Spark hands the producer the lower-cased key after the prefix: its CaseInsensitiveMap
  // iterates lower-cased keys (KafkaSourceProvider.convertToSpecifiedParams), so
  // `kafka.Acks` configures `acks`. Messages name the option as the user spelled it.
  options.for_each([&parsed](const std::string& key, const OptionMap::Entry& entry) {
    if (!key.starts_with(kKafkaPrefix)) return;
    std::string setting = key.substr(kKafkaPrefix.size());
    // Spark rejects the serializers first, before looking at anything else
    // (KafkaSourceProvider.kafkaParamsForProducer): records are always bytes.
    if (setting == "key.serializer") {
      throw IllegalArgumentError(
          entry.key,
          "Kafka option 'key.serializer' is not supported as keys are serialized with "
          "ByteArraySerializer.");
    }
    if (setting == "value.serializer") {
      throw IllegalArgumentError(
          entry.key,
          "Kafka option 'value.serializer' is not supported as value are serialized with "
          "ByteArraySerializer.");
    }
    parsed.producer_settings[std::move(setting)] = entry.value;
  });
  if (const OptionMap::Entry* topic = options.find(kTopicOption)) {
    parsed.topic = std::string(trim(topic->value));
    // A real cluster refuses such a name (an embedded broker may not): refuse it before sending.
    if (const auto error = topic_name_error(*parsed.topic)) {
      throw IllegalArgumentError("topic", *error);
    }
  }
  parse_delivery_guarantee(options, parsed);
  return parsed;
}

}  // namespace kafkasink::detail
