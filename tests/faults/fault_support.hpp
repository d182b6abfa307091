// Helpers of the fault-injection tests: numbered rows to write, the check that each came back
// once and in order, and a broker taken down without leaving the mock broker a duplicate.
//
// librdkafka 2.0.2's mock broker checks the sequence numbers of transactional producers only,
// not those of a plain idempotent one (rd_kafka_mock_validate_records returns early without a
// TransactionalId). A Produce request it appended but whose answer a disconnect lost is
// appended again when the producer retries it: a duplicate a real broker would drop. So the
// tests never cut a connection right after an append, nor append right after a cut:
// - a disconnect (or the broker going down) comes only after at least kMaxInFlight requests
//   that append nothing, which guarantees that the producer (at most 5 requests in flight per
//   connection with idempotence) has read the answer of every request the broker appended;
// - an injected disconnect (disconnect() below) is followed by kMaxInFlight refusals: the mock
//   shuts the socket down but still handles the requests the producer had pipelined behind the
//   cut one, and their answers are lost with the connection.
// take_down_during_refusals checks after the fact that the broker went down while refusing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <kafkasink/kafkasink.hpp>

namespace kafkasink::test {

using namespace std::chrono_literals;

constexpr int kProduceApi = 0;
// librdkafka caps max.in.flight.requests.per.connection at 5 with idempotence.
constexpr std::size_t kMaxInFlight = 5;

/// One entry of a broker's Produce error stack.
using RequestFault = std::pair<int, std::chrono::milliseconds>;

inline RequestFault answer(rd_kafka_resp_err_t error) {
  return {static_cast<int>(error), 0ms};
}

/// `count` Produce requests answered normally (their records are appended).
inline std::vector<RequestFault> appends(std::size_t count) {
  return std::vector<RequestFault>(count, answer(RD_KAFKA_RESP_ERR_NO_ERROR));
}

/// `count` Produce requests refused with a retriable error that appends nothing.
inline std::vector<RequestFault> refusals(std::size_t count) {
  return std::vector<RequestFault>(count, answer(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS));
}

/// A disconnect, then kMaxInFlight refusals for the requests pipelined behind it.
inline std::vector<RequestFault> disconnect() {
  std::vector<RequestFault> faults{answer(RD_KAFKA_RESP_ERR__TRANSPORT)};
  const std::vector<RequestFault> behind = refusals(kMaxInFlight);
  faults.insert(faults.end(), behind.begin(), behind.end());
  return faults;
}

/// The entries of `parts`, one after the other.
inline std::vector<RequestFault> in_order(std::initializer_list<std::vector<RequestFault>> parts) {
  std::vector<RequestFault> all;
  for (const std::vector<RequestFault>& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

/// Rows `partition` (row % kafka_partitions), `value` (the row number as text), in
/// `frame_partitions` contiguous partitions of equal size (`rows` must divide evenly).
inline DataFrame numbered_rows(std::size_t rows,
                               int kafka_partitions,
                               std::size_t frame_partitions) {
  std::vector<Row> data;
  data.reserve(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    data.push_back(Row{static_cast<std::int32_t>(row % static_cast<std::size_t>(kafka_partitions)),
                       std::to_string(row)});
  }
  return DataFrame::from_rows(Schema({{"partition", int_type()}, {"value", string_type()}}), data)
      .repartition(frame_partitions);
}

/// What came back of a numbered_rows write.
struct Tally {
  std::vector<int> copies;          ///< by row number
  std::size_t out_of_order = 0;     ///< rows read after a later row of the same task
  std::size_t wrong_partition = 0;  ///< rows not in the partition their column named
  std::size_t foreign = 0;          ///< values that are no row number
  std::map<std::int32_t, std::size_t> per_partition;

  std::size_t missing() const {
    std::size_t count = 0;
    for (const int copy : copies) count += copy == 0 ? 1 : 0;
    return count;
  }
  std::size_t duplicated() const {
    std::size_t count = 0;
    for (const int copy : copies) count += copy > 1 ? static_cast<std::size_t>(copy - 1) : 0;
    return count;
  }
  std::size_t distinct() const { return copies.size() - missing(); }
};

/// Counts the rows of `records`. A task (frame partition) sends its rows in order, so in each
/// Kafka partition the rows of one task must come in increasing order.
inline Tally tally(const std::vector<ConsumedRecord>& records,
                   std::size_t rows,
                   int kafka_partitions,
                   std::size_t frame_partitions) {
  Tally result;
  result.copies.assign(rows, 0);
  const std::size_t rows_per_task = rows / frame_partitions;
  std::map<std::pair<std::int32_t, std::size_t>, std::size_t> last_by_partition_and_task;
  for (const ConsumedRecord& record : records) {
    std::size_t row = 0;
    try {
      row = std::stoul(record.value.value_or("-"));
    } catch (const std::exception&) {
      ++result.foreign;
      continue;
    }
    if (row >= rows) {
      ++result.foreign;
      continue;
    }
    ++result.copies[row];
    ++result.per_partition[record.partition];
    if (static_cast<std::int32_t>(row % static_cast<std::size_t>(kafka_partitions)) !=
        record.partition) {
      ++result.wrong_partition;
    }
    const auto key = std::make_pair(record.partition, row / rows_per_task);
    const auto last = last_by_partition_and_task.find(key);
    if (last != last_by_partition_and_task.end() && last->second >= row) ++result.out_of_order;
    last_by_partition_and_task[key] = row;
  }
  return result;
}

/// Waits until broker `id` has at most `left` entries of its Produce stack unused.
inline void wait_for_produce_requests(const MockCluster& cluster, int id, std::size_t left) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (cluster.broker_request_errors_left(id, kProduceApi) > left) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "broker " << id << " did not get the Produce requests the test waits for";
    std::this_thread::sleep_for(1ms);
  }
}

/// Waits until broker `id` has used kMaxInFlight of the `refusals` ending its Produce stack,
/// then takes it down. Returns whether it went down while refusing: false when a loaded
/// machine kept the test thread from running until the refusals were used up, and the requests
/// in flight may then include appends.
[[nodiscard]] inline bool take_down_during_refusals(MockCluster& cluster,
                                                    int id,
                                                    std::size_t refusals) {
  wait_for_produce_requests(cluster, id, refusals - kMaxInFlight);
  cluster.set_broker_down(id);  // synchronous: no request reaches the broker after it
  return cluster.broker_request_errors_left(id, kProduceApi) > 0;
}

/// Brings every broker of a MockCluster up when it leaves scope, so that a failed assertion
/// does not leave a write waiting for a broker forever.
class BrokersUpAtExit {
 public:
  BrokersUpAtExit(MockCluster& cluster, int brokers) : cluster_(cluster), brokers_(brokers) {}
  ~BrokersUpAtExit() {
    for (int id = 1; id <= brokers_; ++id) cluster_.set_broker_up(id);
  }
  BrokersUpAtExit(const BrokersUpAtExit&) = delete;
  BrokersUpAtExit& operator=(const BrokersUpAtExit&) = delete;

 private:
  MockCluster& cluster_;
  int brokers_;
};

}  // namespace kafkasink::test
