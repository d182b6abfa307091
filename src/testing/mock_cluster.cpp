#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>

namespace kafkasink {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long end_offsets() waits for metadata and watermarks.
constexpr milliseconds kQueryTimeout{10'000};
constexpr milliseconds kPollInterval{100};

struct HandleDeleter {
  void operator()(rd_kafka_t* handle) const noexcept { rd_kafka_destroy(handle); }
};

using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

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

using ConfigurationPtr = std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter>;

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

struct MockClusterDeleter {
  void operator()(rd_kafka_mock_cluster_t* cluster) const noexcept {
    rd_kafka_mock_cluster_destroy(cluster);
  }
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<milliseconds::rep>(left, 0, std::numeric_limits<int>::max()));
}

void set_or_throw(rd_kafka_conf_t* configuration, const char* key, const std::string& value) {
  std::array<char, 512> error_text{};
  if (rd_kafka_conf_set(configuration, key, value.c_str(), error_text.data(), error_text.size()) !=
      RD_KAFKA_CONF_OK) {
    throw Error(fmt::format("MockCluster: cannot set {}: {}", key, error_text.data()));
  }
}

void check(rd_kafka_resp_err_t error, std::string_view what) {
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error(fmt::format("MockCluster: {} failed: {}: {}", what, rd_kafka_err2name(error),
                            rd_kafka_err2str(error)));
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

struct MockCluster::Impl {
  // The mock brokers run on threads of the handle that created them, so `owner` must
  // outlive `cluster` (members are destroyed in reverse order).
  HandlePtr owner;
  std::unique_ptr<rd_kafka_mock_cluster_t, MockClusterDeleter> cluster;
  std::string bootstrap_servers;

  ConsumerPtr new_consumer() const {
    ConfigurationPtr configuration(rd_kafka_conf_new());
    set_or_throw(configuration.get(), "bootstrap.servers", bootstrap_servers);
    // Partitions are assigned, never subscribed, and no offset is committed; librdkafka
    // still wants a group id for a consumer's assign and poll.
    static std::atomic<int> readers{0};
    set_or_throw(configuration.get(), "group.id",
                 fmt::format("kafkasink-mock-reader-{}", ++readers));
    set_or_throw(configuration.get(), "enable.auto.commit", "false");
    set_or_throw(configuration.get(), "enable.auto.offset.store", "false");
    set_or_throw(configuration.get(), "log.connection.close", "false");
    // Short waits and backoffs: the brokers are in process, and a test waits on every read.
    set_or_throw(configuration.get(), "fetch.wait.max.ms", "10");
    set_or_throw(configuration.get(), "fetch.error.backoff.ms", "10");
    set_or_throw(configuration.get(), "topic.metadata.refresh.fast.interval.ms", "10");
    std::array<char, 512> error_text{};
    rd_kafka_t* consumer =
        rd_kafka_new(RD_KAFKA_CONSUMER, configuration.get(), error_text.data(), error_text.size());
    if (consumer == nullptr) {
      throw Error(fmt::format("MockCluster: cannot create a consumer: {}", error_text.data()));
    }
    static_cast<void>(configuration.release());  // owned by the consumer now
    return ConsumerPtr(consumer);
  }

  // The partition ids of `topic`, empty when it does not exist. Asks for every topic: a
  // request naming the topic would make the mock broker create it.
  static std::vector<std::int32_t> partitions_of(rd_kafka_t* consumer,
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

  static std::pair<std::int64_t, std::int64_t> watermarks(rd_kafka_t* consumer,
                                                          const std::string& topic,
                                                          std::int32_t partition,
                                                          Clock::time_point deadline) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    check(rd_kafka_query_watermark_offsets(consumer, topic.c_str(), partition, &low, &high,
                                           remaining_ms(deadline)),
          fmt::format("querying the offsets of {}-{}", topic, partition));
    return {low, high};
  }
};

MockCluster::MockCluster(int brokers) : impl_(std::make_unique<Impl>()) {
  if (brokers < 1)
    throw IllegalArgumentError("brokers", "A MockCluster needs at least one broker.");
  ConfigurationPtr configuration(rd_kafka_conf_new());
  set_or_throw(configuration.get(), "log.connection.close", "false");
  // The owning handle never connects anywhere; its notice that it has no bootstrap.servers
  // is noise.
  set_or_throw(configuration.get(), "log_level", "4");
  std::array<char, 512> error_text{};
  rd_kafka_t* owner =
      rd_kafka_new(RD_KAFKA_PRODUCER, configuration.get(), error_text.data(), error_text.size());
  if (owner == nullptr) {
    throw Error(fmt::format("MockCluster: cannot create the owning handle: {}", error_text.data()));
  }
  static_cast<void>(configuration.release());
  impl_->owner.reset(owner);
  impl_->cluster.reset(rd_kafka_mock_cluster_new(owner, brokers));
  if (impl_->cluster == nullptr) throw Error("MockCluster: librdkafka could not start the brokers");
  impl_->bootstrap_servers = rd_kafka_mock_cluster_bootstraps(impl_->cluster.get());
}

MockCluster::~MockCluster() = default;

std::string MockCluster::bootstrap_servers() const {
  return impl_->bootstrap_servers;
}

void MockCluster::create_topic(const std::string& name, int partitions) {
  check(rd_kafka_mock_topic_create(impl_->cluster.get(), name.c_str(), partitions, 1),
        fmt::format("creating topic {}", name));
}

void MockCluster::set_broker_down(int id) {
  check(rd_kafka_mock_broker_set_down(impl_->cluster.get(), id),
        fmt::format("setting broker {} down", id));
}

void MockCluster::set_broker_up(int id) {
  check(rd_kafka_mock_broker_set_up(impl_->cluster.get(), id),
        fmt::format("setting broker {} up", id));
}

void MockCluster::push_request_errors(int api_key, const std::vector<int>& errors) {
  std::vector<rd_kafka_resp_err_t> codes;
  codes.reserve(errors.size());
  for (const int error : errors) codes.push_back(static_cast<rd_kafka_resp_err_t>(error));
  rd_kafka_mock_push_request_errors_array(impl_->cluster.get(), static_cast<std::int16_t>(api_key),
                                          codes.size(), codes.data());
}

void MockCluster::push_broker_request_errors(
    int id, int api_key, const std::vector<std::pair<int, std::chrono::milliseconds>>& errors) {
  // librdkafka 2.0.2 has only a variadic form of this call: one entry per call.
  for (const auto& [error, delay] : errors) {
    check(rd_kafka_mock_broker_push_request_error_rtts(
              impl_->cluster.get(), id, static_cast<std::int16_t>(api_key), 1,
              static_cast<rd_kafka_resp_err_t>(error), static_cast<int>(delay.count())),
          fmt::format("pushing a request error for broker {}", id));
  }
}

std::size_t MockCluster::broker_request_errors_left(int id, int api_key) const {
  std::size_t left = 0;
  check(rd_kafka_mock_broker_error_stack_cnt(impl_->cluster.get(), id,
                                             static_cast<std::int16_t>(api_key), &left),
        fmt::format("counting the request errors left for broker {}", id));
  return left;
}

void MockCluster::set_topic_error(const std::string& topic, int error) {
  rd_kafka_mock_topic_set_error(impl_->cluster.get(), topic.c_str(),
                                static_cast<rd_kafka_resp_err_t>(error));
}

void MockCluster::set_rtt(int id, std::chrono::milliseconds latency) {
  check(rd_kafka_mock_broker_set_rtt(impl_->cluster.get(), id, static_cast<int>(latency.count())),
        fmt::format("setting the round-trip time of broker {}", id));
}

void MockCluster::set_partition_leader(const std::string& topic, int partition, int id) {
  check(rd_kafka_mock_partition_set_leader(impl_->cluster.get(), topic.c_str(), partition, id),
        fmt::format("moving the leader of {}-{} to broker {}", topic, partition, id));
}

std::vector<ConsumedRecord> MockCluster::read_all(const std::string& topic,
                                                  std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  const ConsumerPtr consumer = impl_->new_consumer();
  const std::vector<std::int32_t> partitions = Impl::partitions_of(consumer.get(), topic, deadline);

  // Read up to the end offsets as they are now; records written later are not waited for.
  std::map<std::int32_t, std::int64_t> end_by_partition;
  const std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> assignment(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const std::int32_t partition : partitions) {
    const auto [low, high] = Impl::watermarks(consumer.get(), topic, partition, deadline);
    if (high <= low) continue;
    end_by_partition[partition] = high;
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), partition)->offset = low;
  }
  std::map<std::int32_t, std::vector<ConsumedRecord>> records_by_partition;
  if (!end_by_partition.empty()) {
    check(rd_kafka_assign(consumer.get(), assignment.get()), "assigning partitions");
  }
  std::size_t unfinished = end_by_partition.size();
  std::set<std::int32_t> finished;
  std::string last_error = "none";
  while (unfinished > 0) {
    if (Clock::now() >= deadline) {
      throw Error(fmt::format(
          "MockCluster: reading topic {} timed out after {} ms with {} partition(s) unfinished "
          "(last consumer error: {})",
          topic, timeout.count(), unfinished, last_error));
    }
    const std::unique_ptr<rd_kafka_message_t, MessageDeleter> message(rd_kafka_consumer_poll(
        consumer.get(), std::min(remaining_ms(deadline), static_cast<int>(kPollInterval.count()))));
    if (message == nullptr) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      last_error = fmt::format("{}: {}", rd_kafka_err2name(message->err),
                               rd_kafka_message_errstr(message.get()));
      continue;
    }
    const auto end = end_by_partition.find(message->partition);
    if (end == end_by_partition.end() || message->offset >= end->second) continue;
    records_by_partition[message->partition].push_back(to_record(*message, topic));
    if (message->offset + 1 >= end->second && finished.insert(message->partition).second) {
      --unfinished;
    }
  }
  if (!end_by_partition.empty()) rd_kafka_assign(consumer.get(), nullptr);

  std::vector<ConsumedRecord> records;
  for (auto& [partition, partition_records] : records_by_partition) {
    std::move(partition_records.begin(), partition_records.end(), std::back_inserter(records));
  }
  return records;
}

std::vector<std::int64_t> MockCluster::end_offsets(const std::string& topic) const {
  const auto deadline = Clock::now() + kQueryTimeout;
  const ConsumerPtr consumer = impl_->new_consumer();
  std::vector<std::int64_t> ends;
  for (const std::int32_t partition : Impl::partitions_of(consumer.get(), topic, deadline)) {
    ends.push_back(Impl::watermarks(consumer.get(), topic, partition, deadline).second);
  }
  return ends;
}

}  // namespace kafkasink
