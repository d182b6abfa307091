// Session: the entry point, as SparkSession is in Spark.
//
// A session holds the configuration (`spark.kafka.producer.cache.timeout`,
// `spark.kafka.producer.cache.evictorThreadRunInterval`, `spark.sql.streaming.checkpointLocation`,
// `spark.sql.streaming.minBatchesToRetain`), the cached producer pool that every
// write of the session shares, and the readers. `Session::builder().get_or_create()` returns
// the process's default session, creating it on first use; frames built in code
// (DataFrame::from_rows) write through that default session. `stop()`, or the destruction of
// the last handle, flushes and closes every cached producer and joins the evictor thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/reader.hpp>
#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

class ProducerPool;
class DataStreamReader;

namespace detail {
struct SessionState;
}  // namespace detail

/// A handle to a session; copies share the session.
class Session {
 public:
  class Builder;

  /// Starts building a session.
  static Builder builder();

  /// A batch reader bound to this session.
  DataFrameReader read() const;

  /// A streaming reader bound to this session.
  DataStreamReader read_stream() const;

  /// A one-partition frame of `rows`, as DataFrame::from_rows builds it, that writes through
  /// this session (Spark's `createDataFrame`). Throws AnalysisError as from_rows does.
  DataFrame create_data_frame(Schema schema, const std::vector<Row>& rows) const;

  /// The session's producer pool, shared by every write of the session.
  ProducerPool& producer_pool() const;

  /// The value of a configuration setting, or nothing when it is not set.
  std::optional<std::string> conf(const std::string& key) const;

  /// Flushes and closes every cached producer and joins the evictor thread. Later writes
  /// through this session fail with IllegalArgumentError. Idempotent.
  void stop();

  /// Whether `stop()` was called on this session.
  bool is_stopped() const;

  /// The session's shared state; for the library's own use.
  const std::shared_ptr<detail::SessionState>& state() const noexcept { return state_; }

  /// A handle to `state`; for the library's own use (use `builder()`).
  explicit Session(std::shared_ptr<detail::SessionState> state);

  /// The default session (created with default settings when there is none or it was
  /// stopped). Frames that do not come from a session write through it.
  static Session default_session();

 private:
  std::shared_ptr<detail::SessionState> state_;
};

/// Collects settings, then creates or returns a session.
class Session::Builder {
 public:
  /// Sets a configuration value. Durations take Spark's forms: `500ms`, `10s`, `10m`, `1h`,
  /// or a number of milliseconds.
  Builder& config(std::string key, std::string value);

  /// Spark's `appName`: sets `spark.app.name`.
  Builder& app_name(std::string name);

  /// The default session, created with these settings if there is none. As in Spark, settings
  /// that configure the producer pool take effect only when the session is created: given to
  /// an existing session, they are ignored with a warning through the log handler
  /// (set_log_handler).
  /// Throws IllegalArgumentError for a malformed setting.
  Session get_or_create();

  /// A new session with its own producer pool, independent of the default one.
  Session create();

 private:
  std::map<std::string, std::string> settings_;
};

}  // namespace kafkasink
