#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>
#include <kafkasink/producer.hpp>
#include <kafkasink/producer_pool.hpp>
#include <kafkasink/writer.hpp>

#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::StrEq;
using ::testing::Throws;
using ::testing::ThrowsMessage;

class ProducerTest : public test::BrokerTest {
 protected:
  // A topic of `partitions` partitions that no other test uses, named after `name`.
  std::string new_topic(const std::string& name, int partitions) const {
    std::string topic = test::unique_topic(name);
    broker().create_topic(topic, partitions);
    return topic;
  }

  ProducerPool::Options pool_options() {
    ProducerPool::Options options;
    options.evictor_interval = std::chrono::milliseconds::zero();
    return options;
  }

  ProducerSettings settings(ProducerSettings extra = {}) {
    extra.emplace("bootstrap.servers", broker().bootstrap_servers());
    return extra;
  }

  ProducerPool pool_{pool_options()};
};

KAFKASINK_INSTANTIATE_ON_BROKERS(ProducerTest);

// Faults only the mock broker can inject.
class ProducerTestOnMock : public ProducerTest {};

INSTANTIATE_TEST_SUITE_P(Mock, ProducerTestOnMock, ::testing::Values(test::BrokerKind::mock));

TEST_P(ProducerTest, SendReportsWhereTheRecordWasWritten) {
  const std::string topic = new_topic("send-metadata", 3);
  ProducerLease producer = pool_.acquire(settings());

  const RecordMetadata first = producer->send({.topic = topic, .value = "a", .partition = 2}).get();
  const RecordMetadata second =
      producer->send({.topic = topic, .value = "b", .partition = 2}).get();

  EXPECT_EQ(first.topic, topic);
  EXPECT_EQ(first.partition, 2);
  EXPECT_EQ(first.offset, 0);
  EXPECT_EQ(second.offset, 1);
  EXPECT_GT(first.timestamp_ms, 0);
  // The future is ready inside the delivery callback, before librdkafka frees the message
  // that pending() still counts: only a flush guarantees zero.
  ASSERT_TRUE(producer->flush(10s));
  EXPECT_EQ(producer->pending(), 0);
}

TEST_P(ProducerTest, RecordsReadBackWithKeysValuesAndHeaders) {
  const std::string topic = new_topic("send-read-back", 1);
  ProducerLease producer = pool_.acquire(settings());

  producer->send({.topic = topic,
                  .key = "k",
                  .value = "v",
                  .headers = {{"a", "1"}, {"a", "2"}, {"b", std::nullopt}}});
  producer->send({.topic = topic, .key = std::nullopt, .value = std::nullopt});
  producer->send({.topic = topic, .key = "", .value = ""});
  ASSERT_TRUE(producer->flush(10s));

  const std::vector<ConsumedRecord> records = broker().read_all(topic, 10s);

  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].key, "k");
  EXPECT_EQ(records[0].value, "v");
  EXPECT_THAT(records[0].headers,
              ElementsAre(Header{"a", "1"}, Header{"a", "2"}, Header{"b", std::nullopt}));
  EXPECT_EQ(records[1].key, std::nullopt);
  EXPECT_EQ(records[1].value, std::nullopt);
  EXPECT_THAT(records[1].headers, SizeIs(0));
  EXPECT_EQ(records[2].key, "");
  EXPECT_EQ(records[2].value, "");
}

TEST_P(ProducerTest, KeysLandWhereAJavaProducerPutsThem) {
  // The Java client's DefaultPartitioner: (murmur2(key) & 0x7fffffff) % partitions, with
  // Kafka's Utils.murmur2. These are the partitions it picks for keys "0".."4" and 4 partitions.
  const std::string topic = new_topic("send-murmur2", 4);
  ProducerLease producer = pool_.acquire(settings());

  std::vector<std::int32_t> partitions;
  for (const std::string key : {"0", "1", "2", "3", "4"}) {
    partitions.push_back(
        producer->send({.topic = topic, .key = key, .value = "v"}).get().partition);
  }

  EXPECT_THAT(partitions, ElementsAre(0, 3, 0, 3, 1));
}

TEST_P(ProducerTest, RegisteredPartitionerChoosesThePartition) {
  register_partitioner("producer-test-last", [](const std::string* key, std::int32_t count) {
    return key == nullptr ? std::int32_t{0} : count - 1;
  });
  const std::string topic = new_topic("send-custom", 3);
  ProducerLease producer = pool_.acquire(settings({{"partitioner.class", "producer-test-last"}}));

  EXPECT_EQ(producer->send({.topic = topic, .key = "k", .value = "v"}).get().partition, 2);
  EXPECT_EQ(producer->send({.topic = topic, .value = "v"}).get().partition, 0);
  // An explicit partition wins over the partitioner, as in Spark.
  EXPECT_EQ(
      producer->send({.topic = topic, .key = "k", .value = "v", .partition = 1}).get().partition,
      1);
}

TEST_P(ProducerTest, RoundRobinPartitionerCyclesThroughPartitions) {
  const std::string topic = new_topic("send-round-robin", 3);
  ProducerLease producer = pool_.acquire(
      settings({{"partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner"}}));

  std::vector<std::int32_t> partitions;
  for (int i = 0; i < 6; ++i) {
    partitions.push_back(
        producer->send({.topic = topic, .key = "same", .value = "v"}).get().partition);
  }

  EXPECT_THAT(partitions, ElementsAre(0, 1, 2, 0, 1, 2));
}

TEST_P(ProducerTest, NegativePartitionFailsAtOnceWithKafkasText) {
  ProducerLease producer = pool_.acquire(settings());

  EXPECT_THAT([&] { producer->send({.topic = "t", .value = "v", .partition = -1}); },
              ThrowsMessage<IllegalArgumentError>(
                  StrEq("Invalid partition: -1. Partition number should always be non-negative "
                        "or null.")));
  EXPECT_THAT([&] { producer->send({.topic = "", .value = "v"}); },
              Throws<IllegalArgumentError>(Property(&IllegalArgumentError::option, "topic")));
}

TEST_P(ProducerTest, RecordLargerThanMaxRequestSizeFailsTheFuture) {
  const std::string topic = new_topic("send-too-large", 1);
  ProducerLease producer = pool_.acquire(settings({{"max.request.size", "1000"}}));

  std::future<RecordMetadata> sent =
      producer->send({.topic = topic, .value = std::string(5000, 'x')});

  EXPECT_THAT([&] { sent.get(); },
              Throws<KafkaWriteError>(AllOf(
                  Property(&KafkaWriteError::failed_records, 1u),
                  Property(&KafkaWriteError::first_error,
                           Field(&KafkaWriteError::Failure::error_name, "MSG_SIZE_TOO_LARGE")))));
}

TEST_P(ProducerTestOnMock, BrokerErrorWithoutRetriesFailsTheFutureNamingThePartition) {
  const std::string topic = new_topic("send-broker-error", 1);
  ProducerLease producer = pool_.acquire(settings({{"retries", "0"}, {"acks", "1"}}));
  producer->send({.topic = topic, .value = "warm-up"}).get();

  constexpr int kProduceApi = 0;
  constexpr int kNotEnoughReplicas = 19;  // Kafka's protocol error code
  broker().mock()->push_request_errors(kProduceApi, {kNotEnoughReplicas});
  std::future<RecordMetadata> sent = producer->send({.topic = topic, .value = "v"});

  EXPECT_THAT([&] { sent.get(); },
              ThrowsMessage<KafkaWriteError>(
                  StrEq("1 of 1 records were not delivered to topic-partition " + topic +
                        "-0: NOT_ENOUGH_REPLICAS: Broker: Not enough in-sync replicas")));
}

TEST_P(ProducerTest, FullQueueBlocksUntilThereIsRoom) {
  // Spark's "write big data with small producer buffer": send blocks instead of failing.
  const std::string topic = new_topic("send-small-buffer", 1);
  ProducerLease producer =
      pool_.acquire(settings({{"buffer.memory", "16384"}, {"block.on.buffer.full", "true"}}));

  std::vector<std::future<RecordMetadata>> sent;
  for (int i = 0; i < 200; ++i) {
    sent.push_back(producer->send({.topic = topic, .value = std::string(15000, 'v')}));
  }
  ASSERT_TRUE(producer->flush(30s));

  for (auto& future : sent) EXPECT_GE(future.get().offset, 0);
  EXPECT_EQ(broker().end_offsets(topic), std::vector<std::int64_t>{200});
}

TEST_P(ProducerTest, FullQueueFailsAfterMaxBlock) {
  ProducerLease producer = pool_.acquire(
      settings({{"buffer.memory", "1024"}, {"max.block.ms", "200"}, {"linger.ms", "60000"}}));

  // The first record sits in the queue (linger), leaving no room for the second.
  std::future<RecordMetadata> first = producer->send({.topic = "send-blocked", .value = "x"});
  const auto started = std::chrono::steady_clock::now();
  std::future<RecordMetadata> second =
      producer->send({.topic = "send-blocked", .value = std::string(2000, 'y')});

  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
  EXPECT_THAT([&] { second.get(); },
              Throws<KafkaWriteError>(
                  Property(&KafkaWriteError::first_error,
                           Field(&KafkaWriteError::Failure::error_name, "_QUEUE_FULL"))));
}

TEST_P(ProducerTest, DescribeRedactsSecrets) {
  ProducerLease producer = pool_.acquire(settings({{"sasl.password", "hunter2"}}));

  EXPECT_THAT(producer->describe(),
              AllOf(HasSubstr("sasl.password=*********(redacted)"), Not(HasSubstr("hunter2"))));
}

TEST_P(ProducerTest, ClosingThePoolFailsLaterSends) {
  ProducerLease producer = pool_.acquire(settings());
  pool_.close();

  std::future<RecordMetadata> sent = producer->send({.topic = "after-close", .value = "v"});

  EXPECT_THAT([&] { sent.get(); }, Throws<KafkaWriteError>(Property(
                                       &KafkaWriteError::first_error,
                                       Field(&KafkaWriteError::Failure::error_name, "_DESTROY"))));
}

}  // namespace
}  // namespace kafkasink
