// DataFrameReader: records the format, options and schema; load() parses the options once
// and hands the listed files to the CSV or JSON reader.
#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/reader.hpp>

#include "io/csv_reader.hpp"
#include "io/file_listing.hpp"
#include "io/json_reader.hpp"
#include "io/read_options.hpp"
#include "util/text.hpp"

namespace kafkasink {

DataFrameReader::DataFrameReader(std::shared_ptr<detail::SessionState> session)
    : session_(std::move(session)) {}

DataFrameReader& DataFrameReader::format(std::string source) {
  format_ = std::move(source);
  return *this;
}

DataFrameReader& DataFrameReader::option(std::string key, std::string value) {
  options_.emplace_back(std::move(key), std::move(value));
  return *this;
}

DataFrameReader& DataFrameReader::option(std::string key, const char* value) {
  return option(std::move(key), std::string(value));
}

DataFrameReader& DataFrameReader::option(std::string key, bool value) {
  return option(std::move(key), std::string(value ? "true" : "false"));
}

DataFrameReader& DataFrameReader::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) option(key, value);
  return *this;
}

DataFrameReader& DataFrameReader::schema(Schema schema) {
  schema_ = std::move(schema);
  return *this;
}

DataFrame DataFrameReader::load(const std::string& path) const {
  const std::string source = detail::to_lower(format_);
  if (source != "csv" && source != "json") {
    throw IllegalArgumentError(
        "format", format_.empty()
                      ? std::string("No format given: call format(\"csv\") or format(\"json\")")
                      : fmt::format("Unsupported data source format '{}': kafkasink reads csv "
                                    "and json",
                                    format_));
  }
  const detail::OptionMap options(options_);
  // Options are checked before the path, so a bad option is reported even for a bad path.
  if (source == "csv") {
    const detail::CsvOptions csv_options = detail::CsvOptions::parse(options);
    const std::vector<std::string> files = detail::list_batch_input_files(path);
    return detail::read_csv(files, csv_options, schema_, session_);
  }
  const detail::JsonOptions json_options = detail::JsonOptions::parse(options);
  const std::vector<std::string> files = detail::list_batch_input_files(path);
  return detail::read_json(files, json_options, schema_, session_);
}

DataFrame DataFrameReader::csv(const std::string& path) {
  format("csv");
  return load(path);
}

DataFrame DataFrameReader::json(const std::string& path) {
  format("json");
  return load(path);
}

}  // namespace kafkasink
