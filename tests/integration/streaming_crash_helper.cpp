// The query of streaming_crash_test, streaming_kill_test and exactly_once_kill_test, run in a
// child process that the test SIGKILLs in the middle of a batch:
//   streaming_crash_helper <bootstrap servers> <topic> <input> <checkpoint> [--csv]
//                          [--exactly-once]
// `--csv` reads CSV files of one number a line instead of JSON lines; `--exactly-once` writes
// with deliveryGuarantee exactly-once.
#include <chrono>
#include <cstdio>
#include <exception>
#include <string_view>
#include <thread>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"

int main(int argc, char** argv) {
  namespace ks = kafkasink;
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: %s <bootstrap> <topic> <input> <checkpoint> [--csv] [--exactly-once]\n",
                 argv[0]);
    return 2;
  }
  bool csv = false;
  bool exactly_once = false;
  for (int argument = 5; argument < argc; ++argument) {
    const std::string_view flag = argv[argument];
    if (flag == "--csv") {
      csv = true;
    } else if (flag == "--exactly-once") {
      exactly_once = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[argument]);
      return 2;
    }
  }
  try {
    ks::Session session = ks::Session::builder().get_or_create();
    ks::DataStreamReader reader = session.read_stream();
    reader.schema(ks::test::numbers_schema()).option("maxFilesPerTrigger", 1);
    ks::StreamingDataFrame input = csv ? reader.csv(argv[3]) : reader.json(argv[3]);
    ks::DataStreamWriter writer = input.select_expr({"CAST(n AS STRING) AS value"}).write_stream();
    writer.format("kafka")
        .option("kafka.bootstrap.servers", argv[1])
        .option("topic", argv[2])
        .option("checkpointLocation", argv[4])
        .trigger(ks::Trigger::processing_time(std::chrono::milliseconds(10)));
    if (exactly_once) writer.option("deliveryGuarantee", "exactly-once");
    ks::StreamingQuery query = writer.start();
    // Runs until killed.
    query.await_termination();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
