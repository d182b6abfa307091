#include "kafka/delivery_tracker.hpp"

#include <utility>

namespace kafkasink::detail {

DeliveryTracker::DeliveryTracker(std::shared_ptr<const void> pinned)
    : pinned_(std::move(pinned)),
      last_report_(std::chrono::steady_clock::now().time_since_epoch().count()) {}

void DeliveryTracker::on_partitioner_error(const std::string& reason) noexcept {
  try {
    const std::lock_guard lock(mutex_);
    if (!first_failure_ && !partitioner_error_) partitioner_error_ = reason;
  } catch (...) {  // NOLINT(bugprone-empty-catch): the record fails with librdkafka's text
  }
}

void DeliveryTracker::override_first_failure(KafkaWriteError::Failure failure) noexcept {
  const std::lock_guard lock(mutex_);
  first_failure_ = std::move(failure);
  partitioner_error_.reset();
}

void DeliveryTracker::record_failure(KafkaWriteError::Failure failure) noexcept {
  failed_.fetch_add(1);
  try {
    const std::lock_guard lock(mutex_);
    if (!first_failure_) {
      first_failure_ = std::move(failure);
      if (partitioner_error_) first_failure_->error_text = std::move(*partitioner_error_);
      partitioner_error_.reset();
    }
    // For a wait that ends at the first failure (see wait_until).
    all_reported_.notify_all();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a lost description must not stop the count
  }
}

void DeliveryTracker::on_produce_failed(rd_kafka_resp_err_t error,
                                        std::string topic,
                                        std::int32_t partition) noexcept {
  try {
    record_failure(delivery_failure(std::move(topic), partition, error));
  } catch (...) {  // NOLINT(bugprone-empty-catch)
  }
  // The record was counted as produced but will never be reported: report it here.
  on_reported();
}

void DeliveryTracker::on_delivery(const rd_kafka_message_t& message) noexcept {
  last_report_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                     std::memory_order_relaxed);
  if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    delivered_bytes_.fetch_add(message.len + message.key_len, std::memory_order_relaxed);
    delivered_.fetch_add(1, std::memory_order_relaxed);
  } else {
    try {
      record_failure(delivery_failure(message));
    } catch (...) {  // NOLINT(bugprone-empty-catch)
    }
  }
  on_reported();
}

void DeliveryTracker::on_reported() noexcept {
  const std::size_t reported = reported_.fetch_add(1) + 1;
  if (reported != produced_.load()) return;
  std::shared_ptr<DeliveryTracker> last_reference;
  {
    const std::lock_guard lock(mutex_);
    all_reported_.notify_all();
    last_reference = std::move(keep_alive_);
  }
  // If the writer detached, this drops the last reference: nothing may touch `this` after.
}

bool DeliveryTracker::wait_until(std::chrono::steady_clock::time_point deadline, bool or_failure) {
  // No lost wake-up: the last report (and a failure) counts before it takes the lock to
  // notify, and this checks the counts under the lock, so it either sees them or waits before
  // the notify.
  std::unique_lock lock(mutex_);
  return all_reported_.wait_until(lock, deadline, [this, or_failure] {
    return reported_.load() >= produced_.load() || (or_failure && failed_.load() > 0);
  });
}

void DeliveryTracker::detach() {
  const std::lock_guard lock(mutex_);
  if (reported_.load() < produced_.load()) keep_alive_ = shared_from_this();
}

std::optional<KafkaWriteError::Failure> DeliveryTracker::first_failure() const {
  const std::lock_guard lock(mutex_);
  return first_failure_;
}

}  // namespace kafkasink::detail
