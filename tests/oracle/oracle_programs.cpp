// The oracle's programs on kafkasink: each subcommand does with kafkasink's API exactly what the
// PySpark program of the same name in tests/oracle/programs.py does, against a real broker.
// pytest runs both and compares what reached Kafka, and the text printed here.
//
//   oracle_programs census-topic-option BOOTSTRAP TOPIC CSV
//   oracle_programs census-topic-column BOOTSTRAP TOPIC CSV
//   oracle_programs flights-stream BOOTSTRAP TOPIC DIR CHECKPOINT
//   oracle_programs flights-stream-topic-column BOOTSTRAP TOPIC DIR CHECKPOINT
//   oracle_programs headers-partition BOOTSTRAP TOPIC
//   oracle_programs corpus-write csv|json FILE BOOTSTRAP TOPIC
//   oracle_programs show csv|json FILE         prints show() of the file as read
//   oracle_programs show-headers               prints show() of the headers program's frame
//   oracle_programs schema csv|json FILE       prints printSchema() of the file as read
//   oracle_programs error CASE BOOTSTRAP TOPIC CSV STREAM_DIR CHECKPOINT
//
// `error` prints `no error` or the error's class name on the first line and its message after
// it; every other failure exits 1 with the message on standard error.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <kafkasink/kafkasink.hpp>

namespace ks = kafkasink;

namespace {

using Arguments = std::vector<std::string>;

ks::Session session() {
  return ks::Session::builder().get_or_create();
}

// CSV is read as the seed reads the census, with a header and inferred types; JSON lines with
// inference, Spark's default.
ks::DataFrame read_file(const std::string& format, const std::string& file) {
  ks::DataFrameReader reader = session().read().format(format);
  if (format == "csv") reader.option("header", "true").option("inferSchema", "true");
  return reader.load(file);
}

ks::DataFrame with_json_value(const ks::DataFrame& frame) {
  return frame.with_column("value", ks::to_json(ks::struct_(frame.columns())));
}

void census_topic_option(const Arguments& args) {
  const ks::DataFrame census = with_json_value(read_file("csv", args.at(2)));
  census.select_expr({"CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"})
      .write()
      .format("kafka")
      .option("kafka.bootstrap.servers", args.at(0))
      .option("topic", args.at(1))
      .save();
}

void census_topic_column(const Arguments& args) {
  const ks::DataFrame census = with_json_value(read_file("csv", args.at(2)));
  census.with_column("topic", ks::lit(args.at(1)))
      .select_expr({"topic", "CAST(_c0 AS STRING) AS key", "CAST(value AS STRING)"})
      .write()
      .format("kafka")
      .option("kafka.bootstrap.servers", args.at(0))
      .save();
}

ks::StreamingDataFrame flights(const std::string& folder) {
  ks::Session spark = session();
  const ks::Schema schema = spark.read().json(folder).schema();
  const ks::StreamingDataFrame stream =
      spark.read_stream().schema(schema).option("maxFilesPerTrigger", "1").json(folder);
  return stream.with_column("value", ks::to_json(ks::struct_(stream.columns())));
}

void flights_stream(const Arguments& args) {
  ks::StreamingQuery query =
      flights(args.at(2))
          .select_expr({"CAST(count AS STRING) AS key", "CAST(value AS STRING)"})
          .write_stream()
          .format("kafka")
          .option("kafka.bootstrap.servers", args.at(0))
          .option("topic", args.at(1))
          .option("checkpointLocation", args.at(3))
          .start();
  query.process_all_available();
  query.stop();
}

void flights_stream_topic_column(const Arguments& args) {
  ks::StreamingQuery query =
      flights(args.at(2))
          .with_column("topic", ks::lit(args.at(1)))
          .select_expr({"topic", "CAST(count AS STRING) AS key", "CAST(value AS STRING)"})
          .write_stream()
          .format("kafka")
          .option("kafka.bootstrap.servers", args.at(0))
          .option("checkpointLocation", args.at(3))
          .start();
  query.process_all_available();
  query.stop();
}

// The rows of the headers program, built the same way in programs.py: every fourth row has null
// headers, then no headers, two headers (one with a null value), and a repeated key next to a
// non-ASCII one. Every fifth row leaves the partition to the partitioner.
ks::DataFrame headers_frame() {
  const ks::DataType header = ks::struct_type(
      {ks::Field{"key", ks::string_type(), true}, ks::Field{"value", ks::binary_type(), true}});
  const ks::Schema schema({ks::Field{"key", ks::string_type(), true},
                           ks::Field{"value", ks::string_type(), true},
                           ks::Field{"partition", ks::int_type(), true},
                           ks::Field{"headers", ks::array_type(header, true), true}});
  const auto pair = [](std::string key, ks::Value value) {
    return ks::Value(ks::StructValue{{ks::Value(std::move(key)), std::move(value)}});
  };
  std::vector<ks::Row> rows;
  for (std::int32_t i = 0; i < 30; ++i) {
    ks::Value partition = i % 5 == 0 ? ks::Value() : ks::Value(i % 3);
    ks::Value headers;
    switch (i % 4) {
      case 1:
        headers = ks::ArrayValue{};
        break;
      case 2:
        headers =
            ks::ArrayValue{pair("a", ks::Bytes{std::string{static_cast<char>(i), '\0', '\xff'}}),
                           pair("b", ks::Value())};
        break;
      case 3:
        headers = ks::ArrayValue{pair("a", ks::Bytes{"x"}), pair("a", ks::Bytes{"y"}),
                                 pair("\xc3\xbc", ks::Bytes{"\xc3"})};
        break;
      default:
        break;
    }
    rows.push_back(ks::Row{ks::Value("k" + std::to_string(i)),
                           ks::Value("v" + std::to_string(i) + " \xe2\x82\xac"), partition,
                           headers});
  }
  return ks::DataFrame::from_rows(schema, rows);
}

void headers_partition(const Arguments& args) {
  headers_frame()
      .write()
      .format("kafka")
      .option("kafka.bootstrap.servers", args.at(0))
      .option("topic", args.at(1))
      .save();
}

void corpus_write(const Arguments& args) {
  const ks::DataFrame frame = with_json_value(read_file(args.at(0), args.at(1)));
  frame.select({frame["value"]})
      .write()
      .format("kafka")
      .option("kafka.bootstrap.servers", args.at(2))
      .option("topic", args.at(3))
      .save();
}

// The error cases of programs.py's ERROR_CASES, by name: each breaks one rule of the sink.
void error_case(const Arguments& args) {
  const std::string& name = args.at(0);
  const std::string& bootstrap = args.at(1);
  const std::string& topic = args.at(2);
  const ks::DataFrame census = read_file("csv", args.at(3));
  const auto writer = [&](const std::vector<std::string>& expressions) {
    ks::DataFrameWriter write = census.select_expr(expressions).write();
    write.format("kafka").option("kafka.bootstrap.servers", bootstrap);
    return write;
  };
  // The census folder (args[4]) as a stream, through a Kafka stream writer like writer's.
  const auto stream_writer = [&](const std::vector<std::string>& expressions) {
    const ks::StreamingDataFrame stream =
        session().read_stream().schema(census.schema()).option("header", "true").csv(args.at(4));
    ks::DataStreamWriter write = stream.select_expr(expressions).write_stream();
    write.format("kafka").option("kafka.bootstrap.servers", bootstrap);
    return write;
  };
  // Starts a query and runs it over everything there is.
  const auto run_to_end = [](ks::DataStreamWriter& write) {
    ks::StreamingQuery query = write.start();
    query.process_all_available();
    query.stop();
  };
  const std::vector<std::string> value{"CAST(_c0 AS STRING) AS value"};
  const std::map<std::string, std::function<void()>> cases{
      {"no-topic", [&] { writer(value).save(); }},
      {"topic-int",
       [&] {
         writer({"_c0 AS topic", "CAST(_c0 AS STRING) AS value"}).save();
       }},
      {"null-topic",
       [&] {
         writer({"CAST(NULL AS STRING) AS topic", "CAST(_c0 AS STRING) AS value"}).save();
       }},
      {"no-value", [&] { writer({"CAST(_c0 AS STRING) AS key"}).option("topic", topic).save(); }},
      {"value-int", [&] { writer({"_c0 AS value"}).option("topic", topic).save(); }},
      {"value-double",
       [&] { writer({"CAST(_c0 AS DOUBLE) AS value"}).option("topic", topic).save(); }},
      {"key-int",
       [&] {
         writer({"_c0 AS key", "CAST(_c0 AS STRING) AS value"}).option("topic", topic).save();
       }},
      {"partition-string",
       [&] {
         writer({"CAST(_c0 AS STRING) AS value", "CAST(_c0 AS STRING) AS partition"})
             .option("topic", topic)
             .save();
       }},
      {"partition-long",
       [&] {
         writer({"CAST(_c0 AS STRING) AS value", "CAST(_c0 AS LONG) AS partition"})
             .option("topic", topic)
             .save();
       }},
      {"headers-string",
       [&] {
         writer({"CAST(_c0 AS STRING) AS value", "CAST(_c0 AS STRING) AS headers"})
             .option("topic", topic)
             .save();
       }},
      {"mode-overwrite", [&] { writer(value).option("topic", topic).mode("overwrite").save(); }},
      {"mode-ignore", [&] { writer(value).option("topic", topic).mode("ignore").save(); }},
      {"mode-unknown", [&] { writer(value).option("topic", topic).mode("bogus").save(); }},
      {"key-serializer",
       [&] {
         writer(value)
             .option("topic", topic)
             .option("kafka.key.serializer",
                     "org.apache.kafka.common.serialization.StringSerializer")
             .save();
       }},
      {"value-serializer",
       [&] {
         writer(value)
             .option("topic", topic)
             .option("kafka.value.serializer",
                     "org.apache.kafka.common.serialization.StringSerializer")
             .save();
       }},
      {"no-bootstrap",
       [&] { census.select_expr(value).write().format("kafka").option("topic", topic).save(); }},
      {"include-headers-unknown",
       [&] { writer(value).option("topic", topic).option("includeHeaders", "maybe").save(); }},
      {"negative-partition",
       [&] {
         writer({"CAST(_c0 AS STRING) AS value", "CAST('-1' AS INT) AS partition"})
             .option("topic", topic)
             .save();
       }},
      {"format-unknown",
       [&] {
         census.select_expr(value)
             .write()
             .format("bogus")
             .option("kafka.bootstrap.servers", bootstrap)
             .option("topic", topic)
             .save();
       }},
      {"stream-min-batches-zero",
       [&] {
         ks::DataStreamWriter write = stream_writer(value);
         write.option("topic", topic)
             .option("checkpointLocation", args.at(5))
             .option("minBatchesToRetain", "0");
         run_to_end(write);
       }},
      {"unknown-setting",
       [&] { writer(value).option("topic", topic).option("kafka.no.such.setting", "1").save(); }},
      {"topic-int-with-option",
       [&] {
         writer({"_c0 AS topic", "CAST(_c0 AS STRING) AS value"}).option("topic", topic).save();
       }},
      {"mode-append", [&] { writer(value).option("topic", topic).mode("append").save(); }},
      {"mode-errorifexists",
       [&] { writer(value).option("topic", topic).mode("errorifexists").save(); }},
      {"stream-value-int",
       [&] {
         ks::DataStreamWriter write = stream_writer({"_c0 AS value"});
         write.option("topic", topic).option("checkpointLocation", args.at(5));
         run_to_end(write);
       }},
      {"stream-no-checkpoint", [&] { stream_writer(value).option("topic", topic).start().stop(); }},
      {"stream-no-topic",
       [&] {
         ks::DataStreamWriter write = stream_writer(value);
         write.option("checkpointLocation", args.at(5));
         run_to_end(write);
       }},
  };
  const auto found = cases.find(name);
  if (found == cases.end()) throw ks::IllegalArgumentError("", "no error case " + name);
  try {
    found->second();
    std::cout << "no error\n";
  } catch (const ks::StreamingQueryError& error) {
    // A query that starts and then fails reports its cause, as Spark's StreamingQueryException.
    try {
      std::rethrow_exception(error.cause());
    } catch (const std::exception& cause) {
      std::cout << "StreamingQueryError\n" << cause.what() << "\n";
    }
  } catch (const ks::AnalysisError& error) {
    std::cout << "AnalysisError\n" << error.what() << "\n";
  } catch (const ks::IllegalArgumentError& error) {
    std::cout << "IllegalArgumentError\n" << error.what() << "\n";
  } catch (const ks::KafkaWriteError& error) {
    std::cout << "KafkaWriteError\n" << error.what() << "\n";
  } catch (const ks::Error& error) {
    std::cout << "Error\n" << error.what() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);  // NOLINT
  if (all.empty()) {
    std::cerr << "usage: oracle_programs PROGRAM ARGUMENTS... (see the source)\n";
    return 2;
  }
  const std::string& program = all.front();
  const Arguments args(all.begin() + 1, all.end());
  try {
    if (program == "census-topic-option") {
      census_topic_option(args);
    } else if (program == "census-topic-column") {
      census_topic_column(args);
    } else if (program == "flights-stream") {
      flights_stream(args);
    } else if (program == "flights-stream-topic-column") {
      flights_stream_topic_column(args);
    } else if (program == "headers-partition") {
      headers_partition(args);
    } else if (program == "corpus-write") {
      corpus_write(args);
    } else if (program == "show") {
      std::cout << read_file(args.at(0), args.at(1)).show_string();
    } else if (program == "show-headers") {
      std::cout << headers_frame().show_string();
    } else if (program == "schema") {
      std::cout << read_file(args.at(0), args.at(1)).schema().tree_string();
    } else if (program == "error") {
      error_case(args);
    } else {
      std::cerr << "oracle_programs: no program " << program << "\n";
      return 2;
    }
    std::cout.flush();
    session().stop();
  } catch (const std::exception& error) {
    std::cerr << "oracle_programs " << program << ": " << error.what() << "\n";
    return 1;
  }
  return 0;
}
