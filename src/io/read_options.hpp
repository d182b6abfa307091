// The reader's options, parsed once from Spark's case-insensitive strings (an OptionMap) into
// typed structs, so that nothing below DataFrameReader::load looks a string key up again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/option_map.hpp"

namespace kafkasink::detail {

/// What a reader does with a malformed record (Spark's `mode` option).
enum class ParseMode {
  kPermissive,     ///< keep the row; fields that cannot be read become null
  kDropMalformed,  ///< drop the row
  kFailFast,       ///< throw ParseError naming the file, line and column
};

inline constexpr std::string_view kHeaderOption = "header";
inline constexpr std::string_view kInferSchemaOption = "inferSchema";
inline constexpr std::string_view kSepOption = "sep";
inline constexpr std::string_view kDelimiterOption = "delimiter";  // Spark's alias of sep
inline constexpr std::string_view kQuoteOption = "quote";
inline constexpr std::string_view kEscapeOption = "escape";
inline constexpr std::string_view kNullValueOption = "nullValue";
inline constexpr std::string_view kModeOption = "mode";
inline constexpr std::string_view kMultiLineOption = "multiLine";
inline constexpr std::string_view kEncodingOption = "encoding";
inline constexpr std::string_view kCharsetOption = "charset";  // Spark's alias of encoding
inline constexpr std::string_view kCorruptRecordOption = "columnNameOfCorruptRecord";

struct CsvOptions {
  /// The first record of every file holds the column names.
  bool header = false;
  /// Infer each column's type (Spark 3.5's CSVInferSchema) instead of reading every column as
  /// string.
  bool infer_schema = false;
  char separator = ',';
  /// Nothing when quoting is off (Spark: an empty `quote` option).
  std::optional<char> quote = '"';
  /// Inside a quoted field, `escape quote` is a literal quote and `escape escape` a literal
  /// escape (univocity's rules; with multiLine, RFC 4180's doubled quote is one too).
  char escape = '\\';
  /// A field equal to this text is null; an empty unquoted field is always null.
  std::string null_value;
  ParseMode mode = ParseMode::kPermissive;
  /// Spark's `multiLine`: false reads one record per line (a quote left open ends with its
  /// line); true lets quoted fields span lines.
  bool multi_line = false;

  /// Throws IllegalArgumentError naming the first bad option.
  static CsvOptions parse(const OptionMap& options);
};

struct JsonOptions {
  ParseMode mode = ParseMode::kPermissive;
  /// In PERMISSIVE mode a malformed line is kept whole in this string column (Spark's rule:
  /// the column is added to an inferred schema only when some line is malformed).
  std::string corrupt_record_column = "_corrupt_record";

  /// Throws IllegalArgumentError naming the first bad option.
  static JsonOptions parse(const OptionMap& options);
};

/// Spark's name of a mode, for messages: `PERMISSIVE`, `DROPMALFORMED`, `FAILFAST`.
std::string_view mode_name(ParseMode mode);

}  // namespace kafkasink::detail
