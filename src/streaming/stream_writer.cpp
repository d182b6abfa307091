// DataStreamWriter: records the sink, then start() validates in Spark's order (format, then
// includeHeaders, which Spark reads when it builds the sink's table, then the checkpoint
// location, then the sink options and schema with the batch writer's own checks, then the
// session's minBatchesToRetain), opens the checkpoint and starts the query.
#include <cstdint>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/streaming.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/write_options.hpp"
#include "session/session_state.hpp"
#include "streaming/checkpoint.hpp"
#include "streaming/streaming_query.hpp"
#include "util/option_map.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

constexpr std::string_view kCheckpointLocationOption = "checkpointLocation";
constexpr std::string_view kCheckpointLocationSetting = "spark.sql.streaming.checkpointLocation";
constexpr std::string_view kIncludeHeadersOption = "includeHeaders";

// Spark's streaming write builds the Kafka table from the query's options
// (KafkaSourceProvider.getTable), which reads includeHeaders with
// CaseInsensitiveStringMap.getBoolean: "true" or "false" in any case, nothing trimmed. A batch
// write never reads it.
void check_include_headers(const detail::OptionMap& options) {
  const detail::OptionMap::Entry* found = options.find(kIncludeHeadersOption);
  if (found == nullptr) return;
  const std::string lower = detail::to_lower(found->value);
  if (lower == "true" || lower == "false") return;
  throw IllegalArgumentError(found->key, fmt::format("{} is not a boolean string.", found->value));
}

// Spark takes the retention from the session (StreamExecution's minLogEntriesToMaintain); a
// query option of that name is ignored there, and here.
std::size_t batches_to_retain(const detail::SessionState& session) {
  const std::optional<std::int32_t> count = detail::min_batches_to_retain(session.settings);
  if (!count) return 100;  // Spark's default
  if (*count <= 0) {
    throw IllegalArgumentError(std::string(detail::kMinBatchesToRetainSetting),
                               "requirement failed: minBatchesToRetain has to be positive");
  }
  return static_cast<std::size_t>(*count);
}

}  // namespace

DataStreamWriter::DataStreamWriter(StreamingDataFrame frame) : frame_(std::move(frame)) {}

DataStreamWriter& DataStreamWriter::format(std::string sink) {
  format_ = std::move(sink);
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string key, std::string value) {
  options_.emplace_back(std::move(key), std::move(value));
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string key, const char* value) {
  return option(std::move(key), std::string(value));
}

DataStreamWriter& DataStreamWriter::option(std::string key, bool value) {
  return option(std::move(key), std::string(value ? "true" : "false"));
}

DataStreamWriter& DataStreamWriter::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) option(key, value);
  return *this;
}

DataStreamWriter& DataStreamWriter::trigger(Trigger trigger) {
  trigger_ = trigger;
  return *this;
}

DataStreamWriter& DataStreamWriter::query_name(std::string name) {
  query_name_ = std::move(name);
  return *this;
}

DataStreamWriter& DataStreamWriter::progress_listener(StreamingProgressListener listener) {
  listener_ = std::move(listener);
  return *this;
}

StreamingQuery DataStreamWriter::start() const {
  detail::check_sink_format(format_, "start()");
  const detail::OptionMap options(options_);
  check_include_headers(options);

  std::shared_ptr<detail::SessionState> session =
      detail::session_or_default(frame_.plan()->session);
  std::optional<std::string> location;
  if (const detail::OptionMap::Entry* found = options.find(kCheckpointLocationOption)) {
    location = found->value;
  } else {
    // Spark: a session-wide location holds one folder per query, named after the query (a
    // query without a name gets a fresh folder, so it cannot be resumed).
    const auto setting = session->settings.find(std::string(kCheckpointLocationSetting));
    if (setting != session->settings.end()) {
      location = (std::filesystem::path(setting->second) /
                  (query_name_.empty() ? detail::random_uuid() : query_name_))
                     .string();
    }
  }
  if (!location || detail::trim(*location).empty()) {
    // Spark's AnalysisException (QueryCompilationErrors.checkpointLocationNotSpecifiedError).
    throw AnalysisError(
        "checkpointLocation must be specified either through option(\"checkpointLocation\", "
        "...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...).");
  }

  // As in Spark, the sink gets every option and ignores those it does not know.
  detail::KafkaSinkPlan sink = detail::KafkaSinkPlan::prepare(frame_.schema(), options);
  const std::size_t retain = batches_to_retain(*session);
  (void)session->pool();  // a stopped session fails here, not on the query's thread

  auto checkpoint = std::make_unique<detail::Checkpoint>(*location);
  detail::QueryConfig config{frame_.plan(), std::move(sink), std::move(session), trigger_,
                             query_name_,   retain,          listener_};
  return StreamingQuery(
      std::make_shared<StreamingQuery::Impl>(std::move(config), std::move(checkpoint)));
}

}  // namespace kafkasink
