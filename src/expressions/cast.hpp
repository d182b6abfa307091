// Spark's (non-ANSI) CAST: which conversions exist and how a whole column is converted.
//
// The rules follow org.apache.spark.sql.catalyst.expressions.Cast with spark.sql.ansi.enabled
// off: a value that cannot be converted becomes null (never an error), numbers narrow as Java
// narrows them, and anything can be printed as a string.
#pragma once

#include <cstddef>
#include <string>

#include <kafkasink/column.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink::detail {

/// Whether Spark's Cast.canCast allows `from` -> `to`.
bool can_cast(const DataType& from, const DataType& to);

/// Whether the cast can turn a non-null value into null (Spark's Cast.forceNullable), as an
/// unparsable string does.
bool cast_forces_null(const DataType& from, const DataType& to);

/// Converts every row of `input` to `to`. Precondition: can_cast(input.type(), to).
/// string <-> binary and identity casts share the input's buffers.
ColumnVector cast_column(const ColumnVector& input, const DataType& to);

/// Appends the non-null cell `row` of `column` as Spark's cast to string prints it: `42`,
/// `1.0E7`, `2024-01-02 03:04:05`, `[1, null]`, `{1, a}`.
void append_cast_string(const ColumnVector& column, std::size_t row, std::string& out);

}  // namespace kafkasink::detail
