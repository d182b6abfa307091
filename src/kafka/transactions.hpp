// The transaction calls of a transactional ProducerHandle (librdkafka's rd_kafka_*_transaction),
// with librdkafka's three kinds of failure kept apart: retriable (call again), abortable (abort,
// then the producer is usable again) and fatal (the producer is done; most often fenced by a
// newer producer with the same transactional.id). Also the read-back of what an exactly-once
// streaming query recorded in its transactions: the committed offsets of its consumer group.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>

#include "kafka/producer_handle.hpp"

namespace kafkasink::detail {

/// A transaction call that failed, as librdkafka classified it.
class TransactionCallError : public std::runtime_error {
 public:
  /// `call` names the librdkafka function; takes the facts out of `error` (not its ownership).
  TransactionCallError(const std::string& call, const rd_kafka_error_t& error);

  /// librdkafka's error name and text, for KafkaWriteError::Failure.
  const KafkaWriteError::Failure& failure() const noexcept { return failure_; }
  bool fatal() const noexcept { return fatal_; }
  bool retriable() const noexcept { return retriable_; }
  bool requires_abort() const noexcept { return requires_abort_; }
  /// Fenced: another producer with the same transactional.id was initialized since.
  bool fenced() const noexcept;

 private:
  KafkaWriteError::Failure failure_;
  bool fatal_;
  bool retriable_;
  bool requires_abort_;
};

/// rd_kafka_init_transactions: registers the transactional id with its coordinator, which
/// fences every older producer with that id and completes (commits or aborts) its open
/// transaction before returning. Retried while librdkafka says retriable, until `timeout`.
/// Throws TransactionCallError.
void init_transactions(ProducerHandle& producer, std::chrono::milliseconds timeout);

/// rd_kafka_begin_transaction (local: no request is sent). Throws TransactionCallError.
void begin_transaction(ProducerHandle& producer);

/// What a micro-batch records in its own transaction: the offset `batch` committed for
/// `topic`-`partition` in consumer group `group` (rd_kafka_send_offsets_to_transaction).
struct BatchMarker {
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t batch = 0;
};

/// Adds `marker` to the open transaction. Throws TransactionCallError.
void send_marker(ProducerHandle& producer,
                 const BatchMarker& marker,
                 std::chrono::milliseconds timeout);

/// rd_kafka_commit_transaction, retried while retriable until `timeout`. Throws
/// TransactionCallError (abortable: the caller aborts; fatal: the producer is unusable).
void commit_transaction(ProducerHandle& producer, std::chrono::milliseconds timeout);

/// rd_kafka_abort_transaction, retried while retriable until `timeout`. Returns false when the
/// producer could not abort (a fatal error: the broker aborts the transaction when the
/// producer's transactional id is initialized again, or when it times out).
bool abort_transaction(ProducerHandle& producer, std::chrono::milliseconds timeout) noexcept;

/// The producer's fatal error (rd_kafka_fatal_error), if it has one.
std::optional<KafkaWriteError::Failure> fatal_error(ProducerHandle& producer);

/// The newest batch recorded by send_marker for `group`: the highest offset the group has
/// committed on any partition (read with require_stable, so a transaction still being
/// completed is waited for, never read half-way). Nothing when the group has none.
/// Throws KafkaWriteError when Kafka cannot say within `timeout`.
std::optional<std::int64_t> committed_batch(ProducerHandle& producer,
                                            const std::string& group,
                                            std::chrono::milliseconds timeout);

/// The metadata committed beside a marker's offset; offsets with other metadata are not
/// kafkasink's and are ignored by committed_batch.
std::string marker_metadata(std::int64_t batch);

}  // namespace kafkasink::detail
