// MockCluster: an in-process Kafka cluster on loopback, for tests, examples and local use.
//
// It is librdkafka's mock cluster: real Kafka protocol brokers listening on 127.0.0.1, so any
// Kafka client (librdkafka, kcat, Java, Python) can produce to and consume from it. Topics
// are kept in memory (each partition keeps about its newest 5 MiB). Faults are injected in
// process: a broker down, request errors, round-trip time. `read_all` reads a topic back with
// a real consumer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kafkasink/producer.hpp>

namespace kafkasink {

/// A record read back from a topic.
struct ConsumedRecord {
  std::string topic;                 ///< the topic it was read from
  std::int32_t partition = -1;       ///< its partition
  std::int64_t offset = -1;          ///< its offset in the partition
  std::optional<std::string> key;    ///< nothing for a null key
  std::optional<std::string> value;  ///< nothing for a null value
  std::vector<Header> headers;       ///< in the order they were written
  std::int64_t timestamp_ms = -1;    ///< the record's timestamp, ms since the epoch; -1 if none
};

/// How read_topic reads.
struct TopicReadOptions {
  /// How long the whole read may take before it throws.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  /// `read_committed` (librdkafka's default: records of aborted or open transactions are not
  /// seen) or `read_uncommitted`.
  std::string isolation_level = "read_committed";
  /// More consumer settings, by librdkafka name (`security.protocol`, `sasl.mechanism`, ...).
  std::map<std::string, std::string> settings;
};

/// Every record of `topic` on the cluster at `bootstrap_servers`, partition by partition, each
/// in offset order: read with a real consumer from the earliest offset to the end of each
/// partition as it is when the read starts (for `read_committed`, to its last stable offset).
/// A topic that does not exist has no records. Throws Error when the read times out.
std::vector<ConsumedRecord> read_topic(const std::string& bootstrap_servers,
                                       const std::string& topic,
                                       const TopicReadOptions& options = {});

/// The end offset (high watermark) of every partition of `topic`, by partition; empty when the
/// topic does not exist.
std::vector<std::int64_t> topic_end_offsets(
    const std::string& bootstrap_servers,
    const std::string& topic,
    const std::map<std::string, std::string>& settings = {});

/// An in-process Kafka cluster. Not copyable; the brokers stop on destruction.
class MockCluster {
 public:
  /// Starts `brokers` brokers (ids 1..brokers) on loopback ports chosen by the system.
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  /// `host:port,...` of every broker.
  std::string bootstrap_servers() const;

  /// Creates `name` with `partitions` partitions (replication factor 1). A topic that is not
  /// created is created with 4 partitions on first use: librdkafka's mock broker auto-creates
  /// topics whatever the client's `allow.auto.create.topics` says (see set_topic_error).
  void create_topic(const std::string& name, int partitions = 1);

  /// Every Metadata answer about `topic` carries `error` (an rd_kafka_resp_err_t value,
  /// 3 = UNKNOWN_TOPIC_OR_PART makes it a missing topic); 0 clears it. Produce requests are
  /// not affected (librdkafka 2.0.2's mock broker checks only that the topic exists).
  void set_topic_error(const std::string& topic, int error);

  /// Stops broker `id` answering (connections are closed and refused) until set_broker_up.
  void set_broker_down(int id);

  /// Lets broker `id` answer again after set_broker_down.
  void set_broker_up(int id);

  /// The next `errors.size()` requests of Kafka API `api_key` (0 = Produce, 3 = Metadata,
  /// ...) get these error codes (librdkafka's rd_kafka_resp_err_t values), in order.
  void push_request_errors(int api_key, const std::vector<int>& errors);

  /// The next `errors.size()` requests of Kafka API `api_key` that broker `id` receives get
  /// these (error code, response delay) pairs, in order; error 0 answers normally. An entry
  /// of broker `id` takes precedence over the cluster-wide ones of push_request_errors (while
  /// a broker has entries of its own, the cluster's are not consulted for that API).
  /// RD_KAFKA_RESP_ERR__TRANSPORT (-195) closes the connection instead of answering.
  void push_broker_request_errors(
      int id, int api_key, const std::vector<std::pair<int, std::chrono::milliseconds>>& errors);

  /// How many entries pushed with push_broker_request_errors for broker `id` and `api_key` are
  /// still unused: pushing N entries of error 0 and reading this later counts requests.
  std::size_t broker_request_errors_left(int id, int api_key) const;

  /// Adds `latency` to every response of broker `id`.
  void set_rtt(int id, std::chrono::milliseconds latency);

  /// Makes the leader of `topic`/`partition` broker `id`.
  void set_partition_leader(const std::string& topic, int partition, int id);

  /// Every record of `topic`, partition by partition, each in offset order: read_topic on
  /// this cluster.
  std::vector<ConsumedRecord> read_all(
      const std::string& topic, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  /// The end offset (high watermark) of every partition of `topic`: topic_end_offsets on this
  /// cluster.
  std::vector<std::int64_t> end_offsets(const std::string& topic) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kafkasink
