// The tree behind a Column expression, and its binding to a schema. Private to the library.
#pragma once

#include <memory>
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

  std::shared_ptr<const ExpressionNode> node_;
  DataType type_;
  std::string name_;
  bool nullable_ = true;
  /// kColumn: the bound column index.
  std::size_t column_index_ = 0;
  std::vector<BoundExpression> children_;
};

}  // namespace kafkasink::detail
