#include "kafka/kafka_write.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>

#include "kafka/delivery_tracker.hpp"
#include "kafka/producer_config.hpp"
#include "kafka/producer_handle.hpp"
#include "util/duration.hpp"

namespace kafkasink::detail {

KafkaSinkPlan KafkaSinkPlan::prepare(const Schema& schema, const OptionMap& options) {
  WriteOptions parsed = WriteOptions::parse(options);
  RecordMapper mapper = RecordMapper::bind(schema, parsed.topic);
  // Spark finds a missing bootstrap.servers only when a task acquires a producer; checking
  // the configuration here fails the write before anything is sent.
  (void)ProducerConfig::from_settings(parsed.producer_settings);
  return {std::move(parsed), std::move(mapper)};
}

namespace {

// Topic handles of one task, by name. Rows of one partition usually share one topic, so the
// last one is remembered and compared first.
class TopicHandles {
 public:
  explicit TopicHandles(rd_kafka_t* producer) : producer_(producer) {}

  ~TopicHandles() {
    for (auto& [name, handle] : handles_) rd_kafka_topic_destroy(handle);
  }

  TopicHandles(const TopicHandles&) = delete;
  TopicHandles& operator=(const TopicHandles&) = delete;

  rd_kafka_topic_t* get(std::string_view name) {
    if (last_ != nullptr && name == last_name_) return last_;
    auto found = handles_.find(name);
    if (found == handles_.end()) {
      rd_kafka_topic_t* handle = rd_kafka_topic_new(producer_, std::string(name).c_str(), nullptr);
      if (handle == nullptr) return nullptr;
      found = handles_.emplace(std::string(name), handle).first;
    }
    last_ = found->second;
    last_name_ = found->first;
    return last_;
  }

 private:
  rd_kafka_t* producer_;
  std::map<std::string, rd_kafka_topic_t*, std::less<>> handles_;
  rd_kafka_topic_t* last_ = nullptr;
  std::string_view last_name_;
};

// What the tasks have sent, for DataFrameWriter::on_progress. Each task adds its counts every
// kProgressStride records, so that the shared cache line is touched rarely.
struct SentCounters {
  std::atomic<std::size_t> records{0};
  std::atomic<std::size_t> bytes{0};
};

constexpr std::size_t kProgressStride = 1024;

// One task's share of SentCounters: publishes what the task's summary gained since last time.
class SentPublisher {
 public:
  explicit SentPublisher(SentCounters& shared) : shared_(shared) {}

  void publish(const WriteSummary& summary) noexcept {
    shared_.records.fetch_add(summary.records - records_, std::memory_order_relaxed);
    shared_.bytes.fetch_add(summary.bytes - bytes_, std::memory_order_relaxed);
    records_ = summary.records;
    bytes_ = summary.bytes;
  }

 private:
  SentCounters& shared_;
  std::size_t records_ = 0;
  std::size_t bytes_ = 0;
};

// Produces every row of one partition. Stops at the first failure, as Spark's task does: the
// rows it does not send count as not delivered.
void produce_partition(const RecordColumns& columns,
                       std::size_t rows,
                       const std::optional<std::string>& topic_option,
                       ProducerHandle& producer,
                       DeliveryTracker& tracker,
                       WriteSummary& summary,
                       SentPublisher* progress,
                       const std::stop_token& cancel) {
  TopicHandles topics(producer.native());
  for (std::size_t row = 0; row < rows; ++row) {
    if (tracker.has_failed() || cancel.stop_requested()) return;
    const std::string_view topic =
        topic_option ? std::string_view(*topic_option) : columns.topic->bytes_at(row);
    const std::int32_t partition = columns.partition_at(row);
    rd_kafka_topic_t* topic_handle = topics.get(topic);
    tracker.on_produce();
    if (topic_handle == nullptr) {
      tracker.on_produce_failed(rd_kafka_last_error(), std::string(topic), partition);
      return;
    }

    std::array<rd_kafka_vu_t, 6> fields{};
    std::size_t count = 0;
    fields[count].vtype = RD_KAFKA_VTYPE_RKT;
    fields[count++].u.rkt = topic_handle;
    fields[count].vtype = RD_KAFKA_VTYPE_PARTITION;
    fields[count++].u.i32 = partition;
    // No RD_KAFKA_MSG_F_COPY: the value points into the column buffer, which the tracker pins
    // until the record is reported. librdkafka copies keys and headers itself.
    fields[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[count++].u.i32 = 0;
    fields[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
    fields[count++].u.ptr = static_cast<DeliveryObserver*>(&tracker);
    const std::optional<std::string_view> value = columns.value_at(row);
    fields[count].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[count].u.mem.ptr = value ? const_cast<char*>(value->data()) : nullptr;  // NOLINT
    fields[count++].u.mem.size = value ? value->size() : 0;
    const std::optional<std::string_view> key = columns.key_at(row);
    if (key) {
      fields[count].vtype = RD_KAFKA_VTYPE_KEY;
      fields[count].u.mem.ptr = const_cast<char*>(key->data());  // NOLINT
      fields[count++].u.mem.size = key->size();
    }
    summary.bytes += (key ? key->size() : 0) + (value ? value->size() : 0);

    rd_kafka_headers_t* headers = nullptr;
    if (columns.headers != nullptr && !columns.headers->is_null(row)) {
      const auto [begin, end] = columns.headers->array_range(row);
      const ColumnVector& elements = columns.headers->elements();
      headers = rd_kafka_headers_new(end - begin);
      for (std::size_t element = begin; element < end; ++element) {
        const std::string_view name = elements.child(0).bytes_at(element);
        const ColumnVector& values = elements.child(1);
        const bool null_value = values.is_null(element);
        const std::string_view header_value =
            null_value ? std::string_view() : values.bytes_at(element);
        rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                            null_value ? nullptr : header_value.data(),
                            static_cast<ssize_t>(header_value.size()));
      }
    }
    std::array<rd_kafka_vu_t, 7> all_fields{};
    std::copy_n(fields.begin(), count, all_fields.begin());
    if (headers != nullptr) {
      all_fields[count].vtype = RD_KAFKA_VTYPE_HEADERS;
      all_fields[count++].u.headers = headers;
    }
    const rd_kafka_resp_err_t error = producer.produce(all_fields.data(), count);
    if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // On failure the headers stay ours.
      if (headers != nullptr) rd_kafka_headers_destroy(headers);
      tracker.on_produce_failed(error, std::string(topic), partition);
      return;
    }
    ++summary.records;
    if (progress != nullptr && summary.records % kProgressStride == 0) progress->publish(summary);
  }
}

// How long to wait for the last report: librdkafka reports every record within
// message.timeout.ms (Java's delivery.timeout.ms), so this only guards against a producer
// that was closed under the write.
std::chrono::milliseconds report_timeout(const ProducerConfig& config) {
  std::chrono::milliseconds timeout(300'000);
  for (const char* name : {"message.timeout.ms", "delivery.timeout.ms"}) {
    const auto found = config.entries().find(name);
    if (found != config.entries().end()) {
      if (const auto parsed = parse_duration(found->second)) timeout = *parsed;
    }
  }
  return timeout + std::chrono::seconds(30);
}

// Calls the user's progress callback, and stops calling it once it has thrown.
class ProgressReporter {
 public:
  ProgressReporter(const std::function<void(const WriteProgress&)>& callback,
                   std::size_t total,
                   const SentCounters& sent,
                   const DeliveryTracker& tracker)
      : callback_(callback), sent_(sent), tracker_(tracker) {
    last_.records_total = total;
  }

  void report(bool done) {
    if (error_) return;
    WriteProgress progress = last_;
    progress.records_acknowledged = std::max(last_.records_acknowledged, tracker_.delivered());
    progress.records_failed = std::max(last_.records_failed, tracker_.failed());
    progress.records_sent =
        std::max({last_.records_sent, sent_.records.load(std::memory_order_relaxed),
                  progress.records_acknowledged + progress.records_failed});
    progress.bytes_sent = std::max(last_.bytes_sent, sent_.bytes.load(std::memory_order_relaxed));
    progress.bytes_acknowledged = std::max(last_.bytes_acknowledged, tracker_.delivered_bytes());
    progress.done = done;
    last_ = progress;
    try {
      callback_(progress);
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  const std::exception_ptr& error() const noexcept { return error_; }

 private:
  const std::function<void(const WriteProgress&)>& callback_;
  const SentCounters& sent_;
  const DeliveryTracker& tracker_;
  WriteProgress last_;
  std::exception_ptr error_;
};

constexpr std::chrono::milliseconds kProgressInterval(100);
// How long a write that suspects the cluster is unreachable waits for a broker to answer, and
// how often it asks.
constexpr std::chrono::milliseconds kProbeTimeout(500);
constexpr std::chrono::milliseconds kProbeInterval(1'000);
// How long the reports of records purged from an unreachable cluster may take (they are
// failed locally, at once).
constexpr std::chrono::milliseconds kPurgeReportTimeout(5'000);

// How the wait for the last delivery report ended.
enum class WaitEnd { kAllReported, kGaveUp, kUnreachable, kCancelled };

}  // namespace

SendResult send_frame(const KafkaSinkPlan& plan,
                      const DataFrame& frame,
                      ProducerPool& pool,
                      ProducerHandle* shared,
                      const std::function<void(const WriteProgress&)>& on_progress,
                      const WriteCancellation& cancel) {
  const std::vector<Partition>& partitions = frame.partitions();
  std::size_t first_row = 0;
  for (const Partition& partition : partitions) {
    plan.mapper.check(partition, first_row);
    first_row += partition.num_rows;
  }
  const std::size_t total = frame.count();
  if (total == 0) return {};

  const ProducerConfig config = ProducerConfig::from_settings(plan.options.producer_settings);
  // The tracker pins a copy of the frame, which shares (and so keeps alive) every column
  // buffer the records point into.
  auto tracker = std::make_shared<DeliveryTracker>(std::make_shared<const DataFrame>(frame));

  std::vector<std::size_t> work;
  for (std::size_t index = 0; index < partitions.size(); ++index) {
    if (partitions[index].num_rows > 0) work.push_back(index);
  }
  const std::size_t tasks =
      std::min<std::size_t>(work.size(), std::max(1U, std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  std::mutex summary_mutex;
  WriteSummary summary;
  std::exception_ptr task_error;
  SentCounters sent;
  std::optional<ProgressReporter> reporter;
  if (on_progress) reporter.emplace(on_progress, total, sent, *tracker);
  // Held through the wait for reports, after the tasks let go of theirs, to ask the producer
  // whether the cluster can be reached.
  ProducerLease watch;
  if (shared == nullptr) watch = pool.acquire(plan.options.producer_settings);
  ProducerHandle& watched = shared != nullptr ? *shared : *watch->handle();

  const auto run_task = [&] {
    try {
      // Each task leases the producer, as Spark's tasks do; they all share the one cached
      // for this configuration. A transaction's tasks share its producer instead.
      ProducerLease lease;
      if (shared == nullptr) lease = pool.acquire(plan.options.producer_settings);
      ProducerHandle& producer = shared != nullptr ? *shared : *lease->handle();
      WriteSummary task_summary;
      std::optional<SentPublisher> publisher;
      if (reporter) publisher.emplace(sent);
      for (std::size_t item = next++; item < work.size(); item = next++) {
        const Partition& partition = partitions[work[item]];
        produce_partition(plan.mapper.columns(partition), partition.num_rows, plan.options.topic,
                          producer, *tracker, task_summary, publisher ? &*publisher : nullptr,
                          cancel.token);
        if (publisher) publisher->publish(task_summary);
      }
      const std::lock_guard lock(summary_mutex);
      summary.records += task_summary.records;
      summary.bytes += task_summary.bytes;
    } catch (...) {
      const std::lock_guard lock(summary_mutex);
      if (!task_error) task_error = std::current_exception();
    }
  };
  const bool stop_at_failure = shared != nullptr;
  if (!reporter) {
    std::vector<std::jthread> workers;
    workers.reserve(tasks > 0 ? tasks - 1 : 0);
    for (std::size_t worker = 1; worker < tasks; ++worker) workers.emplace_back(run_task);
    run_task();
  } else {
    // Every task runs on a worker so that this thread is free to report.
    std::mutex finished_mutex;
    std::condition_variable all_finished;
    std::size_t finished = 0;
    std::vector<std::jthread> workers;
    workers.reserve(tasks);
    for (std::size_t worker = 0; worker < tasks; ++worker) {
      workers.emplace_back([&] {
        run_task();
        const std::lock_guard lock(finished_mutex);
        if (++finished == tasks) all_finished.notify_one();
      });
    }
    std::unique_lock lock(finished_mutex);
    while (!all_finished.wait_for(lock, kProgressInterval, [&] { return finished == tasks; })) {
      lock.unlock();
      reporter->report(false);
      lock.lock();
    }
  }

  // Waits for every report in kProgressInterval slices, reporting progress between them.
  // Java's send blocks at most max.block.ms for the cluster; librdkafka would wait the whole
  // delivery timeout for a cluster that cannot be reached. So a write whose reports stalled
  // for max.block.ms while librdkafka says every broker is down, and no broker answers now,
  // ends there.
  std::optional<ProducerHandle::ConnectionError> unreachable;
  const auto wait_for_reports = [&] {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + report_timeout(config);
    std::optional<Clock::time_point> cancel_deadline;
    Clock::time_point next_probe = Clock::now();
    while (true) {
      const auto now = Clock::now();
      if (!cancel_deadline && cancel.token.stop_requested()) cancel_deadline = now + cancel.grace;
      auto slice_end = std::min(deadline, now + kProgressInterval);
      if (cancel_deadline) slice_end = std::min(slice_end, *cancel_deadline);
      if (tracker->wait_until(slice_end, stop_at_failure)) return WaitEnd::kAllReported;
      if (reporter) reporter->report(false);
      const auto after = Clock::now();
      if (cancel_deadline && after >= *cancel_deadline) return WaitEnd::kCancelled;
      // The probe starts early enough that a write ends within max.block.ms of its last report.
      if (after - tracker->last_report() + kProbeTimeout >= config.max_block() &&
          after >= next_probe) {
        next_probe = after + kProbeInterval;
        if (auto down = watched.brokers_down(); down && !watched.reachable(kProbeTimeout)) {
          unreachable = std::move(down);
          return WaitEnd::kUnreachable;
        }
      }
      if (after >= deadline) return WaitEnd::kGaveUp;
    }
  };
  const WaitEnd ended = wait_for_reports();
  const std::string where = plan.options.topic.value_or("");
  if (ended == WaitEnd::kUnreachable) {
    KafkaWriteError::Failure failure = delivery_failure(where, -1, unreachable->code);
    failure.error_text = fmt::format(
        "no broker of bootstrap.servers {} could be reached within max.block.ms ({} ms); the "
        "last connection error: {}",
        config.entries().at("bootstrap.servers"), config.max_block().count(), unreachable->text);
    tracker->override_first_failure(std::move(failure));
    watched.purge();  // fails what is queued at once, instead of at the delivery timeout
    if (!tracker->wait_until(std::chrono::steady_clock::now() + kPurgeReportTimeout)) {
      tracker->detach();
    }
  } else if (ended != WaitEnd::kAllReported || stop_at_failure) {
    // Stopped at a failure, records may still be unreported: they keep the tracker alive.
    tracker->detach();
  }
  if (reporter) reporter->report(true);

  SendResult result{.summary = summary,
                    .total = total,
                    .delivered = tracker->delivered(),
                    .failure = tracker->first_failure(),
                    .task_error = task_error,
                    .progress_error = reporter ? reporter->error() : nullptr};
  if (result.delivered < total && cancel.token.stop_requested() && ended != WaitEnd::kUnreachable) {
    result.failure = delivery_failure(where, -1, RD_KAFKA_RESP_ERR__INTR);
    result.failure->error_text = fmt::format(
        "the write was cancelled: {} records were not sent, {} were still unacknowledged",
        total - std::min(total, summary.records), tracker->outstanding());
  }
  if (!result.failure && result.delivered < total) {  // no record failed: the wait gave up
    result.failure = delivery_failure(where, -1, RD_KAFKA_RESP_ERR__TIMED_OUT);
    result.failure->error_text =
        fmt::format("{} records were still unacknowledged when the write stopped waiting",
                    tracker->outstanding());
  }
  return result;
}

WriteSummary write_frame(const KafkaSinkPlan& plan,
                         const DataFrame& frame,
                         ProducerPool& pool,
                         const std::function<void(const WriteProgress&)>& on_progress,
                         const WriteCancellation& cancel) {
  SendResult sent = send_frame(plan, frame, pool, nullptr, on_progress, cancel);
  if (sent.task_error) std::rethrow_exception(sent.task_error);
  if (sent.delivered < sent.total) {
    throw KafkaWriteError(sent.total - sent.delivered, sent.total, std::move(*sent.failure));
  }
  if (sent.progress_error) std::rethrow_exception(sent.progress_error);
  return sent.summary;
}

}  // namespace kafkasink::detail
