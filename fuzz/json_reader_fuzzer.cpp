// libFuzzer target: the JSON-lines reader (simdjson per line, Spark's schema inference,
// conversion to typed and nested columns, malformed-line modes) on arbitrary bytes, read from
// memory.
//
// The first byte chooses the mode and whether a user schema is given; the rest is the file. A
// kafkasink::Error is an accepted outcome (FAILFAST); anything else that escapes, or any
// sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/types.hpp>

#include "io/json_reader.hpp"

namespace {

using kafkasink::Field;
using kafkasink::Schema;
using kafkasink::detail::FileContents;
using kafkasink::detail::JsonOptions;
using kafkasink::detail::ParseMode;

// Every type, nested ones included, and the corrupt-record column.
Schema typed_schema() {
  using kafkasink::array_type;
  using kafkasink::struct_type;
  return Schema(
      {Field{"text", kafkasink::string_type(), true}, Field{"small", kafkasink::int_type(), true},
       Field{"large", kafkasink::long_type(), true}, Field{"real", kafkasink::double_type(), true},
       Field{"flag", kafkasink::boolean_type(), true},
       Field{"time", kafkasink::timestamp_type(), true},
       Field{"bytes", kafkasink::binary_type(), true},
       Field{"list", array_type(kafkasink::long_type()), true},
       Field{"nested",
             struct_type({Field{"a", kafkasink::string_type(), true},
                          Field{"b", array_type(kafkasink::double_type()), true}}),
             true},
       Field{"_corrupt_record", kafkasink::string_type(), true}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  JsonOptions options;
  switch (choice & 0x03U) {
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
  const std::optional<Schema> schema =
      (choice & 0x04U) != 0 ? std::optional<Schema>(typed_schema()) : std::nullopt;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // Two files, split at the first form feed, so that inference merges across files.
  std::vector<FileContents> inputs;
  const std::size_t split = text.find('\f');
  if (split == std::string::npos) {
    inputs.push_back(FileContents{"fuzz.json", text});
  } else {
    inputs.push_back(FileContents{"fuzz-1.json", text.substr(0, split)});
    inputs.push_back(FileContents{"fuzz-2.json", text.substr(split + 1)});
  }
  try {
    const kafkasink::DataFrame frame =
        kafkasink::detail::read_json_contents(std::move(inputs), options, schema, nullptr);
    static_cast<void>(frame.collect());
    static_cast<void>(frame.show_string(5, true));
  } catch (const kafkasink::Error&) {
    // Malformed input in FAILFAST mode: the documented outcome.
  }
  return 0;
}
