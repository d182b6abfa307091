// libFuzzer target: the CSV reader (libcsv tokenizer, Spark's escape rule, inference, typed
// conversion, malformed-row modes) on arbitrary bytes, read from memory.
//
// The first byte chooses the options, so that one corpus covers every mode; the rest is the
// file. A kafkasink::Error is an accepted outcome (FAILFAST, a bad schema); anything else that
// escapes, or any sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/types.hpp>

#include "io/csv_reader.hpp"

namespace {

using kafkasink::Field;
using kafkasink::Schema;
using kafkasink::detail::CsvOptions;
using kafkasink::detail::FileContents;
using kafkasink::detail::ParseMode;

// One column of every type a CSV file can hold.
Schema typed_schema() {
  return Schema(
      {Field{"text", kafkasink::string_type(), true}, Field{"small", kafkasink::int_type(), true},
       Field{"large", kafkasink::long_type(), true}, Field{"real", kafkasink::double_type(), true},
       Field{"flag", kafkasink::boolean_type(), true},
       Field{"time", kafkasink::timestamp_type(), true}});
}

CsvOptions options_from(std::uint8_t choice) {
  CsvOptions options;
  options.header = (choice & 0x01U) != 0;
  options.infer_schema = (choice & 0x02U) != 0;
  switch ((choice >> 2U) & 0x03U) {
    case 0:
      options.mode = ParseMode::kPermissive;
      break;
    case 1:
      options.mode = ParseMode::kDropMalformed;
      break;
    default:
      options.mode = ParseMode::kFailFast;
      break;
  }
  options.multi_line = ((choice >> 2U) & 0x03U) == 3;  // with FAILFAST
  if ((choice & 0x10U) != 0) options.separator = ';';
  if ((choice & 0x20U) != 0) options.quote = std::nullopt;
  if ((choice & 0x40U) != 0) options.escape = '\'';
  options.null_value = (choice & 0x80U) != 0 ? "NA" : "";
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const CsvOptions options = options_from(choice);
  // Half of the runs with a user schema, decided by the text's length so that the option byte
  // keeps all of its bits for the options above.
  const std::optional<Schema> schema =
      text.size() % 2 == 0 ? std::optional<Schema>(typed_schema()) : std::nullopt;
  // Two files, split at the first form feed, so that the header and inference rules across
  // files are exercised too.
  std::vector<FileContents> inputs;
  const std::size_t split = text.find('\f');
  if (split == std::string::npos) {
    inputs.push_back(FileContents{"fuzz.csv", text});
  } else {
    inputs.push_back(FileContents{"fuzz-1.csv", text.substr(0, split)});
    inputs.push_back(FileContents{"fuzz-2.csv", text.substr(split + 1)});
  }
  try {
    const kafkasink::DataFrame frame =
        kafkasink::detail::read_csv_contents(inputs, options, schema, nullptr);
    static_cast<void>(frame.collect());
    static_cast<void>(frame.show_string(5, true));
  } catch (const kafkasink::Error&) {
    // Malformed input in FAILFAST mode: the documented outcome.
  }
  return 0;
}
