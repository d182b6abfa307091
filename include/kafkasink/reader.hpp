// DataFrameReader: reads CSV and JSON-lines files into a DataFrame, as Spark's
// `spark.read.format(...).option(...).load(path)` does.
//
// A path is a file or a folder; a folder is read as all its files, skipping hidden files and
// those starting with `_` (Spark's rule), in the order of Spark's batch scan: largest file
// first, files of equal size in the order the file system lists them. Each file becomes one
// partition.
// A folder without files reads as an empty frame when a schema is given; without one it is an
// AnalysisError ("Unable to infer schema for CSV. It must be specified manually.").
//
// Option keys are case-insensitive; the last spelling set wins. Unknown keys are ignored, as
// Spark ignores them; a malformed value of a known option is an IllegalArgumentError naming
// the option (`mode` included: Spark would fall back to PERMISSIVE). JSON `multiLine=true` and
// an `encoding` other than UTF-8 are rejected rather than misread.
//
// Text is UTF-8, decoded as Spark decodes it: in CSV every malformed sequence reads as U+FFFD
// (Java's decoder decides where one ends); a JSON line is parsed as Jackson parses its bytes,
// so most malformed UTF-8 makes the line malformed. A UTF-8 byte-order mark starting a file is
// not data (nor, in JSON, one starting a line).
//
// CSV options (Spark's names): `header` (false), `inferSchema` (false), `sep` or `delimiter`
// (`,`; one character, or `	`), `quote` (`"`; empty turns quoting off), `escape` (`\`),
// `nullValue` (empty), `mode` (`PERMISSIVE`, `DROPMALFORMED`, `FAILFAST`), `multiLine`
// (false). By default a record is one line, as in Spark: lines end at LF, CRLF or a lone CR,
// a quote left open ends with its line (its value runs to the end of the line), and lines of
// nothing but spaces and control characters are skipped. With `multiLine=true` quoted fields
// may span lines and a quote left open runs to the end of the file. Quoted fields hold
// separators and doubled quotes (RFC 4180). Inside quotes, `escape quote` is also a literal
// quote, and `escape escape quote` a literal escape before the closing quote (Spark's
// charToEscapeQuoteEscaping); elsewhere the escape character is ordinary text. Values are not
// trimmed (` Private` keeps its space); blank lines are skipped. Binary, array and struct
// columns are refused, as Spark's CSV source refuses them. Without a header the columns are
// `_c0`, `_c1`, ...; with one, every file's first record is skipped and empty or duplicate
// names are made unique as Spark does. An empty
// unquoted field, or one equal to `nullValue`, is null. With `inferSchema` a column is typed
// as Spark 3.5's CSVInferSchema types it: `int` if every value fits, else `bigint`, else a
// `decimal` of the digits for integers beyond a bigint (up to 38 digits), else `double`, else
// `date` (exactly `yyyy-MM-dd`), else `timestamp` (what CAST to timestamp reads:
// `2020-01-01 10:00:00`, `2020-01-01T10:20:30Z`, `2020-1-1`; dates and timestamps together
// make a `timestamp`), else `boolean` (`true`/`false` in any case), else `string`; nulls do not
// count and an all-null column is `string`. As in Spark (Java's parseInt versus parseDouble), a
// number with surrounding spaces such as ` 39` is a `double`, not an `int`. Without
// `inferSchema` every column is `string`.
//
// JSON lines: one object per line, blank lines skipped. The inferred schema is Spark's: the
// union of the keys, sorted by name at every level (Spark sorts inferred structs); every
// integer is `long` (Spark's `bigint`), or a `decimal` of its digits beyond a bigint, widened to
// `double` when some value has a fraction, and any other conflict makes a `string` that holds
// the value's JSON text. Strings stay strings (Spark's `inferTimestamp` is off by default). Objects
// become structs, arrays arrays, fields only ever null become `string`. In PERMISSIVE mode a line
// that is not a JSON object is kept whole in a `_corrupt_record` string column (option
// `columnNameOfCorruptRecord`), which inference adds only when such a line exists.
//
// With a user schema, values are converted to its types and a value that does not convert
// makes the record malformed; so does a CSV record with the wrong number of fields. In
// PERMISSIVE mode a malformed record keeps the fields it could read and nulls the rest (extra
// CSV fields are dropped); in DROPMALFORMED it is dropped; in FAILFAST it raises a ParseError
// naming the file, the line and the column, e.g. `Malformed CSV record in data/x.csv at line
// 7, column 'age': cannot parse ' x' as int` or `Malformed JSON in data/x.json at line 3:
// <parser message with the column>`.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

namespace detail {
struct SessionState;
}  // namespace detail

/// Builder of a batch read; `load` does the work.
class DataFrameReader {
 public:
  /// A reader bound to `session`; null means the default session. Use `Session::read()`.
  explicit DataFrameReader(std::shared_ptr<detail::SessionState> session = nullptr);

  /// `"csv"` or `"json"`; anything else fails in `load` with an IllegalArgumentError.
  DataFrameReader& format(std::string source);

  ///@{
  /// Sets option `key` (case-insensitive; the last spelling set wins). Booleans are written
  /// `"true"`/`"false"` and integers in decimal, as Spark does.
  DataFrameReader& option(std::string key, std::string value);
  DataFrameReader& option(std::string key, const char* value);
  DataFrameReader& option(std::string key, bool value);
  template <IntegerOptionValue Integer>
  DataFrameReader& option(std::string key, Integer value) {
    return option(std::move(key), std::to_string(value));
  }
  ///@}

  /// Sets every option of `options`, as `option` does one.
  DataFrameReader& options(const std::map<std::string, std::string>& options);

  /// A fixed schema: no inference, values converted to these types (a value that does not
  /// convert is a malformed field).
  DataFrameReader& schema(Schema schema);

  /// Reads `path`. Throws ParseError for a missing path (`Path does not exist: <path>`) or
  /// (FAILFAST) malformed input, IllegalArgumentError for a bad option or format,
  /// AnalysisError when no schema can be inferred or CSV is given an array or struct column.
  DataFrame load(const std::string& path) const;

  /// `format("csv").load(path)` (Spark's `spark.read.csv(path)`).
  DataFrame csv(const std::string& path);
  /// `format("json").load(path)` (Spark's `spark.read.json(path)`).
  DataFrame json(const std::string& path);

 private:
  std::shared_ptr<detail::SessionState> session_;
  std::string format_;
  // The option() calls in order; load(), save() and start() fold them into one
  // case-insensitive map, so that a later spelling of a key replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> options_;
  std::optional<Schema> schema_;
};

}  // namespace kafkasink
