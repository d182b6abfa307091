// Custom partitioners: the registry behind `register_partitioner` and the librdkafka
// partitioner callback that calls them.
//
// librdkafka partitions with a C function pointer and an opaque. A producer whose
// `partitioner.class` names a custom partitioner owns one PartitionerBinding, installs it on
// its default topic configuration, and librdkafka's threads call the binding for each record.
// The binding looks the name up in the registry on every call, so registering a name again
// replaces the function even for producers already cached. Java's RoundRobinPartitioner is
// built in here, as it needs per-topic state that a `Partitioner` function cannot see.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <librdkafka/rdkafka.h>

namespace kafkasink::detail {

/// The Java class name of Kafka's round-robin partitioner, which kafkasink implements itself.
inline constexpr std::string_view kRoundRobinPartitionerClass =
    "org.apache.kafka.clients.producer.RoundRobinPartitioner";

/// Whether `name` was registered with register_partitioner.
bool is_registered_partitioner(std::string_view name);

/// The partitioner of one producer, as librdkafka's partitioner callback sees it.
class DeliveryObserver;

class PartitionerBinding {
 public:
  /// Binds to the partitioner `name`: kRoundRobinPartitionerClass or a registered name.
  explicit PartitionerBinding(std::string name);
  PartitionerBinding(const PartitionerBinding&) = delete;
  PartitionerBinding& operator=(const PartitionerBinding&) = delete;

  /// Makes `topic_configuration` partition through this binding. The binding must outlive
  /// every producer created with that configuration.
  void install(rd_kafka_topic_conf_t* topic_configuration);

 private:
  static std::int32_t trampoline(const rd_kafka_topic_t* topic,
                                 const void* key,
                                 std::size_t key_length,
                                 std::int32_t partition_count,
                                 void* topic_opaque,
                                 void* message_opaque) noexcept;

  std::int32_t partition(const rd_kafka_topic_t* topic,
                         const void* key,
                         std::size_t key_length,
                         std::int32_t partition_count,
                         DeliveryObserver* observer) noexcept;

  std::int32_t next_round_robin(const rd_kafka_topic_t* topic, std::int32_t partition_count);

  std::string name_;
  bool round_robin_;
  std::mutex round_robin_mutex_;
  std::unordered_map<std::string, std::uint32_t> next_by_topic_;
};

}  // namespace kafkasink::detail
