#include "kafka/transactions.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <thread>

#include <fmt/format.h>

namespace kafkasink::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kMarkerMetadataPrefix = "kafkasink batch ";
// How long to wait between tries of a call librdkafka said was retriable.
constexpr std::chrono::milliseconds kRetryBackoff{100};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(
      std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, std::numeric_limits<int>::max()));
}

struct ErrorDeleter {
  void operator()(rd_kafka_error_t* error) const noexcept { rd_kafka_error_destroy(error); }
};
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

rd_kafka_t* native_or_throw(ProducerHandle& producer, const char* call) {
  rd_kafka_t* handle = producer.native();
  if (handle == nullptr) {
    ErrorPtr closed(rd_kafka_error_new(RD_KAFKA_RESP_ERR__DESTROY, "the producer is closed"));
    throw TransactionCallError(call, *closed);
  }
  return handle;
}

// librdkafka 2.0.2's abort purges the queued records, then waits for the in-flight ones; one
// that a broker error sent back for a retry at that moment waits for the abort in turn, and
// the call times out (its API timeout, 60 s by default) before a second call, which purges
// it, can finish. Each abort call is kept short so that the next one comes soon.
constexpr int kAbortCallMs = 500;

// Calls `call` (with a timeout of at most `call_cap_ms`) until it succeeds, fails other than
// retriably, or `deadline` passes.
template <typename Call>
void retry_until(const char* name,
                 Clock::time_point deadline,
                 Call call,
                 int call_cap_ms = std::numeric_limits<int>::max()) {
  while (true) {
    ErrorPtr error(call(std::min(call_cap_ms, remaining_ms(deadline))));
    if (error == nullptr) return;
    if (!rd_kafka_error_is_retriable(error.get()) || Clock::now() >= deadline) {
      throw TransactionCallError(name, *error);
    }
    std::this_thread::sleep_for(kRetryBackoff);
  }
}

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const noexcept {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct GroupMetadataDeleter {
  void operator()(rd_kafka_consumer_group_metadata_t* metadata) const noexcept {
    rd_kafka_consumer_group_metadata_destroy(metadata);
  }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const noexcept { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const noexcept { rd_kafka_event_destroy(event); }
};
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const noexcept {
    rd_kafka_AdminOptions_destroy(options);
  }
};
struct ListOffsetsDeleter {
  void operator()(rd_kafka_ListConsumerGroupOffsets_t* list) const noexcept {
    rd_kafka_ListConsumerGroupOffsets_destroy(list);
  }
};

[[noreturn]] void fail_read(const std::string& group, rd_kafka_resp_err_t code, std::string text) {
  KafkaWriteError::Failure failure = delivery_failure("", -1, code);
  failure.error_text = fmt::format(
      "cannot read the offsets committed by consumer group '{}', which record the batches this "
      "query committed to Kafka: {}",
      group, std::move(text));
  throw KafkaWriteError(0, 0, std::move(failure));
}

}  // namespace

TransactionCallError::TransactionCallError(const std::string& call, const rd_kafka_error_t& error)
    : std::runtime_error(fmt::format(
          "{} failed: {}: {}", call, rd_kafka_error_name(&error), rd_kafka_error_string(&error))),
      failure_{.topic = "",
               .partition = -1,
               .error_name = rd_kafka_error_name(&error),
               .error_text = rd_kafka_error_string(&error)},
      fatal_(rd_kafka_error_is_fatal(&error) != 0),
      retriable_(rd_kafka_error_is_retriable(&error) != 0),
      requires_abort_(rd_kafka_error_txn_requires_abort(&error) != 0) {}

bool TransactionCallError::fenced() const noexcept {
  const std::string& name = failure_.error_name;
  return name == "_FENCED" || name == "PRODUCER_FENCED" || name == "INVALID_PRODUCER_EPOCH";
}

void init_transactions(ProducerHandle& producer, std::chrono::milliseconds timeout) {
  rd_kafka_t* handle = native_or_throw(producer, "rd_kafka_init_transactions");
  retry_until("rd_kafka_init_transactions", Clock::now() + timeout,
              [handle](int ms) { return rd_kafka_init_transactions(handle, ms); });
}

void begin_transaction(ProducerHandle& producer) {
  rd_kafka_t* handle = native_or_throw(producer, "rd_kafka_begin_transaction");
  ErrorPtr error(rd_kafka_begin_transaction(handle));
  if (error != nullptr) throw TransactionCallError("rd_kafka_begin_transaction", *error);
}

std::string marker_metadata(std::int64_t batch) {
  return fmt::format("{}{}", kMarkerMetadataPrefix, batch);
}

void send_marker(ProducerHandle& producer,
                 const BatchMarker& marker,
                 std::chrono::milliseconds timeout) {
  rd_kafka_t* handle = native_or_throw(producer, "rd_kafka_send_offsets_to_transaction");
  const std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> offsets(
      rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_t* entry =
      rd_kafka_topic_partition_list_add(offsets.get(), marker.topic.c_str(), marker.partition);
  entry->offset = marker.batch;
  const std::string metadata = marker_metadata(marker.batch);
  // librdkafka copies the metadata when the list is copied, and frees it with the list.
  entry->metadata = rd_kafka_mem_malloc(nullptr, metadata.size());
  std::copy(metadata.begin(), metadata.end(), static_cast<char*>(entry->metadata));
  entry->metadata_size = metadata.size();
  // A simple group (no member, generation -1): the offsets are the query's, not a consumer's.
  const std::unique_ptr<rd_kafka_consumer_group_metadata_t, GroupMetadataDeleter> group(
      rd_kafka_consumer_group_metadata_new(marker.group.c_str()));
  retry_until("rd_kafka_send_offsets_to_transaction", Clock::now() + timeout, [&](int ms) {
    return rd_kafka_send_offsets_to_transaction(handle, offsets.get(), group.get(), ms);
  });
}

void commit_transaction(ProducerHandle& producer, std::chrono::milliseconds timeout) {
  rd_kafka_t* handle = native_or_throw(producer, "rd_kafka_commit_transaction");
  retry_until("rd_kafka_commit_transaction", Clock::now() + timeout,
              [handle](int ms) { return rd_kafka_commit_transaction(handle, ms); });
}

bool abort_transaction(ProducerHandle& producer, std::chrono::milliseconds timeout) noexcept {
  try {
    rd_kafka_t* handle = native_or_throw(producer, "rd_kafka_abort_transaction");
    retry_until(
        "rd_kafka_abort_transaction", Clock::now() + timeout,
        [handle](int ms) { return rd_kafka_abort_transaction(handle, ms); }, kAbortCallMs);
    return true;
  } catch (...) {
    return false;
  }
}

std::optional<KafkaWriteError::Failure> fatal_error(ProducerHandle& producer) {
  rd_kafka_t* handle = producer.native();
  if (handle == nullptr) return std::nullopt;
  std::array<char, 512> text{};
  const rd_kafka_resp_err_t code = rd_kafka_fatal_error(handle, text.data(), text.size());
  if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  KafkaWriteError::Failure failure = delivery_failure("", -1, code);
  failure.error_text = text.data();
  return failure;
}

std::optional<std::int64_t> committed_batch(ProducerHandle& producer,
                                            const std::string& group,
                                            std::chrono::milliseconds timeout) {
  rd_kafka_t* handle = producer.native();
  if (handle == nullptr) fail_read(group, RD_KAFKA_RESP_ERR__DESTROY, "the producer is closed");
  const Clock::time_point deadline = Clock::now() + timeout;
  const std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(handle));
  while (true) {
    const std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter> options(
        rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS));
    std::array<char, 512> text{};
    rd_kafka_AdminOptions_set_request_timeout(options.get(), std::max(1, remaining_ms(deadline)),
                                              text.data(), text.size());
    // Offsets of a transaction being completed are waited for (UNSTABLE_OFFSET_COMMIT), never
    // read before its outcome is known.
    if (ErrorPtr error(rd_kafka_AdminOptions_set_require_stable_offsets(options.get(), 1));
        error != nullptr) {
      fail_read(group, rd_kafka_error_code(error.get()), rd_kafka_error_string(error.get()));
    }
    // Every partition the group committed: the topics a query's batches wrote to can vary.
    std::array<rd_kafka_ListConsumerGroupOffsets_t*, 1> request{
        rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), nullptr)};
    const std::unique_ptr<rd_kafka_ListConsumerGroupOffsets_t, ListOffsetsDeleter> owned(
        request[0]);
    rd_kafka_ListConsumerGroupOffsets(handle, request.data(), request.size(), options.get(),
                                      queue.get());
    const std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
        rd_kafka_queue_poll(queue.get(), std::max(1, remaining_ms(deadline) + 1000)));
    if (event == nullptr) fail_read(group, RD_KAFKA_RESP_ERR__TIMED_OUT, "no answer in time");

    rd_kafka_resp_err_t code = rd_kafka_event_error(event.get());
    std::string reason = code != RD_KAFKA_RESP_ERR_NO_ERROR
                             ? rd_kafka_event_error_string(event.get())
                             : std::string();
    std::optional<std::int64_t> newest;
    if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const rd_kafka_ListConsumerGroupOffsets_result_t* result =
          rd_kafka_event_ListConsumerGroupOffsets_result(event.get());
      std::size_t count = 0;
      const rd_kafka_group_result_t** groups =
          rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count);
      for (std::size_t index = 0; index < count && code == RD_KAFKA_RESP_ERR_NO_ERROR; ++index) {
        if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[index])) {
          code = rd_kafka_error_code(error);
          reason = rd_kafka_error_string(error);
          break;
        }
        const rd_kafka_topic_partition_list_t* partitions =
            rd_kafka_group_result_partitions(groups[index]);
        for (int at = 0; partitions != nullptr && at < partitions->cnt; ++at) {
          const rd_kafka_topic_partition_t& partition = partitions->elems[at];
          if (partition.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            code = partition.err;
            reason = rd_kafka_err2str(partition.err);
            break;
          }
          const std::string_view metadata(
              static_cast<const char*>(partition.metadata),
              partition.metadata == nullptr ? 0 : partition.metadata_size);
          if (partition.offset < 0 || !metadata.starts_with(kMarkerMetadataPrefix)) continue;
          newest = std::max(newest.value_or(partition.offset), partition.offset);
        }
      }
    }
    if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return newest;
    const bool retriable = code == RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT ||
                           code == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
                           code == RD_KAFKA_RESP_ERR_NOT_COORDINATOR ||
                           code == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE;
    if (!retriable || Clock::now() >= deadline) fail_read(group, code, reason);
    std::this_thread::sleep_for(kRetryBackoff);
  }
}

}  // namespace kafkasink::detail
