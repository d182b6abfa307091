#include "kafka/partitioners.hpp"

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/writer.hpp>

#include "kafka/producer_handle.hpp"

namespace kafkasink {
namespace detail {
namespace {

class PartitionerRegistry {
 public:
  static PartitionerRegistry& instance() {
    // Never destroyed: a producer may still call a partitioner while statics are destroyed.
    static auto* const registry = new PartitionerRegistry();
    return *registry;
  }

  void add(std::string name, Partitioner partitioner) {
    auto shared = std::make_shared<const Partitioner>(std::move(partitioner));
    const std::unique_lock lock(mutex_);
    functions_.insert_or_assign(std::move(name), std::move(shared));
  }

  // A shared_ptr, so that a replacement registered during a call does not destroy the
  // function being called.
  std::shared_ptr<const Partitioner> find(std::string_view name) const {
    const std::shared_lock lock(mutex_);
    const auto found = functions_.find(name);
    return found == functions_.end() ? nullptr : found->second;
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const Partitioner>, std::less<>> functions_;
};

}  // namespace

bool is_registered_partitioner(std::string_view name) {
  return PartitionerRegistry::instance().find(name) != nullptr;
}

PartitionerBinding::PartitionerBinding(std::string name)
    : name_(std::move(name)), round_robin_(name_ == kRoundRobinPartitionerClass) {}

void PartitionerBinding::install(rd_kafka_topic_conf_t* topic_configuration) {
  rd_kafka_topic_conf_set_opaque(topic_configuration, this);
  rd_kafka_topic_conf_set_partitioner_cb(topic_configuration, &PartitionerBinding::trampoline);
}

std::int32_t PartitionerBinding::trampoline(const rd_kafka_topic_t* topic,
                                            const void* key,
                                            std::size_t key_length,
                                            std::int32_t partition_count,
                                            void* topic_opaque,
                                            void* message_opaque) noexcept {
  return static_cast<PartitionerBinding*>(topic_opaque)
      ->partition(topic, key, key_length, partition_count,
                  static_cast<DeliveryObserver*>(message_opaque));
}

std::int32_t PartitionerBinding::partition(const rd_kafka_topic_t* topic,
                                           const void* key,
                                           std::size_t key_length,
                                           std::int32_t partition_count,
                                           DeliveryObserver* observer) noexcept {
  // librdkafka fails a record at once with _UNKNOWN_PARTITION when the partition is at or past
  // the count, but parks one with a negative partition until its message timeout; so any
  // value out of range becomes the count, and the record's observer learns why first. The
  // user's exception must not cross librdkafka's C frames.
  const std::int32_t no_partition = partition_count;
  const auto refuse = [&](const std::string& what) noexcept {
    if (observer != nullptr) {
      try {
        observer->on_partitioner_error(
            fmt::format("partitioner '{}' {} for topic '{}', which has {} partitions", name_, what,
                        rd_kafka_topic_name(topic), partition_count));
      } catch (...) {  // NOLINT(bugprone-empty-catch): the record fails all the same
      }
    }
    return no_partition;
  };
  try {
    if (round_robin_) return next_round_robin(topic, partition_count);
    const std::shared_ptr<const Partitioner> function = PartitionerRegistry::instance().find(name_);
    if (function == nullptr || !*function) return refuse("is no longer registered");
    std::int32_t chosen = 0;
    if (key == nullptr) {
      chosen = (*function)(nullptr, partition_count);
    } else {
      const std::string key_bytes(static_cast<const char*>(key), key_length);
      chosen = (*function)(&key_bytes, partition_count);
    }
    if (chosen < 0 || chosen >= partition_count) {
      return refuse(fmt::format("returned {}, outside [0, {})", chosen, partition_count));
    }
    return chosen;
  } catch (const std::exception& error) {
    return refuse(fmt::format("threw: {}", error.what()));
  } catch (...) {
    return refuse("threw an exception");
  }
}

std::int32_t PartitionerBinding::next_round_robin(const rd_kafka_topic_t* topic,
                                                  std::int32_t partition_count) {
  // As Java's RoundRobinPartitioner: one counter per topic, whatever the key.
  const std::lock_guard lock(round_robin_mutex_);
  std::uint32_t& next = next_by_topic_[rd_kafka_topic_name(topic)];
  const auto partition =
      static_cast<std::int32_t>(next % static_cast<std::uint32_t>(partition_count));
  ++next;
  return partition;
}

}  // namespace detail

void register_partitioner(std::string name, Partitioner partitioner) {
  detail::PartitionerRegistry::instance().add(std::move(name), std::move(partitioner));
}

}  // namespace kafkasink
