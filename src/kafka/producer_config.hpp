// ProducerConfig: a user's producer settings, translated for librdkafka and completed with
// kafkasink's defaults. It is the producer pool's key.
//
// Spark users write Java producer settings (`kafka.acks`, `kafka.buffer.memory`,
// `kafka.sasl.jaas.config`, ...). The settings librdkafka shares pass through; the common
// Java-only ones are translated; Kafka's Java partitioner class names map to librdkafka's
// partitioners or to registered C++ partitioners; anything librdkafka does not know fails,
// naming the setting. Every value is checked against librdkafka once, here, so that the
// producer is created from settings known to be valid. Keys are case-sensitive: the writer
// lower-cases option keys as Spark does before they get here.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <kafkasink/producer_pool.hpp>

namespace kafkasink::detail {

/// The translated, validated, defaulted configuration of one producer.
class ProducerConfig {
 public:
  /// Translates `settings` (Java or librdkafka producer settings, without Spark's `kafka.`
  /// prefix).
  /// \throws IllegalArgumentError for `key.serializer` or `value.serializer` (Spark's text), a
  /// missing `bootstrap.servers`, an unknown setting or an invalid value (named, and never
  /// printing a secret).
  static ProducerConfig from_settings(const ProducerSettings& settings);

  /// The librdkafka settings, sorted by name.
  const std::map<std::string, std::string>& entries() const noexcept { return entries_; }

  /// A text equal for two configurations exactly when they make the same producer.
  std::string cache_key() const;

  /// How long a send may block on a full queue: Java's `max.block.ms` (default 60 s).
  std::chrono::milliseconds max_block() const noexcept { return max_block_; }

  /// The configuration as sorted `key=value` lines, secrets redacted.
  std::string describe() const;

  /// The custom partitioner's name (a registered name or Java's RoundRobinPartitioner), when
  /// `partitioner.class` chose one; librdkafka's own partitioners are in entries().
  const std::optional<std::string>& custom_partitioner() const noexcept {
    return custom_partitioner_;
  }

 private:
  std::map<std::string, std::string> entries_;
  std::chrono::milliseconds max_block_{60'000};
  std::optional<std::string> custom_partitioner_;
};

}  // namespace kafkasink::detail
