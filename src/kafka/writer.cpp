#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/writer.hpp>

#include "kafka/kafka_write.hpp"
#include "kafka/transactional_write.hpp"
#include "session/session_state.hpp"
#include "util/text.hpp"

namespace kafkasink {

DataFrameWriter::DataFrameWriter(DataFrame frame) : frame_(std::move(frame)) {}

DataFrameWriter& DataFrameWriter::format(std::string source) {
  format_ = std::move(source);
  return *this;
}

DataFrameWriter& DataFrameWriter::option(std::string key, std::string value) {
  options_.emplace_back(std::move(key), std::move(value));
  return *this;
}

DataFrameWriter& DataFrameWriter::option(std::string key, const char* value) {
  return option(std::move(key), std::string(value));
}

DataFrameWriter& DataFrameWriter::option(std::string key, bool value) {
  return option(std::move(key), std::string(value ? "true" : "false"));
}

DataFrameWriter& DataFrameWriter::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) option(key, value);
  return *this;
}

DataFrameWriter& DataFrameWriter::mode(SaveMode mode) {
  mode_ = mode;
  return *this;
}

DataFrameWriter& DataFrameWriter::mode(std::string_view mode) {
  const std::string name = detail::to_lower(mode);
  if (name == "append") return this->mode(SaveMode::kAppend);
  if (name == "overwrite") return this->mode(SaveMode::kOverwrite);
  if (name == "ignore") return this->mode(SaveMode::kIgnore);
  if (name == "error" || name == "errorifexists" || name == "default") {
    return this->mode(SaveMode::kErrorIfExists);
  }
  throw IllegalArgumentError(
      "mode", fmt::format("Unknown save mode: {}. Accepted save modes are 'overwrite', 'append', "
                          "'ignore', 'error', 'errorifexists', 'default'.",
                          mode));
}

DataFrameWriter& DataFrameWriter::on_progress(std::function<void(const WriteProgress&)> callback) {
  on_progress_ = std::move(callback);
  return *this;
}

DataFrameWriter& DataFrameWriter::cancel_when(std::stop_token token,
                                              std::chrono::milliseconds grace) {
  cancel_ = std::move(token);
  cancel_grace_ = grace;
  return *this;
}

void DataFrameWriter::save() const {
  detail::check_sink_format(format_, "save()");
  if (mode_ == SaveMode::kOverwrite || mode_ == SaveMode::kIgnore) {
    throw AnalysisError(fmt::format(
        "Save mode {} not allowed for Kafka. Allowed save modes are Append and ErrorIfExists "
        "(default).",
        mode_ == SaveMode::kOverwrite ? "Overwrite" : "Ignore"));
  }
  const detail::KafkaSinkPlan plan =
      detail::KafkaSinkPlan::prepare(frame_.schema(), detail::OptionMap(options_));
  const std::shared_ptr<detail::SessionState> session =
      detail::session_or_default(frame_.session());
  if (plan.options.delivery_guarantee == detail::DeliveryGuarantee::kExactlyOnce) {
    detail::write_frame_exactly_once(plan, frame_, session->pool(), on_progress_);
  } else {
    detail::write_frame(plan, frame_, session->pool(), on_progress_, {cancel_, cancel_grace_});
  }
}

}  // namespace kafkasink
