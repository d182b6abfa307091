// The producer pool under churn: threads acquire and release producers of a few
// configurations while the evictor closes every idle one each millisecond. Run under ASan
// (no use after free) and TSan (no race); the test itself checks that no leased producer is
// ever evicted or closed, and that every record sent through a lease reaches Kafka.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "kafka/producer_handle.hpp"
#include "support/frames.hpp"

namespace kafkasink {
namespace {

using namespace std::chrono_literals;

TEST(ProducerPoolChurn, LeasedProducersAreNeverEvictedWhileTheEvictorRunsEveryMillisecond) {
  MockCluster cluster(1);
  const std::string topic = test::unique_topic("faults-churn");
  cluster.create_topic(topic, 2);

  constexpr int kConfigurations = 4;
  std::vector<ProducerSettings> configurations;
  for (int index = 0; index < kConfigurations; ++index) {
    configurations.push_back({{"bootstrap.servers", cluster.bootstrap_servers()},
                              {"linger.ms", std::to_string(index)},
                              {"client.id", "churn-" + std::to_string(index)}});
  }
  // Idle for any time at all is too long: the evictor closes a producer at its first run
  // after its last lease is released.
  ProducerPool pool({.cache_timeout = 0ms, .evictor_interval = 1ms});

  constexpr int kThreads = 8;
  constexpr auto kRunTime = 2s;
  std::atomic<std::size_t> leases{0};
  std::atomic<std::size_t> delivered{0};
  std::atomic<std::size_t> not_delivered{0};
  std::atomic<std::size_t> evicted_while_leased{0};
  std::atomic<std::size_t> closed_while_leased{0};
  std::atomic<std::size_t> other_errors{0};
  const auto deadline = std::chrono::steady_clock::now() + kRunTime;
  {
    std::vector<std::jthread> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&, thread] {
        // A fixed seed per thread: the same schedule of configurations and holds every run.
        std::mt19937 random(static_cast<std::mt19937::result_type>(1234 + thread));
        std::uniform_int_distribution<int> pick(0, kConfigurations - 1);
        std::uniform_int_distribution<int> hold_us(0, 500);
        for (std::size_t iteration = 0; std::chrono::steady_clock::now() < deadline; ++iteration) {
          try {
            const ProducerSettings& settings =
                configurations[static_cast<std::size_t>(pick(random))];
            ProducerLease lease = pool.acquire(settings);
            leases.fetch_add(1);
            const std::optional<ProducerPool::EntryState> state = pool.entry_state(settings);
            if (!state || state->references == 0 || state->expires_at) {
              evicted_while_leased.fetch_add(1);
            }
            // Every 32nd lease sends, and waits for the acknowledgement while leased; the
            // others are released at once, which is when eviction races acquisition hardest.
            if (iteration % 32 == 0) {
              std::future<RecordMetadata> sent =
                  lease->send({.topic = topic,
                               .value = std::to_string(thread) + "-" + std::to_string(iteration)});
              try {
                sent.get();
                delivered.fetch_add(1);
              } catch (const KafkaWriteError&) {
                not_delivered.fetch_add(1);
              }
            } else {
              std::this_thread::sleep_for(std::chrono::microseconds(hold_us(random)));
            }
            if (lease->handle()->is_closed()) closed_while_leased.fetch_add(1);
          } catch (...) {
            other_errors.fetch_add(1);
          }
        }
      });
    }
  }
  pool.close();
  RecordProperty("leases", std::to_string(leases.load()));
  RecordProperty("delivered", std::to_string(delivered.load()));

  EXPECT_EQ(evicted_while_leased.load(), 0U);
  EXPECT_EQ(closed_while_leased.load(), 0U);
  EXPECT_EQ(not_delivered.load(), 0U);
  EXPECT_EQ(other_errors.load(), 0U);
  EXPECT_GT(leases.load(), static_cast<std::size_t>(kThreads));
  EXPECT_GT(delivered.load(), 0U);
  // Every acknowledged record is in Kafka.
  const std::vector<std::int64_t> ends = cluster.end_offsets(topic);
  EXPECT_EQ(std::accumulate(ends.begin(), ends.end(), std::int64_t{0}),
            static_cast<std::int64_t>(delivered.load()));
  EXPECT_EQ(pool.size(), 0U);
}

}  // namespace
}  // namespace kafkasink
