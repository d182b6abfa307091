// Producer: the direct, record-at-a-time way to write to Kafka.
//
// For code in the style of kafka-python's `producer.send(topic, value).get(timeout)`: lease a
// producer from the session's pool, `send` records, and wait on the futures you care about.
// The batch and streaming writers send through the same cached producers.
//
//   ks::ProducerLease producer = spark.producer_pool().acquire({{"bootstrap.servers", broker}});
//   std::future<ks::RecordMetadata> sent = producer->send({.topic = "t", .value = "hello"});
//   if (sent.wait_for(10s) == std::future_status::ready) {
//     ks::RecordMetadata where = sent.get();  // throws KafkaWriteError if not delivered
//   }
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kafkasink {

/// A record header. A header value may be null, as Kafka allows.
struct Header {
  std::string key{};                   ///< the header name; Kafka allows repeats
  std::optional<std::string> value{};  ///< the header's bytes; nothing for a null value

  /// Equal key and value.
  friend bool operator==(const Header&, const Header&) = default;
};

/// A record to send. A null key or value is sent as null. (The `{}` initializers let
/// designated initializers such as `{.topic = "t", .value = "v"}` leave fields out without
/// -Wmissing-field-initializers warnings.)
struct ProducerRecord {
  std::string topic{};                 ///< required: an empty topic is an IllegalArgumentError
  std::optional<std::string> key{};    ///< the key's bytes; nothing sends a null key
  std::optional<std::string> value{};  ///< the value's bytes; nothing sends a null value
  std::vector<Header> headers{};       ///< sent in this order
  /// The partition; nothing lets the partitioner choose.
  std::optional<std::int32_t> partition{};
  /// The record's timestamp in milliseconds since the epoch; nothing lets the producer stamp
  /// it with the send time.
  std::optional<std::int64_t> timestamp_ms{};
};

/// Where a record was written.
struct RecordMetadata {
  std::string topic{};             ///< the record's topic
  std::int32_t partition = -1;     ///< the partition it was written to
  std::int64_t offset = -1;        ///< its offset in that partition
  std::int64_t timestamp_ms = -1;  ///< -1 when the broker did not report one
};

namespace detail {
class ProducerHandle;
}  // namespace detail

/// A Kafka producer owned by a ProducerPool and used through a ProducerLease. Thread-safe:
/// all leases of one configuration share one producer, as Spark's tasks do.
class Producer {
 public:
  /// Sends `record` asynchronously. The future holds where it was written, or a
  /// KafkaWriteError when it was not delivered. Blocks while the producer's queue is full, up
  /// to `max.block.ms`, then the future fails with `_QUEUE_FULL`. A record that can never be
  /// sent (an empty topic, a negative partition) throws IllegalArgumentError at once, not
  /// through the future.
  std::future<RecordMetadata> send(const ProducerRecord& record);

  /// Waits until every record sent so far by any lease of this producer is acknowledged or
  /// failed, at most `timeout`. Returns false on timeout.
  bool flush(std::chrono::milliseconds timeout = std::chrono::milliseconds(60'000));

  /// Records waiting in the producer's queue or in flight.
  int pending() const;

  /// The producer's configuration with secrets redacted, as `key=value` lines sorted by key.
  std::string describe() const;

  /// For the library's own use: producers come from ProducerPool::acquire.
  explicit Producer(std::shared_ptr<detail::ProducerHandle> handle);

  /// The librdkafka producer behind this one; for the library's own use.
  const std::shared_ptr<detail::ProducerHandle>& handle() const noexcept { return handle_; }

 private:
  std::shared_ptr<detail::ProducerHandle> handle_;
};

}  // namespace kafkasink
