#include "kafka/producer_config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>

#include "kafka/client_rules.hpp"
#include "kafka/partitioners.hpp"
#include "util/redact.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {
namespace {

using namespace std::string_view_literals;

// Spark's texts, verbatim (KafkaSourceProvider.kafkaParamsForProducer,
// KafkaTokenProviderException).
constexpr std::string_view kKeySerializerMessage =
    "Kafka option 'key.serializer' is not supported as keys are serialized with "
    "ByteArraySerializer.";
constexpr std::string_view kValueSerializerMessage =
    "Kafka option 'value.serializer' is not supported as value are serialized with "
    "ByteArraySerializer.";
constexpr std::string_view kMissingBootstrapMessage =
    "Kafka option bootstrap.servers is not set. Please make sure it is set and retry.";

// Kafka's Java producer limits a send's wait for metadata by max.block.ms; librdkafka's
// equivalent wait for a topic to appear defaults to 30 s.
constexpr std::int64_t kLibrdkafkaPropagationDefaultMs = 30'000;
constexpr std::int64_t kLibrdkafkaPropagationMaxMs = 3'600'000;

constexpr std::array<std::string_view, 7> kLibrdkafkaPartitioners = {
    "random",         "consistent", "consistent_random", "murmur2",
    "murmur2_random", "fnv1a",      "fnv1a_random"};

struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const noexcept {
    rd_kafka_conf_destroy(configuration);
  }
};

std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The message never shows the value: a password typed into a numeric setting by mistake must
// not be printed back.
std::int64_t parse_non_negative(std::string_view key, std::string_view value) {
  const std::optional<std::int64_t> parsed = parse_integer(value);
  if (!parsed || *parsed < 0) {
    throw IllegalArgumentError(
        std::string(key),
        fmt::format("Kafka producer setting '{}' must be a non-negative integer (value not "
                    "shown).",
                    key));
  }
  return *parsed;
}

// Builds the librdkafka settings, checking each against a scratch librdkafka configuration
// so that an unknown name or a bad value is reported against the user's own setting.
class Translation {
 public:
  explicit Translation(const ProducerSettings& settings)
      : settings_(settings), scratch_(rd_kafka_conf_new()) {}

  // Sets librdkafka's `target` to `value`, on behalf of the user's setting `source`.
  void set(std::string_view source, const std::string& target, const std::string& value) {
    std::array<char, 512> error_text{};
    const rd_kafka_conf_res_t result = rd_kafka_conf_set(
        scratch_.get(), target.c_str(), value.c_str(), error_text.data(), error_text.size());
    if (result == RD_KAFKA_CONF_UNKNOWN) {
      throw IllegalArgumentError(
          std::string(source),
          fmt::format("Kafka producer setting '{}' is unknown: librdkafka has no such property "
                      "and kafkasink does not translate it.",
                      source));
    }
    if (result != RD_KAFKA_CONF_OK) {
      std::map<std::string, std::string> secrets = settings_;
      secrets.insert_or_assign(target, value);
      // librdkafka's text quotes the refused value; it is hidden whatever the setting's name.
      const std::string reason =
          hide_value(scrub_secrets(std::string(trim(error_text.data())), secrets), value);
      const std::string shown_target =
          source == target ? std::string() : fmt::format(" (librdkafka's {})", target);
      throw IllegalArgumentError(
          std::string(source), fmt::format("Kafka producer setting '{}'{} has an invalid value: {}",
                                           source, shown_target, reason));
    }
    entries_.insert_or_assign(target, value);
  }

  // Sets a default unless the settings already hold `target`.
  void set_default(const std::string& target, const std::string& value) {
    if (!entries_.contains(target)) set(target, target, value);
  }

  bool user_set(std::string_view name) const { return settings_.contains(std::string(name)); }

  std::optional<std::string> user_value(std::initializer_list<std::string_view> names) const {
    for (const std::string_view name : names) {
      const auto found = settings_.find(std::string(name));
      if (found != settings_.end()) return found->second;
    }
    return std::nullopt;
  }

  std::map<std::string, std::string>& entries() { return entries_; }

 private:
  const ProducerSettings& settings_;
  std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter> scratch_;
  std::map<std::string, std::string> entries_;
};

void translate_jaas(Translation& translation,
                    const std::string& value,
                    const ProducerSettings& settings) {
  for (const auto& [target, translated] : jaas_login_settings(value, settings)) {
    translation.set("sasl.jaas.config", target, translated);
  }
}

// librdkafka's partitioner for a `partitioner.class`, or the name of a custom one.
struct PartitionerChoice {
  std::optional<std::string> librdkafka;
  std::optional<std::string> custom;
};

PartitionerChoice choose_partitioner(const std::string& value) {
  const std::string name(trim(value));
  if (name == "org.apache.kafka.clients.producer.internals.DefaultPartitioner") {
    return {.librdkafka = "murmur2_random", .custom = std::nullopt};
  }
  if (name == "org.apache.kafka.clients.producer.UniformStickyPartitioner") {
    return {.librdkafka = "random", .custom = std::nullopt};
  }
  if (name == kRoundRobinPartitionerClass || is_registered_partitioner(name)) {
    return {.librdkafka = std::nullopt, .custom = name};
  }
  if (std::find(kLibrdkafkaPartitioners.begin(), kLibrdkafkaPartitioners.end(), name) !=
      kLibrdkafkaPartitioners.end()) {
    return {.librdkafka = name, .custom = std::nullopt};
  }
  throw IllegalArgumentError(
      "partitioner.class",
      fmt::format("Kafka producer setting 'partitioner.class' names an unknown partitioner "
                  "'{}': use a Java class name of Kafka's built-in partitioners, a librdkafka "
                  "partitioner (murmur2_random, consistent_random, ...) or a name registered "
                  "with register_partitioner.",
                  name));
}

bool is_translated_java_setting(std::string_view key) {
  static constexpr std::array<std::string_view, 8> kJavaSettings = {
      "buffer.memory",     "max.block.ms",     "max.request.size",     "receive.buffer.bytes",
      "send.buffer.bytes", "sasl.jaas.config", "block.on.buffer.full", "partitioner.class"};
  return std::find(kJavaSettings.begin(), kJavaSettings.end(), key) != kJavaSettings.end();
}

// Java's socket buffer sizes use -1 for "the system's default", librdkafka uses 0.
std::string socket_buffer_bytes(std::string_view key, const std::string& value) {
  const std::optional<std::int64_t> parsed = parse_integer(value);
  if (parsed && *parsed == -1) return "0";
  return std::to_string(parse_non_negative(key, value));
}

bool idempotence_conflicts(const Translation& translation) {
  // As Kafka clients >= 3.2: idempotence is on by default unless the user's settings
  // contradict it, in which case it is quietly left off instead of failing.
  if (const auto acks = translation.user_value({"acks", "request.required.acks"})) {
    const std::string normalized = to_lower(trim(*acks));
    if (normalized != "all" && normalized != "-1") return true;
  }
  if (const auto retries = translation.user_value({"retries", "message.send.max.retries"})) {
    if (parse_integer(*retries) == 0) return true;
  }
  if (const auto in_flight =
          translation.user_value({"max.in.flight.requests.per.connection", "max.in.flight"})) {
    const std::optional<std::int64_t> parsed = parse_integer(*in_flight);
    if (parsed && *parsed > 5) return true;
  }
  return false;
}

}  // namespace

// A function-try-block: every message raised while translating passes through scrub_secrets
// once more, so that a secret's value never leaves, whichever setting it was typed into.
ProducerConfig ProducerConfig::from_settings(const ProducerSettings& settings) try {
  // Spark rejects the serializers before looking at anything else.
  if (settings.contains("key.serializer")) {
    throw IllegalArgumentError("key.serializer", std::string(kKeySerializerMessage));
  }
  if (settings.contains("value.serializer")) {
    throw IllegalArgumentError("value.serializer", std::string(kValueSerializerMessage));
  }
  const auto bootstrap = settings.find("bootstrap.servers");
  if (bootstrap == settings.end() || trim(bootstrap->second).empty()) {
    throw IllegalArgumentError("bootstrap.servers", std::string(kMissingBootstrapMessage));
  }
  // librdkafka would take port 99999 modulo 65536 and connect elsewhere; Java refuses it.
  if (const auto error = bootstrap_servers_error(bootstrap->second)) {
    throw IllegalArgumentError("bootstrap.servers", *error);
  }

  ProducerConfig config;
  Translation translation(settings);
  PartitionerChoice partitioner;

  // Translated Java settings first, so that a librdkafka setting the user also gave wins.
  for (const auto& [key, value] : settings) {
    if (!is_translated_java_setting(key)) continue;
    if (key == "buffer.memory") {
      const std::int64_t bytes = parse_non_negative(key, value);
      const std::int64_t kilobytes = std::clamp<std::int64_t>(
          (bytes + 1023) / 1024, 1, std::numeric_limits<std::int32_t>::max());
      translation.set(key, "queue.buffering.max.kbytes", std::to_string(kilobytes));
    } else if (key == "max.block.ms") {
      config.max_block_ = std::chrono::milliseconds(parse_non_negative(key, value));
    } else if (key == "max.request.size") {
      translation.set(key, "message.max.bytes", std::string(trim(value)));
    } else if (key == "receive.buffer.bytes") {
      translation.set(key, "socket.receive.buffer.bytes", socket_buffer_bytes(key, value));
    } else if (key == "send.buffer.bytes") {
      translation.set(key, "socket.send.buffer.bytes", socket_buffer_bytes(key, value));
    } else if (key == "sasl.jaas.config") {
      translate_jaas(translation, value, settings);
    } else if (key == "partitioner.class") {
      partitioner = choose_partitioner(value);
      if (partitioner.librdkafka) translation.set(key, "partitioner", *partitioner.librdkafka);
    }
    // block.on.buffer.full: accepted and ignored. kafkasink always blocks on a full queue
    // (for max.block.ms), which is what the setting asked for in old Java clients.
  }

  for (const auto& [key, value] : settings) {
    if (is_translated_java_setting(key)) continue;
    if ((key == "delivery.report.only.error" && to_lower(trim(value)) != "false") ||
        key == "enabled_events") {
      throw IllegalArgumentError(
          key, fmt::format("Kafka producer setting '{}' is not supported: kafkasink needs a "
                           "delivery report for every record.",
                           key));
    }
    if (key == "ssl.endpoint.identification.algorithm" && trim(value).empty()) {
      // Java disables host name verification with an empty value, librdkafka with "none".
      translation.set(key, key, "none");
    } else {
      translation.set(key, key, value);
    }
  }

  if (!translation.user_set("enable.idempotence") && !idempotence_conflicts(translation)) {
    translation.set_default("enable.idempotence", "true");
  }
  if (!translation.user_set("acks") && !translation.user_set("request.required.acks")) {
    translation.set_default("acks", "all");
  }
  if (partitioner.custom) {
    // librdkafka prefers a partitioner named by string over the callback, and its sticky
    // partitioning would keep null-key records away from the callback.
    translation.entries().erase("partitioner");
    translation.set_default("sticky.partitioning.linger.ms", "0");
    config.custom_partitioner_ = partitioner.custom;
  } else {
    translation.set_default("partitioner", "murmur2_random");
  }
  translation.set_default("log.connection.close", "false");
  translation.set_default(
      "topic.metadata.propagation.max.ms",
      std::to_string(std::min({config.max_block_.count(), kLibrdkafkaPropagationDefaultMs,
                               kLibrdkafkaPropagationMaxMs})));

  check_sasl_mechanism(translation.entries());
  config.entries_ = std::move(translation.entries());
  return config;
} catch (const IllegalArgumentError& error) {
  throw IllegalArgumentError(error.option(), scrub_secrets(error.what(), settings));
}

std::string ProducerConfig::cache_key() const {
  // Length-prefixed, so that no value can imitate a separator.
  std::string key;
  const auto append = [&key](std::string_view name, std::string_view value) {
    key += fmt::format("{}:{}{}:{}", name.size(), name, value.size(), value);
  };
  for (const auto& [name, value] : entries_) append(name, value);
  append("kafkasink.max.block.ms", std::to_string(max_block_.count()));
  append("kafkasink.partitioner.class", custom_partitioner_.value_or(""));
  return key;
}

std::string ProducerConfig::describe() const {
  std::map<std::string, std::string> shown = entries_;
  shown.insert_or_assign("max.block.ms", std::to_string(max_block_.count()));
  if (custom_partitioner_) shown.insert_or_assign("partitioner.class", *custom_partitioner_);
  return describe_settings(shown);
}

}  // namespace kafkasink::detail
