// DataFrameWriter: `df.write().format("kafka").option(...).save()`, Spark's batch Kafka sink.
//
// The frame's columns map to Kafka records by Spark's contract:
//
// | column      | type                                    | when absent                      |
// |-------------|-----------------------------------------|----------------------------------|
// | `topic`     | string                                  | the `topic` option is required   |
// | `key`       | string or binary                        | null key                         |
// | `value`     | string or binary (required)             | AnalysisError                    |
// | `headers`   | array<struct<key:string,value:binary>>  | no headers                       |
// | `partition` | int                                     | the partitioner chooses          |
//
// Columns are found by exact, case-sensitive name (the first of that name wins); other columns
// are ignored. The `topic` option overrides the `topic` column, which is then not even
// type-checked. Errors carry Spark's messages verbatim.
//
// Options (keys case-insensitive, the last spelling set wins: `option("Topic", "a")` then
// `option("topic", "b")` writes to `b`): `topic`, `includeHeaders` (ignored, as Spark's batch
// sink ignores it; a `headers` column is always written), and every `kafka.`-prefixed producer
// setting, passed to the producer without the prefix and lower-cased, as Spark passes it
// (`kafka.Acks` is `acks`). Java producer settings are understood: the ones librdkafka shares pass
// through, the common Java-only ones are translated (`buffer.memory`, `max.block.ms`,
// `max.request.size`, `sasl.jaas.config`, ...), the Java class names of Kafka's partitioners are
// accepted for `kafka.partitioner.class`, and anything unknown fails naming the setting.
// `kafka.key.serializer` and `kafka.value.serializer` are rejected as Spark rejects them. Defaults
// differing from librdkafka's: `enable.idempotence=true` and `partitioner=murmur2_random` (the
// partition a Java client picks); `acks` is `all` in both.
//
// `save()` checks everything it can before the first record leaves: options, schema, and
// every row (a null topic, a negative partition, a null header key). Then each partition of
// the frame is written by one task, min(partitions, hardware threads) tasks at a time, all
// sharing one cached producer, and `save()` returns only when the delivery report of every
// record it sent says acknowledged (it waits for its own records, never flushes the shared
// producer). Otherwise it throws one KafkaWriteError that counts
// the failed records and names the first error and its topic-partition.
//
// With `deliveryGuarantee` = `exactly-once` (default `at-least-once`; `transactionalIdPrefix`
// starts the transactional ids, default `kafkasink`), the whole `save()` is one Kafka
// transaction on one transactional producer that its tasks share and no other write uses
// meanwhile: committed once every record is acknowledged, aborted on any failure (then it
// throws a TransactionAbortedError, and `read_committed` consumers see none of its records).
// A save longer than `kafka.transaction.timeout.ms` (default 60 s) is aborted. Consumers must
// read with `isolation.level=read_committed` (librdkafka's default, not Java's).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

/// What `save()` does when the target exists. Kafka supports only appending; Overwrite and
/// Ignore fail with Spark's message.
enum class SaveMode { kAppend, kErrorIfExists, kOverwrite, kIgnore };

/// How far a write has come; what `DataFrameWriter::on_progress` reports.
struct WriteProgress {
  std::size_t records_total = 0;         ///< rows of the frame: the records the write will send
  std::size_t records_sent = 0;          ///< handed to the producer so far
  std::size_t records_acknowledged = 0;  ///< acknowledged by the brokers
  std::size_t records_failed = 0;        ///< reported as not delivered
  std::size_t bytes_sent = 0;            ///< key and value bytes of the records sent
  std::size_t bytes_acknowledged = 0;    ///< key and value bytes of the records acknowledged
  bool done = false;                     ///< the last report of the write
};

/// Builder of a batch write; `save` does the work.
class DataFrameWriter {
 public:
  /// A writer of `frame`; use `DataFrame::write()`.
  explicit DataFrameWriter(DataFrame frame);

  /// The sink: only `"kafka"` is supported.
  DataFrameWriter& format(std::string source);

  ///@{
  /// Sets option `key` (case-insensitive; the last spelling set wins): `topic`,
  /// `includeHeaders`, `deliveryGuarantee`, `transactionalIdPrefix` or a `kafka.`-prefixed
  /// producer setting. Booleans are written `"true"`/`"false"` and integers in decimal, as Spark
  /// does.
  DataFrameWriter& option(std::string key, std::string value);
  DataFrameWriter& option(std::string key, const char* value);
  DataFrameWriter& option(std::string key, bool value);

  template <IntegerOptionValue Integer>
  DataFrameWriter& option(std::string key, Integer value) {
    return option(std::move(key), std::to_string(value));
  }
  ///@}

  /// Sets every option of `options`, as `option` does one.
  DataFrameWriter& options(const std::map<std::string, std::string>& options);

  /// What to do when the target exists; Kafka supports only appending (see SaveMode).
  DataFrameWriter& mode(SaveMode mode);

  /// `mode` by Spark's names: `append`, `errorifexists`/`error`/`default`, `overwrite`,
  /// `ignore` (case-insensitive). Throws IllegalArgumentError for another name.
  DataFrameWriter& mode(std::string_view mode);

  /// Calls `callback` while `save()` runs, on the thread that called `save()`: about every
  /// 100 ms while records are sent and acknowledged, then once more with `done` set before
  /// `save()` returns or throws (also when the write fails). Counts grow monotonically;
  /// `records_sent` is counted in steps of up to 1024 records between reports. An empty frame
  /// gets no report. If the callback throws, it is not called again, the write still completes
  /// and `save()` rethrows the callback's exception (a delivery failure takes precedence).
  /// With a callback every task of the write runs on a thread of its own while the calling
  /// thread reports; without one the write runs as it otherwise does (the calling thread runs
  /// a task) and the tasks only test a null pointer per record.
  DataFrameWriter& on_progress(std::function<void(const WriteProgress&)> callback);

  /// Lets `token` cancel `save()` (Spark's job cancellation): once it is stopped, no further
  /// record is sent, records in flight get at most `grace` to be acknowledged, and `save()`
  /// throws KafkaWriteError (error `_INTR`) counting every record not acknowledged. A record
  /// waiting for room in a full queue still waits up to `max.block.ms`.
  DataFrameWriter& cancel_when(std::stop_token token,
                               std::chrono::milliseconds grace = std::chrono::seconds(5));

  /// Writes the frame and returns when every record is acknowledged (and, exactly-once, the
  /// transaction committed). Throws AnalysisError (schema or save mode), IllegalArgumentError
  /// (options), KafkaWriteError (delivery; TransactionAbortedError when exactly-once).
  void save() const;

 private:
  DataFrame frame_;
  std::string format_;
  // The option() calls in order; load(), save() and start() fold them into one
  // case-insensitive map, so that a later spelling of a key replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> options_;
  SaveMode mode_ = SaveMode::kErrorIfExists;
  std::function<void(const WriteProgress&)> on_progress_;
  std::stop_token cancel_;
  std::chrono::milliseconds cancel_grace_{5'000};
};

/// A custom partitioner: given the key (null when the record has none) and the topic's
/// partition count, the partition to write to. Called on librdkafka's threads; must be
/// thread-safe and must not throw.
using Partitioner =
    std::function<std::int32_t(const std::string* key, std::int32_t partition_count)>;

/// Makes `partitioner` available as `kafka.partitioner.class` = `name`, for every write that
/// starts afterwards. Registering a name again replaces the function.
void register_partitioner(std::string name, Partitioner partitioner);

}  // namespace kafkasink
