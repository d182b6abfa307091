#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>
#include <kafkasink/types.hpp>

#include "util/text.hpp"

namespace kafkasink {

struct DataType::Nested {
  // Array: one element type. Struct: the fields.
  std::vector<DataType> element;
  bool contains_null = true;
  std::vector<Field> fields;
};

DataType::DataType() = default;

DataType::DataType(TypeId id, std::shared_ptr<const Nested> nested)
    : id_(id), nested_(std::move(nested)) {}

const DataType& DataType::element_type() const {
  return nested_->element.front();
}

bool DataType::contains_null() const {
  return nested_->contains_null;
}

const std::vector<Field>& DataType::fields() const {
  static const std::vector<Field> kNoFields;
  return nested_ ? nested_->fields : kNoFields;
}

bool DataType::is_fixed_width() const noexcept {
  switch (id_) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTimestamp:
      return true;
    default:
      return false;
  }
}

bool DataType::is_numeric() const noexcept {
  switch (id_) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return true;
    default:
      return false;
  }
}

std::string DataType::to_string() const {
  switch (id_) {
    case TypeId::kNull:
      return "void";
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kByte:
      return "tinyint";
    case TypeId::kShort:
      return "smallint";
    case TypeId::kInt:
      return "int";
    case TypeId::kLong:
      return "bigint";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDecimal:
      return fmt::format("decimal({},{})", precision_, scale_);
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kArray:
      return fmt::format("array<{}>", element_type().to_string());
    case TypeId::kStruct: {
      std::string text = "struct<";
      bool first = true;
      for (const Field& field : fields()) {
        if (!first) text += ',';
        first = false;
        text += field.name;
        text += ':';
        text += field.type.to_string();
      }
      text += '>';
      return text;
    }
  }
  return "unknown";
}

std::string DataType::type_name() const {
  switch (id_) {
    case TypeId::kByte:
      return "byte";
    case TypeId::kShort:
      return "short";
    case TypeId::kInt:
      return "integer";
    case TypeId::kLong:
      return "long";
    case TypeId::kArray:
      return "array";
    case TypeId::kStruct:
      return "struct";
    default:
      return to_string();
  }
}

namespace {

constexpr int kMaxDecimalPrecision = 38;

// A recursive-descent reader of SQL type text, for CAST(x AS type) and Column::cast.
class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  std::optional<DataType> parse_all() {
    std::optional<DataType> type = parse_type();
    skip_space();
    if (!type || position_ != text_.size()) return std::nullopt;
    return type;
  }

 private:
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) {
      ++position_;
    }
  }

  bool consume(char expected) {
    skip_space();
    if (position_ < text_.size() && text_[position_] == expected) {
      ++position_;
      return true;
    }
    return false;
  }

  std::string word() {
    skip_space();
    const std::size_t start = position_;
    while (
        position_ < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_')) {
      ++position_;
    }
    return detail::to_lower(text_.substr(start, position_ - start));
  }

  std::string field_name() {
    skip_space();
    if (position_ < text_.size() && text_[position_] == '`') {
      const std::size_t end = text_.find('`', position_ + 1);
      if (end == std::string_view::npos) return {};
      std::string name(text_.substr(position_ + 1, end - position_ - 1));
      position_ = end + 1;
      return name;
    }
    const std::size_t start = position_;
    while (
        position_ < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_')) {
      ++position_;
    }
    return std::string(text_.substr(start, position_ - start));
  }

  // A decimal's optional `(precision[, scale])`; Spark's default is (10, 0).
  std::optional<DataType> decimal_arguments() {
    int precision = 10;
    int scale = 0;
    if (consume('(')) {
      const std::optional<int> first = small_number();
      if (!first) return std::nullopt;
      precision = *first;
      scale = 0;
      if (consume(',')) {
        const std::optional<int> second = small_number();
        if (!second) return std::nullopt;
        scale = *second;
      }
      if (!consume(')')) return std::nullopt;
    }
    if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) return std::nullopt;
    return decimal_type(precision, scale);
  }

  std::optional<int> small_number() {
    skip_space();
    int value = 0;
    std::size_t digits = 0;
    while (position_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[position_]))) {
      if (++digits > 3) return std::nullopt;
      value = value * 10 + (text_[position_++] - '0');
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  std::optional<DataType> parse_type() {
    const std::string name = word();
    if (name == "string") return string_type();
    if (name == "tinyint" || name == "byte") return byte_type();
    if (name == "smallint" || name == "short") return short_type();
    if (name == "int" || name == "integer") return int_type();
    if (name == "bigint" || name == "long") return long_type();
    if (name == "float" || name == "real") return float_type();
    if (name == "double") return double_type();
    if (name == "decimal" || name == "dec" || name == "numeric") return decimal_arguments();
    if (name == "boolean") return boolean_type();
    if (name == "binary") return binary_type();
    if (name == "date") return date_type();
    if (name == "timestamp") return timestamp_type();
    if (name == "void") return null_type();
    if (name == "array") {
      if (!consume('<')) return std::nullopt;
      std::optional<DataType> element = parse_type();
      if (!element || !consume('>')) return std::nullopt;
      return array_type(*element);
    }
    if (name == "struct") {
      if (!consume('<')) return std::nullopt;
      std::vector<Field> fields;
      if (consume('>')) return struct_type(std::move(fields));
      do {
        std::string field = field_name();
        if (field.empty() || !consume(':')) return std::nullopt;
        std::optional<DataType> type = parse_type();
        if (!type) return std::nullopt;
        fields.push_back(Field{std::move(field), *type, true});
      } while (consume(','));
      if (!consume('>')) return std::nullopt;
      return struct_type(std::move(fields));
    }
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

std::optional<DataType> DataType::parse(std::string_view text) {
  return TypeParser(text).parse_all();
}

bool operator==(const DataType& left, const DataType& right) {
  if (left.id_ != right.id_) return false;
  if (left.id_ == TypeId::kDecimal) {
    return left.precision_ == right.precision_ && left.scale_ == right.scale_;
  }
  if (left.id_ == TypeId::kArray) return left.element_type() == right.element_type();
  if (left.id_ == TypeId::kStruct) {
    const std::vector<Field>& left_fields = left.fields();
    const std::vector<Field>& right_fields = right.fields();
    return std::equal(
        left_fields.begin(), left_fields.end(), right_fields.begin(), right_fields.end(),
        [](const Field& a, const Field& b) { return a.name == b.name && a.type == b.type; });
  }
  return true;
}

DataType null_type() {
  return {};
}

DataType boolean_type() {
  return {TypeId::kBoolean, nullptr};
}

DataType byte_type() {
  return {TypeId::kByte, nullptr};
}

DataType short_type() {
  return {TypeId::kShort, nullptr};
}

DataType int_type() {
  return {TypeId::kInt, nullptr};
}

DataType long_type() {
  return {TypeId::kLong, nullptr};
}

DataType float_type() {
  return {TypeId::kFloat, nullptr};
}

DataType double_type() {
  return {TypeId::kDouble, nullptr};
}

DataType decimal_type(int precision, int scale) {
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    throw IllegalArgumentError("", fmt::format("Decimal precision {} is not between 1 and {}.",
                                               precision, kMaxDecimalPrecision));
  }
  if (scale < 0 || scale > precision) {
    throw IllegalArgumentError(
        "", fmt::format("Decimal scale ({}) cannot be negative or greater than precision ({}).",
                        scale, precision));
  }
  DataType type(TypeId::kDecimal, nullptr);
  type.precision_ = static_cast<std::uint8_t>(precision);
  type.scale_ = static_cast<std::uint8_t>(scale);
  return type;
}

DataType string_type() {
  return {TypeId::kString, nullptr};
}

DataType binary_type() {
  return {TypeId::kBinary, nullptr};
}

DataType date_type() {
  return {TypeId::kDate, nullptr};
}

DataType timestamp_type() {
  return {TypeId::kTimestamp, nullptr};
}

DataType array_type(DataType element, bool contains_null) {
  auto nested = std::make_shared<DataType::Nested>();
  nested->element.push_back(std::move(element));
  nested->contains_null = contains_null;
  return {TypeId::kArray, std::move(nested)};
}

DataType struct_type(std::vector<Field> fields) {
  auto nested = std::make_shared<DataType::Nested>();
  nested->fields = std::move(fields);
  return {TypeId::kStruct, std::move(nested)};
}

bool operator==(const Field& left, const Field& right) {
  return left.name == right.name && left.type == right.type && left.nullable == right.nullable;
}

Schema::Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

std::optional<std::size_t> Schema::index_of(std::string_view name) const {
  for (std::size_t index = 0; index < fields_.size(); ++index) {
    if (fields_[index].name == name) return index;
  }
  return std::nullopt;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> result;
  result.reserve(fields_.size());
  for (const Field& field : fields_) result.push_back(field.name);
  return result;
}

namespace {

// Spark's StructType.buildFormattedString: nested levels add " |   " and arrays show their
// element as "element" with containsNull.
void append_tree(std::string& out, const std::string& prefix, const DataType& type) {
  if (type.id() == TypeId::kStruct) {
    for (const Field& field : type.fields()) {
      out += fmt::format("{}-- {}: {} (nullable = {})\n", prefix, field.name,
                         field.type.type_name(), field.nullable);
      append_tree(out, prefix + "    |", field.type);
    }
  } else if (type.id() == TypeId::kArray) {
    out += fmt::format("{}-- element: {} (containsNull = {})\n", prefix,
                       type.element_type().type_name(), type.contains_null());
    append_tree(out, prefix + "    |", type.element_type());
  }
}

}  // namespace

std::string Schema::tree_string() const {
  std::string out = "root\n";
  append_tree(out, " |", as_struct());
  return out;
}

DataType Schema::as_struct() const {
  return struct_type(fields_);
}

bool operator==(const Schema& left, const Schema& right) {
  return left.fields_ == right.fields_;
}

}  // namespace kafkasink
