// DataStreamReader and Session::read_stream: the streaming source is checked and recorded
// here; no file is read until a query runs.
#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/session.hpp>
#include <kafkasink/streaming.hpp>

#include "io/file_listing.hpp"
#include "io/read_options.hpp"
#include "streaming/stream_plan.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

constexpr std::string_view kMaxFilesPerTriggerOption = "maxFilesPerTrigger";

}  // namespace

DataStreamReader Session::read_stream() const {
  return DataStreamReader(state_);
}

DataStreamReader::DataStreamReader(std::shared_ptr<detail::SessionState> session)
    : session_(std::move(session)) {}

DataStreamReader& DataStreamReader::format(std::string source) {
  format_ = std::move(source);
  return *this;
}

DataStreamReader& DataStreamReader::option(std::string key, std::string value) {
  options_.emplace_back(std::move(key), std::move(value));
  return *this;
}

DataStreamReader& DataStreamReader::option(std::string key, const char* value) {
  return option(std::move(key), std::string(value));
}

DataStreamReader& DataStreamReader::option(std::string key, bool value) {
  return option(std::move(key), std::string(value ? "true" : "false"));
}

DataStreamReader& DataStreamReader::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) option(key, value);
  return *this;
}

DataStreamReader& DataStreamReader::schema(Schema schema) {
  schema_ = std::move(schema);
  return *this;
}

StreamingDataFrame DataStreamReader::load(const std::string& path) const {
  const std::string source_format = detail::to_lower(format_);
  if (source_format != "csv" && source_format != "json") {
    throw IllegalArgumentError(
        "format", format_.empty()
                      ? std::string("No format given: call format(\"csv\") or format(\"json\")")
                      : fmt::format("Unsupported data source format '{}': kafkasink streams csv "
                                    "and json files",
                                    format_));
  }
  if (!schema_) {
    // Spark's text (DataSource.sourceSchema, spark.sql.streaming.schemaInference off).
    throw IllegalArgumentError(
        "schema",
        "Schema must be specified when creating a streaming source DataFrame. If some files "
        "already exist in the directory, then depending on the file format you may be able to "
        "create a static DataFrame on that directory with 'spark.read.load(directory)' and "
        "infer schema from it.");
  }
  auto source = std::make_shared<detail::StreamSource>();
  source->format = source_format;
  source->schema = *schema_;
  const detail::OptionMap options(options_);
  if (source_format == "csv") {
    source->csv = detail::CsvOptions::parse(options);
  } else {
    source->json = detail::JsonOptions::parse(options);
  }
  if (const auto found = options.find(kMaxFilesPerTriggerOption)) {
    std::size_t count = 0;
    const std::string_view text = detail::trim(found->value);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end != text.data() + text.size() || count == 0) {
      // Spark's FileStreamOptions text.
      throw IllegalArgumentError(
          found->key, fmt::format("Invalid value '{}' for option 'maxFilesPerTrigger', must be "
                                  "a positive integer",
                                  found->value));
    }
    source->max_files_per_trigger = count;
  }
  (void)detail::list_input_files(path);  // Spark: "Path does not exist: ..." at load time
  source->path = std::filesystem::absolute(path).lexically_normal().string();
  if (source->path.size() > 1 && source->path.back() == '/') source->path.pop_back();

  auto plan = std::make_shared<detail::StreamPlan>();
  plan->source = std::move(source);
  plan->session = session_;
  plan->empty = DataFrame::from_rows(*schema_, {});
  return StreamingDataFrame(std::move(plan));
}

StreamingDataFrame DataStreamReader::csv(const std::string& path) {
  format("csv");
  return load(path);
}

StreamingDataFrame DataStreamReader::json(const std::string& path) {
  format("json");
  return load(path);
}

}  // namespace kafkasink
