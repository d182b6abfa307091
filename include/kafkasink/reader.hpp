// DataFrameReader: reads CSV and JSON-lines files into a DataFrame, as Spark's
// `spark.read.format(...).option(...).load(path)` does.
//
// A path is a file or a folder; a folder is read as all its files, sorted by name, skipping
// hidden files and those starting with `_` (Spark's rule). Each file becomes one partition.
//
// CSV options (Spark's names, case-insensitive): `header` (false), `inferSchema` (false),
// `sep` (`,`), `quote` (`"`), `escape` (`\`), `nullValue` (empty), `mode` (`PERMISSIVE`,
// `DROPMALFORMED`, `FAILFAST`). Without a header the columns are `_c0`, `_c1`, ...; an empty
// field is null. With `inferSchema` a column is `int` if every value fits, else `long`, else
// `double`, else `boolean`, else `string`.
//
// JSON lines: one object per line; the schema is the union of the keys in first-seen order,
// with Spark's widening (int -> long -> double, mixed -> string); objects become structs,
// arrays become arrays. Option `mode` as for CSV.
//
// In PERMISSIVE mode a malformed row keeps the fields it could parse and nulls the rest; in
// DROPMALFORMED it is dropped; in FAILFAST it raises a ParseError naming the file, the line
// and the column.
#pragma once

#include <concepts>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

namespace detail {
struct SessionState;
}  // namespace detail

/// Builder of a batch read; `load` does the work.
class DataFrameReader {
 public:
  explicit DataFrameReader(std::shared_ptr<detail::SessionState> session = nullptr);

  /// `"csv"` or `"json"`; anything else fails in `load` with an IllegalArgumentError.
  DataFrameReader& format(std::string source);

  DataFrameReader& option(std::string key, std::string value);
  DataFrameReader& option(std::string key, const char* value);
  DataFrameReader& option(std::string key, bool value);
  template <std::integral Integer>
    requires(!std::same_as<Integer, bool>)
  DataFrameReader& option(std::string key, Integer value) {
    return option(std::move(key), std::to_string(value));
  }
  DataFrameReader& options(const std::map<std::string, std::string>& options);

  /// A fixed schema: no inference, values converted to these types (a value that does not
  /// convert is a malformed field).
  DataFrameReader& schema(Schema schema);

  /// Reads `path`. Throws ParseError for a missing path or (FAILFAST) malformed input,
  /// IllegalArgumentError for a bad option.
  DataFrame load(const std::string& path) const;

  DataFrame csv(const std::string& path);
  DataFrame json(const std::string& path);

 private:
  std::shared_ptr<detail::SessionState> session_;
  std::string format_;
  std::map<std::string, std::string> options_;
  std::optional<Schema> schema_;
};

}  // namespace kafkasink
