// Binding an expression tree to a schema (Spark's analyzer, for our small grammar) and
// evaluating it over a partition a whole column at a time.
#include <string>
#include <vector>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "expressions/cast.hpp"
#include "expressions/expression_node.hpp"
#include "expressions/to_json.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace kafkasink::detail {

namespace {

using Kind = ExpressionNode::Kind;

// Spark's toSQLId: the name in back-quotes, a back-quote inside doubled. Unlike Spark, a
// character that prints as nothing is spelled as an escape (`\uFEFF`), so that a name with a
// byte-order mark or a zero-width space in it can be told from the name the user typed.
std::string sql_id(const std::string& name) {
  std::string quoted = "`";
  for (const char c : escape_invisible(name)) {
    quoted += c;
    if (c == '`') quoted += '`';
  }
  quoted += '`';
  return quoted;
}

std::string quoted_names(const std::vector<std::size_t>& indices, const Schema& schema) {
  std::vector<std::string> names;
  names.reserve(indices.size());
  for (const std::size_t index : indices) names.push_back(sql_id(schema.field(index).name));
  return fmt::format("[{}]", fmt::join(names, ", "));
}

std::vector<std::size_t> case_insensitive_matches(const Schema& schema, const std::string& name) {
  const std::string wanted = to_lower(name);
  std::vector<std::size_t> matches;
  for (std::size_t index = 0; index < schema.size(); ++index) {
    if (to_lower(schema.field(index).name) == wanted) matches.push_back(index);
  }
  return matches;
}

// Spark's CreateStruct names a field after a column reference as written, after an alias by
// the alias, and anything else `col<position>`.
std::string struct_field_name(const ExpressionNode& node, std::size_t index) {
  if (is_named(node)) return node.name;
  return fmt::format("col{}", index + 1);
}

}  // namespace

std::optional<std::size_t> find_column(const Schema& schema, const std::string& name) {
  if (const auto exact = schema.index_of(name)) return exact;
  const std::vector<std::size_t> matches = case_insensitive_matches(schema, name);
  if (matches.size() == 1) return matches.front();
  return std::nullopt;
}

std::size_t resolve_column(const Schema& schema, const std::string& name) {
  if (const auto exact = schema.index_of(name)) return *exact;
  const std::vector<std::size_t> matches = case_insensitive_matches(schema, name);
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    throw AnalysisError(
        fmt::format("[AMBIGUOUS_REFERENCE] Reference {} is ambiguous, could be: {}.", sql_id(name),
                    quoted_names(matches, schema)));
  }
  if (schema.size() == 0) {
    throw AnalysisError(fmt::format(
        "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with name {} "
        "cannot be resolved.",
        sql_id(name)));
  }
  std::vector<std::size_t> all(schema.size());
  for (std::size_t index = 0; index < all.size(); ++index) all[index] = index;
  throw AnalysisError(fmt::format(
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name {} cannot "
      "be resolved. Did you mean one of the following? {}.",
      sql_id(name), quoted_names(all, schema)));
}

BoundExpression BoundExpression::bind(const Column& column, const Schema& schema) {
  return bind_node(column.node(), schema);
}

BoundExpression BoundExpression::bind_node(const std::shared_ptr<const ExpressionNode>& node,
                                           const Schema& schema) {
  BoundExpression bound;
  bound.node_ = node;
  for (const auto& child : node->children) bound.children_.push_back(bind_node(child, schema));
  switch (node->kind) {
    case Kind::kColumn: {
      bound.column_index_ = resolve_column(schema, node->name);
      const Field& field = schema.field(bound.column_index_);
      bound.type_ = field.type;
      bound.nullable_ = field.nullable;
      bound.name_ = field.name;
      return bound;
    }
    case Kind::kLiteral:
      bound.type_ = node->type;
      bound.nullable_ = node->literal.is_null();
      break;
    case Kind::kCast: {
      const BoundExpression& input = bound.children_[0];
      if (!can_cast(input.type_, node->type)) {
        // Spark 3.5's error class DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION (non-ANSI casts
        // have no suggestion).
        throw AnalysisError(fmt::format(
            "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"{}\" due to data type "
            "mismatch: cannot cast \"{}\" to \"{}\".",
            expression_text(*node, TextStyle::kSql, &schema), type_sql(input.type_),
            type_sql(node->type)));
      }
      bound.type_ = node->type;
      bound.nullable_ = input.nullable_ || cast_forces_null(input.type_, node->type);
      break;
    }
    case Kind::kAlias:
      bound.type_ = bound.children_[0].type_;
      bound.nullable_ = bound.children_[0].nullable_;
      bound.name_ = node->name;
      return bound;
    case Kind::kStruct: {
      std::vector<Field> fields;
      fields.reserve(bound.children_.size());
      for (std::size_t index = 0; index < bound.children_.size(); ++index) {
        const BoundExpression& field = bound.children_[index];
        fields.push_back(
            Field{struct_field_name(*node->children[index], index), field.type_, field.nullable_});
      }
      bound.type_ = struct_type(std::move(fields));
      bound.nullable_ = false;
      break;
    }
    case Kind::kToJson: {
      const BoundExpression& input = bound.children_[0];
      if (!to_json_accepts(input.type_)) {
        // Spark 3.5's error class DATATYPE_MISMATCH.INVALID_JSON_SCHEMA.
        throw AnalysisError(fmt::format(
            "[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve \"{}\" due to data type "
            "mismatch: Input schema \"{}\" must be a struct, an array or a map.",
            expression_text(*node, TextStyle::kSql, &schema), type_sql(input.type_)));
      }
      bound.json_plan_ = plan_json(input.type_);
      bound.type_ = string_type();
      bound.nullable_ = input.nullable_;
      break;
    }
  }
  bound.name_ = output_name(*node, &schema);
  return bound;
}

ColumnVector BoundExpression::evaluate(const Partition& partition) const {
  switch (node_->kind) {
    case Kind::kColumn:
      return partition.columns.at(column_index_);
    case Kind::kLiteral:
      return ColumnVector::repeat(type_, node_->literal, partition.num_rows);
    case Kind::kAlias:
      return children_[0].evaluate(partition);
    case Kind::kCast:
      return cast_column(children_[0].evaluate(partition), type_);
    case Kind::kStruct: {
      std::vector<ColumnVector> fields;
      fields.reserve(children_.size());
      for (const BoundExpression& child : children_) fields.push_back(child.evaluate(partition));
      ColumnBuilder builder(type_);
      builder.reserve(partition.num_rows);
      for (std::size_t row = 0; row < partition.num_rows; ++row) {
        for (std::size_t index = 0; index < fields.size(); ++index) {
          builder.field_builder(index).append_from(fields[index], row);
        }
        builder.finish_struct();
      }
      return builder.finish();
    }
    case Kind::kToJson: {
      const BoundExpression& input = children_[0];
      if (input.node_->kind == Kind::kStruct) {
        // Serialize straight from the field columns; the struct itself is never built.
        std::vector<ColumnVector> fields;
        fields.reserve(input.children_.size());
        for (const BoundExpression& field : input.children_) {
          fields.push_back(field.evaluate(partition));
        }
        return write_json_fields(*json_plan_, fields, partition.num_rows);
      }
      return write_json(*json_plan_, input.evaluate(partition));
    }
  }
  return {};
}

}  // namespace kafkasink::detail
