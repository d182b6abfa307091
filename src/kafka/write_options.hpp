// The Kafka sink's options, parsed once from Spark's case-insensitive strings into a typed
// struct, so that no code below the writer looks up an option string again.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/producer_pool.hpp>

namespace kafkasink::detail {

inline constexpr std::string_view kTopicOption = "topic";
inline constexpr std::string_view kIncludeHeadersOption = "includeheaders";
inline constexpr std::string_view kKafkaPrefix = "kafka.";

/// The sink options of a batch write or a streaming query.
struct WriteOptions {
  /// The `topic` option, trimmed; overrides the `topic` column.
  std::optional<std::string> topic;
  /// `includeHeaders`: accepted and validated as in Spark; a `headers` column is written
  /// whether or not it is set.
  bool include_headers = false;
  /// The `kafka.`-prefixed options without the prefix, keys lower-cased as Spark passes them.
  ProducerSettings producer_settings;

  /// Parses `options` (keys case-insensitive). Throws IllegalArgumentError for the key and
  /// value serializers (Spark's messages) and for a non-boolean `includeHeaders`.
  static WriteOptions parse(const std::map<std::string, std::string>& options);
};

/// The value of the first option whose key equals `key` ignoring case.
std::optional<std::string> find_option(const std::map<std::string, std::string>& options,
                                       std::string_view key);

}  // namespace kafkasink::detail
