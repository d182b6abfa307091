// Reads a topic of any Kafka cluster from its earliest offsets to the end offsets it has when
// the read starts: what `kafkasink read` prints. The library's MockCluster::read_all does the
// same for its own cluster only, so the tool carries this small librdkafka consumer.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/mock_cluster.hpp>

namespace kafkasink::tool {

struct TopicReadRequest {
  std::string bootstrap_servers;
  std::string topic;
  std::optional<std::size_t> limit;             ///< stop after this many records
  std::map<std::string, std::string> settings;  ///< extra consumer settings (-X)
  std::chrono::milliseconds timeout{30'000};
};

/// The records, sorted by partition then offset. Throws IllegalArgumentError for a setting
/// the consumer refuses (never showing its value), kafkasink::Error when the topic does not
/// exist, no broker can be reached (as soon as librdkafka has tried them all, naming the last
/// connection error) or the read does not finish within the timeout. `settings` take Java's
/// names too, translated as the producer's are (`sasl.jaas.config`).
std::vector<ConsumedRecord> read_topic(const TopicReadRequest& request);

}  // namespace kafkasink::tool
