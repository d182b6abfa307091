#include "kafka/producer_handle.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "kafka/partitioners.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace kafkasink::detail {
namespace {

using std::chrono::milliseconds;

// rd_kafka_poll's wait: how late the poll thread notices a stop when nothing wakes it.
constexpr int kPollTimeoutMs = 100;
// How long a produce on a full queue waits before retrying, if no report was served.
constexpr milliseconds kQueueFullRetry{5};
// How long close() waits for the reports of records it purged: they are failed locally.
constexpr milliseconds kPurgeReportTimeout{5'000};

int to_timeout_ms(milliseconds timeout) {
  return static_cast<int>(
      std::clamp<milliseconds::rep>(timeout.count(), 0, std::numeric_limits<int>::max()));
}

struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const noexcept {
    rd_kafka_conf_destroy(configuration);
  }
};

}  // namespace

KafkaWriteError::Failure delivery_failure(std::string topic,
                                          std::int32_t partition,
                                          rd_kafka_resp_err_t error) {
  return {.topic = std::move(topic),
          .partition = partition,
          .error_name = rd_kafka_err2name(error),
          .error_text = rd_kafka_err2str(error)};
}

KafkaWriteError::Failure delivery_failure(const rd_kafka_message_t& message) {
  std::string topic = message.rkt != nullptr ? rd_kafka_topic_name(message.rkt) : "";
  return delivery_failure(std::move(topic), message.partition, message.err);
}

ProducerHandle::ProducerHandle(ProducerConfig config) : config_(std::move(config)) {
  std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter> configuration(rd_kafka_conf_new());
  std::array<char, 512> error_text{};
  for (const auto& [key, value] : config_.entries()) {
    // ProducerConfig checked every setting; a failure here is a bug, reported all the same.
    if (rd_kafka_conf_set(configuration.get(), key.c_str(), value.c_str(), error_text.data(),
                          error_text.size()) != RD_KAFKA_CONF_OK) {
      throw IllegalArgumentError(
          key, fmt::format("Kafka producer setting '{}' was refused by librdkafka: {}", key,
                           scrub_secrets(error_text.data(), config_.entries())));
    }
  }
  rd_kafka_conf_set_dr_msg_cb(configuration.get(), &ProducerHandle::deliver);
  rd_kafka_conf_set_error_cb(configuration.get(), &ProducerHandle::on_error);
  rd_kafka_conf_set_log_cb(configuration.get(), &ProducerHandle::on_log);
  rd_kafka_conf_set_opaque(configuration.get(), this);
  const auto idempotence = config_.entries().find("enable.idempotence");
  idempotent_ = idempotence != config_.entries().end() && idempotence->second == "true";
  if (config_.custom_partitioner()) {
    partitioner_ = std::make_unique<PartitionerBinding>(*config_.custom_partitioner());
    partitioner_->install(rd_kafka_conf_get_default_topic_conf(configuration.get()));
  }
  // rd_kafka_new takes the configuration only when it succeeds.
  rd_kafka_t* handle =
      rd_kafka_new(RD_KAFKA_PRODUCER, configuration.get(), error_text.data(), error_text.size());
  if (handle == nullptr) {
    throw IllegalArgumentError("",
                               fmt::format("librdkafka refused the producer configuration: {}",
                                           scrub_secrets(error_text.data(), config_.entries())));
  }
  static_cast<void>(configuration.release());
  handle_.reset(handle);
  main_queue_.reset(rd_kafka_queue_get_main(handle));
  poll_thread_ = std::jthread([this](const std::stop_token& stop) { run_poll(stop); });
}

ProducerHandle::~ProducerHandle() {
  // A broken producer cannot deliver what it still holds: waiting for it would only delay.
  close(is_broken() ? milliseconds(0) : kDestructorFlushTimeout);
}

void ProducerHandle::deliver(rd_kafka_t* /*handle*/,
                             const rd_kafka_message_t* message,
                             void* opaque) noexcept {
  if (message == nullptr) return;
  auto* self = static_cast<ProducerHandle*>(opaque);
  if (self != nullptr) {
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::lock_guard lock(self->state_mutex_);
      self->all_brokers_down_ = false;  // an acknowledged record: a broker is up
    } else if (message->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT && self->idempotent_) {
      const std::lock_guard lock(self->state_mutex_);
      if (!self->broken_) {
        try {
          self->broken_ =
              "a record of this idempotent producer timed out, so its sequence numbers no "
              "longer match the broker's";
        } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory; the next report retries
        }
      }
    }
  }
  if (message->_private != nullptr) {
    static_cast<DeliveryObserver*>(message->_private)->on_delivery(*message);
  }
}

void ProducerHandle::on_error(rd_kafka_t* handle,
                              int error,
                              const char* reason,
                              void* opaque) noexcept {
  auto* self = static_cast<ProducerHandle*>(opaque);
  if (self == nullptr) return;
  try {
    const auto code = static_cast<rd_kafka_resp_err_t>(error);
    const std::string text =
        scrub_secrets(reason != nullptr ? reason : "", self->config_.entries());
    const std::lock_guard lock(self->state_mutex_);
    switch (code) {
      case RD_KAFKA_RESP_ERR__FATAL: {
        std::array<char, 512> fatal_text{};
        const rd_kafka_resp_err_t fatal =
            rd_kafka_fatal_error(handle, fatal_text.data(), fatal_text.size());
        self->broken_ = fmt::format("it raised a fatal error: {}: {}", rd_kafka_err2name(fatal),
                                    scrub_secrets(fatal_text.data(), self->config_.entries()));
        break;
      }
      case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        self->all_brokers_down_ = true;
        break;
      case RD_KAFKA_RESP_ERR__TRANSPORT:
      case RD_KAFKA_RESP_ERR__RESOLVE:
      case RD_KAFKA_RESP_ERR__AUTHENTICATION:
      case RD_KAFKA_RESP_ERR__SSL:
        self->last_connection_error_ = ConnectionError{code, text};
        break;
      default:
        break;
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): an error report must not take the client down
  }
}

void ProducerHandle::on_log(const rd_kafka_t* handle,
                            int level,
                            const char* facility,
                            const char* text) noexcept {
  const auto* self = static_cast<const ProducerHandle*>(rd_kafka_opaque(handle));
  emit_librdkafka_log(handle, level, facility, text,
                      self != nullptr ? &self->config_.entries() : nullptr);
}

std::optional<ProducerHandle::ConnectionError> ProducerHandle::brokers_down() const {
  const std::lock_guard lock(state_mutex_);
  if (!all_brokers_down_) return std::nullopt;
  return last_connection_error_.value_or(
      ConnectionError{RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, "all brokers are down"});
}

bool ProducerHandle::reachable(std::chrono::milliseconds timeout) const {
  const std::shared_lock lock(lifetime_mutex_);
  if (handle_ == nullptr) return false;
  const rd_kafka_metadata_t* metadata = nullptr;
  // Brokers and known topics only: naming a topic could create it on a broker.
  const rd_kafka_resp_err_t error =
      rd_kafka_metadata(handle_.get(), 0, nullptr, &metadata, to_timeout_ms(timeout));
  if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
  return error == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void ProducerHandle::purge() {
  const std::shared_lock lock(lifetime_mutex_);
  if (handle_ != nullptr) {
    rd_kafka_purge(handle_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  }
}

bool ProducerHandle::is_broken() const noexcept {
  const std::lock_guard lock(state_mutex_);
  return broken_.has_value();
}

std::optional<std::string> ProducerHandle::broken() const {
  const std::lock_guard lock(state_mutex_);
  return broken_;
}

void ProducerHandle::run_poll(const std::stop_token& stop) {
  // handle_ stays valid while this thread runs: close() joins it before destroying handle_.
  rd_kafka_t* handle = handle_.get();
  while (!stop.stop_requested()) {
    if (rd_kafka_poll(handle, kPollTimeoutMs) > 0) {
      {
        const std::lock_guard lock(served_mutex_);
        ++served_count_;
      }
      served_.notify_all();
    }
  }
}

rd_kafka_t* ProducerHandle::native() const {
  const std::shared_lock lock(lifetime_mutex_);
  return handle_.get();
}

rd_kafka_resp_err_t ProducerHandle::produce(rd_kafka_vu_t* fields, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + config_.max_block();
  while (true) {
    std::uint64_t served_before = 0;
    {
      const std::lock_guard lock(served_mutex_);
      served_before = served_count_;
    }
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
    {
      // Held only for the call, never while waiting, so close() is not kept waiting.
      const std::shared_lock lock(lifetime_mutex_);
      if (!accepting_) return RD_KAFKA_RESP_ERR__DESTROY;
      rd_kafka_error_t* produce_error = rd_kafka_produceva(handle_.get(), fields, count);
      if (produce_error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
      error = rd_kafka_error_code(produce_error);
      rd_kafka_error_destroy(produce_error);
    }
    const auto now = std::chrono::steady_clock::now();
    if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL || now >= deadline) return error;
    std::unique_lock lock(served_mutex_);
    served_.wait_until(lock, std::min(deadline, now + kQueueFullRetry),
                       [&] { return served_count_ != served_before; });
  }
}

bool ProducerHandle::flush(std::chrono::milliseconds timeout) {
  const std::shared_lock lock(lifetime_mutex_);
  if (handle_ == nullptr) return true;
  return rd_kafka_flush(handle_.get(), to_timeout_ms(timeout)) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

int ProducerHandle::pending() const {
  const std::shared_lock lock(lifetime_mutex_);
  return handle_ == nullptr ? 0 : rd_kafka_outq_len(handle_.get());
}

bool ProducerHandle::is_closed() const {
  const std::shared_lock lock(lifetime_mutex_);
  return !accepting_;
}

void ProducerHandle::close(std::chrono::milliseconds timeout) {
  const std::lock_guard close_lock(close_mutex_);
  {
    const std::unique_lock lock(lifetime_mutex_);
    if (handle_ == nullptr) return;
    accepting_ = false;
  }
  // From here no produce can start, and only close() (serialized above) destroys handle_.
  rd_kafka_t* handle = handle_.get();
  rd_kafka_flush(handle, to_timeout_ms(timeout));
  if (rd_kafka_outq_len(handle) > 0) {
    // rd_kafka_destroy would drop these without a report, leaving their observers waiting
    // forever; purged, each gets a failed report instead.
    rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(handle, to_timeout_ms(kPurgeReportTimeout));
  }
  poll_thread_.request_stop();
  // rd_kafka_yield works only from a callback on the polling thread; this wakes it from here.
  rd_kafka_queue_yield(main_queue_.get());
  if (poll_thread_.joinable()) poll_thread_.join();
  std::unique_ptr<rd_kafka_t, HandleDeleter> doomed;
  {
    const std::unique_lock lock(lifetime_mutex_);
    doomed = std::move(handle_);
  }
  main_queue_.reset();
  doomed.reset();
}

}  // namespace kafkasink::detail
