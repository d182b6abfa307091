// Placeholder while the expressions component is written: builds the trees, binds columns and
// literals only.
#include <kafkasink/expressions.hpp>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "expressions/expression_node.hpp"

namespace kafkasink {

Column::Column(std::shared_ptr<const detail::ExpressionNode> node) : node_(std::move(node)) {}

Column col(std::string name) {
  auto node = std::make_shared<detail::ExpressionNode>();
  node->kind = detail::ExpressionNode::Kind::kColumn;
  node->name = std::move(name);
  return Column(std::move(node));
}

namespace detail {

BoundExpression BoundExpression::bind(const Column& column, const Schema& schema) {
  BoundExpression bound;
  bound.node_ = column.node();
  const auto index = schema.index_of(column.node()->name);
  if (!index) throw AnalysisError(fmt::format("unknown column {}", column.node()->name));
  bound.column_index_ = *index;
  bound.type_ = schema.field(*index).type;
  bound.name_ = schema.field(*index).name;
  return bound;
}

ColumnVector BoundExpression::evaluate(const Partition& partition) const {
  return partition.columns.at(column_index_);
}

}  // namespace detail
}  // namespace kafkasink

namespace kafkasink {
Column expr(std::string_view sql) { return col(std::string(sql)); }
}  // namespace kafkasink
