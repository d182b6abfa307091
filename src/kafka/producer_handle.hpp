// ProducerHandle: one librdkafka producer, its poll thread, and its orderly shutdown.
//
// Everything that sends to Kafka goes through a ProducerHandle owned by the producer pool. It
// creates the rd_kafka_t from a ProducerConfig, serves delivery reports on its own thread, and
// hands each report to the DeliveryObserver whose address was the message's opaque
// (RD_KAFKA_V_OPAQUE). So the direct Producer (one observer per record) and the batch writer
// (one observer per write, values pointing into column buffers without a copy) share one
// handle. `produce` waits on a full queue for up to `max.block.ms`, as Java's send does.
// Closing flushes, fails whatever is left (every accepted record gets exactly one report),
// stops the thread and destroys the handle.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stop_token>
#include <string>
#include <thread>

#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>

#include "kafka/producer_config.hpp"

namespace kafkasink::detail {

class PartitionerBinding;

/// Receives the delivery report of each record produced with it as the message opaque.
class DeliveryObserver {
 public:
  /// Called once per record, on the producer's poll thread (or a thread flushing it), when
  /// the record was acknowledged (`message.err` is 0) or failed. Must not block for long.
  virtual void on_delivery(const rd_kafka_message_t& message) noexcept = 0;

  /// Called, before the record fails with _UNKNOWN_PARTITION, when a custom partitioner gave
  /// a record no valid partition; `reason` names the partitioner and what it returned.
  virtual void on_partitioner_error(const std::string& /*reason*/) noexcept {}

 protected:
  ~DeliveryObserver() = default;
};

/// The failure a delivery report (or a refused produce) describes, for KafkaWriteError.
KafkaWriteError::Failure delivery_failure(std::string topic,
                                          std::int32_t partition,
                                          rd_kafka_resp_err_t error);
KafkaWriteError::Failure delivery_failure(const rd_kafka_message_t& message);

/// Owns one rd_kafka_t producer and the thread that serves its delivery reports. Thread-safe.
class ProducerHandle {
 public:
  /// How long the destructor waits for records still queued before failing them.
  static constexpr std::chrono::milliseconds kDestructorFlushTimeout{10'000};

  /// Creates the producer.
  /// \throws IllegalArgumentError when librdkafka refuses the configuration as a whole (for
  /// example `enable.idempotence=true` with `acks=1`).
  explicit ProducerHandle(ProducerConfig config);
  ~ProducerHandle();
  ProducerHandle(const ProducerHandle&) = delete;
  ProducerHandle& operator=(const ProducerHandle&) = delete;

  /// The librdkafka handle, for calls this class does not wrap; null once closed.
  rd_kafka_t* native() const;

  /// rd_kafka_produceva. Every message must carry a DeliveryObserver* (or nullptr) as its
  /// opaque. On a full queue, waits for deliveries and retries until `max.block.ms` has
  /// passed, then returns RD_KAFKA_RESP_ERR__QUEUE_FULL. After close: __DESTROY. On an error
  /// the message was not accepted and no report will come.
  rd_kafka_resp_err_t produce(rd_kafka_vu_t* fields, std::size_t count);

  /// Waits until every accepted record was reported, at most `timeout`; false on timeout.
  bool flush(std::chrono::milliseconds timeout);

  /// Records queued or in flight (rd_kafka_outq_len); 0 once closed.
  int pending() const;

  /// Stops accepting records, flushes for at most `timeout`, fails (with _PURGE_QUEUE or
  /// _PURGE_INFLIGHT reports) whatever is left, joins the poll thread and destroys the
  /// producer. Idempotent. Must not be called from a delivery observer.
  void close(std::chrono::milliseconds timeout);

  bool is_closed() const;

  const ProducerConfig& config() const noexcept { return config_; }

  /// The last error librdkafka reported about reaching the cluster (a refused connection, a
  /// name not resolved, a failed authentication), secrets scrubbed.
  struct ConnectionError {
    rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string text;
  };

  /// The last connection error, when librdkafka reported every broker down since the last
  /// record was acknowledged; nothing otherwise.
  std::optional<ConnectionError> brokers_down() const;

  /// Whether a broker answers a metadata request within `timeout`.
  bool reachable(std::chrono::milliseconds timeout) const;

  /// Fails every record queued or in flight (_PURGE_QUEUE, _PURGE_INFLIGHT reports): for a
  /// write that gave up on a cluster it cannot reach.
  void purge();

  /// Why this producer must not be used again: a fatal error, or an idempotent producer
  /// whose record timed out (its sequence numbers are then no longer trustworthy, as Java's
  /// client treats it). Nothing while it is sound.
  std::optional<std::string> broken() const;

  /// Whether broken() would say why.
  bool is_broken() const noexcept;

 private:
  struct HandleDeleter {
    void operator()(rd_kafka_t* handle) const noexcept { rd_kafka_destroy(handle); }
  };

  struct QueueDeleter {
    void operator()(rd_kafka_queue_t* queue) const noexcept { rd_kafka_queue_destroy(queue); }
  };

  static void deliver(rd_kafka_t* handle, const rd_kafka_message_t* message, void* opaque) noexcept;
  static void on_error(rd_kafka_t* handle, int error, const char* reason, void* opaque) noexcept;
  static void on_log(const rd_kafka_t* handle,
                     int level,
                     const char* facility,
                     const char* text) noexcept;
  void run_poll(const std::stop_token& stop);

  ProducerConfig config_;
  std::unique_ptr<PartitionerBinding> partitioner_;  // must outlive handle_

  // Shared by calls into handle_, exclusive to stop accepting and to take it for destruction.
  mutable std::shared_mutex lifetime_mutex_;
  std::unique_ptr<rd_kafka_t, HandleDeleter> handle_;
  // The queue rd_kafka_poll serves, kept to wake the poll thread when closing; released
  // before handle_ is destroyed.
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> main_queue_;
  bool accepting_ = true;

  std::mutex close_mutex_;

  // Bumped by the poll thread when it served reports, so a produce waiting on a full queue
  // retries as soon as room may have been made.
  std::mutex served_mutex_;
  std::condition_variable served_;
  std::uint64_t served_count_ = 0;

  // What librdkafka reported on the poll thread: connection trouble and brokenness.
  mutable std::mutex state_mutex_;
  std::optional<ConnectionError> last_connection_error_;
  bool all_brokers_down_ = false;
  std::optional<std::string> broken_;
  bool idempotent_ = false;

  std::jthread poll_thread_;  // last: stops before the members it uses
};

}  // namespace kafkasink::detail
