// The Kafka sink's options, parsed once from Spark's case-insensitive strings (an OptionMap) into
// a typed struct, so that no code below the writer looks up an option string again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/producer_pool.hpp>

#include "util/option_map.hpp"

namespace kafkasink::detail {

inline constexpr std::string_view kTopicOption = "topic";
inline constexpr std::string_view kKafkaPrefix = "kafka.";
inline constexpr std::string_view kDeliveryGuaranteeOption = "deliveryGuarantee";
inline constexpr std::string_view kTransactionalIdPrefixOption = "transactionalIdPrefix";

/// What a write promises about duplicates.
enum class DeliveryGuarantee {
  kAtLeastOnce,  ///< Spark's: a retried write or a re-run batch may write records twice
  kExactlyOnce,  ///< one Kafka transaction per save() or micro-batch
};

/// The sink options of a batch write or a streaming query.
struct WriteOptions {
  /// The `topic` option, trimmed; overrides the `topic` column.
  std::optional<std::string> topic;
  /// `deliveryGuarantee`: `at-least-once` (the default) or `exactly-once`.
  DeliveryGuarantee delivery_guarantee = DeliveryGuarantee::kAtLeastOnce;
  /// `transactionalIdPrefix`, trimmed: the start of every transactional id of an exactly-once
  /// write (so that Kafka ACLs can grant them by prefix). Nothing: `kafkasink`.
  std::optional<std::string> transactional_id_prefix;
  /// The `kafka.`-prefixed options without the prefix, keys lower-cased as Spark passes them.
  ProducerSettings producer_settings;

  /// Parses `options`. Throws IllegalArgumentError for the key and value serializers
  /// (Spark's messages), an unknown `deliveryGuarantee`, `kafka.transactional.id` (kafkasink
  /// chooses the ids), and, with exactly-once, producer settings that transactions cannot
  /// honour (`acks` other than all, `enable.idempotence=false`, `retries=0`, more than 5
  /// requests in flight).
  static WriteOptions parse(const OptionMap& options);
};

/// Throws IllegalArgumentError unless `format` names the Kafka sink (ignoring case). A name
/// Spark does not know gets Spark 3.5's DATA_SOURCE_NOT_FOUND text; one of Spark's own
/// sources, or none, gets kafkasink's. `call` is the method that needs it (`save()`).
void check_sink_format(std::string_view format, std::string_view call);

}  // namespace kafkasink::detail
