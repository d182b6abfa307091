// Threads sharing a transactional producer: the tasks of one exactly-once save all send through
// its producer, while other saves run their own transactions at the same time. Run under TSan
// against the real broker (tests named RealKafkaTsan/... get the label real-kafka-tsan, which
// the tsan preset includes). The pool's exclusivity is checked on the mock cluster, which can
// initialize transactions (it only cannot hide aborted records).
#include <array>
#include <exception>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <kafkasink/kafkasink.hpp>

#include "kafka/producer_handle.hpp"
#include "support/frames.hpp"
#include "support/test_broker.hpp"

namespace kafkasink {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(TransactionalPool, NeverLeasesOneTransactionalProducerTwiceAtOnce) {
  MockCluster cluster(1);
  ProducerPool pool;
  const ProducerSettings settings{{"bootstrap.servers", cluster.bootstrap_servers()}};
  ProducerLease first = pool.acquire_transactional(settings, "pool-test-0");
  ASSERT_TRUE(first);
  EXPECT_FALSE(pool.acquire_transactional(settings, "pool-test-0"));
  ProducerLease other = pool.acquire_transactional(settings, "pool-test-1");
  ASSERT_TRUE(other);
  EXPECT_NE(&first.producer(), &other.producer());

  // Released, the id can be leased again, by a new producer that fences the idle one.
  const auto old_handle = first->handle();
  first.release();
  const ProducerLease again = pool.acquire_transactional(settings, "pool-test-0");
  ASSERT_TRUE(again);
  EXPECT_NE(again->handle(), old_handle);
  EXPECT_TRUE(old_handle->is_closed());
  EXPECT_EQ(pool.size(), 2U);
}

TEST(TransactionalPool, AnyTransactionalGivesEachHolderItsOwnId) {
  MockCluster cluster(1);
  ProducerPool pool;
  ProducerPool other_pool;
  const ProducerSettings settings{{"bootstrap.servers", cluster.bootstrap_servers()}};
  const auto id_of = [](const ProducerLease& lease) {
    const std::string described = lease->describe();
    const std::size_t at = described.find("transactional.id=");
    return described.substr(at, described.find('\n', at) - at);
  };
  ProducerLease first = pool.acquire_any_transactional(settings, "any-");
  ProducerLease second = pool.acquire_any_transactional(settings, "any-");
  ProducerLease elsewhere = other_pool.acquire_any_transactional(settings, "any-");
  ProducerLease other_settings = pool.acquire_any_transactional(
      {{"bootstrap.servers", cluster.bootstrap_servers()}, {"linger.ms", "1"}}, "any-");
  const std::set<std::string> ids{id_of(first), id_of(second), id_of(elsewhere),
                                  id_of(other_settings)};
  EXPECT_EQ(ids.size(), 4U) << "two producers share a transactional id";

  const Producer* released = &second.producer();
  second.release();
  const ProducerLease again = pool.acquire_any_transactional(settings, "any-");
  EXPECT_EQ(&again.producer(), released) << "an idle transactional producer is reused";
}

TEST(TransactionalPool, ASharedLeaseOfATransactionalIdIsRefused) {
  MockCluster cluster(1);
  ProducerPool pool;
  EXPECT_THAT(
      [&] {
        (void)pool.acquire(
            {{"bootstrap.servers", cluster.bootstrap_servers()}, {"transactional.id", "shared"}});
      },
      ThrowsMessage<IllegalArgumentError>(HasSubstr(
          "Kafka producer setting 'transactional.id' cannot be shared: a transactional producer "
          "serves one transaction at a time.")));
}

class ExactlyOnceConcurrency : public test::BrokerTest {};

INSTANTIATE_TEST_SUITE_P(RealKafkaTsan,
                         ExactlyOnceConcurrency,
                         ::testing::Values(test::BrokerKind::real_kafka));

TEST_P(ExactlyOnceConcurrency, TasksShareTheirTransactionWhileOtherSavesRunTheirOwn) {
  const std::string topic = test::unique_topic("eos-tsan");
  broker().create_topic(topic, 3);
  constexpr int kWriters = 2;
  constexpr int kRows = 1'000;
  std::array<std::exception_ptr, kWriters> errors{};
  std::array<std::size_t, kWriters> reports{};
  {
    std::vector<std::jthread> writers;
    for (int writer = 0; writer < kWriters; ++writer) {
      writers.emplace_back([&, writer] {
        try {
          std::vector<Row> rows;
          for (int n = writer * kRows; n < (writer + 1) * kRows; ++n) {
            rows.push_back(Row{std::to_string(n)});
          }
          // A progress callback puts every task on a thread of its own.
          DataFrame::from_rows(Schema({{"value", string_type()}}), rows)
              .repartition(4)
              .write()
              .format("kafka")
              .option("kafka.bootstrap.servers", broker().bootstrap_servers())
              .option("topic", topic)
              .option("deliveryGuarantee", "exactly-once")
              .on_progress([&, writer](const WriteProgress&) {
                ++reports[static_cast<std::size_t>(writer)];
              })
              .save();
        } catch (...) {
          errors[static_cast<std::size_t>(writer)] = std::current_exception();
        }
      });
    }
  }
  for (int writer = 0; writer < kWriters; ++writer) {
    EXPECT_EQ(errors[static_cast<std::size_t>(writer)], nullptr);
    EXPECT_GE(reports[static_cast<std::size_t>(writer)], 1U);
  }
  std::multiset<std::string> values;
  for (const ConsumedRecord& record :
       broker().read_at_least(topic, static_cast<std::size_t>(kWriters * kRows))) {
    values.insert(record.value.value_or(""));
  }
  EXPECT_EQ(values.size(), static_cast<std::size_t>(kWriters * kRows));
  for (int n = 0; n < kWriters * kRows; ++n) EXPECT_EQ(values.count(std::to_string(n)), 1U);
}

}  // namespace
}  // namespace kafkasink
