// The state and thread of a running StreamingQuery. Private to the library.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <kafkasink/streaming.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/transactional_write.hpp"
#include "streaming/checkpoint.hpp"
#include "streaming/stream_plan.hpp"

namespace kafkasink {

namespace detail {

/// Everything start() validated, handed to the query.
struct QueryConfig {
  std::shared_ptr<const detail::StreamPlan> plan;
  detail::KafkaSinkPlan sink;
  std::shared_ptr<detail::SessionState> session;
  Trigger trigger;
  std::string name;
  std::size_t min_batches_to_retain = 100;
  StreamingProgressListener listener;
};

}  // namespace detail

class StreamingQuery::Impl {
 public:
  /// Starts the query's thread; `checkpoint` is open and locked.
  Impl(detail::QueryConfig config, std::unique_ptr<detail::Checkpoint> checkpoint);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  const std::string& id() const noexcept { return id_; }
  const std::string& run_id() const noexcept { return run_id_; }
  const std::string& name() const noexcept { return config_.name; }

  bool is_active() const;
  void process_all_available() const;
  bool await_termination(std::optional<std::chrono::milliseconds> timeout) const;
  void stop();
  std::optional<StreamingQueryError> exception() const;
  std::optional<StreamingQueryProgress> last_progress() const;
  std::vector<StreamingQueryProgress> recent_progress() const;

 private:
  struct Batch {
    std::int64_t id = 0;
    std::vector<detail::SourceFile> files;
    bool rerun = false;
    std::chrono::microseconds listing{0};
  };

  void run(const std::stop_token& stop);
  void run_loop(const std::stop_token& stop);
  void run_batch(const Batch& batch, std::chrono::steady_clock::time_point trigger_start);
  // Exactly-once: leases the query's transactional producer (fencing any earlier run), then
  // brings the checkpoint level with what Kafka committed.
  void recover_transactions();
  void fail(std::exception_ptr cause);
  void throw_if_failed() const;  // call with mutex_ held

  detail::QueryConfig config_;
  std::unique_ptr<detail::Checkpoint> checkpoint_;
  std::string id_;
  std::string run_id_;
  std::string sink_description_;
  // Set while a phase runs whose failure Spark reports as an aborted job.
  std::string failure_context_;
  std::optional<std::chrono::steady_clock::time_point> previous_trigger_;
  // Exactly-once only: held while the query runs.
  std::optional<detail::TransactionalProducer> transactions_;

  mutable std::mutex mutex_;
  mutable std::condition_variable_any changed_;
  bool active_ = true;
  std::optional<StreamingQueryError> error_;
  std::deque<StreamingQueryProgress> progress_;
  std::uint64_t checks_started_ = 0;
  std::uint64_t last_idle_check_ = 0;

  // Last: stopped and joined first, while everything it uses is still alive.
  std::jthread thread_;
};

}  // namespace kafkasink
