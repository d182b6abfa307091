// The seed's batch programs in C++: read the census CSV, turn every row into a JSON value,
// and write it to Kafka twice, first with the topic from the `topic` option, then with the
// topic from a column. Then read the records back to show that they arrived.
//
//   census_to_kafka [--bootstrap-servers HOST:PORT] [--data data/census_1000.csv]
//
// Without --bootstrap-servers it starts an embedded Kafka broker (MockCluster) on loopback.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

namespace {

struct Arguments {
  std::optional<std::string> bootstrap_servers;
  std::string data = "data/census_1000.csv";
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  for (int index = 1; index < argc; ++index) {
    const std::string flag =
        argv[index];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    if ((flag == "--bootstrap-servers" || flag == "--data") && index + 1 < argc) {
      const std::string value = argv[++index];  // NOLINT
      (flag == "--data" ? arguments.data : arguments.bootstrap_servers.emplace()) = value;
    } else {
      std::cerr << "usage: census_to_kafka [--bootstrap-servers HOST:PORT] [--data FILE]\n";
      std::exit(2);  // NOLINT(concurrency-mt-unsafe)
    }
  }
  return arguments;
}

}  // namespace

int main(int argc, char** argv) try {
  const Arguments arguments = parse_arguments(argc, argv);
  std::optional<ks::MockCluster> embedded;
  std::string broker;
  if (arguments.bootstrap_servers) {
    broker = *arguments.bootstrap_servers;
  } else {
    embedded.emplace(1);
    embedded->create_topic("default_topic", 3);
    broker = embedded->bootstrap_servers();
    std::cout << "Started an embedded Kafka broker at " << broker << "\n\n";
  }

  ks::Session spark =
      ks::Session::builder().config("spark.kafka.producer.cache.timeout", "10m").get_or_create();

  ks::DataFrame df = spark.read()
                         .format("csv")
                         .option("header", "true")
                         .option("inferSchema", "true")
                         .load(arguments.data);
  df.show(3, /*truncate=*/false);
  df.print_schema();

  // value = every column of the row as one JSON object
  df = df.with_column("value", ks::to_json(ks::struct_(df.columns())));

  // batch write, topic from the option
  const ks::DataFrame records =
      df.select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"});
  records.show(3);
  records.write()
      .format("kafka")
      .option("kafka.bootstrap.servers", broker)
      .option("topic", "default_topic")
      .save();
  std::cout << "Wrote " << records.count() << " records with the topic from the option\n";

  // batch write, topic from a column
  df.with_column("topic", ks::lit("default_topic"))
      .select_expr({"topic", "CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"})
      .write()
      .format("kafka")
      .option("kafka.bootstrap.servers", broker)
      .save();
  std::cout << "Wrote " << records.count() << " records with the topic from a column\n\n";

  if (embedded) {
    const std::vector<ks::ConsumedRecord> arrived = embedded->read_all("default_topic");
    std::map<std::int32_t, std::size_t> per_partition;
    for (const ks::ConsumedRecord& record : arrived) ++per_partition[record.partition];
    std::cout << "Read back " << arrived.size() << " records from default_topic:";
    for (const auto& [partition, count] : per_partition) {
      std::cout << " partition " << partition << ": " << count << ';';
    }
    std::cout << "\nfirst record: key=" << arrived.front().key.value_or("null")
              << " value=" << arrived.front().value.value_or("null") << '\n';
    if (arrived.size() != 2 * records.count()) {
      std::cerr << "expected " << 2 * records.count() << " records\n";
      return 1;
    }
  }
  spark.stop();
  return 0;

} catch (const std::exception& error) {
  std::cerr << "census_to_kafka: " << error.what() << '\n';
  return 1;
}
