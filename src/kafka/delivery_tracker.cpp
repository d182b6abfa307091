#include "kafka/delivery_tracker.hpp"

#include <utility>

namespace kafkasink::detail {

DeliveryTracker::DeliveryTracker(std::shared_ptr<const void> pinned) : pinned_(std::move(pinned)) {}

void DeliveryTracker::record_failure(KafkaWriteError::Failure failure) noexcept {
  failed_.fetch_add(1);
  try {
    const std::lock_guard lock(mutex_);
    if (!first_failure_) first_failure_ = std::move(failure);
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
  if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
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
