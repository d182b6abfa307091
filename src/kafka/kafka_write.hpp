// The write of one frame to Kafka: what DataFrameWriter::save does, and what a streaming
// query does for each micro-batch.
//
// `KafkaSinkPlan::prepare` checks everything that does not need the data (options, schema,
// producer configuration); `write_frame` checks the rows, then writes each partition of the
// frame on its own task, every task leasing the same cached producer, and returns only when
// every record is acknowledged, or throws one KafkaWriteError. `send_frame` is the part both
// delivery guarantees share: the exactly-once write (transactional_write.hpp) sends through it
// inside a transaction and decides itself what a failure means.
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/writer.hpp>

#include "kafka/record_mapper.hpp"
#include "kafka/write_options.hpp"
#include "util/option_map.hpp"

namespace kafkasink::detail {

/// A validated Kafka sink: options parsed, schema bound, producer configuration checked.
struct KafkaSinkPlan {
  WriteOptions options;
  RecordMapper mapper;

  /// Throws IllegalArgumentError (options, producer settings) or AnalysisError (schema), in
  /// Spark's order: serializer options, then the schema, then the producer settings.
  static KafkaSinkPlan prepare(const Schema& schema, const OptionMap& options);
};

/// What a write did.
struct WriteSummary {
  std::size_t records = 0;
  std::size_t bytes = 0;  ///< key and value bytes
};

/// How a write may be cancelled: DataFrameWriter::cancel_when.
struct WriteCancellation {
  std::stop_token token;
  std::chrono::milliseconds grace{5'000};
};

class ProducerHandle;

/// What the tasks of a write did, once every task ended and every report came in (or the
/// wait for them gave up).
struct SendResult {
  WriteSummary summary;   ///< what the producer accepted
  std::size_t total = 0;  ///< rows of the frame
  std::size_t delivered = 0;
  /// The first failure; also set (`_TIMED_OUT`) when reports were still missing.
  std::optional<KafkaWriteError::Failure> failure;
  std::exception_ptr task_error;      ///< a task that threw, other than by a failed record
  std::exception_ptr progress_error;  ///< what the progress callback threw

  /// Every record delivered, no task failed.
  bool complete() const noexcept { return !task_error && delivered == total; }
};

/// Sends every row of `frame` as write_frame does, without deciding what a failure means:
/// each task leases its producer from `pool`, or all use `shared` when it is given (the
/// transactional producer of an exactly-once write). With `shared`, the wait for reports
/// ends at the first failed record: a transaction that must be aborted holds its other
/// records back (librdkafka sends no more until the abort), and the abort reports them.
/// Throws AnalysisError for a row that cannot become a record, before anything is sent.
SendResult send_frame(const KafkaSinkPlan& plan,
                      const DataFrame& frame,
                      ProducerPool& pool,
                      ProducerHandle* shared,
                      const std::function<void(const WriteProgress&)>& on_progress,
                      const WriteCancellation& cancel = {});

/// Writes `frame` (whose schema `plan` was prepared for) through `pool`, at least once. Throws
/// AnalysisError before sending when a row cannot become a record, KafkaWriteError when records
/// were not delivered: also when no broker could be reached for `max.block.ms` (Java's limit on
/// how long a send waits for the cluster), naming the bootstrap servers and the last connection
/// error, and when `cancel` was stopped. A non-empty `on_progress` is called on this thread as
/// DataFrameWriter::on_progress documents; without one, the tasks run as if there were no
/// progress reporting.
WriteSummary write_frame(const KafkaSinkPlan& plan,
                         const DataFrame& frame,
                         ProducerPool& pool,
                         const std::function<void(const WriteProgress&)>& on_progress = {},
                         const WriteCancellation& cancel = {});

}  // namespace kafkasink::detail
