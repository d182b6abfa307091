// DataStreamWriter: records the sink, then start() validates in Spark's order (format, then
// checkpoint location, then the sink options and schema with the batch writer's own checks),
// opens the checkpoint and starts the query.
#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/streaming.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/write_options.hpp"
#include "session/session_state.hpp"
#include "streaming/checkpoint.hpp"
#include "streaming/streaming_query.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

constexpr std::string_view kCheckpointLocationOption = "checkpointLocation";
constexpr std::string_view kMinBatchesToRetainOption = "minBatchesToRetain";
constexpr std::string_view kCheckpointLocationSetting = "spark.sql.streaming.checkpointLocation";

bool is_streaming_option(std::string_view key) {
  const std::string lower = detail::to_lower(key);
  return lower == detail::to_lower(kCheckpointLocationOption) ||
         lower == detail::to_lower(kMinBatchesToRetainOption);
}

std::size_t parse_retain(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    if (detail::to_lower(key) != detail::to_lower(kMinBatchesToRetainOption)) continue;
    std::size_t count = 0;
    const std::string_view text = detail::trim(value);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (error != std::errc() || end != text.data() + text.size() || count == 0) {
      throw IllegalArgumentError(
          key, fmt::format("Invalid value '{}' for option 'minBatchesToRetain', must be a "
                           "positive integer",
                           value));
    }
    return count;
  }
  return 100;  // Spark's spark.sql.streaming.minBatchesToRetain
}

}  // namespace

DataStreamWriter::DataStreamWriter(StreamingDataFrame frame) : frame_(std::move(frame)) {}

DataStreamWriter& DataStreamWriter::format(std::string sink) {
  format_ = std::move(sink);
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string key, std::string value) {
  options_[std::move(key)] = std::move(value);
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string key, const char* value) {
  return option(std::move(key), std::string(value));
}

DataStreamWriter& DataStreamWriter::option(std::string key, bool value) {
  return option(std::move(key), std::string(value ? "true" : "false"));
}

DataStreamWriter& DataStreamWriter::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) options_[key] = value;
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
  if (detail::to_lower(format_) != "kafka") {
    throw IllegalArgumentError(
        "format", format_.empty()
                      ? std::string("No format given: call format(\"kafka\") before start().")
                      : fmt::format("Failed to find the data source: {}. kafkasink writes to "
                                    "\"kafka\" only.",
                                    format_));
  }

  std::shared_ptr<detail::SessionState> session =
      detail::session_or_default(frame_.plan()->session);
  std::optional<std::string> location =
      detail::find_option(options_, detail::to_lower(kCheckpointLocationOption));
  if (!location) {
    // Spark: a session-wide location holds one folder per query, named after the query (a
    // query without a name gets a fresh folder, so it cannot be resumed).
    const auto found = session->settings.find(std::string(kCheckpointLocationSetting));
    if (found != session->settings.end()) {
      location = (std::filesystem::path(found->second) /
                  (query_name_.empty() ? detail::random_uuid() : query_name_))
                     .string();
    }
  }
  if (!location || detail::trim(*location).empty()) {
    throw IllegalArgumentError(
        std::string(kCheckpointLocationOption),
        "checkpointLocation must be specified either through option(\"checkpointLocation\", "
        "...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)");
  }

  std::map<std::string, std::string> sink_options;
  for (const auto& [key, value] : options_) {
    if (!is_streaming_option(key)) sink_options.emplace(key, value);
  }
  detail::KafkaSinkPlan sink = detail::KafkaSinkPlan::prepare(frame_.schema(), sink_options);
  const std::size_t retain = parse_retain(options_);
  (void)session->pool();  // a stopped session fails here, not on the query's thread

  auto checkpoint = std::make_unique<detail::Checkpoint>(*location);
  detail::QueryConfig config{frame_.plan(), std::move(sink), std::move(session), trigger_,
                             query_name_,   retain,          listener_};
  return StreamingQuery(
      std::make_shared<StreamingQuery::Impl>(std::move(config), std::move(checkpoint)));
}

}  // namespace kafkasink
