// read_topic and topic_end_offsets: a real consumer reading a topic back, for MockCluster, the
// real-Kafka tests and the tool. Partitions are assigned, never subscribed: nothing is
// committed, and a read sees the whole topic whatever group state a broker keeps.
#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>

#include "util/log.hpp"

namespace kafkasink {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long topic_end_offsets waits for metadata and watermarks.
constexpr milliseconds kQueryTimeout{10'000};
constexpr milliseconds kPollInterval{100};

// A consumer leaves cleanly (rd_kafka_consumer_close) before it is destroyed.
struct ConsumerDeleter {
  void operator()(rd_kafka_t* handle) const noexcept {
    rd_kafka_consumer_close(handle);
    rd_kafka_destroy(handle);
  }
};

using ConsumerPtr = std::unique_ptr<rd_kafka_t, ConsumerDeleter>;

struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const noexcept {
    rd_kafka_conf_destroy(configuration);
  }
};

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const noexcept {
    rd_kafka_metadata_destroy(metadata);
  }
};

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const noexcept {
    rd_kafka_topic_partition_list_destroy(list);
  }
};

struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const noexcept { rd_kafka_message_destroy(message); }
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<milliseconds::rep>(left, 0, std::numeric_limits<int>::max()));
}

void check(rd_kafka_resp_err_t error, std::string_view what) {
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error(fmt::format("reading back: {} failed: {}: {}", what, rd_kafka_err2name(error),
                            rd_kafka_err2str(error)));
  }
}

// The setting's name only: a value may be a password.
void set_or_throw(rd_kafka_conf_t* configuration,
                  const std::string& key,
                  const std::string& value) {
  std::array<char, 512> error_text{};
  if (rd_kafka_conf_set(configuration, key.c_str(), value.c_str(), error_text.data(),
                        error_text.size()) != RD_KAFKA_CONF_OK) {
    throw Error(fmt::format("reading back: the consumer refuses setting {}", key));
  }
}

ConsumerPtr new_consumer(const std::string& bootstrap_servers,
                         const std::map<std::string, std::string>& settings) {
  std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter> configuration(rd_kafka_conf_new());
  detail::route_logs(configuration.get());
  set_or_throw(configuration.get(), "bootstrap.servers", bootstrap_servers);
  // librdkafka wants a group id for a consumer's assign and poll, though none is joined.
  static std::atomic<int> readers{0};
  set_or_throw(configuration.get(), "group.id", fmt::format("kafkasink-reader-{}", ++readers));
  set_or_throw(configuration.get(), "enable.auto.commit", "false");
  set_or_throw(configuration.get(), "enable.auto.offset.store", "false");
  set_or_throw(configuration.get(), "enable.partition.eof", "true");
  set_or_throw(configuration.get(), "log.connection.close", "false");
  // Short waits and backoffs: the brokers are on loopback, and a test waits on every read.
  set_or_throw(configuration.get(), "fetch.wait.max.ms", "10");
  set_or_throw(configuration.get(), "fetch.error.backoff.ms", "10");
  set_or_throw(configuration.get(), "topic.metadata.refresh.fast.interval.ms", "10");
  // A partition's leader can move while a read runs (a broker killed by a test): refresh the
  // metadata every second rather than every five minutes.
  set_or_throw(configuration.get(), "topic.metadata.refresh.interval.ms", "1000");
  for (const auto& [key, value] : settings) set_or_throw(configuration.get(), key, value);
  std::array<char, 512> error_text{};
  rd_kafka_t* consumer =
      rd_kafka_new(RD_KAFKA_CONSUMER, configuration.get(), error_text.data(), error_text.size());
  if (consumer == nullptr) {
    throw Error(fmt::format("reading back: cannot create a consumer: {}", error_text.data()));
  }
  static_cast<void>(configuration.release());  // owned by the consumer now
  return ConsumerPtr(consumer);
}

// The partition ids of `topic`, empty when it does not exist. Asks for every topic: a request
// naming the topic would make librdkafka's mock broker create it.
std::vector<std::int32_t> partitions_of(rd_kafka_t* consumer,
                                        const std::string& topic,
                                        Clock::time_point deadline) {
  const rd_kafka_metadata_t* raw_metadata = nullptr;
  check(rd_kafka_metadata(consumer, 1, nullptr, &raw_metadata, remaining_ms(deadline)),
        fmt::format("reading the metadata of topic {}", topic));
  const std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw_metadata);
  std::vector<std::int32_t> partitions;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& described = metadata->topics[t];
    if (topic != described.topic || described.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    for (int p = 0; p < described.partition_cnt; ++p) {
      partitions.push_back(described.partitions[p].id);
    }
  }
  std::sort(partitions.begin(), partitions.end());
  return partitions;
}

std::pair<std::int64_t, std::int64_t> watermarks(rd_kafka_t* consumer,
                                                 const std::string& topic,
                                                 std::int32_t partition,
                                                 Clock::time_point deadline) {
  std::int64_t low = 0;
  std::int64_t high = 0;
  while (true) {
    const rd_kafka_resp_err_t error = rd_kafka_query_watermark_offsets(
        consumer, topic.c_str(), partition, &low, &high, remaining_ms(deadline));
    // A real broker answers so for a moment after a topic is created (its leaders are still
    // being told), more often while the cluster creates its internal topics.
    const bool transient = error == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                           error == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
    if (!transient || Clock::now() >= deadline) {
      check(error, fmt::format("querying the offsets of {}-{}", topic, partition));
      return {low, high};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<std::string> bytes_or_null(const void* data, std::size_t size) {
  if (data == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(data), size);
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
  rd_kafka_headers_t* headers = nullptr;
  // The headers stay owned by the message.
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

std::vector<ConsumedRecord> read_topic(const std::string& bootstrap_servers,
                                       const std::string& topic,
                                       const TopicReadOptions& options) {
  const auto deadline = Clock::now() + options.timeout;
  std::map<std::string, std::string> settings = options.settings;
  settings.emplace("isolation.level", options.isolation_level);
  const ConsumerPtr consumer = new_consumer(bootstrap_servers, settings);
  const std::vector<std::int32_t> partitions = partitions_of(consumer.get(), topic, deadline);

  // Read up to the end offsets as they are now; records written later are not waited for. A
  // read_committed consumer stops earlier, at the last stable offset, and skips the
  // transactions' control records and aborted records: the end of a partition is its EOF.
  std::map<std::int32_t, std::int64_t> end_by_partition;
  const std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> assignment(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const std::int32_t partition : partitions) {
    const auto [low, high] = watermarks(consumer.get(), topic, partition, deadline);
    if (high <= low) continue;
    end_by_partition[partition] = high;
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), partition)->offset = low;
  }
  std::map<std::int32_t, std::vector<ConsumedRecord>> records_by_partition;
  if (!end_by_partition.empty()) {
    check(rd_kafka_assign(consumer.get(), assignment.get()), "assigning partitions");
  }
  std::set<std::int32_t> finished;
  std::string last_error = "none";
  while (finished.size() < end_by_partition.size()) {
    if (Clock::now() >= deadline) {
      throw Error(fmt::format(
          "reading topic {} back timed out after {} ms with {} partition(s) unfinished "
          "(last consumer error: {})",
          topic, options.timeout.count(), end_by_partition.size() - finished.size(), last_error));
    }
    const std::unique_ptr<rd_kafka_message_t, MessageDeleter> message(rd_kafka_consumer_poll(
        consumer.get(), std::min(remaining_ms(deadline), static_cast<int>(kPollInterval.count()))));
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (end_by_partition.contains(message->partition)) finished.insert(message->partition);
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      last_error = fmt::format("{}: {}", rd_kafka_err2name(message->err),
                               rd_kafka_message_errstr(message.get()));
      continue;
    }
    const auto end = end_by_partition.find(message->partition);
    if (end == end_by_partition.end() || message->offset >= end->second ||
        finished.contains(message->partition)) {
      continue;
    }
    records_by_partition[message->partition].push_back(to_record(*message, topic));
    if (message->offset + 1 >= end->second) finished.insert(message->partition);
  }
  if (!end_by_partition.empty()) rd_kafka_assign(consumer.get(), nullptr);

  std::vector<ConsumedRecord> records;
  for (auto& [partition, partition_records] : records_by_partition) {
    std::move(partition_records.begin(), partition_records.end(), std::back_inserter(records));
  }
  return records;
}

std::vector<std::int64_t> topic_end_offsets(const std::string& bootstrap_servers,
                                            const std::string& topic,
                                            const std::map<std::string, std::string>& settings) {
  const auto deadline = Clock::now() + kQueryTimeout;
  const ConsumerPtr consumer = new_consumer(bootstrap_servers, settings);
  std::vector<std::int64_t> ends;
  for (const std::int32_t partition : partitions_of(consumer.get(), topic, deadline)) {
    ends.push_back(watermarks(consumer.get(), topic, partition, deadline).second);
  }
  return ends;
}

}  // namespace kafkasink
