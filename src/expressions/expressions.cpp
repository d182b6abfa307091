// The expression builders (col, lit, cast, alias, struct_, to_json) and how expressions print
// and name themselves. Binding and evaluation live in bind_and_evaluate.cpp.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>

#include "expressions/expression_node.hpp"
#include "util/datetime.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink {

namespace {

using detail::ExpressionNode;
using Kind = detail::ExpressionNode::Kind;

std::shared_ptr<ExpressionNode> make_node(Kind kind) {
  auto node = std::make_shared<ExpressionNode>();
  node->kind = kind;
  return node;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Spark's QuotingUtils.quoteIfNeeded: back-quote a name unless it is a plain identifier.
std::string quote_if_needed(const std::string& name) {
  bool plain = !name.empty();
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') plain = false;
  }
  if (plain) return name;
  std::string quoted = "`";
  for (const char c : name) {
    quoted += c;
    if (c == '`') quoted += '`';
  }
  quoted += '`';
  return quoted;
}

// Spark's Literal.sql escapes a string literal with backslashes.
std::string quote_string(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string literal_text(const Value& value, detail::TextStyle style) {
  const bool pretty = style == detail::TextStyle::kPretty;
  if (value.is_null()) return "NULL";
  if (value.is<bool>()) return value.as<bool>() ? "true" : "false";
  if (value.is<std::int8_t>()) {
    return std::to_string(value.as<std::int8_t>()) + (pretty ? "" : "Y");
  }
  if (value.is<std::int16_t>()) {
    return std::to_string(value.as<std::int16_t>()) + (pretty ? "" : "S");
  }
  if (value.is<std::int32_t>()) return std::to_string(value.as<std::int32_t>());
  if (value.is<std::int64_t>()) {
    return std::to_string(value.as<std::int64_t>()) + (pretty ? "" : "L");
  }
  if (value.is<float>()) {
    std::string text;
    detail::append_java_float(text, value.as<float>());
    if (pretty) return text;
    // Literal.sql: a float has no literal suffix of its own.
    if (!std::isfinite(value.as<float>())) return fmt::format("CAST('{}' AS FLOAT)", text);
    return fmt::format("CAST({} AS FLOAT)", text);
  }
  if (value.is<Decimal>()) return value.as<Decimal>().to_string() + (pretty ? "" : "BD");
  if (value.is<Date>()) {
    std::string text = "DATE '";
    detail::append_date(text, value.as<Date>().days);
    return text + "'";
  }
  if (value.is<double>()) {
    const double number = value.as<double>();
    std::string text = detail::java_double_to_string(number);
    if (pretty) return text;
    // Literal.sql cannot write NaN and the infinities as numbers.
    if (!std::isfinite(number)) return fmt::format("CAST('{}' AS DOUBLE)", text);
    return text + "D";
  }
  if (value.is<std::string>())
    return pretty ? value.as<std::string>() : quote_string(value.as<std::string>());
  if (value.is<Bytes>()) {
    std::string text = "X'";
    for (const char c : value.as<Bytes>().data)
      text += fmt::format("{:02X}", static_cast<unsigned char>(c));
    return text + "'";
  }
  if (value.is<Timestamp>()) {
    std::string text = "TIMESTAMP '";
    detail::append_timestamp(text, value.as<Timestamp>().micros);
    return text + "'";
  }
  // Nested literals print as Spark's Literal.sql does, whatever the style.
  std::vector<std::string> parts;
  if (value.is<ArrayValue>()) {
    for (const Value& element : value.as<ArrayValue>()) {
      parts.push_back(literal_text(element, detail::TextStyle::kSql));
    }
    return fmt::format("ARRAY({})", fmt::join(parts, ", "));
  }
  const std::vector<Value>& fields = value.as<StructValue>().fields;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    parts.push_back(fmt::format("'col{}'", index + 1));
    parts.push_back(literal_text(fields[index], detail::TextStyle::kSql));
  }
  return fmt::format("NAMED_STRUCT({})", fmt::join(parts, ", "));
}

std::string column_spelling(const ExpressionNode& node, const Schema* schema) {
  if (schema != nullptr) {
    if (const auto index = detail::find_column(*schema, node.name)) {
      return schema->field(*index).name;
    }
  }
  return node.name;
}

}  // namespace

namespace detail {

bool is_named(const ExpressionNode& node) {
  return node.kind == Kind::kColumn || node.kind == Kind::kAlias;
}

std::string type_sql(const DataType& type) {
  switch (type.id()) {
    case TypeId::kArray:
      return fmt::format("ARRAY<{}>", type_sql(type.element_type()));
    case TypeId::kStruct: {
      std::vector<std::string> fields;
      for (const Field& field : type.fields()) {
        fields.push_back(fmt::format("{}: {}", quote_if_needed(field.name), type_sql(field.type)));
      }
      return fmt::format("STRUCT<{}>", fmt::join(fields, ", "));
    }
    default:
      return upper(type.to_string());
  }
}

std::string expression_text(const ExpressionNode& node, TextStyle style, const Schema* schema) {
  switch (node.kind) {
    case Kind::kColumn:
      return column_spelling(node, schema);
    case Kind::kLiteral:
      return literal_text(node.literal, style);
    case Kind::kCast:
      // Spark's Cast.sql leaves out a cast to a complex type (HiveQL has none).
      if (node.type.id() == TypeId::kArray || node.type.id() == TypeId::kStruct) {
        return expression_text(*node.children[0], style, schema);
      }
      return fmt::format("CAST({} AS {})", expression_text(*node.children[0], style, schema),
                         type_sql(node.type));
    case Kind::kAlias:
      return fmt::format("{} AS {}", expression_text(*node.children[0], style, schema),
                         quote_if_needed(node.name));
    case Kind::kStruct: {
      std::vector<std::string> fields;
      for (const auto& child : node.children) {
        fields.push_back(expression_text(*child, style, schema));
      }
      return fmt::format("struct({})", fmt::join(fields, ", "));
    }
    case Kind::kToJson:
      return fmt::format("to_json({})", expression_text(*node.children[0], style, schema));
  }
  return {};
}

std::string output_name(const ExpressionNode& node, const Schema* schema) {
  switch (node.kind) {
    case Kind::kColumn:
      return column_spelling(node, schema);
    case Kind::kAlias:
      return node.name;
    case Kind::kCast:
      // Spark's ResolveAliases names Cast(NamedExpression) after the named expression, so
      // CAST(value AS STRING) is still called `value`.
      if (is_named(*node.children[0])) return output_name(*node.children[0], schema);
      break;
    default:
      break;
  }
  return expression_text(node, TextStyle::kPretty, schema);
}

DataType literal_type(const Value& value) {
  if (value.is_null()) return null_type();
  if (value.is<bool>()) return boolean_type();
  if (value.is<std::int8_t>()) return byte_type();
  if (value.is<std::int16_t>()) return short_type();
  if (value.is<std::int32_t>()) return int_type();
  if (value.is<std::int64_t>()) return long_type();
  if (value.is<float>()) return float_type();
  if (value.is<double>()) return double_type();
  if (value.is<Decimal>()) {
    // Spark's DecimalType.fromDecimal: as many digits as the value has, at least its scale.
    const Decimal& decimal = value.as<Decimal>();
    return decimal_type(std::max(decimal.precision(), decimal.scale()), decimal.scale());
  }
  if (value.is<Date>()) return date_type();
  if (value.is<std::string>()) return string_type();
  if (value.is<Bytes>()) return binary_type();
  if (value.is<Timestamp>()) return timestamp_type();
  if (value.is<ArrayValue>()) {
    DataType element = null_type();
    for (const Value& item : value.as<ArrayValue>()) {
      const DataType item_type = literal_type(item);
      if (item_type.id() == TypeId::kNull) continue;
      if (element.id() == TypeId::kNull) {
        element = item_type;
      } else if (!(element == item_type)) {
        throw AnalysisError(fmt::format(
            "The elements of an array literal must have one type, but it holds {} and {}",
            element.to_string(), item_type.to_string()));
      }
    }
    return array_type(element);
  }
  // A struct literal's fields are named as Spark names unnamed struct fields: col1, col2, ...
  std::vector<Field> fields;
  const std::vector<Value>& values = value.as<StructValue>().fields;
  for (std::size_t index = 0; index < values.size(); ++index) {
    fields.push_back(Field{fmt::format("col{}", index + 1), literal_type(values[index]), true});
  }
  return struct_type(std::move(fields));
}

}  // namespace detail

Column::Column(std::shared_ptr<const detail::ExpressionNode> node) : node_(std::move(node)) {}

Column Column::cast(const DataType& type) const {
  auto node = make_node(Kind::kCast);
  node->type = type;
  node->children.push_back(node_);
  return Column(std::move(node));
}

Column Column::cast(std::string_view type_name) const {
  const std::optional<DataType> type = DataType::parse(type_name);
  if (!type) {
    throw AnalysisError(fmt::format("[UNSUPPORTED_DATATYPE] Unsupported data type \"{}\".",
                                    upper(std::string(type_name))));
  }
  return cast(*type);
}

Column Column::alias(std::string name) const {
  auto node = make_node(Kind::kAlias);
  node->name = std::move(name);
  node->children.push_back(node_);
  return Column(std::move(node));
}

std::string Column::name() const {
  return detail::output_name(*node_);
}

std::string Column::to_string() const {
  return detail::expression_text(*node_, detail::TextStyle::kSql);
}

Column col(std::string name) {
  auto node = make_node(Kind::kColumn);
  node->name = std::move(name);
  return Column(std::move(node));
}

Column lit(Value value) {
  auto node = make_node(Kind::kLiteral);
  node->type = detail::literal_type(value);
  node->name = literal_text(value, detail::TextStyle::kSql);
  node->literal = std::move(value);
  return Column(std::move(node));
}

Column struct_(const std::vector<Column>& fields) {
  auto node = make_node(Kind::kStruct);
  node->children.reserve(fields.size());
  for (const Column& field : fields) node->children.push_back(field.node());
  return Column(std::move(node));
}

Column struct_(const std::vector<std::string>& column_names) {
  std::vector<Column> fields;
  fields.reserve(column_names.size());
  for (const std::string& name : column_names) fields.push_back(col(name));
  return struct_(fields);
}

Column to_json(const Column& value) {
  auto node = make_node(Kind::kToJson);
  node->children.push_back(value.node());
  return Column(std::move(node));
}

}  // namespace kafkasink
