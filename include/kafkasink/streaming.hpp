// Structured streaming to Kafka: a folder of files read as an unbounded frame, written to Kafka
// by a long-running query that survives restarts, as Spark's
// `spark.readStream ... .writeStream.format("kafka").start()` does.
//
// `Session::read_stream()` returns a DataStreamReader; `json(dir)` or `csv(dir)` (a schema is
// required) gives a StreamingDataFrame. Its transformations (`select`, `select_expr`,
// `with_column`) are checked against the schema at once and recorded; each micro-batch applies
// them to the files of that batch. `write_stream()` returns a DataStreamWriter, whose `start()`
// validates the sink exactly as `DataFrameWriter::save()` does, opens the checkpoint and starts
// a StreamingQuery on its own thread.
//
// The checkpoint folder (option `checkpointLocation`) holds `metadata` (the query id),
// `offsets/<batch>` (the files of a batch, written before the batch runs), `commits/<batch>`
// (written once Kafka acknowledged every record of the batch) and `sources/0/` (every file
// the query has taken, compacted). Each entry is written to a temporary name, fsynced and
// renamed. On restart an uncommitted batch is re-run with exactly the same files, so every
// input row reaches Kafka at least once; rows of a re-run batch may be written twice
// (at-least-once, as Spark's Kafka sink). With the option `deliveryGuarantee` set to
// `exactly-once`, each batch is one Kafka transaction that also records the batch id in Kafka,
// and every row is in Kafka exactly once for `read_committed` consumers, whatever crashes.
// docs/streaming.md describes the layout and the guarantees in full.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

namespace detail {
struct SessionState;
struct StreamPlan;
}  // namespace detail

class DataStreamWriter;

/// When a streaming query runs its micro-batches.
class Trigger {
 public:
  /// How the query schedules batches.
  enum class Kind {
    kProcessingTime,  ///< a batch every interval (0: the next as soon as the previous ends)
    kAvailableNow,    ///< every file present at start, in batches of maxFilesPerTrigger, then stop
    kOnce,            ///< every file present at start in one batch, then stop
  };

  /// Starts a batch every `interval`; when a batch takes longer, the next starts as soon as it
  /// ends. Zero (the default trigger) starts the next batch as soon as the previous one ends,
  /// polling the folder every 10 ms while there is nothing new. Throws IllegalArgumentError
  /// for a negative interval.
  static Trigger processing_time(std::chrono::milliseconds interval);

  /// `processing_time` with Spark's duration text (`"500ms"`, `"10 seconds"`, `"1m"`). Throws
  /// IllegalArgumentError for text that is not a duration.
  static Trigger processing_time(const std::string& interval);

  /// Processes every file present when the query starts, in as many batches as
  /// `maxFilesPerTrigger` needs, then stops (Spark's Trigger.AvailableNow).
  static Trigger available_now();

  /// Processes every file present when the query starts in a single batch, then stops
  /// (Spark's Trigger.Once, which ignores maxFilesPerTrigger).
  static Trigger once();

  /// The default trigger: `processing_time(0)`.
  Trigger() = default;

  /// How this trigger schedules batches.
  Kind kind() const noexcept { return kind_; }

  /// The interval of a processing-time trigger; zero otherwise.
  std::chrono::milliseconds interval() const noexcept { return interval_; }

 private:
  Trigger(Kind kind, std::chrono::milliseconds interval) : kind_(kind), interval_(interval) {}

  Kind kind_ = Kind::kProcessingTime;
  std::chrono::milliseconds interval_{0};
};

/// The checkpoint folder cannot be used: a file in it is torn, corrupt or of an unknown
/// version, or another query holds it. The message names the file; start() throws it before
/// the query runs, so a damaged checkpoint never silently restarts from zero.
class CheckpointError : public Error {
 public:
  /// `path` is the file (or folder) at fault.
  CheckpointError(std::string path, const std::string& message);

  /// The file or folder at fault.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// A streaming frame: a source folder plus the transformations recorded on it. A value; every
/// transformation returns a new frame and leaves this one unchanged.
class StreamingDataFrame {
 public:
  /// The schema of the rows each micro-batch produces (after the transformations).
  const Schema& schema() const noexcept;

  /// The column names of `schema()`, in order.
  std::vector<std::string> columns() const;

  /// Records `DataFrame::select`. Throws AnalysisError at once for an unknown column or an
  /// expression that does not type-check, as Spark's analyzer does.
  StreamingDataFrame select(const std::vector<Column>& columns) const;

  /// Records `DataFrame::select_expr`. Throws AnalysisError at once (see `select`).
  StreamingDataFrame select_expr(const std::vector<std::string>& expressions) const;

  /// Records `DataFrame::with_column`. Throws AnalysisError at once (see `select`).
  StreamingDataFrame with_column(const std::string& name, const Column& column) const;

  /// The column `name` as an expression; throws AnalysisError when absent.
  Column operator[](const std::string& name) const;

  /// Always true: a Spark user's `df.isStreaming`.
  bool is_streaming() const noexcept { return true; }

  /// Starts describing the query that writes this frame (`format("kafka")...start()`).
  DataStreamWriter write_stream() const;

  /// The recorded plan (for the library's own use).
  explicit StreamingDataFrame(std::shared_ptr<const detail::StreamPlan> plan);

  /// The recorded plan (for the library's own use).
  const std::shared_ptr<const detail::StreamPlan>& plan() const noexcept { return plan_; }

 private:
  std::shared_ptr<const detail::StreamPlan> plan_;
};

/// Builder of a streaming source over a folder of CSV or JSON-lines files.
///
/// Options: every option of the batch reader of that format (reader.hpp), plus
/// `maxFilesPerTrigger` (a positive integer; default: every new file in one batch). New files
/// appearing in the folder while the query runs are picked up, oldest first (modification
/// time, then name); each file is read once. Files are read whole when their batch runs, so a
/// file should appear complete (written elsewhere, then moved in), as Spark also requires.
class DataStreamReader {
 public:
  /// A reader bound to `session`; null means the default session. Use
  /// `Session::read_stream()`.
  explicit DataStreamReader(std::shared_ptr<detail::SessionState> session = nullptr);

  /// `"csv"` or `"json"`; anything else fails in `load` with an IllegalArgumentError.
  DataStreamReader& format(std::string source);

  ///@{
  /// Sets option `key` (case-insensitive; the last spelling set wins). Booleans are written
  /// `"true"`/`"false"` and integers in decimal, as Spark does.
  DataStreamReader& option(std::string key, std::string value);
  DataStreamReader& option(std::string key, const char* value);
  DataStreamReader& option(std::string key, bool value);

  template <IntegerOptionValue Integer>
  DataStreamReader& option(std::string key, Integer value) {
    return option(std::move(key), std::to_string(value));
  }
  ///@}

  /// Sets every option of `options`, as `option` does one.
  DataStreamReader& options(const std::map<std::string, std::string>& options);

  /// The schema of the files; required, as in Spark.
  DataStreamReader& schema(Schema schema);

  /// A streaming frame over the folder `path`. Throws IllegalArgumentError without a schema
  /// (Spark's message), for an unknown format or a bad option; ParseError when `path` does
  /// not exist. Reads no file.
  StreamingDataFrame load(const std::string& path) const;

  /// `format("csv").load(path)`.
  StreamingDataFrame csv(const std::string& path);

  /// `format("json").load(path)`.
  StreamingDataFrame json(const std::string& path);

 private:
  std::shared_ptr<detail::SessionState> session_;
  std::string format_;
  // The option() calls in order; load(), save() and start() fold them into one
  // case-insensitive map, so that a later spelling of a key replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> options_;
  std::optional<Schema> schema_;
};

/// What one micro-batch did, as Spark's StreamingQueryProgress reports it.
struct StreamingQueryProgress {
  std::string id;              ///< the query's id, kept in the checkpoint across restarts
  std::string run_id;          ///< new at every start
  std::string name;            ///< the query name, empty when none was given
  std::int64_t batch_id = -1;  ///< the micro-batch number, counted from 0 across restarts
  std::string timestamp;  ///< when the batch started, ISO-8601 UTC (`2024-05-01T10:00:00.000Z`)
  std::int64_t num_input_rows = 0;  ///< rows read from the batch's files
  /// Input rows per second of wall time since the previous batch started (Spark's
  /// inputRowsPerSecond); 0 for the first batch of a run.
  double input_rows_per_second = 0;
  /// Input rows per second of this batch's own execution (Spark's processedRowsPerSecond).
  double processed_rows_per_second = 0;
  /// Time per phase under Spark's names: `latestOffset` (listing the folder), `walCommit`
  /// (the offsets entry), `getBatch` (reading the files), `queryPlanning` (the
  /// transformations), `addBatch` (the Kafka write, until every record is acknowledged),
  /// `commitOffsets` (the commit entry and log cleanup), `triggerExecution` (all of it).
  std::map<std::string, std::chrono::microseconds> durations;
  std::vector<std::string> files;         ///< the input files of the batch, in reading order
  std::string sink_description;           ///< e.g. `KafkaSink[topic=t]`
  std::int64_t sink_num_output_rows = 0;  ///< records acknowledged by Kafka
  bool rerun = false;  ///< the batch was an uncommitted batch re-run after a restart

  /// The progress as Spark prints it: JSON with `id`, `runId`, `batchId`, `numInputRows`,
  /// `durationMs`, `sources`, `sink`, ...
  std::string json() const;
};

/// Called on the query's thread after each micro-batch. It must return quickly; an exception
/// it throws is ignored (as Spark ignores a failing listener) and does not stop the query.
using StreamingProgressListener = std::function<void(const StreamingQueryProgress&)>;

/// A running (or finished) streaming query. A handle: copies share the query. The query's
/// thread is stopped and joined by `stop()`, or when the last handle is destroyed.
/// Thread-safe.
class StreamingQuery {
 public:
  /// The query's id: a UUID kept in the checkpoint's `metadata`, the same across restarts.
  const std::string& id() const noexcept;

  /// The id of this run: a new UUID at every start.
  const std::string& run_id() const noexcept;

  /// The query name (`query_name`); empty when none was given.
  const std::string& name() const noexcept;

  /// True until the query stops, finishes (available_now, once) or fails.
  bool is_active() const;

  /// Blocks until every file in the folder has been processed and committed: waits for a
  /// trigger, starting after this call, that finds nothing new. Throws StreamingQueryError
  /// when the query failed (before or while waiting). Returns at once when the query is not
  /// active and did not fail.
  void process_all_available() const;

  /// Blocks until the query is no longer active. Throws StreamingQueryError when it failed.
  void await_termination() const;

  /// Blocks until the query is no longer active, or `timeout` passes. Returns true when it
  /// is no longer active. Throws StreamingQueryError when it failed.
  bool await_termination(std::chrono::milliseconds timeout) const;

  /// Stops the query and joins its thread. A batch being written is finished and committed
  /// first (so this can block up to the producer's delivery timeout when the broker is down);
  /// no new batch starts. Idempotent; does not throw the query's error (see `exception`).
  void stop();

  /// The error that stopped the query: a StreamingQueryError whose message is
  /// `Query <name> [id = <id>, runId = <runId>] terminated with exception: <cause>` and whose
  /// cause is the original error; nothing when the query is running or ended normally.
  std::optional<StreamingQueryError> exception() const;

  /// The progress of the last micro-batch, if any ran in this run.
  std::optional<StreamingQueryProgress> last_progress() const;

  /// The progress of the recent micro-batches of this run (the last 100), oldest first.
  std::vector<StreamingQueryProgress> recent_progress() const;

  class Impl;

  /// For the library's own use: queries come from `DataStreamWriter::start()`.
  explicit StreamingQuery(std::shared_ptr<Impl> impl);

 private:
  std::shared_ptr<Impl> impl_;
};

/// Builder of a streaming query; `start` does the work.
///
/// Options: the sink options of DataFrameWriter (`topic`, `includeHeaders`, which must be
/// `true` or `false` here as Spark's streaming sink reads it, `kafka.*`), plus
/// `checkpointLocation` (required; or the session setting
/// `spark.sql.streaming.checkpointLocation`, under which a folder per query name is used). How
/// many batches of offsets and commits the checkpoint keeps is the session setting
/// `spark.sql.streaming.minBatchesToRetain` (100), as in Spark, which ignores a query option of
/// that name.
class DataStreamWriter {
 public:
  /// A writer of `frame`; use `StreamingDataFrame::write_stream()`.
  explicit DataStreamWriter(StreamingDataFrame frame);

  /// The sink: only `"kafka"` is supported.
  DataStreamWriter& format(std::string sink);

  ///@{
  /// Sets option `key` (case-insensitive; the last spelling set wins). Booleans are written
  /// `"true"`/`"false"` and integers in decimal, as Spark does.
  DataStreamWriter& option(std::string key, std::string value);
  DataStreamWriter& option(std::string key, const char* value);
  DataStreamWriter& option(std::string key, bool value);

  template <IntegerOptionValue Integer>
  DataStreamWriter& option(std::string key, Integer value) {
    return option(std::move(key), std::to_string(value));
  }
  ///@}

  /// Sets every option of `options`, as `option` does one.
  DataStreamWriter& options(const std::map<std::string, std::string>& options);

  /// When batches run; default `Trigger::processing_time(0)`.
  DataStreamWriter& trigger(Trigger trigger);

  /// A name for the query, used in messages and progress.
  DataStreamWriter& query_name(std::string name);

  /// Called after each micro-batch (see StreamingProgressListener).
  DataStreamWriter& progress_listener(StreamingProgressListener listener);

  /// Validates and starts the query. In order: the format must be `kafka`
  /// (IllegalArgumentError), `includeHeaders`, if set, must be `true` or `false`
  /// (IllegalArgumentError), a checkpoint location is required (AnalysisError, Spark's
  /// message), the sink options and the schema are checked as `DataFrameWriter::save()`
  /// checks them (IllegalArgumentError, AnalysisError, with the batch writer's messages), the
  /// session's `spark.sql.streaming.minBatchesToRetain` must be positive
  /// (IllegalArgumentError), then the checkpoint is opened and locked (CheckpointError for a
  /// corrupt file or a checkpoint another query holds). Nothing runs unless all of this passes.
  StreamingQuery start() const;

 private:
  StreamingDataFrame frame_;
  std::string format_;
  // The option() calls in order; load(), save() and start() fold them into one
  // case-insensitive map, so that a later spelling of a key replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> options_;
  Trigger trigger_;
  std::string query_name_;
  StreamingProgressListener listener_;
};

}  // namespace kafkasink
