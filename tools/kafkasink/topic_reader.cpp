#include "topic_reader.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <kafkasink/errors.hpp>

#include "kafka/client_rules.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace kafkasink::tool {

namespace {

using Clock = std::chrono::steady_clock;

struct ConsumerDeleter {
  void operator()(rd_kafka_t* handle) const {
    rd_kafka_consumer_close(handle);
    rd_kafka_destroy(handle);
  }
};
struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const { rd_kafka_conf_destroy(configuration); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
using ConsumerPtr = std::unique_ptr<rd_kafka_t, ConsumerDeleter>;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
}

void check(rd_kafka_resp_err_t error, std::string_view what, std::string_view servers) {
  if (error == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  throw Error(fmt::format("{} on {} failed: {} ({})", what, servers, rd_kafka_err2str(error),
                          rd_kafka_err2name(error)));
}

std::optional<std::string> bytes_or_null(const void* data, std::size_t size) {
  if (data == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(data), size);
}

// What the consumer's callbacks learn, and the settings whose secrets they scrub. Lives as
// long as the consumer (its configuration's opaque).
struct ConsumerState {
  std::map<std::string, std::string> settings;
  std::mutex mutex;
  bool all_brokers_down = false;
  std::string last_connection_error;
};

void on_error(rd_kafka_t* /*handle*/, int error, const char* reason, void* opaque) {
  auto& state = *static_cast<ConsumerState*>(opaque);
  const std::lock_guard lock(state.mutex);
  switch (static_cast<rd_kafka_resp_err_t>(error)) {
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      state.all_brokers_down = true;
      break;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__SSL:
      state.last_connection_error =
          detail::scrub_secrets(reason != nullptr ? reason : "", state.settings);
      break;
    default:
      break;
  }
}

void on_log(const rd_kafka_t* handle, int level, const char* facility, const char* text) {
  const auto* state = static_cast<const ConsumerState*>(rd_kafka_opaque(handle));
  detail::emit_librdkafka_log(handle, level, facility, text,
                              state != nullptr ? &state->settings : nullptr);
}

ConsumerPtr new_consumer(const TopicReadRequest& request, ConsumerState& state) {
  std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter> configuration(rd_kafka_conf_new());
  state.settings = {
      {"bootstrap.servers", request.bootstrap_servers},
      // Partitions are assigned, never subscribed, and nothing is committed; librdkafka still
      // wants a group id for assign and poll.
      {"group.id", fmt::format("kafkasink-read-{}", getpid())},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"log.connection.close", "false"},
      {"fetch.wait.max.ms", "50"},
  };
  // Java's settings, translated as the producer translates them (sasl.jaas.config, ...).
  for (const auto& [key, value] : request.settings) {
    if (key == "sasl.jaas.config") {
      for (auto& [name, translated] : detail::jaas_login_settings(value, request.settings)) {
        state.settings.insert_or_assign(name, std::move(translated));
      }
    } else if (key == "ssl.endpoint.identification.algorithm" && value.empty()) {
      state.settings.insert_or_assign(key, "none");  // Java's empty value is librdkafka's none
    } else {
      state.settings.insert_or_assign(key, value);
    }
  }
  detail::check_sasl_mechanism(state.settings);
  std::array<char, 512> error_text{};
  for (const auto& [key, value] : state.settings) {
    const rd_kafka_conf_res_t result = rd_kafka_conf_set(
        configuration.get(), key.c_str(), value.c_str(), error_text.data(), error_text.size());
    if (result == RD_KAFKA_CONF_UNKNOWN) {
      throw IllegalArgumentError(
          key, fmt::format("Kafka consumer setting '{}' is unknown: librdkafka has no such "
                           "property.",
                           key));
    }
    if (result != RD_KAFKA_CONF_OK) {
      // librdkafka's text quotes the value; neither it nor a secret is shown.
      throw IllegalArgumentError(
          key, fmt::format("Kafka consumer setting '{}' has an invalid value: {}", key,
                           detail::hide_value(
                               detail::scrub_secrets(error_text.data(), state.settings), value)));
    }
  }
  rd_kafka_conf_set_opaque(configuration.get(), &state);
  rd_kafka_conf_set_error_cb(configuration.get(), &on_error);
  rd_kafka_conf_set_log_cb(configuration.get(), &on_log);
  rd_kafka_t* consumer =
      rd_kafka_new(RD_KAFKA_CONSUMER, configuration.get(), error_text.data(), error_text.size());
  if (consumer == nullptr) {
    throw IllegalArgumentError(
        "", fmt::format("cannot create a consumer: {}",
                        detail::scrub_secrets(error_text.data(), state.settings)));
  }
  static_cast<void>(configuration.release());  // owned by the consumer now
  return ConsumerPtr(consumer);
}

// Waits for the cluster's metadata in short slices, serving the error callbacks between
// them, so that a cluster none of whose brokers can be reached fails the read as soon as
// librdkafka has tried every bootstrap server, rather than at the read's timeout.
const rd_kafka_metadata_t* cluster_metadata(rd_kafka_t* consumer,
                                            ConsumerState& state,
                                            const TopicReadRequest& request,
                                            Clock::time_point deadline) {
  constexpr int kSliceMs = 200;
  while (true) {
    const rd_kafka_metadata_t* metadata = nullptr;
    const rd_kafka_resp_err_t error = rd_kafka_metadata(consumer, 1, nullptr, &metadata,
                                                        std::min(remaining_ms(deadline), kSliceMs));
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) return metadata;
    rd_kafka_poll(consumer, 0);  // serves on_error
    {
      const std::lock_guard lock(state.mutex);
      if (state.all_brokers_down) {
        throw Error(fmt::format(
            "no broker of bootstrap.servers {} could be reached; the last connection error: {}",
            request.bootstrap_servers,
            state.last_connection_error.empty() ? "all brokers are down"
                                                : state.last_connection_error));
      }
    }
    if (Clock::now() >= deadline) check(error, "reading the metadata", request.bootstrap_servers);
  }
}

// The topic's partition ids. Asks for every topic: a request naming the topic could create it
// on a broker with auto-creation on.
std::vector<std::int32_t> partitions_of(rd_kafka_t* consumer,
                                        ConsumerState& state,
                                        const TopicReadRequest& request,
                                        Clock::time_point deadline) {
  const rd_kafka_metadata_t* raw_metadata = cluster_metadata(consumer, state, request, deadline);
  const std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw_metadata);
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& described = metadata->topics[t];
    if (request.topic != described.topic) continue;
    check(described.err, fmt::format("reading topic '{}'", request.topic),
          request.bootstrap_servers);
    std::vector<std::int32_t> partitions;
    for (int p = 0; p < described.partition_cnt; ++p) {
      partitions.push_back(described.partitions[p].id);
    }
    std::sort(partitions.begin(), partitions.end());
    return partitions;
  }
  throw Error(
      fmt::format("topic '{}' does not exist on {}", request.topic, request.bootstrap_servers));
}

ConsumedRecord to_record(const rd_kafka_message_t& message, const std::string& topic) {
  ConsumedRecord record;
  record.topic = topic;
  record.partition = message.partition;
  record.offset = message.offset;
  record.key = bytes_or_null(message.key, message.key_len);
  record.value = bytes_or_null(message.payload, message.len);
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  record.timestamp_ms = rd_kafka_message_timestamp(&message, &type);
  rd_kafka_headers_t* headers = nullptr;  // owned by the message
  if (rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t index = 0; rd_kafka_header_get_all(headers, index, &name, &value, &size) ==
                                RD_KAFKA_RESP_ERR_NO_ERROR;
         ++index) {
      record.headers.push_back({.key = name, .value = bytes_or_null(value, size)});
    }
  }
  return record;
}

}  // namespace

std::vector<ConsumedRecord> read_topic(const TopicReadRequest& request) {
  const auto deadline = Clock::now() + request.timeout;
  ConsumerState state;
  const ConsumerPtr consumer = new_consumer(request, state);
  const std::vector<std::int32_t> partitions =
      partitions_of(consumer.get(), state, request, deadline);

  // Read up to the end offsets as they are now; records written later are not waited for.
  std::map<std::int32_t, std::int64_t> end_by_partition;
  const std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> assignment(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const std::int32_t partition : partitions) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    check(rd_kafka_query_watermark_offsets(consumer.get(), request.topic.c_str(), partition, &low,
                                           &high, remaining_ms(deadline)),
          fmt::format("querying the offsets of {}-{}", request.topic, partition),
          request.bootstrap_servers);
    if (high <= low) continue;
    end_by_partition[partition] = high;
    rd_kafka_topic_partition_list_add(assignment.get(), request.topic.c_str(), partition)->offset =
        low;
  }
  std::vector<ConsumedRecord> records;
  if (end_by_partition.empty() || request.limit == std::size_t{0}) return records;
  check(rd_kafka_assign(consumer.get(), assignment.get()), "assigning partitions",
        request.bootstrap_servers);
  std::size_t unfinished = end_by_partition.size();
  while (unfinished > 0 && (!request.limit || records.size() < *request.limit)) {
    if (Clock::now() >= deadline) {
      throw Error(fmt::format("reading topic '{}' on {} timed out after {} ms", request.topic,
                              request.bootstrap_servers, request.timeout.count()));
    }
    const std::unique_ptr<rd_kafka_message_t, MessageDeleter> message(
        rd_kafka_consumer_poll(consumer.get(), std::min(remaining_ms(deadline), 100)));
    if (message == nullptr) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;  // transient: retried by librdkafka
    const auto end = end_by_partition.find(message->partition);
    if (end == end_by_partition.end() || message->offset >= end->second) continue;
    records.push_back(to_record(*message, request.topic));
    if (message->offset + 1 == end->second) --unfinished;
  }
  rd_kafka_assign(consumer.get(), nullptr);
  std::sort(
      records.begin(), records.end(), [](const ConsumedRecord& left, const ConsumedRecord& right) {
        return std::pair(left.partition, left.offset) < std::pair(right.partition, right.offset);
      });
  return records;
}

}  // namespace kafkasink::tool
