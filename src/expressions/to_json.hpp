// to_json: structs and arrays serialized as Spark's JacksonGenerator writes them.
//
// The writer is planned once per bind from the input type (quoted field-name prefixes made
// once), then writes each row in one pass straight into the result column's byte buffer: no
// JSON tree, no per-row allocation. Output matches Spark's to_json with default options:
// compact, fields in order, null fields omitted, null array elements as `null`, strings escaped
// as Jackson does (`"`, `\` and control characters only; other UTF-8 passes through), doubles and
// floats as Java prints them with NaN and the infinities quoted, decimals as BigDecimal.toString,
// binary as base64, dates as `yyyy-MM-dd`, timestamps as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in UTC.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <kafkasink/column.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink::detail {

/// How to write one JSON value of a type: the kind, and for a struct the `,"name":` prefix of
/// each field (the first written field drops the comma), for a struct or an array the plans of
/// the children.
struct JsonPlan {
  TypeId kind = TypeId::kNull;
  int scale = 0;  ///< a decimal's scale
  std::vector<std::string> prefixes;
  std::vector<JsonPlan> children;
};

/// Whether to_json accepts a column of `type` (a struct or an array of any elements).
bool to_json_accepts(const DataType& type);

/// Plans the writer of `type`.
std::shared_ptr<const JsonPlan> plan_json(const DataType& type);

/// Writes every row of `column` (of the planned type) as JSON; a null row gives null.
ColumnVector write_json(const JsonPlan& plan, const ColumnVector& column);

/// Writes the rows of a struct given as its field columns (never null): the
/// `to_json(struct_(...))` path, which needs no struct column in between.
ColumnVector write_json_fields(const JsonPlan& plan,
                               const std::vector<ColumnVector>& fields,
                               std::size_t rows);

/// Appends `text` as a JSON string, quoted and escaped as Jackson escapes it.
void append_json_string(std::string& out, std::string_view text);

}  // namespace kafkasink::detail
