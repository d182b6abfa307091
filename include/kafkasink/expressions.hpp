// Column expressions: the small part of Spark SQL that the Kafka sink idiom needs.
//
// `col("name")`, `lit(value)`, `struct_(...)`, `to_json(...)`, `Column::cast` and
// `Column::alias` build expression trees; DataFrame::select and with_column evaluate them a
// whole column at a time. `select_expr` parses the SQL subset
//
//   expression := primary [ [AS] alias ]
//   primary    := name | `quoted name` | 'string' | "string" | number | NULL | TRUE | FALSE
//               | DATE 'text' | TIMESTAMP 'text' | CAST ( primary AS type ) | ( primary )
//
// Numbers follow Spark's literal rules: `42` is an int (a bigint beyond, a decimal beyond that),
// `1.50` a decimal(3,2), `1e5` a double, and the suffixes `L`, `S`, `Y`, `D`, `F` and `BD` make
// a bigint, smallint, tinyint, double, float and decimal.
//
// and reports anything else as an AnalysisError naming the expression and the position.
// Output names follow Spark: a column keeps its name, `CAST(value AS STRING)` is still named
// `value`, a literal is named by its text, `alias` names anything.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

namespace detail {
struct ExpressionNode;
}  // namespace detail

/// An expression over the columns of a frame. Cheap to copy: the tree is shared.
class Column {
 public:
  /// This expression converted to `type`, with Spark's cast rules (an unparsable string
  /// becomes null, int -> string gives "42", string -> binary its UTF-8 bytes). Whether the
  /// conversion is allowed is checked when the expression is evaluated against a schema.
  Column cast(const DataType& type) const;

  /// `cast` with a type name as SQL writes it (`"string"`, `"int"`, `"bigint"`, ...); throws
  /// AnalysisError for an unknown type name.
  Column cast(std::string_view type_name) const;

  /// This expression under another output name.
  Column alias(std::string name) const;

  /// The name the expression's result column gets (Spark's rules, see above).
  std::string name() const;

  /// The expression as SQL text, as Spark prints it in messages: `CAST(value AS STRING)`.
  std::string to_string() const;

  /// Wraps an expression tree; for the library's own use (build columns with `col`, `lit`,
  /// `expr`, ...).
  explicit Column(std::shared_ptr<const detail::ExpressionNode> node);

  /// The expression tree; for the library's own use.
  const std::shared_ptr<const detail::ExpressionNode>& node() const noexcept { return node_; }

 private:
  std::shared_ptr<const detail::ExpressionNode> node_;
};

/// The column `name` of the frame the expression is evaluated against. A name with a dot is
/// taken whole; nested fields are not addressed.
Column col(std::string name);

/// A literal: null, a boolean, a tinyint (`std::int8_t`), a smallint (`std::int16_t`), an int
/// (`std::int32_t`), a long (`std::int64_t`), a float, a double, a Decimal (of type
/// decimal(its digits, its scale)), a string, bytes, a Date or a Timestamp, repeated on every row.
Column lit(Value value);

/// A struct whose fields are the given columns. As in Spark, a column or an alias names its
/// field; any other expression gets the field name `colN` (N counted from 1).
Column struct_(const std::vector<Column>& fields);

/// `struct_` of the named columns (`struct_(df.columns())` for the whole row).
Column struct_(const std::vector<std::string>& column_names);

/// The struct (or array of structs) serialized as compact JSON, as Spark's `to_json`:
/// fields in order, null fields omitted, strings escaped per RFC 8259, doubles printed like
/// Java (`1.0`, `3.356934E-4`), decimals as BigDecimal.toString, binary as base64, dates as
/// `2024-01-02`, timestamps as ISO-8601 with the UTC offset. An array of any values is written
/// as a JSON array (`[1,2]`); anything else is an AnalysisError with Spark 3.5's
/// `[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA]` text.
Column to_json(const Column& value);

/// Parses one `select_expr` expression. Throws AnalysisError naming the expression and the
/// position of the first token it cannot accept.
Column expr(std::string_view sql);

}  // namespace kafkasink
