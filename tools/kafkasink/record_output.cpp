#include "record_output.hpp"

#include <cstdint>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink::tool {

namespace {

// `text` with the control characters a terminal would act on (ESC starts colour and cursor
// sequences, CR overwrites the line) written as JSON writes them: `\n`, `\t`, `\u001b`, ...,
// so that a record's bytes can neither garble the table nor drive the terminal. DEL and the
// C1 controls (U+0080 to U+009F, as UTF-8) are written `\u007f`, `\u009b`, ... too.
std::string escape_controls(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    const auto next = at + 1 < text.size() ? static_cast<unsigned char>(text[at + 1]) : 0;
    if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {
      escaped += fmt::format("\\u{:04x}", next);
      ++at;
      continue;
    }
    switch (byte) {
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\t':
        escaped += "\\t";
        break;
      case '\b':
        escaped += "\\b";
        break;
      case '\f':
        escaped += "\\f";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          escaped += fmt::format("\\u{:04x}", byte);
        } else {
          escaped += static_cast<char>(byte);
        }
    }
  }
  return escaped;
}

Value optional_text(const std::optional<std::string>& text) {
  return text ? Value(escape_controls(*text)) : Value(nullptr);
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
      headers += escape_controls(header.key) + "=" +
                 (header.value ? escape_controls(*header.value) : std::string("null"));
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
