// The query of streaming_crash_test, run in a child process that the test SIGKILLs in the
// middle of a batch: streaming_crash_helper <bootstrap servers> <topic> <input> <checkpoint>.
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include <kafkasink/kafkasink.hpp>

#include "integration/streaming_support.hpp"

int main(int argc, char** argv) {
  namespace ks = kafkasink;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <bootstrap> <topic> <input> <checkpoint>\n", argv[0]);
    return 2;
  }
  try {
    ks::Session session = ks::Session::builder().get_or_create();
    ks::StreamingQuery query =
        session.read_stream()
            .schema(ks::test::numbers_schema())
            .option("maxFilesPerTrigger", 1)
            .json(argv[3])
            .select_expr({"CAST(n AS STRING) AS value"})
            .write_stream()
            .format("kafka")
            .option("kafka.bootstrap.servers", argv[1])
            .option("topic", argv[2])
            .option("checkpointLocation", argv[4])
            .trigger(ks::Trigger::processing_time(std::chrono::milliseconds(10)))
            .start();
    // Runs until killed.
    query.await_termination();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
