#include "record_output.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink::tool {

namespace {

Value optional_text(const std::optional<std::string>& text) {
  return text ? Value(*text) : Value(nullptr);
}

nlohmann::ordered_json optional_json(const std::optional<std::string>& text) {
  return text ? nlohmann::ordered_json(*text) : nlohmann::ordered_json(nullptr);
}

}  // namespace

DataFrame records_frame(const std::vector<ConsumedRecord>& records) {
  const Schema schema({{"topic", string_type()},
                       {"partition", int_type()},
                       {"offset", long_type()},
                       {"key", string_type()},
                       {"value", string_type()},
                       {"headers", string_type()}});
  std::vector<Row> rows;
  rows.reserve(records.size());
  for (const ConsumedRecord& record : records) {
    std::string headers;
    for (const Header& header : record.headers) {
      if (!headers.empty()) headers += ", ";
      headers += header.key + "=" + header.value.value_or("null");
    }
    rows.push_back(Row{record.topic, record.partition, record.offset, optional_text(record.key),
                       optional_text(record.value), headers});
  }
  return DataFrame::from_rows(schema, rows);
}

std::string record_json(const ConsumedRecord& record) {
  nlohmann::ordered_json headers = nlohmann::ordered_json::array();
  for (const Header& header : record.headers) {
    headers.push_back({{"key", header.key}, {"value", optional_json(header.value)}});
  }
  const nlohmann::ordered_json object = {{"topic", record.topic},
                                         {"partition", record.partition},
                                         {"offset", record.offset},
                                         {"key", optional_json(record.key)},
                                         {"value", optional_json(record.value)},
                                         {"headers", std::move(headers)}};
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace kafkasink::tool
