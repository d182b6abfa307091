// Exactly-once writes (`deliveryGuarantee` = `exactly-once`): every save() and every
// micro-batch is one Kafka transaction on one transactional producer, which its tasks share
// and nobody else uses meanwhile. The transaction is committed once every record is
// acknowledged and aborted on any failure, so `read_committed` consumers see all of a write
// or none of it.
//
// A streaming batch also commits, in its own transaction, the offset `batch id` for a consumer
// group named like the query's transactional id (as Kafka Streams commits its input offsets):
// after a crash, committed_batch reads back which batch Kafka has, so the checkpoint can be
// brought level with Kafka instead of re-running a batch that Kafka already holds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/writer.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/write_options.hpp"

namespace kafkasink::detail {

/// A transactional producer leased exclusively from the pool, for one writer at a time.
class TransactionalProducer {
 public:
  /// The producer of a streaming query: transactional id (and consumer group)
  /// query_transactional_id(). Initializing it fences the producer of any earlier run of the
  /// query and ends its open transaction. Throws IllegalArgumentError when this process
  /// holds that id already, TransactionAbortedError when Kafka cannot initialize it.
  static TransactionalProducer for_query(const KafkaSinkPlan& plan,
                                         ProducerPool& pool,
                                         const std::string& query_id);

  /// The producer of one save(): an idle one of an earlier save with these settings, or a new
  /// one with transactional id `<prefix>-<random process id>-<n>`. Throws as for_query.
  static TransactionalProducer for_save(const KafkaSinkPlan& plan, ProducerPool& pool);

  /// Writes `frame` in one transaction, with the marker of `batch` when one is given. Returns
  /// once the transaction is committed. Throws AnalysisError before anything is sent,
  /// TransactionAbortedError when the transaction was aborted (a record not delivered, the
  /// transaction outliving `kafka.transaction.timeout.ms`, the producer fenced).
  WriteSummary write(const KafkaSinkPlan& plan,
                     const DataFrame& frame,
                     ProducerPool& pool,
                     std::optional<std::int64_t> batch,
                     const std::function<void(const WriteProgress&)>& on_progress = {});

  /// The newest batch whose transaction Kafka committed (see committed_batch in
  /// transactions.hpp), or nothing. Throws KafkaWriteError when Kafka cannot say.
  std::optional<std::int64_t> committed_batch();

  const std::string& transactional_id() const noexcept { return id_; }

 private:
  TransactionalProducer(ProducerLease lease, std::string id);

  ProducerLease lease_;
  std::string id_;
};

/// `<transactionalIdPrefix or "kafkasink">-<query id>`: stable across restarts, so that a
/// restarted query fences the process it replaces.
std::string query_transactional_id(const WriteOptions& options, const std::string& query_id);

/// DataFrameWriter::save with exactly-once: one transaction through for_save's producer.
WriteSummary write_frame_exactly_once(const KafkaSinkPlan& plan,
                                      const DataFrame& frame,
                                      ProducerPool& pool,
                                      const std::function<void(const WriteProgress&)>& on_progress);

}  // namespace kafkasink::detail
