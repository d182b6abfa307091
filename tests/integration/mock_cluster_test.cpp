#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>
#include <kafkasink/producer.hpp>
#include <kafkasink/producer_pool.hpp>

namespace kafkasink {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

ProducerPool::Options no_evictor() {
  ProducerPool::Options options;
  options.evictor_interval = std::chrono::milliseconds::zero();
  return options;
}

TEST(MockCluster, CreatesTopicsWithTheirPartitions) {
  MockCluster cluster;
  cluster.create_topic("three", 3);
  cluster.create_topic("one");

  EXPECT_THAT(cluster.end_offsets("three"), ElementsAre(0, 0, 0));
  EXPECT_THAT(cluster.end_offsets("one"), ElementsAre(0));
  EXPECT_THAT(cluster.end_offsets("missing"), IsEmpty());
  EXPECT_THAT(cluster.read_all("three"), IsEmpty());
}

TEST(MockCluster, ReadsBackEveryRecordPartitionByPartition) {
  MockCluster cluster(3);
  cluster.create_topic("records", 2);
  ProducerPool pool(no_evictor());
  ProducerLease producer = pool.acquire({{"bootstrap.servers", cluster.bootstrap_servers()}});

  std::vector<std::future<RecordMetadata>> sent;
  sent.push_back(producer->send({.topic = "records", .key = "k1", .value = "b", .partition = 1}));
  sent.push_back(producer->send({.topic = "records", .key = "k0", .value = "a", .partition = 0}));
  sent.push_back(producer->send({.topic = "records",
                                 .key = std::nullopt,
                                 .value = "c",
                                 .headers = {{"h", "v"}, {"h", std::nullopt}},
                                 .partition = 1,
                                 .timestamp_ms = 1'700'000'000'000}));
  for (auto& future : sent) future.get();

  const std::vector<ConsumedRecord> records = cluster.read_all("records", 10s);

  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].partition, 0);
  EXPECT_EQ(records[0].value, "a");
  EXPECT_EQ(records[0].key, "k0");
  EXPECT_EQ(records[1].partition, 1);
  EXPECT_EQ(records[1].offset, 0);
  EXPECT_EQ(records[1].value, "b");
  EXPECT_EQ(records[2].offset, 1);
  EXPECT_EQ(records[2].key, std::nullopt);
  EXPECT_EQ(records[2].timestamp_ms, 1'700'000'000'000);
  EXPECT_THAT(records[2].headers, ElementsAre(Header{"h", "v"}, Header{"h", std::nullopt}));
  EXPECT_EQ(records[2].topic, "records");
  EXPECT_THAT(cluster.end_offsets("records"), ElementsAre(1, 2));
}

TEST(MockCluster, BrokerDownDelaysDeliveryUntilItIsUp) {
  MockCluster cluster;
  cluster.create_topic("outage", 1);
  ProducerPool pool(no_evictor());
  ProducerLease producer = pool.acquire({{"bootstrap.servers", cluster.bootstrap_servers()}});
  producer->send({.topic = "outage", .value = "before"}).get();

  cluster.set_broker_down(1);
  std::future<RecordMetadata> during = producer->send({.topic = "outage", .value = "during"});
  EXPECT_EQ(during.wait_for(500ms), std::future_status::timeout);
  cluster.set_broker_up(1);

  ASSERT_EQ(during.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(during.get().offset, 1);
  const std::vector<ConsumedRecord> records = cluster.read_all("outage", 10s);
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_EQ(records[1].value, "during");
}

TEST(MockCluster, ReadAllTimesOutWhileTheBrokerIsDown) {
  MockCluster cluster;
  cluster.create_topic("unreachable", 1);
  ProducerPool pool(no_evictor());
  ProducerLease producer = pool.acquire({{"bootstrap.servers", cluster.bootstrap_servers()}});
  producer->send({.topic = "unreachable", .value = "v"}).get();
  cluster.set_broker_down(1);

  EXPECT_THROW(static_cast<void>(cluster.read_all("unreachable", 1s)), kafkasink::Error);
  cluster.set_broker_up(1);
}

}  // namespace
}  // namespace kafkasink
