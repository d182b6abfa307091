// A port of Spark's InternalKafkaProducerPoolSuite, plus what kafkasink adds: close() that
// closes, a lease that may outlive its pool, and a concurrent run read back from a broker.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/mock_cluster.hpp>
#include <kafkasink/producer.hpp>
#include <kafkasink/producer_pool.hpp>

#include "kafka/producer_handle.hpp"

namespace kafkasink {
namespace {

using namespace std::chrono_literals;
using Clock = ProducerPool::Clock;
using ::testing::Field;
using ::testing::Optional;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::StrEq;
using ::testing::Throws;
using ::testing::ThrowsMessage;

// A clock that moves only when told to, so that expiry is tested without sleeping.
class ManualClock {
 public:
  Clock::time_point now() const { return Clock::time_point(Clock::duration(ticks_.load())); }
  void advance(Clock::duration by) { ticks_ += by.count(); }

 private:
  std::atomic<Clock::rep> ticks_{Clock::duration(1h).count()};
};

class ProducerPoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<MockCluster>();
    cluster_->create_topic(kTopic, 4);
  }

  static void TearDownTestSuite() { cluster_.reset(); }

  // Spark's suite uses acks=0 and changes acks to tell configurations apart.
  static ProducerSettings settings(const std::string& acks = "0") {
    return {{"bootstrap.servers", cluster_->bootstrap_servers()}, {"acks", acks}};
  }

  // No evictor thread: evict_expired() plays the evictor's tick.
  ProducerPool::Options manual_options(std::chrono::milliseconds timeout = 2000ms) {
    ProducerPool::Options options;
    options.cache_timeout = timeout;
    options.evictor_interval = 0ms;
    options.now = [this] { return clock_.now(); };
    return options;
  }

  static constexpr const char* kTopic = "pool-topic";
  static std::unique_ptr<MockCluster> cluster_;
  ManualClock clock_;
};

std::unique_ptr<MockCluster> ProducerPoolTest::cluster_;

TEST_F(ProducerPoolTest, ReturnsSameCachedInstanceForSameSettings) {
  ProducerPool pool(manual_options());

  ProducerLease first = pool.acquire(settings());
  ProducerLease second = pool.acquire(settings());

  EXPECT_EQ(&*first, &*second);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.entry_state(settings())->references, 2u);
  EXPECT_EQ(pool.entry_state(settings())->expires_at, std::nullopt);

  first.release();
  EXPECT_EQ(pool.entry_state(settings())->references, 1u);
  EXPECT_EQ(pool.entry_state(settings())->expires_at, std::nullopt);

  Producer* const producer = &*second;
  second.release();
  EXPECT_EQ(pool.entry_state(settings())->references, 0u);
  EXPECT_THAT(pool.entry_state(settings())->expires_at, Optional(clock_.now() + 2000ms));

  ProducerLease third = pool.acquire(settings());
  EXPECT_EQ(&*third, producer);
  EXPECT_EQ(pool.entry_state(settings())->references, 1u);
  EXPECT_EQ(pool.entry_state(settings())->expires_at, std::nullopt);
}

TEST_F(ProducerPoolTest, ReturnsDifferentInstancesForDifferentSettings) {
  ProducerPool pool(manual_options());

  ProducerLease acks_zero = pool.acquire(settings("0"));
  ProducerLease acks_one = pool.acquire(settings("1"));

  EXPECT_NE(&*acks_zero, &*acks_one);
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool.entry_state(settings("0"))->references, 1u);
  EXPECT_EQ(pool.entry_state(settings("1"))->references, 1u);
}

TEST_F(ProducerPoolTest, ExpiresIdleProducersButNeverLeasedOnes) {
  ProducerPool pool(manual_options(2000ms));
  ProducerLease lease = pool.acquire(settings());

  clock_.advance(2500ms);
  EXPECT_EQ(pool.evict_expired(), 0u);
  EXPECT_EQ(pool.size(), 1u);  // in use: never evicted, however long

  lease.release();
  clock_.advance(2000ms);
  EXPECT_EQ(pool.evict_expired(), 0u);  // exactly at the expiry: Spark's test is strict
  EXPECT_EQ(pool.size(), 1u);

  clock_.advance(1ms);
  EXPECT_EQ(pool.evict_expired(), 1u);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.entry_state(settings()), std::nullopt);
}

TEST_F(ProducerPoolTest, ReacquiringRestartsTheIdleClock) {
  ProducerPool pool(manual_options(2000ms));
  pool.acquire(settings()).release();
  clock_.advance(1500ms);

  pool.acquire(settings()).release();
  clock_.advance(1500ms);

  EXPECT_EQ(pool.evict_expired(), 0u);
  clock_.advance(501ms);
  EXPECT_EQ(pool.evict_expired(), 1u);
}

TEST_F(ProducerPoolTest, SharesOneProducerAcrossThreadsAndDeliversEveryRecord) {
  constexpr int kThreads = 16;
  constexpr int kSendsPerThread = 1000;
  const std::string topic = "pool-concurrent";
  cluster_->create_topic(topic, 4);
  ProducerPool pool(manual_options());
  const ProducerSettings shared_settings = {{"bootstrap.servers", cluster_->bootstrap_servers()},
                                            {"linger.ms", "5"}};
  std::atomic<int> bad_states{0};
  std::vector<std::vector<std::future<RecordMetadata>>> sent(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&, thread] {
        for (int i = 0; i < kSendsPerThread; ++i) {
          ProducerLease lease = pool.acquire(shared_settings);
          const std::optional<ProducerPool::EntryState> state = pool.entry_state(shared_settings);
          if (pool.size() != 1 || !state || state->references == 0 || state->expires_at) {
            ++bad_states;
          }
          sent[static_cast<std::size_t>(thread)].push_back(
              lease->send({.topic = topic, .value = std::to_string(thread * kSendsPerThread + i)}));
        }
      });
    }
  }
  EXPECT_EQ(bad_states.load(), 0);
  const std::optional<ProducerPool::EntryState> idle = pool.entry_state(shared_settings);
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ(idle->references, 0u);
  EXPECT_THAT(idle->expires_at, Optional(clock_.now() + 2000ms));

  for (auto& futures : sent) {
    for (auto& future : futures) ASSERT_EQ(future.wait_for(30s), std::future_status::ready);
    for (auto& future : futures) EXPECT_GE(future.get().offset, 0);
  }
  std::set<std::string> values;
  for (const ConsumedRecord& record : cluster_->read_all(topic, 30s)) values.insert(*record.value);
  EXPECT_THAT(values, SizeIs(kThreads * kSendsPerThread));
}

TEST_F(ProducerPoolTest, CloseClosesEveryProducerAndLaterAcquireFails) {
  ProducerPool::Options options = manual_options();
  options.evictor_interval = 10ms;
  ProducerPool pool(options);
  ProducerLease leased = pool.acquire(settings("all"));  // acks, so the offset is reported
  std::future<RecordMetadata> before = leased->send({.topic = kTopic, .value = "before close"});

  pool.close();

  EXPECT_GE(before.get().offset, 0);  // close() flushed it
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_THAT([&] { static_cast<void>(pool.acquire(settings())); },
              ThrowsMessage<IllegalArgumentError>(
                  StrEq("The producer pool is closed: no producer can be acquired.")));
  EXPECT_THAT(
      [&] { leased->send({.topic = kTopic, .value = "after close"}).get(); },
      Throws<KafkaWriteError>(Property(&KafkaWriteError::first_error,
                                       Field(&KafkaWriteError::Failure::error_name, "_DESTROY"))));
  pool.close();      // idempotent
  leased.release();  // its entry is gone: the lease just lets go
}

TEST_F(ProducerPoolTest, LeaseMayOutliveItsPool) {
  auto pool = std::make_unique<ProducerPool>(manual_options());
  ProducerLease lease = pool->acquire(settings());

  pool.reset();

  EXPECT_THAT([&] { lease->send({.topic = kTopic, .value = "v"}).get(); },
              Throws<KafkaWriteError>());
  lease.release();
  EXPECT_FALSE(lease);
}

TEST_F(ProducerPoolTest, MovedLeaseReleasesOnce) {
  ProducerPool pool(manual_options());
  ProducerLease first = pool.acquire(settings());
  ProducerLease moved = std::move(first);
  ProducerLease assigned;
  assigned = std::move(moved);

  EXPECT_EQ(pool.entry_state(settings())->references, 1u);
  assigned = pool.acquire(settings());  // releases the old lease, takes a new one
  EXPECT_EQ(pool.entry_state(settings())->references, 1u);
  assigned.release();
  EXPECT_EQ(pool.entry_state(settings())->references, 0u);
}

TEST_F(ProducerPoolTest, EvictorThreadClosesIdleProducers) {
  ProducerPool::Options options;
  options.cache_timeout = 0ms;
  options.evictor_interval = 10ms;
  ProducerPool pool(options);
  pool.acquire(settings()).release();

  // The evictor runs every 10 ms; wait for it, bounded, instead of sleeping a fixed time.
  const auto deadline = Clock::now() + 10s;
  while (pool.size() != 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);

  EXPECT_EQ(pool.size(), 0u);
}

TEST_F(ProducerPoolTest, RejectsBadSettingsWithoutCachingAnything) {
  ProducerPool pool(manual_options());

  EXPECT_THAT(
      [&] {
        static_cast<void>(pool.acquire({{"acks", "1"}}));
      },
      ThrowsMessage<IllegalArgumentError>(
          StrEq("Kafka option bootstrap.servers is not set. Please make sure it is set and "
                "retry.")));
  EXPECT_THAT(
      [&] {
        static_cast<void>(pool.acquire({{"bootstrap.servers", cluster_->bootstrap_servers()},
                                        {"enable.idempotence", "true"},
                                        {"acks", "1"}}));
      },
      Throws<IllegalArgumentError>());
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace kafkasink

namespace kafkasink {
namespace {

// Issue 14: a broken cached producer was handed out until it idled out, failing every write.
TEST_F(ProducerPoolTest, AProducerWithAFatalErrorLeavesThePoolAndIsClosed) {
  ProducerPool pool(manual_options());
  ProducerLease broken = pool.acquire(settings("all"));
  const Producer* broken_producer = &broken.producer();
  ASSERT_EQ(rd_kafka_test_fatal_error(broken->handle()->native(),
                                      RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                      "raised by the test"),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  // The fatal error reaches the producer through its poll thread; wait for it, bounded.
  const auto deadline = Clock::now() + 10s;
  while (!broken->handle()->broken() && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(broken->handle()->broken());
  EXPECT_THAT(*broken->handle()->broken(), ::testing::HasSubstr("OUT_OF_ORDER_SEQUENCE_NUMBER"));

  // A lease taken meanwhile gets a fresh producer, which delivers.
  ProducerLease fresh = pool.acquire(settings("all"));
  EXPECT_NE(&fresh.producer(), broken_producer);
  const RecordMetadata sent = fresh->send({.topic = kTopic, .value = "after fatal"}).get();
  EXPECT_GE(sent.offset, 0);
  // The broken one is closed when its last lease ends, and is not cached any more.
  const std::shared_ptr<detail::ProducerHandle> handle = broken->handle();
  broken.release();
  EXPECT_TRUE(handle->is_closed());
  EXPECT_EQ(pool.size(), 1u);
  const std::vector<ConsumedRecord> records = cluster_->read_all(kTopic);
  EXPECT_TRUE(std::any_of(records.begin(), records.end(), [](const ConsumedRecord& record) {
    return record.value == "after fatal";
  }));
}

TEST_F(ProducerPoolTest, AnIdempotentProducerWhoseRecordTimedOutIsReplaced) {
  MockCluster down(1);
  down.create_topic("timed-out", 1);
  ProducerPool pool(manual_options());
  const ProducerSettings timing_out = {{"bootstrap.servers", down.bootstrap_servers()},
                                       {"message.timeout.ms", "2000"}};
  down.set_broker_down(1);
  ProducerLease first = pool.acquire(timing_out);  // idempotent: kafkasink's default
  const Producer* first_producer = &first.producer();
  EXPECT_THAT([&] { first->send({.topic = "timed-out", .value = "lost"}).get(); },
              Throws<KafkaWriteError>(
                  Property(&KafkaWriteError::first_error,
                           Field(&KafkaWriteError::Failure::error_name, "_MSG_TIMED_OUT"))));
  first.release();  // its last lease: it leaves the pool now
  EXPECT_EQ(pool.size(), 0u);

  down.set_broker_up(1);
  ProducerLease second = pool.acquire(timing_out);
  EXPECT_NE(&second.producer(), first_producer);
  EXPECT_GE(second->send({.topic = "timed-out", .value = "delivered"}).get().offset, 0);
  const std::vector<ConsumedRecord> records = down.read_all("timed-out");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, "delivered");
}

}  // namespace
}  // namespace kafkasink
