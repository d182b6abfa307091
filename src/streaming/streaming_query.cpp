// The query's thread: one micro-batch per trigger, each between an offsets entry and a commit
// entry, reusing the batch writer's write_frame for the Kafka write.
#include "streaming/streaming_query.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <kafkasink/errors.hpp>

#include "session/session_state.hpp"
#include "streaming/file_source.hpp"

namespace kafkasink {

namespace {

using Clock = std::chrono::steady_clock;

// Spark's spark.sql.streaming.pollingDelay: how often the default trigger looks for new files
// while there are none.
constexpr std::chrono::milliseconds kPollingDelay(10);
// Spark's spark.sql.streaming.numRecentProgressUpdates.
constexpr std::size_t kRecentProgress = 100;

std::chrono::microseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

std::string iso_timestamp(std::chrono::system_clock::time_point time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(seconds), millis.count() % 1000);
}

std::string describe(const std::exception_ptr& cause) {
  try {
    std::rethrow_exception(cause);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "unknown error";
  }
}

double per_second(std::int64_t rows, std::chrono::microseconds elapsed) {
  if (elapsed.count() <= 0) return 0;
  return static_cast<double>(rows) * 1e6 / static_cast<double>(elapsed.count());
}

}  // namespace

std::string StreamingQueryProgress::json() const {
  nlohmann::ordered_json durations_ms = nlohmann::ordered_json::object();
  for (const auto& [phase, duration] : durations) {
    durations_ms[phase] = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  }
  nlohmann::ordered_json out{
      {"id", id},
      {"runId", run_id},
      {"name", name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(name)},
      {"timestamp", timestamp},
      {"batchId", batch_id},
      {"numInputRows", num_input_rows},
      {"inputRowsPerSecond", input_rows_per_second},
      {"processedRowsPerSecond", processed_rows_per_second},
      {"durationMs", durations_ms},
      {"sources",
       nlohmann::ordered_json::array({{{"numInputRows", num_input_rows}, {"files", files}}})},
      {"sink", {{"description", sink_description}, {"numOutputRows", sink_num_output_rows}}}};
  if (rerun) out["rerun"] = true;
  return out.dump(2);
}

StreamingQuery::Impl::Impl(detail::QueryConfig config,
                           std::unique_ptr<detail::Checkpoint> checkpoint)
    : config_(std::move(config)),
      checkpoint_(std::move(checkpoint)),
      id_(checkpoint_->query_id()),
      run_id_(detail::random_uuid()),
      sink_description_(config_.sink.options.topic
                            ? fmt::format("KafkaSink[topic={}]", *config_.sink.options.topic)
                            : std::string("KafkaSink[topic column]")),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

StreamingQuery::Impl::~Impl() {
  stop();
}

void StreamingQuery::Impl::run(const std::stop_token& stop) {
  // Nothing may leave this thread: every error is stored and surfaced by exception(),
  // await_termination() and process_all_available().
  try {
    run_loop(stop);
  } catch (...) {
    fail(std::current_exception());
  }
  // The producer goes back to the pool first: a restart in this process reuses it. The lock
  // is released when the query ends, so a restart in this process can take it.
  try {
    transactions_.reset();
    checkpoint_.reset();
  } catch (...) {
  }
  const std::lock_guard lock(mutex_);
  active_ = false;
  changed_.notify_all();
}

void StreamingQuery::Impl::fail(std::exception_ptr cause) {
  const std::string label = config_.name.empty() ? std::string() : config_.name + " ";
  std::string message =
      fmt::format("Query {}[id = {}, runId = {}] terminated with exception: ", label, id_, run_id_);
  if (!failure_context_.empty()) message += failure_context_;
  message += describe(cause);
  const std::lock_guard lock(mutex_);
  error_.emplace(message, std::move(cause));
}

void StreamingQuery::Impl::run_loop(const std::stop_token& stop) {
  const detail::StreamSource& source = *config_.plan->source;
  const Trigger::Kind kind = config_.trigger.kind();
  const bool bounded = kind != Trigger::Kind::kProcessingTime;

  // Available-now and once take the files present at start, and only those.
  std::set<std::string> initial;
  if (bounded) {
    for (const detail::SourceFile& file :
         detail::list_new_files(source.path, checkpoint_->seen_files())) {
      initial.insert(file.path);
    }
  }
  // Trigger.Once takes every new file in one batch, whatever maxFilesPerTrigger says.
  const std::size_t files_per_batch =
      kind == Trigger::Kind::kOnce
          ? std::numeric_limits<std::size_t>::max()
          : source.max_files_per_trigger.value_or(std::numeric_limits<std::size_t>::max());

  if (config_.sink.options.delivery_guarantee == detail::DeliveryGuarantee::kExactlyOnce) {
    recover_transactions();
  }
  if (const std::optional<std::int64_t> pending = checkpoint_->pending_batch()) {
    if (stop.stop_requested()) return;
    run_batch(Batch{*pending, checkpoint_->pending_files(), true, {}}, Clock::now());
  }

  while (!stop.stop_requested()) {
    const Clock::time_point trigger_start = Clock::now();
    std::uint64_t check = 0;
    {
      const std::lock_guard lock(mutex_);
      check = ++checks_started_;
    }
    std::vector<detail::SourceFile> files =
        detail::list_new_files(source.path, checkpoint_->seen_files());
    if (bounded) {
      std::erase_if(files, [&initial](const detail::SourceFile& file) {
        return !initial.contains(file.path);
      });
    }
    if (files.size() > files_per_batch) files.resize(files_per_batch);
    const std::chrono::microseconds listing = since(trigger_start);

    if (files.empty()) {
      {
        const std::lock_guard lock(mutex_);
        last_idle_check_ = check;
        changed_.notify_all();
      }
      if (bounded) return;
    } else {
      run_batch(Batch{checkpoint_->next_batch(), std::move(files), false, listing}, trigger_start);
      if (kind == Trigger::Kind::kOnce) return;
    }

    // Processing time: the next trigger at the next interval boundary, at once when the batch
    // overran it. The default trigger polls while there is nothing new.
    Clock::time_point next = trigger_start + config_.trigger.interval();
    if (config_.trigger.interval().count() == 0) {
      if (!files.empty() || bounded) continue;
      next = trigger_start + kPollingDelay;
    }
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, stop, next, [] { return false; });
  }
}

void StreamingQuery::Impl::recover_transactions() {
  transactions_.emplace(
      detail::TransactionalProducer::for_query(config_.sink, config_.session->pool(), id_));
  const std::optional<std::int64_t> pending = checkpoint_->pending_batch();
  if (!pending) return;
  // The producer's initialization finished the transaction of the process it replaces, so
  // what Kafka says now is final: the pending batch is in Kafka exactly when its marker is.
  const std::optional<std::int64_t> in_kafka = transactions_->committed_batch();
  if (!in_kafka || *in_kafka < *pending) return;  // not in Kafka: re-run it
  if (*in_kafka > *pending) {
    throw CheckpointError(
        checkpoint_->root(),
        fmt::format("Kafka holds batch {} of this query (consumer group '{}'), but the "
                    "checkpoint {} is only at batch {}: the checkpoint is older than Kafka's "
                    "record of the query. Restore the newer checkpoint, or start the query with "
                    "a new checkpoint location.",
                    *in_kafka, transactions_->transactional_id(), checkpoint_->root(), *pending));
  }
  checkpoint_->commit(*pending, config_.min_batches_to_retain);
}

void StreamingQuery::Impl::run_batch(const Batch& batch, Clock::time_point trigger_start) {
  StreamingQueryProgress progress;
  progress.id = id_;
  progress.run_id = run_id_;
  progress.name = config_.name;
  progress.batch_id = batch.id;
  progress.timestamp = iso_timestamp(std::chrono::system_clock::now());
  progress.rerun = batch.rerun;
  progress.sink_description = sink_description_;
  for (const detail::SourceFile& file : batch.files) progress.files.push_back(file.path);
  progress.durations["latestOffset"] = batch.listing;

  Clock::time_point phase = Clock::now();
  checkpoint_->begin_batch(batch.id, batch.files, batch.rerun);
  progress.durations["walCommit"] = since(phase);

  phase = Clock::now();
  const DataFrame input = detail::read_batch(*config_.plan->source, batch.files);
  progress.durations["getBatch"] = since(phase);
  progress.num_input_rows = static_cast<std::int64_t>(input.count());

  phase = Clock::now();
  const DataFrame output = config_.plan->apply(input);
  progress.durations["queryPlanning"] = since(phase);

  phase = Clock::now();
  // Spark reports a failed micro-batch write as an aborted job (its KafkaSinkSuite looks for
  // "job aborted"); the cause follows with its own message.
  failure_context_ = fmt::format(
      "Job aborted due to stage failure: micro-batch {} could not "
      "be written to Kafka: ",
      batch.id);
  const detail::WriteSummary summary =
      transactions_ ? transactions_->write(config_.sink, output, config_.session->pool(), batch.id)
                    : detail::write_frame(config_.sink, output, config_.session->pool());
  failure_context_.clear();
  progress.durations["addBatch"] = since(phase);
  progress.sink_num_output_rows = static_cast<std::int64_t>(summary.records);

  phase = Clock::now();
  checkpoint_->commit(batch.id, config_.min_batches_to_retain);
  progress.durations["commitOffsets"] = since(phase);

  const std::chrono::microseconds total = since(trigger_start);
  progress.durations["triggerExecution"] = total;
  progress.processed_rows_per_second = per_second(progress.num_input_rows, total);
  if (previous_trigger_) {
    progress.input_rows_per_second = per_second(
        progress.num_input_rows,
        std::chrono::duration_cast<std::chrono::microseconds>(trigger_start - *previous_trigger_));
  }
  previous_trigger_ = trigger_start;

  {
    const std::lock_guard lock(mutex_);
    progress_.push_back(progress);
    if (progress_.size() > kRecentProgress) progress_.pop_front();
    changed_.notify_all();
  }
  if (config_.listener) {
    try {
      config_.listener(progress);
    } catch (...) {
      // Spark logs and ignores a listener's failure; the query's data is not at fault.
    }
  }
}

bool StreamingQuery::Impl::is_active() const {
  const std::lock_guard lock(mutex_);
  return active_;
}

void StreamingQuery::Impl::throw_if_failed() const {
  if (error_) throw *error_;
}

void StreamingQuery::Impl::process_all_available() const {
  std::unique_lock lock(mutex_);
  const std::uint64_t started = checks_started_;
  changed_.wait(lock, [&] { return !active_ || last_idle_check_ > started; });
  throw_if_failed();
}

bool StreamingQuery::Impl::await_termination(
    std::optional<std::chrono::milliseconds> timeout) const {
  std::unique_lock lock(mutex_);
  if (timeout) {
    changed_.wait_for(lock, *timeout, [this] { return !active_; });
  } else {
    changed_.wait(lock, [this] { return !active_; });
  }
  throw_if_failed();
  return !active_;
}

void StreamingQuery::Impl::stop() {
  thread_.request_stop();
  {
    const std::lock_guard lock(mutex_);
    changed_.notify_all();
  }
  // A listener may stop its own query: the thread cannot join itself, and ends on its own.
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::optional<StreamingQueryError> StreamingQuery::Impl::exception() const {
  const std::lock_guard lock(mutex_);
  return error_;
}

std::optional<StreamingQueryProgress> StreamingQuery::Impl::last_progress() const {
  const std::lock_guard lock(mutex_);
  if (progress_.empty()) return std::nullopt;
  return progress_.back();
}

std::vector<StreamingQueryProgress> StreamingQuery::Impl::recent_progress() const {
  const std::lock_guard lock(mutex_);
  return {progress_.begin(), progress_.end()};
}

StreamingQuery::StreamingQuery(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::string& StreamingQuery::id() const noexcept {
  return impl_->id();
}

const std::string& StreamingQuery::run_id() const noexcept {
  return impl_->run_id();
}

const std::string& StreamingQuery::name() const noexcept {
  return impl_->name();
}

bool StreamingQuery::is_active() const {
  return impl_->is_active();
}

void StreamingQuery::process_all_available() const {
  impl_->process_all_available();
}

void StreamingQuery::await_termination() const {
  (void)impl_->await_termination(std::nullopt);
}

bool StreamingQuery::await_termination(std::chrono::milliseconds timeout) const {
  return impl_->await_termination(timeout);
}

void StreamingQuery::stop() {
  impl_->stop();
}

std::optional<StreamingQueryError> StreamingQuery::exception() const {
  return impl_->exception();
}

std::optional<StreamingQueryProgress> StreamingQuery::last_progress() const {
  return impl_->last_progress();
}

std::vector<StreamingQueryProgress> StreamingQuery::recent_progress() const {
  return impl_->recent_progress();
}

}  // namespace kafkasink
