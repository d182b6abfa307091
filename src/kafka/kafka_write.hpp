// The write of one frame to Kafka: what DataFrameWriter::save does, and what a streaming
// query does for each micro-batch.
//
// `KafkaSinkPlan::prepare` checks everything that does not need the data (options, schema,
// producer configuration); `write_frame` checks the rows, then writes each partition of the
// frame on its own task, every task leasing the same cached producer, and returns only when
// every record is acknowledged, or throws one KafkaWriteError.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/writer.hpp>

#include "kafka/record_mapper.hpp"
#include "kafka/write_options.hpp"

namespace kafkasink::detail {

/// A validated Kafka sink: options parsed, schema bound, producer configuration checked.
struct KafkaSinkPlan {
  WriteOptions options;
  RecordMapper mapper;

  /// Throws IllegalArgumentError (options, producer settings) or AnalysisError (schema), in
  /// Spark's order: serializer options, then the schema, then the producer settings.
  static KafkaSinkPlan prepare(const Schema& schema,
                               const std::map<std::string, std::string>& options);
};

/// What a write did.
struct WriteSummary {
  std::size_t records = 0;
  std::size_t bytes = 0;  ///< key and value bytes
};

/// Writes `frame` (whose schema `plan` was prepared for) through `pool`. Throws AnalysisError
/// before sending when a row cannot become a record, KafkaWriteError when records were not
/// delivered. A non-empty `on_progress` is called on this thread as DataFrameWriter::on_progress
/// documents; without one, the tasks run as if there were no progress reporting.
WriteSummary write_frame(const KafkaSinkPlan& plan,
                         const DataFrame& frame,
                         ProducerPool& pool,
                         const std::function<void(const WriteProgress&)>& on_progress = {});

}  // namespace kafkasink::detail
