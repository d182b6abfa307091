#include <exception>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/producer.hpp>

#include "kafka/producer_handle.hpp"

namespace kafkasink {
namespace {

// One per sent record: fulfils the record's promise from its delivery report, then deletes
// itself, as librdkafka reports each accepted record exactly once.
class SendObserver final : public detail::DeliveryObserver {
 public:
  std::future<RecordMetadata> future() { return promise_.get_future(); }

  void on_delivery(const rd_kafka_message_t& message) noexcept override {
    const std::unique_ptr<SendObserver> self(this);
    try {
      if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        fail(detail::delivery_failure(message));
        return;
      }
      rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
      const std::int64_t timestamp = rd_kafka_message_timestamp(&message, &type);
      promise_.set_value(
          {.topic = rd_kafka_topic_name(message.rkt),
           .partition = message.partition,
           .offset = message.offset,
           .timestamp_ms = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : timestamp});
    } catch (...) {
      // Only allocation can fail here; the future then reports it instead of hanging.
      try {
        promise_.set_exception(std::current_exception());
      } catch (...) {  // NOLINT(bugprone-empty-catch): the promise is already satisfied
      }
    }
  }

  void on_partitioner_error(const std::string& reason) noexcept override {
    try {
      partitioner_error_ = reason;
    } catch (...) {  // NOLINT(bugprone-empty-catch): the record fails with librdkafka's text
    }
  }

  void fail(KafkaWriteError::Failure failure) {
    if (!partitioner_error_.empty()) failure.error_text = partitioner_error_;
    promise_.set_exception(std::make_exception_ptr(KafkaWriteError(1, 1, std::move(failure))));
  }

 private:
  std::promise<RecordMetadata> promise_;
  std::string partitioner_error_;  // why the partitioner gave this record no partition
};

rd_kafka_vu_t field(rd_kafka_vtype_t type) {
  rd_kafka_vu_t value{};
  value.vtype = type;
  return value;
}

// A null std::optional is sent as a null pointer, which Kafka keeps as a null key or value.
void* bytes_of(const std::optional<std::string>& text) {
  return text ? const_cast<char*>(text->data()) : nullptr;  // NOLINT: copied, never written
}

}  // namespace

Producer::Producer(std::shared_ptr<detail::ProducerHandle> handle) : handle_(std::move(handle)) {}

std::future<RecordMetadata> Producer::send(const ProducerRecord& record) {
  if (record.topic.empty()) {
    throw IllegalArgumentError("topic", "The record's topic is empty: every record needs a topic.");
  }
  if (record.partition && *record.partition < 0) {
    // Kafka's ProducerRecord constructor text, verbatim.
    throw IllegalArgumentError(
        "partition",
        fmt::format("Invalid partition: {}. Partition number should always be non-negative or "
                    "null.",
                    *record.partition));
  }

  auto observer = std::make_unique<SendObserver>();
  std::future<RecordMetadata> result = observer->future();

  std::vector<rd_kafka_vu_t> fields;
  fields.reserve(7 + record.headers.size());
  fields.push_back(field(RD_KAFKA_VTYPE_TOPIC));
  fields.back().u.cstr = record.topic.c_str();
  fields.push_back(field(RD_KAFKA_VTYPE_MSGFLAGS));
  fields.back().u.i = RD_KAFKA_MSG_F_COPY;
  fields.push_back(field(RD_KAFKA_VTYPE_KEY));
  fields.back().u.mem = {bytes_of(record.key), record.key ? record.key->size() : 0};
  fields.push_back(field(RD_KAFKA_VTYPE_VALUE));
  fields.back().u.mem = {bytes_of(record.value), record.value ? record.value->size() : 0};
  fields.push_back(field(RD_KAFKA_VTYPE_OPAQUE));
  fields.back().u.ptr = static_cast<detail::DeliveryObserver*>(observer.get());
  if (record.partition) {
    fields.push_back(field(RD_KAFKA_VTYPE_PARTITION));
    fields.back().u.i32 = *record.partition;
  }
  if (record.timestamp_ms) {
    fields.push_back(field(RD_KAFKA_VTYPE_TIMESTAMP));
    fields.back().u.i64 = *record.timestamp_ms;
  }
  for (const Header& header : record.headers) {
    // librdkafka copies header names and values; a null value stays a null header value.
    fields.push_back(field(RD_KAFKA_VTYPE_HEADER));
    fields.back().u.header.name = header.key.c_str();
    fields.back().u.header.val = header.value ? header.value->data() : nullptr;
    fields.back().u.header.size = header.value ? static_cast<ssize_t>(header.value->size()) : 0;
  }

  const rd_kafka_resp_err_t error = handle_->produce(fields.data(), fields.size());
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Not accepted, so no report will come: fail the future here.
    observer->fail(detail::delivery_failure(record.topic, record.partition.value_or(-1), error));
    return result;
  }
  static_cast<void>(observer.release());  // now owned by its delivery report
  return result;
}

bool Producer::flush(std::chrono::milliseconds timeout) {
  return handle_->flush(timeout);
}

int Producer::pending() const {
  return handle_->pending();
}

std::string Producer::describe() const {
  return handle_->config().describe();
}

}  // namespace kafkasink
