#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

namespace kafkasink {
namespace {

std::string describe_write_failure(std::size_t failed,
                                   std::size_t total,
                                   const KafkaWriteError::Failure& first) {
  // A record that never got a partition (rejected before partitioning) is reported against
  // the topic alone, as "t-2" would name a partition it never reached.
  const std::string where =
      first.partition < 0 ? fmt::format("topic {}", first.topic)
                          : fmt::format("topic-partition {}-{}", first.topic, first.partition);
  return fmt::format("{} of {} records were not delivered to {}: {}: {}", failed, total, where,
                     first.error_name, first.error_text);
}

}  // namespace

IllegalArgumentError::IllegalArgumentError(std::string option, const std::string& message)
    : Error(message), option_(std::move(option)) {}

KafkaWriteError::KafkaWriteError(std::size_t failed, std::size_t total, Failure first)
    : Error(describe_write_failure(failed, total, first)),
      failed_(failed),
      total_(total),
      first_(std::move(first)) {}

KafkaWriteError::KafkaWriteError(const std::string& message,
                                 std::size_t failed,
                                 std::size_t total,
                                 Failure first)
    : Error(message), failed_(failed), total_(total), first_(std::move(first)) {}

TransactionAbortedError::TransactionAbortedError(std::string transactional_id,
                                                 std::size_t in_transaction,
                                                 std::size_t total,
                                                 Failure cause,
                                                 const std::string& reason)
    : KafkaWriteError(fmt::format("The Kafka transaction of transactional id '{}' was aborted "
                                  "with the {} records it held ({} in the write): none of them "
                                  "is visible to read_committed consumers. {}",
                                  transactional_id,
                                  in_transaction,
                                  total,
                                  reason),
                      total,
                      total,
                      std::move(cause)),
      transactional_id_(std::move(transactional_id)),
      in_transaction_(in_transaction) {}

bool TransactionAbortedError::fenced() const noexcept {
  // librdkafka raises a fenced producer's fatal error as _FENCED; the broker's own codes
  // reach a caller when the fencing is seen on a request first.
  const std::string& name = first_error().error_name;
  return name == "_FENCED" || name == "PRODUCER_FENCED" || name == "INVALID_PRODUCER_EPOCH";
}

StreamingQueryError::StreamingQueryError(const std::string& message, std::exception_ptr cause)
    : Error(message), cause_(std::move(cause)) {}

}  // namespace kafkasink
