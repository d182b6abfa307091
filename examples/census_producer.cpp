// The seed's kafka-python loop in C++: one JSON row per send, waiting for each
// acknowledgement before sending the next.
//
//   census_producer [--bootstrap-servers HOST:PORT] [--topic T] [--sleep SECONDS] [--limit N]
//
// Without --bootstrap-servers it starts an embedded Kafka broker (MockCluster) on loopback.
#include <chrono>
#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

int main(int argc, char** argv) try {
  std::optional<std::string> bootstrap_servers;
  std::string topic = "census";
  double sleep_seconds = 0;
  std::size_t limit = 0;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag =
        argv[index];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    const std::string value =
        argv[index + 1];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    if (flag == "--bootstrap-servers") {
      bootstrap_servers = value;
    } else if (flag == "--topic") {
      topic = value;
    } else if (flag == "--sleep") {
      sleep_seconds = std::stod(value);
    } else if (flag == "--limit") {
      limit = std::stoul(value);
    } else {
      std::cerr << "usage: census_producer [--bootstrap-servers HOST:PORT] [--topic T] "
                   "[--sleep SECONDS] [--limit N]\n";
      return 2;
    }
  }
  std::optional<ks::MockCluster> embedded;
  if (!bootstrap_servers) {
    embedded.emplace(1);
    bootstrap_servers = embedded->bootstrap_servers();
    std::cout << "Started an embedded Kafka broker at " << *bootstrap_servers << '\n';
  }

  ks::Session spark = ks::Session::builder().get_or_create();
  const ks::DataFrame census =
      spark.read().option("header", true).option("inferSchema", true).csv("data/census_1000.csv");
  // value_serializer=lambda v: json.dumps(v).encode('utf-8')
  const std::vector<ks::Row> rows =
      census.select({ks::to_json(ks::struct_(census.columns())).alias("value")}).collect();

  ks::ProducerLease producer =
      spark.producer_pool().acquire({{"bootstrap.servers", *bootstrap_servers}});
  std::size_t sent = 0;
  for (const ks::Row& row : rows) {
    if (limit > 0 && sent == limit) break;
    std::future<ks::RecordMetadata> future =
        producer->send({.topic = topic, .value = row[0].as<std::string>()});
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      std::cerr << "record " << sent << " was not acknowledged within 10 s\n";
      return 1;
    }
    const ks::RecordMetadata metadata = future.get();  // throws KafkaWriteError if not delivered
    ++sent;
    if (sent % 100 == 0 || sent == rows.size()) {
      std::cout << "sent " << sent << " rows; last at " << metadata.topic << '-'
                << metadata.partition << '@' << metadata.offset << '\n';
    }
    if (sleep_seconds > 0)
      std::this_thread::sleep_for(std::chrono::duration<double>(sleep_seconds));
  }
  producer.release();
  if (embedded) std::cout << "read back " << embedded->read_all(topic).size() << " records\n";
  return 0;

} catch (const std::exception& error) {
  std::cerr << "census_producer: " << error.what() << '\n';
  return 1;
}
