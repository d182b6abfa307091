// The errors kafkasink throws.
//
// Every error derives from kafkasink::Error, so one catch clause catches them all. The
// subclasses follow Spark's split: AnalysisError for a frame or expression that breaks a rule
// (the message starts with Spark's own text), IllegalArgumentError for a bad option,
// KafkaWriteError for records that were not delivered, StreamingQueryError for a query that
// stopped. Messages never contain secrets: configuration values are redacted before they are
// printed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

namespace kafkasink {

/// Base of every error kafkasink throws; catch this to catch them all.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The schema or an expression breaks a rule: a missing or mistyped column, an expression that
/// cannot be parsed. For the Kafka sink the message starts with Spark's text, verbatim.
class AnalysisError : public Error {
 public:
  using Error::Error;
};

/// An option is missing, unknown or malformed, or an argument is out of range.
class IllegalArgumentError : public Error {
 public:
  /// `option` is the option at fault as the user spelled it (empty when the error is not
  /// about one option).
  IllegalArgumentError(std::string option, const std::string& message);

  /// The option at fault, as the user spelled it; empty when none is.
  const std::string& option() const noexcept { return option_; }

 private:
  std::string option_;
};

/// Input that cannot be read: a malformed file in FAILFAST mode, a file that does not exist.
/// The message names the file, the line and, where known, the column.
class ParseError : public Error {
 public:
  using Error::Error;
};

/// Records were not acknowledged by Kafka. Thrown once per write, after the flush, so that
/// the count covers the whole write.
class KafkaWriteError : public Error {
 public:
  /// The first delivery failure of the write.
  struct Failure {
    std::string topic;            ///< the topic of the failed record
    std::int32_t partition = -1;  ///< -1 when the partition was never assigned
    /// librdkafka's name of the error: "MSG_SIZE_TOO_LARGE" from the broker, "_MSG_TIMED_OUT"
    /// for a local one (librdkafka keeps the leading underscore of its local errors).
    std::string error_name;
    std::string error_text;  ///< librdkafka's human-readable text
  };

  /// `failed` of `total` records were not delivered; `first` is the first failure reported.
  /// The message names the counts, the first error and its topic-partition.
  KafkaWriteError(std::size_t failed, std::size_t total, Failure first);

  /// How many records of the write were not delivered.
  std::size_t failed_records() const noexcept { return failed_; }

  /// How many records the write tried to deliver.
  std::size_t total_records() const noexcept { return total_; }

  /// The first failure reported by the producer.
  const Failure& first_error() const noexcept { return first_; }

 protected:
  /// For subclasses that say more than the counts: `message` is the whole message.
  KafkaWriteError(const std::string& message, std::size_t failed, std::size_t total, Failure first);

 private:
  std::size_t failed_;
  std::size_t total_;
  Failure first_;
};

/// An exactly-once write (`deliveryGuarantee` = `exactly-once`) whose Kafka transaction was
/// aborted: none of its records is visible to `read_committed` consumers, so the write can be
/// retried without duplicating. `failed_records()` is every record of the write;
/// `records_in_transaction()` how many had been sent inside the transaction when it ended;
/// `first_error()` the cause (a record's delivery failure, `_FENCED` when another producer
/// took over the transactional id, `_TIMED_OUT` for a transaction that outlived
/// `kafka.transaction.timeout.ms`). The message says all of it.
class TransactionAbortedError : public KafkaWriteError {
 public:
  /// The transaction of `transactional_id` held `in_transaction` of the write's `total`
  /// records; `cause` is why it ended.
  TransactionAbortedError(std::string transactional_id,
                          std::size_t in_transaction,
                          std::size_t total,
                          Failure cause,
                          const std::string& reason);

  /// The producer's `transactional.id`.
  const std::string& transactional_id() const noexcept { return transactional_id_; }

  /// How many records had been sent in the transaction when it was aborted.
  std::size_t records_in_transaction() const noexcept { return in_transaction_; }

  /// Whether another producer with the same transactional id fenced this one.
  bool fenced() const noexcept;

 private:
  std::string transactional_id_;
  std::size_t in_transaction_;
};

/// A streaming query stopped because of an error. The message is the cause's, prefixed with
/// the query's name and id; the cause itself is kept for callers that need its type.
class StreamingQueryError : public Error {
 public:
  /// An error with the full `message` that keeps the original error `cause`.
  StreamingQueryError(const std::string& message, std::exception_ptr cause);

  /// The error that stopped the query (rethrow it to inspect its type).
  std::exception_ptr cause() const noexcept { return cause_; }

 private:
  std::exception_ptr cause_;
};

}  // namespace kafkasink
