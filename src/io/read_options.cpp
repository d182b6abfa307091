#include "io/read_options.hpp"

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

// Spark's CSVOptions.getBool: exactly true or false, any case.
bool boolean_option(const OptionMap& options, std::string_view name, bool default_value) {
  const auto entry = options.find(name);
  if (!entry) return default_value;
  const std::string lower = to_lower(entry->value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  throw IllegalArgumentError(entry->key, fmt::format("{} flag can be true or false.", entry->key));
}

// Spark's CSVOptions.getChar: one character; an empty value means "none" (Spark's '\u0000').
std::optional<char> char_option(const OptionMap& options,
                                std::string_view name,
                                char default_value) {
  const auto entry = options.find(name);
  if (!entry) return default_value;
  if (entry->value.empty()) return std::nullopt;
  if (entry->value.size() == 1) return entry->value.front();
  throw IllegalArgumentError(entry->key,
                             fmt::format("{} cannot be more than one character", entry->key));
}

ParseMode mode_option(const OptionMap& options) {
  const auto entry = options.find(kModeOption);
  if (!entry) return ParseMode::kPermissive;
  const std::string lower = to_lower(entry->value);
  if (lower == "permissive") return ParseMode::kPermissive;
  if (lower == "dropmalformed") return ParseMode::kDropMalformed;
  if (lower == "failfast") return ParseMode::kFailFast;
  // Spark logs a warning and falls back to PERMISSIVE; a typo in `mode` silently turning
  // FAILFAST into PERMISSIVE is worse than an error, so kafkasink rejects it.
  throw IllegalArgumentError(
      entry->key, fmt::format("{} must be PERMISSIVE, DROPMALFORMED or FAILFAST, not '{}'",
                              entry->key, entry->value));
}

// Options whose other values would change what a file means: refuse rather than misread.
void check_unsupported(const OptionMap& options) {
  for (const std::string_view name : {kEncodingOption, kCharsetOption}) {
    const auto entry = options.find(name);
    if (!entry) continue;
    const std::string lower = to_lower(entry->value);
    if (lower != "utf-8" && lower != "utf8") {
      throw IllegalArgumentError(
          entry->key, fmt::format("{} '{}' is not supported: files are read as UTF-8", entry->key,
                                  entry->value));
    }
  }
}

}  // namespace

CsvOptions CsvOptions::parse(const OptionMap& options) {
  check_unsupported(options);
  CsvOptions result;
  result.header = boolean_option(options, kHeaderOption, false);
  result.infer_schema = boolean_option(options, kInferSchemaOption, false);
  const std::string_view sep_name = options.find(kSepOption) ? kSepOption : kDelimiterOption;
  if (const auto sep = options.find(sep_name)) {
    // Spark accepts `\t` spelled out as two characters, as shells and config files write it.
    if (sep->value == "\\t") {
      result.separator = '\t';
    } else if (sep->value.size() == 1) {
      result.separator = sep->value.front();
    } else if (sep->value.empty()) {
      throw IllegalArgumentError(sep->key, "Delimiter cannot be empty string");
    } else {
      throw IllegalArgumentError(
          sep->key, fmt::format("{} must be a single character; multi-character separators "
                                "like '{}' are not supported",
                                sep->key, sep->value));
    }
  }
  result.quote = char_option(options, kQuoteOption, '"');
  result.escape = char_option(options, kEscapeOption, '\\').value_or('\0');
  if (const auto null_value = options.find(kNullValueOption)) result.null_value = null_value->value;
  result.mode = mode_option(options);
  result.multi_line = boolean_option(options, kMultiLineOption, false);
  if (result.quote && *result.quote == result.separator) {
    throw IllegalArgumentError(options.find(kQuoteOption)->key,
                               "quote and sep must be different characters");
  }
  return result;
}

JsonOptions JsonOptions::parse(const OptionMap& options) {
  check_unsupported(options);
  if (boolean_option(options, kMultiLineOption, false)) {
    throw IllegalArgumentError(options.find(kMultiLineOption)->key,
                               "multiLine=true is not supported for JSON: records are one "
                               "line each");
  }
  JsonOptions result;
  result.mode = mode_option(options);
  if (const auto column = options.find(kCorruptRecordOption)) {
    result.corrupt_record_column = column->value;
  }
  return result;
}

std::string_view mode_name(ParseMode mode) {
  switch (mode) {
    case ParseMode::kPermissive:
      return "PERMISSIVE";
    case ParseMode::kDropMalformed:
      return "DROPMALFORMED";
    case ParseMode::kFailFast:
      return "FAILFAST";
  }
  return "PERMISSIVE";
}

}  // namespace kafkasink::detail
