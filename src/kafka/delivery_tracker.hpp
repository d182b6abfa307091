// DeliveryTracker: counts the delivery reports of one write, so that the write knows when
// every record it sent is acknowledged, and which failure came first.
//
// It is the per-message opaque of every record the write produces. Reports arrive on the
// producer's poll thread, so on_delivery only touches atomics, and a mutex for the first
// failure. The tracker also pins what the records point into (the frame's column buffers,
// sent without copying): if the write stops waiting before every report is in, `detach` hands
// the tracker's life to the outstanding records, and the last report frees it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <kafkasink/errors.hpp>

#include "kafka/producer_handle.hpp"

namespace kafkasink::detail {

class DeliveryTracker final : public DeliveryObserver,
                              public std::enable_shared_from_this<DeliveryTracker> {
 public:
  /// `pinned` is kept alive until every produced record has been reported.
  explicit DeliveryTracker(std::shared_ptr<const void> pinned);

  /// Called before each record is handed to the producer.
  void on_produce() noexcept { produced_.fetch_add(1, std::memory_order_relaxed); }

  /// Called when the producer refused a record synchronously (it will get no report).
  void on_produce_failed(rd_kafka_resp_err_t error,
                         std::string topic,
                         std::int32_t partition) noexcept;

  void on_delivery(const rd_kafka_message_t& message) noexcept override;

  /// The partitioner's reason becomes the first failure's text (the record itself is
  /// reported failed right after).
  void on_partitioner_error(const std::string& reason) noexcept override;

  /// Makes `failure` the first failure, whatever was reported before: for a write that
  /// stopped for a reason of its own (cancelled, the cluster unreachable).
  void override_first_failure(KafkaWriteError::Failure failure) noexcept;

  /// When the last report arrived (or the tracker was made, before any).
  std::chrono::steady_clock::time_point last_report() const noexcept {
    return std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(last_report_.load(std::memory_order_relaxed)));
  }

  /// Key and value bytes of the acknowledged records.
  std::size_t delivered_bytes() const noexcept { return delivered_bytes_.load(); }

  /// Waits until every produced record is reported, at most until `deadline`. Returns false
  /// on timeout. With `or_failure`, also returns (true) as soon as a record failed.
  bool wait_until(std::chrono::steady_clock::time_point deadline, bool or_failure = false);

  /// Keeps this tracker (and what it pins) alive until the last outstanding report.
  void detach();

  bool has_failed() const noexcept { return failed_.load(std::memory_order_relaxed) > 0; }
  std::size_t delivered() const noexcept { return delivered_.load(); }
  std::size_t failed() const noexcept { return failed_.load(); }
  std::size_t outstanding() const noexcept { return produced_.load() - reported_.load(); }

  /// The first failure, if any.
  std::optional<KafkaWriteError::Failure> first_failure() const;

 private:
  void record_failure(KafkaWriteError::Failure failure) noexcept;
  void on_reported() noexcept;

  std::shared_ptr<const void> pinned_;
  std::atomic<std::size_t> produced_{0};
  std::atomic<std::size_t> reported_{0};
  std::atomic<std::size_t> delivered_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::size_t> delivered_bytes_{0};
  std::atomic<std::chrono::steady_clock::duration::rep> last_report_;
  std::optional<std::string> partitioner_error_;  // under mutex_
  mutable std::mutex mutex_;
  std::condition_variable all_reported_;
  std::optional<KafkaWriteError::Failure> first_failure_;
  std::shared_ptr<DeliveryTracker> keep_alive_;
};

}  // namespace kafkasink::detail
