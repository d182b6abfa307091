// The tree behind a Column expression, and its binding to a schema. Private to the library.
//
// A Column holds an immutable ExpressionNode tree. BoundExpression::bind resolves it against a
// schema once (columns found, casts checked, the to_json writer planned); evaluate() then runs
// over each partition a whole column at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/expressions.hpp>

namespace kafkasink::detail {

/// One node of an expression tree. Immutable once built; Columns share subtrees.
struct ExpressionNode {
  enum class Kind { kColumn, kLiteral, kCast, kAlias, kStruct, kToJson };

  Kind kind = Kind::kColumn;
  /// kColumn: the column's name. kAlias: the alias. kLiteral: the literal's SQL text.
  std::string name;
  /// kLiteral: the value.
  Value literal;
  /// kLiteral: the literal's type. kCast: the target type.
  DataType type;
  std::vector<std::shared_ptr<const ExpressionNode>> children;
};

/// The precomputed writer of one JSON value (defined in to_json.hpp).
struct JsonPlan;

/// An expression resolved against one schema: column references found, types checked. Bind
/// once per frame, then evaluate once per partition.
class BoundExpression {
 public:
  /// Resolves `column` against `schema`. Throws AnalysisError for an unknown column (Spark's
  /// `[UNRESOLVED_COLUMN...]` text with the available columns) or an unsupported cast.
  static BoundExpression bind(const Column& column, const Schema& schema);

  /// The result column's type.
  const DataType& type() const noexcept { return type_; }

  /// The result column's name (Spark's naming rules, see expressions.hpp).
  const std::string& name() const noexcept { return name_; }
  bool nullable() const noexcept { return nullable_; }

  /// Evaluates the expression over one partition of a frame with the bound schema.
  ColumnVector evaluate(const Partition& partition) const;

  /// The output field of this expression.
  Field field() const { return Field{name_, type_, nullable_}; }

 private:
  BoundExpression() = default;

  static BoundExpression bind_node(const std::shared_ptr<const ExpressionNode>& node,
                                   const Schema& schema);

  std::shared_ptr<const ExpressionNode> node_;
  DataType type_;
  std::string name_;
  bool nullable_ = true;
  /// kColumn: the bound column index.
  std::size_t column_index_ = 0;
  std::vector<BoundExpression> children_;
  /// kToJson: the writer planned from the input type at bind time.
  std::shared_ptr<const JsonPlan> json_plan_;
};

/// How to print an expression: `kSql` as Spark's `Expression.sql` (`CAST('a' AS INT)`, used in
/// messages and Column::to_string), `kPretty` as Spark's `toPrettySQL` (`CAST(a AS INT)`,
/// string and number literals bare), which names unaliased columns.
enum class TextStyle { kSql, kPretty };

/// The expression as text. With a schema, column references print as the frame spells them.
std::string expression_text(const ExpressionNode& node,
                            TextStyle style,
                            const Schema* schema = nullptr);

/// The output name of the expression (Spark's rules: a column keeps its name, a cast of a
/// named expression keeps that name, an alias wins, anything else is its pretty text).
std::string output_name(const ExpressionNode& node, const Schema* schema = nullptr);

/// Whether Spark treats the node as a NamedExpression (a column reference or an alias).
bool is_named(const ExpressionNode& node);

/// The type as Spark's `DataType.sql` prints it: `STRING`, `BIGINT`, `ARRAY<INT>`,
/// `STRUCT<a: INT, b: STRING>`.
std::string type_sql(const DataType& type);

/// The type of `lit(value)`; throws AnalysisError for an array whose elements disagree.
DataType literal_type(const Value& value);

/// The position of column `name` in `schema`: the exact name first, then (as Spark's default
/// case-insensitive resolver) the one field that matches ignoring ASCII case. Throws
/// AnalysisError with Spark's text when there is none, or several.
std::size_t resolve_column(const Schema& schema, const std::string& name);

/// Like resolve_column, but nothing instead of an exception.
std::optional<std::size_t> find_column(const Schema& schema, const std::string& name);

}  // namespace kafkasink::detail
