#include <bit>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/column.hpp>
#include <kafkasink/errors.hpp>

#include "frame/column_data.hpp"
#include "util/decimal.hpp"

namespace kafkasink {

namespace {

const std::shared_ptr<const ColumnVector::Data>& empty_null_data() {
  static const auto kData = std::make_shared<const ColumnVector::Data>();
  return kData;
}

template <typename T>
const T* typed_values(const ColumnVector::Data& data) {
  return static_cast<const T*>(data.values);
}

}  // namespace

ColumnVector::ColumnVector() : data_(empty_null_data()) {}

ColumnVector::ColumnVector(std::shared_ptr<const Data> data, std::size_t offset, std::size_t length)
    : data_(std::move(data)), offset_(offset), length_(length) {
  if (data_->type.id() == TypeId::kStruct) {
    children_.reserve(data_->children.size());
    for (const ColumnVector& child : data_->children) {
      children_.push_back(child.slice(offset, length));
    }
  } else if (data_->type.id() == TypeId::kArray) {
    children_ = data_->children;
  }
}

const DataType& ColumnVector::type() const noexcept {
  return data_->type;
}

std::size_t ColumnVector::null_count() const {
  if (!data_->validity) return data_->type.id() == TypeId::kNull ? length_ : 0;
  std::size_t nulls = 0;
  for (std::size_t row = 0; row < length_; ++row) nulls += is_null(row) ? 1U : 0U;
  return nulls;
}

bool ColumnVector::is_null(std::size_t row) const noexcept {
  if (data_->type.id() == TypeId::kNull) return true;
  if (!data_->validity) return false;
  const std::size_t bit = offset_ + row;
  return ((static_cast<unsigned>((*data_->validity)[bit / 8]) >> (bit % 8)) & 1U) == 0;
}

bool ColumnVector::boolean_at(std::size_t row) const noexcept {
  return typed_values<std::uint8_t>(*data_)[offset_ + row] != 0;
}

std::int8_t ColumnVector::byte_at(std::size_t row) const noexcept {
  return typed_values<std::int8_t>(*data_)[offset_ + row];
}

std::int16_t ColumnVector::short_at(std::size_t row) const noexcept {
  return typed_values<std::int16_t>(*data_)[offset_ + row];
}

float ColumnVector::float_at(std::size_t row) const noexcept {
  return typed_values<float>(*data_)[offset_ + row];
}

Decimal ColumnVector::decimal_at(std::size_t row) const noexcept {
  return detail::make_decimal(typed_values<detail::Int128>(*data_)[offset_ + row],
                              data_->type.scale());
}

std::int32_t ColumnVector::int_at(std::size_t row) const noexcept {
  return typed_values<std::int32_t>(*data_)[offset_ + row];
}

std::int64_t ColumnVector::long_at(std::size_t row) const noexcept {
  return typed_values<std::int64_t>(*data_)[offset_ + row];
}

double ColumnVector::double_at(std::size_t row) const noexcept {
  return typed_values<double>(*data_)[offset_ + row];
}

std::string_view ColumnVector::bytes_at(std::size_t row) const noexcept {
  const std::vector<std::int64_t>& offsets = *data_->offsets;
  const auto begin = static_cast<std::size_t>(offsets[offset_ + row]);
  const auto end = static_cast<std::size_t>(offsets[offset_ + row + 1]);
  return std::string_view(*data_->bytes).substr(begin, end - begin);
}

std::pair<std::size_t, std::size_t> ColumnVector::array_range(std::size_t row) const noexcept {
  const std::vector<std::int64_t>& offsets = *data_->offsets;
  return {static_cast<std::size_t>(offsets[offset_ + row]),
          static_cast<std::size_t>(offsets[offset_ + row + 1])};
}

const ColumnVector& ColumnVector::elements() const {
  return children_.at(0);
}

const ColumnVector& ColumnVector::child(std::size_t index) const {
  return children_.at(index);
}

std::size_t ColumnVector::num_children() const noexcept {
  return children_.size();
}

Value ColumnVector::value_at(std::size_t row) const {
  if (is_null(row)) return {};
  switch (type().id()) {
    case TypeId::kNull:
      return {};
    case TypeId::kBoolean:
      return boolean_at(row);
    case TypeId::kByte:
      return byte_at(row);
    case TypeId::kShort:
      return short_at(row);
    case TypeId::kInt:
      return int_at(row);
    case TypeId::kLong:
      return long_at(row);
    case TypeId::kDate:
      return Date{int_at(row)};
    case TypeId::kTimestamp:
      return Timestamp{long_at(row)};
    case TypeId::kFloat:
      return float_at(row);
    case TypeId::kDouble:
      return double_at(row);
    case TypeId::kDecimal:
      return decimal_at(row);
    case TypeId::kString:
      return std::string(bytes_at(row));
    case TypeId::kBinary:
      return Bytes{std::string(bytes_at(row))};
    case TypeId::kArray: {
      const auto [begin, end] = array_range(row);
      ArrayValue elements_value;
      elements_value.reserve(end - begin);
      for (std::size_t element = begin; element < end; ++element) {
        elements_value.push_back(elements().value_at(element));
      }
      return elements_value;
    }
    case TypeId::kStruct: {
      StructValue fields;
      fields.fields.reserve(children_.size());
      for (const ColumnVector& field : children_) fields.fields.push_back(field.value_at(row));
      return fields;
    }
  }
  return {};
}

ColumnVector ColumnVector::slice(std::size_t offset, std::size_t length) const {
  if (offset + length > length_) {
    throw IllegalArgumentError("", fmt::format("slice [{}, {}) is out of a column of {} rows",
                                               offset, offset + length, length_));
  }
  return {data_, offset_ + offset, length};
}

ColumnVector ColumnVector::repeat(const DataType& type, const Value& value, std::size_t size) {
  ColumnBuilder builder(type);
  builder.reserve(size);
  for (std::size_t row = 0; row < size; ++row) builder.append(value);
  return builder.finish();
}

ColumnVector ColumnVector::concatenate(const std::vector<ColumnVector>& parts) {
  if (parts.empty()) return {};
  if (parts.size() == 1) return parts.front();
  std::size_t rows = 0;
  for (const ColumnVector& part : parts) rows += part.size();
  ColumnBuilder builder(parts.front().type());
  builder.reserve(rows);
  for (const ColumnVector& part : parts) {
    for (std::size_t row = 0; row < part.size(); ++row) builder.append_from(part, row);
  }
  return builder.finish();
}

ColumnVector ColumnVector::reinterpret(const DataType& type) const {
  auto data = std::make_shared<Data>(*data_);
  data->type = type;
  return {std::move(data), offset_, length_};
}

// ---------------------------------------------------------------------------------------------

struct ColumnBuilder::State {
  DataType type;
  std::size_t length = 0;
  std::vector<std::uint8_t> validity;
  bool has_null = false;
  std::vector<std::uint8_t> booleans;
  std::vector<std::int8_t> bytes8;
  std::vector<std::int16_t> shorts;
  std::vector<std::int32_t> ints;
  std::vector<std::int64_t> longs;
  std::vector<float> floats;
  std::vector<double> doubles;
  std::vector<detail::Int128> decimals;
  std::vector<std::int64_t> offsets{0};
  std::string bytes;
  std::vector<ColumnBuilder> children;

  void push_validity(bool valid) {
    if (length % 8 == 0) validity.push_back(0);
    if (valid) {
      validity.back() = static_cast<std::uint8_t>(validity.back() | (1U << (length % 8)));
    } else {
      has_null = true;
    }
    ++length;
  }
};

ColumnBuilder::ColumnBuilder(DataType type) : state_(std::make_unique<State>()) {
  state_->type = std::move(type);
  if (state_->type.id() == TypeId::kArray) {
    state_->children.emplace_back(state_->type.element_type());
  } else if (state_->type.id() == TypeId::kStruct) {
    for (const Field& field : state_->type.fields()) state_->children.emplace_back(field.type);
  }
}

ColumnBuilder::~ColumnBuilder() = default;

ColumnBuilder::ColumnBuilder(ColumnBuilder&&) noexcept = default;

ColumnBuilder& ColumnBuilder::operator=(ColumnBuilder&&) noexcept = default;

const DataType& ColumnBuilder::type() const noexcept {
  return state_->type;
}

std::size_t ColumnBuilder::size() const noexcept {
  return state_->length;
}

void ColumnBuilder::reserve(std::size_t rows, std::size_t bytes) {
  State& state = *state_;
  state.validity.reserve((state.length + rows) / 8 + 1);
  switch (state.type.id()) {
    case TypeId::kBoolean:
      state.booleans.reserve(state.length + rows);
      break;
    case TypeId::kByte:
      state.bytes8.reserve(state.length + rows);
      break;
    case TypeId::kShort:
      state.shorts.reserve(state.length + rows);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      state.ints.reserve(state.length + rows);
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
      state.longs.reserve(state.length + rows);
      break;
    case TypeId::kFloat:
      state.floats.reserve(state.length + rows);
      break;
    case TypeId::kDouble:
      state.doubles.reserve(state.length + rows);
      break;
    case TypeId::kDecimal:
      state.decimals.reserve(state.length + rows);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      state.bytes.reserve(state.bytes.size() + bytes);
      [[fallthrough]];
    case TypeId::kArray:
      state.offsets.reserve(state.length + rows + 1);
      break;
    case TypeId::kStruct:
      for (ColumnBuilder& child : state.children) child.reserve(rows);
      break;
    case TypeId::kNull:
      break;
  }
}

void ColumnBuilder::append_null() {
  State& state = *state_;
  switch (state.type.id()) {
    case TypeId::kBoolean:
      state.booleans.push_back(0);
      break;
    case TypeId::kByte:
      state.bytes8.push_back(0);
      break;
    case TypeId::kShort:
      state.shorts.push_back(0);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      state.ints.push_back(0);
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
      state.longs.push_back(0);
      break;
    case TypeId::kFloat:
      state.floats.push_back(0);
      break;
    case TypeId::kDouble:
      state.doubles.push_back(0);
      break;
    case TypeId::kDecimal:
      state.decimals.push_back(0);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      state.offsets.push_back(static_cast<std::int64_t>(state.bytes.size()));
      break;
    case TypeId::kArray:
      state.offsets.push_back(state.offsets.back());
      break;
    case TypeId::kStruct:
      for (ColumnBuilder& child : state.children) child.append_null();
      break;
    case TypeId::kNull:
      break;
  }
  state.push_validity(false);
}

void ColumnBuilder::append_boolean(bool value) {
  state_->booleans.push_back(value ? 1 : 0);
  state_->push_validity(true);
}

void ColumnBuilder::append_byte(std::int8_t value) {
  state_->bytes8.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_short(std::int16_t value) {
  state_->shorts.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_float(float value) {
  state_->floats.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_decimal(const Decimal& value) {
  const DataType& type = state_->type;
  detail::Int128 unscaled = detail::unscaled_of(value);
  if (value.scale() != type.scale() || detail::decimal_digits(unscaled) > type.precision()) {
    const std::optional<detail::Int128> rescaled =
        detail::rescale(unscaled, value.scale(), type.precision(), type.scale());
    if (!rescaled) {
      throw AnalysisError(fmt::format("the decimal {} does not fit a column of type {}",
                                      value.to_string(), type.to_string()));
    }
    unscaled = *rescaled;
  }
  state_->decimals.push_back(unscaled);
  state_->push_validity(true);
}

void ColumnBuilder::append_int(std::int32_t value) {
  state_->ints.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_long(std::int64_t value) {
  state_->longs.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_double(double value) {
  state_->doubles.push_back(value);
  state_->push_validity(true);
}

void ColumnBuilder::append_bytes(std::string_view value) {
  state_->bytes.append(value);
  finish_bytes();
}

std::string& ColumnBuilder::byte_buffer() noexcept {
  return state_->bytes;
}

void ColumnBuilder::finish_bytes() {
  state_->offsets.push_back(static_cast<std::int64_t>(state_->bytes.size()));
  state_->push_validity(true);
}

ColumnBuilder& ColumnBuilder::element_builder() {
  return state_->children.at(0);
}

void ColumnBuilder::finish_array() {
  state_->offsets.push_back(static_cast<std::int64_t>(state_->children.at(0).size()));
  state_->push_validity(true);
}

ColumnBuilder& ColumnBuilder::field_builder(std::size_t index) {
  return state_->children.at(index);
}

void ColumnBuilder::finish_struct() {
  state_->push_validity(true);
}

namespace {

std::string kind_of(const Value& value) {
  return std::visit(
      [](const auto& item) -> std::string {
        using Item = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<Item, std::monostate>) return "null";
        if constexpr (std::is_same_v<Item, bool>) return "boolean";
        if constexpr (std::is_same_v<Item, std::int8_t>) return "tinyint";
        if constexpr (std::is_same_v<Item, std::int16_t>) return "smallint";
        if constexpr (std::is_same_v<Item, std::int32_t>) return "int";
        if constexpr (std::is_same_v<Item, std::int64_t>) return "bigint";
        if constexpr (std::is_same_v<Item, float>) return "float";
        if constexpr (std::is_same_v<Item, double>) return "double";
        if constexpr (std::is_same_v<Item, Decimal>) return "decimal";
        if constexpr (std::is_same_v<Item, std::string>) return "string";
        if constexpr (std::is_same_v<Item, Bytes>) return "binary";
        if constexpr (std::is_same_v<Item, Date>) return "date";
        if constexpr (std::is_same_v<Item, Timestamp>) return "timestamp";
        if constexpr (std::is_same_v<Item, ArrayValue>) return "array";
        return "struct";
      },
      value.variant());
}

}  // namespace

void ColumnBuilder::append(const Value& value) {
  if (value.is_null()) {
    append_null();
    return;
  }
  const DataType& type = state_->type;
  const auto mismatch = [&] {
    return AnalysisError(fmt::format("a {} value ({}) cannot be stored in a column of type {}",
                                     kind_of(value), value.to_string(), type.to_string()));
  };
  switch (type.id()) {
    case TypeId::kNull:
      throw mismatch();
    case TypeId::kBoolean:
      if (!value.is<bool>()) throw mismatch();
      append_boolean(value.as<bool>());
      return;
    case TypeId::kByte:
      if (!value.is<std::int8_t>()) throw mismatch();
      append_byte(value.as<std::int8_t>());
      return;
    case TypeId::kShort:
      if (value.is<std::int16_t>()) {
        append_short(value.as<std::int16_t>());
      } else if (value.is<std::int8_t>()) {
        append_short(value.as<std::int8_t>());
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kInt:
      if (value.is<std::int32_t>()) {
        append_int(value.as<std::int32_t>());
      } else if (value.is<std::int16_t>()) {
        append_int(value.as<std::int16_t>());
      } else if (value.is<std::int8_t>()) {
        append_int(value.as<std::int8_t>());
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kLong:
      if (value.is<std::int64_t>()) {
        append_long(value.as<std::int64_t>());
      } else if (value.is<std::int32_t>()) {
        append_long(value.as<std::int32_t>());
      } else if (value.is<std::int16_t>()) {
        append_long(value.as<std::int16_t>());
      } else if (value.is<std::int8_t>()) {
        append_long(value.as<std::int8_t>());
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kDate:
      if (!value.is<Date>()) throw mismatch();
      append_int(value.as<Date>().days);
      return;
    case TypeId::kTimestamp:
      if (!value.is<Timestamp>()) throw mismatch();
      append_long(value.as<Timestamp>().micros);
      return;
    case TypeId::kFloat:
      if (!value.is<float>()) throw mismatch();
      append_float(value.as<float>());
      return;
    case TypeId::kDouble:
      if (value.is<double>()) {
        append_double(value.as<double>());
      } else if (value.is<float>()) {
        append_double(value.as<float>());
      } else if (value.is<std::int32_t>()) {
        append_double(value.as<std::int32_t>());
      } else if (value.is<std::int64_t>()) {
        append_double(static_cast<double>(value.as<std::int64_t>()));
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kDecimal:
      if (value.is<Decimal>()) {
        append_decimal(value.as<Decimal>());
      } else if (value.is<std::int32_t>()) {
        append_decimal(Decimal(value.as<std::int32_t>(), 0));
      } else if (value.is<std::int64_t>()) {
        append_decimal(Decimal(value.as<std::int64_t>(), 0));
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kString:
      if (!value.is<std::string>()) throw mismatch();
      append_bytes(value.as<std::string>());
      return;
    case TypeId::kBinary:
      if (value.is<Bytes>()) {
        append_bytes(value.as<Bytes>().data);
      } else if (value.is<std::string>()) {
        append_bytes(value.as<std::string>());
      } else {
        throw mismatch();
      }
      return;
    case TypeId::kArray: {
      if (!value.is<ArrayValue>()) throw mismatch();
      for (const Value& element : value.as<ArrayValue>()) element_builder().append(element);
      finish_array();
      return;
    }
    case TypeId::kStruct: {
      if (!value.is<StructValue>()) throw mismatch();
      const std::vector<Value>& fields = value.as<StructValue>().fields;
      if (fields.size() != state_->children.size()) throw mismatch();
      for (std::size_t index = 0; index < fields.size(); ++index) {
        state_->children[index].append(fields[index]);
      }
      finish_struct();
      return;
    }
  }
}

void ColumnBuilder::append_from(const ColumnVector& column, std::size_t row) {
  if (column.is_null(row)) {
    append_null();
    return;
  }
  switch (column.type().id()) {
    case TypeId::kNull:
      append_null();
      return;
    case TypeId::kBoolean:
      append_boolean(column.boolean_at(row));
      return;
    case TypeId::kByte:
      append_byte(column.byte_at(row));
      return;
    case TypeId::kShort:
      append_short(column.short_at(row));
      return;
    case TypeId::kInt:
    case TypeId::kDate:
      append_int(column.int_at(row));
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
      append_long(column.long_at(row));
      return;
    case TypeId::kFloat:
      append_float(column.float_at(row));
      return;
    case TypeId::kDouble:
      append_double(column.double_at(row));
      return;
    case TypeId::kDecimal:
      // Same type, same scale: the unscaled value is copied as it is.
      state_->decimals.push_back(
          static_cast<const detail::Int128*>(column.data()->values)[column.offset() + row]);
      state_->push_validity(true);
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      append_bytes(column.bytes_at(row));
      return;
    case TypeId::kArray: {
      const auto [begin, end] = column.array_range(row);
      for (std::size_t element = begin; element < end; ++element) {
        element_builder().append_from(column.elements(), element);
      }
      finish_array();
      return;
    }
    case TypeId::kStruct:
      for (std::size_t index = 0; index < state_->children.size(); ++index) {
        state_->children[index].append_from(column.child(index), row);
      }
      finish_struct();
      return;
  }
}

namespace {

template <typename T>
void adopt_values(ColumnVector::Data& data, std::vector<T>&& values) {
  auto owner = std::make_shared<const std::vector<T>>(std::move(values));
  data.values = owner->data();
  data.values_owner = std::move(owner);
}

}  // namespace

ColumnVector ColumnBuilder::finish() {
  State& state = *state_;
  auto data = std::make_shared<ColumnVector::Data>();
  data->type = state.type;
  data->length = state.length;
  if (state.has_null) {
    data->validity = std::make_shared<const std::vector<std::uint8_t>>(std::move(state.validity));
  }
  switch (state.type.id()) {
    case TypeId::kBoolean:
      adopt_values(*data, std::move(state.booleans));
      break;
    case TypeId::kByte:
      adopt_values(*data, std::move(state.bytes8));
      break;
    case TypeId::kShort:
      adopt_values(*data, std::move(state.shorts));
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      adopt_values(*data, std::move(state.ints));
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
      adopt_values(*data, std::move(state.longs));
      break;
    case TypeId::kFloat:
      adopt_values(*data, std::move(state.floats));
      break;
    case TypeId::kDouble:
      adopt_values(*data, std::move(state.doubles));
      break;
    case TypeId::kDecimal:
      adopt_values(*data, std::move(state.decimals));
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      data->bytes = std::make_shared<const std::string>(std::move(state.bytes));
      [[fallthrough]];
    case TypeId::kArray:
      data->offsets = std::make_shared<const std::vector<std::int64_t>>(std::move(state.offsets));
      break;
    case TypeId::kStruct:
    case TypeId::kNull:
      break;
  }
  for (ColumnBuilder& child : state.children) data->children.push_back(child.finish());
  const std::size_t length = state.length;
  DataType type = std::move(state.type);
  *state_ = State{};
  state_->type = type;
  if (type.id() == TypeId::kArray) {
    state_->children.emplace_back(type.element_type());
  } else if (type.id() == TypeId::kStruct) {
    for (const Field& field : type.fields()) state_->children.emplace_back(field.type);
  }
  return {std::move(data), 0, length};
}

}  // namespace kafkasink
