#include <array>
#include <memory>
#include <utility>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>

#include "util/log.hpp"

namespace kafkasink {
namespace {

struct HandleDeleter {
  void operator()(rd_kafka_t* handle) const noexcept { rd_kafka_destroy(handle); }
};

using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

struct ConfigurationDeleter {
  void operator()(rd_kafka_conf_t* configuration) const noexcept {
    rd_kafka_conf_destroy(configuration);
  }
};

using ConfigurationPtr = std::unique_ptr<rd_kafka_conf_t, ConfigurationDeleter>;

struct MockClusterDeleter {
  void operator()(rd_kafka_mock_cluster_t* cluster) const noexcept {
    rd_kafka_mock_cluster_destroy(cluster);
  }
};

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

}  // namespace

struct MockCluster::Impl {
  // The mock brokers run on threads of the handle that created them, so `owner` must
  // outlive `cluster` (members are destroyed in reverse order).
  HandlePtr owner;
  std::unique_ptr<rd_kafka_mock_cluster_t, MockClusterDeleter> cluster;
  std::string bootstrap_servers;
};

MockCluster::MockCluster(int brokers) : impl_(std::make_unique<Impl>()) {
  if (brokers < 1)
    throw IllegalArgumentError("brokers", "A MockCluster needs at least one broker.");
  ConfigurationPtr configuration(rd_kafka_conf_new());
  detail::route_logs(configuration.get());
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
  TopicReadOptions options;
  options.timeout = timeout;
  return read_topic(impl_->bootstrap_servers, topic, options);
}

std::vector<std::int64_t> MockCluster::end_offsets(const std::string& topic) const {
  return topic_end_offsets(impl_->bootstrap_servers, topic);
}

}  // namespace kafkasink
