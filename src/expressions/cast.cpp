#include "expressions/cast.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

bool is_integral(TypeId id) {
  return id == TypeId::kInt || id == TypeId::kLong;
}

bool is_numeric(TypeId id) {
  return is_integral(id) || id == TypeId::kDouble;
}

// Java's (int) and (long) of a double: NaN is 0, out-of-range values saturate.
std::int32_t java_double_to_int(double value) {
  if (std::isnan(value)) return 0;
  if (value >= 2147483647.0) return std::numeric_limits<std::int32_t>::max();
  if (value <= -2147483648.0) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(value);
}

std::int64_t java_double_to_long(double value) {
  if (std::isnan(value)) return 0;
  if (value >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
  if (value <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(value);
}

// Java's (int) of a long keeps the low 32 bits (well defined in C++20).
std::int32_t java_long_to_int(std::int64_t value) {
  return static_cast<std::int32_t>(value);
}

// Spark's timestampToLong: whole seconds, rounded toward negative infinity.
std::int64_t floor_seconds(std::int64_t micros) {
  std::int64_t seconds = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --seconds;
  return seconds;
}

// TimeUnit.SECONDS.toMicros saturates instead of overflowing.
std::int64_t seconds_to_micros(std::int64_t seconds) {
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / kMicrosPerSecond;
  if (seconds > kLimit) return std::numeric_limits<std::int64_t>::max();
  if (seconds < -kLimit) return std::numeric_limits<std::int64_t>::min();
  return seconds * kMicrosPerSecond;
}

void append_value(ColumnBuilder& builder, bool value) {
  builder.append_boolean(value);
}

void append_value(ColumnBuilder& builder, std::int32_t value) {
  builder.append_int(value);
}

void append_value(ColumnBuilder& builder, std::int64_t value) {
  builder.append_long(value);
}

void append_value(ColumnBuilder& builder, double value) {
  builder.append_double(value);
}

// One pass over `input`: nulls stay null, every other row becomes `convert(row)`, which returns
// either a value or an optional (null when the value cannot be converted).
template <typename Convert>
ColumnVector convert_rows(const ColumnVector& input, const DataType& to, Convert convert) {
  ColumnBuilder builder(to);
  builder.reserve(input.size());
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    const auto value = convert(row);
    if constexpr (requires { value.has_value(); }) {
      if (value) {
        append_value(builder, *value);
      } else {
        builder.append_null();
      }
    } else {
      append_value(builder, value);
    }
  }
  return builder.finish();
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

ColumnVector cast_to_string(const ColumnVector& input) {
  ColumnBuilder builder(string_type());
  builder.reserve(input.size(), input.size() * 8);
  std::string& out = builder.byte_buffer();
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    append_cast_string(input, row, out);
    builder.finish_bytes();
  }
  return builder.finish();
}

ColumnVector cast_to_boolean(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(
          input, to, [&](std::size_t row) { return cast_string_to_boolean(input.bytes_at(row)); });
    case TypeId::kInt:
      return convert_rows(input, to, [&](std::size_t row) { return input.int_at(row) != 0; });
    case TypeId::kLong:
    case TypeId::kTimestamp:
      return convert_rows(input, to, [&](std::size_t row) { return input.long_at(row) != 0; });
    default:  // kDouble: NaN is true, as NaN != 0 in Java.
      return convert_rows(input, to, [&](std::size_t row) { return input.double_at(row) != 0.0; });
  }
}

ColumnVector cast_to_int(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(input, to,
                          [&](std::size_t row) { return cast_string_to_int(input.bytes_at(row)); });
    case TypeId::kBoolean:
      return convert_rows(input, to, [&](std::size_t row) {
        return static_cast<std::int32_t>(input.boolean_at(row) ? 1 : 0);
      });
    case TypeId::kLong:
      return convert_rows(input, to,
                          [&](std::size_t row) { return java_long_to_int(input.long_at(row)); });
    case TypeId::kTimestamp:
      return convert_rows(input, to, [&](std::size_t row) {
        return java_long_to_int(floor_seconds(input.long_at(row)));
      });
    default:  // kDouble
      return convert_rows(
          input, to, [&](std::size_t row) { return java_double_to_int(input.double_at(row)); });
  }
}

ColumnVector cast_to_long(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(
          input, to, [&](std::size_t row) { return cast_string_to_long(input.bytes_at(row)); });
    case TypeId::kBoolean:
      return convert_rows(input, to, [&](std::size_t row) {
        return static_cast<std::int64_t>(input.boolean_at(row) ? 1 : 0);
      });
    case TypeId::kInt:
      return convert_rows(
          input, to, [&](std::size_t row) { return static_cast<std::int64_t>(input.int_at(row)); });
    case TypeId::kTimestamp:
      return convert_rows(input, to,
                          [&](std::size_t row) { return floor_seconds(input.long_at(row)); });
    default:  // kDouble
      return convert_rows(
          input, to, [&](std::size_t row) { return java_double_to_long(input.double_at(row)); });
  }
}

ColumnVector cast_to_double(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(
          input, to, [&](std::size_t row) { return cast_string_to_double(input.bytes_at(row)); });
    case TypeId::kBoolean:
      return convert_rows(input, to,
                          [&](std::size_t row) { return input.boolean_at(row) ? 1.0 : 0.0; });
    case TypeId::kInt:
      return convert_rows(input, to,
                          [&](std::size_t row) { return static_cast<double>(input.int_at(row)); });
    case TypeId::kLong:
      return convert_rows(input, to,
                          [&](std::size_t row) { return static_cast<double>(input.long_at(row)); });
    default:  // kTimestamp: seconds with a fraction.
      return convert_rows(input, to, [&](std::size_t row) {
        return static_cast<double>(input.long_at(row)) / static_cast<double>(kMicrosPerSecond);
      });
  }
}

ColumnVector cast_to_timestamp(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(input, to,
                          [&](std::size_t row) { return parse_timestamp(input.bytes_at(row)); });
    case TypeId::kBoolean:
      // Spark turns true into one microsecond after the epoch, not one second.
      return convert_rows(input, to, [&](std::size_t row) {
        return static_cast<std::int64_t>(input.boolean_at(row) ? 1 : 0);
      });
    case TypeId::kInt:
      return convert_rows(input, to,
                          [&](std::size_t row) { return seconds_to_micros(input.int_at(row)); });
    case TypeId::kLong:
      return convert_rows(input, to,
                          [&](std::size_t row) { return seconds_to_micros(input.long_at(row)); });
    default:  // kDouble: NaN and the infinities have no time, so they become null.
      return convert_rows(input, to, [&](std::size_t row) -> std::optional<std::int64_t> {
        const double seconds = input.double_at(row);
        if (!std::isfinite(seconds)) return std::nullopt;
        return java_double_to_long(seconds * static_cast<double>(kMicrosPerSecond));
      });
  }
}

// Spark's cast of an integral number to binary: its big-endian two's-complement bytes.
ColumnVector cast_integral_to_binary(const ColumnVector& input) {
  const bool is_int = input.type().id() == TypeId::kInt;
  const std::size_t width = is_int ? 4 : 8;
  ColumnBuilder builder(binary_type());
  builder.reserve(input.size(), input.size() * width);
  std::string& out = builder.byte_buffer();
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    const auto bits =
        is_int ? static_cast<std::uint64_t>(static_cast<std::uint32_t>(input.int_at(row)))
               : static_cast<std::uint64_t>(input.long_at(row));
    for (std::size_t byte = width; byte-- > 0;) {
      out.push_back(static_cast<char>((bits >> (byte * 8)) & 0xFFU));
    }
    builder.finish_bytes();
  }
  return builder.finish();
}

ColumnVector cast_array(const ColumnVector& input, const DataType& to) {
  const ColumnVector elements = cast_column(input.elements(), to.element_type());
  ColumnBuilder builder(to);
  builder.reserve(input.size());
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    const auto [begin, end] = input.array_range(row);
    for (std::size_t element = begin; element < end; ++element) {
      builder.element_builder().append_from(elements, element);
    }
    builder.finish_array();
  }
  return builder.finish();
}

ColumnVector cast_struct(const ColumnVector& input, const DataType& to) {
  std::vector<ColumnVector> fields;
  fields.reserve(to.fields().size());
  for (std::size_t index = 0; index < to.fields().size(); ++index) {
    fields.push_back(cast_column(input.child(index), to.fields()[index].type));
  }
  ColumnBuilder builder(to);
  builder.reserve(input.size());
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    for (std::size_t index = 0; index < fields.size(); ++index) {
      builder.field_builder(index).append_from(fields[index], row);
    }
    builder.finish_struct();
  }
  return builder.finish();
}

}  // namespace

bool can_cast(const DataType& from, const DataType& to) {
  if (from == to || from.id() == TypeId::kNull) return true;
  const TypeId source = from.id();
  switch (to.id()) {
    case TypeId::kString:
      return true;
    case TypeId::kBinary:
      return source == TypeId::kString || is_integral(source);
    case TypeId::kBoolean:
      return source == TypeId::kString || is_numeric(source) || source == TypeId::kTimestamp;
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDouble:
      return source == TypeId::kString || source == TypeId::kBoolean || is_numeric(source) ||
             source == TypeId::kTimestamp;
    case TypeId::kTimestamp:
      return source == TypeId::kString || source == TypeId::kBoolean || is_numeric(source);
    case TypeId::kArray:
      // Spark refuses a cast that could put a null into an array that may not hold one.
      return source == TypeId::kArray && can_cast(from.element_type(), to.element_type()) &&
             (to.contains_null() ||
              (!from.contains_null() && !cast_forces_null(from.element_type(), to.element_type())));
    case TypeId::kStruct: {
      if (source != TypeId::kStruct || from.fields().size() != to.fields().size()) return false;
      for (std::size_t index = 0; index < to.fields().size(); ++index) {
        const Field& source_field = from.fields()[index];
        const Field& target_field = to.fields()[index];
        if (!can_cast(source_field.type, target_field.type)) return false;
        if (!target_field.nullable &&
            (source_field.nullable || cast_forces_null(source_field.type, target_field.type))) {
          return false;
        }
      }
      return true;
    }
    case TypeId::kNull:
      return false;
  }
  return false;
}

bool cast_forces_null(const DataType& from, const DataType& to) {
  if (from == to) return false;
  if (from.id() == TypeId::kString) {
    return to.id() != TypeId::kString && to.id() != TypeId::kBinary;
  }
  return from.id() == TypeId::kDouble && to.id() == TypeId::kTimestamp;
}

ColumnVector cast_column(const ColumnVector& input, const DataType& to) {
  const DataType& from = input.type();
  if (from == to) return input;
  if (from.id() == TypeId::kNull) return ColumnVector::repeat(to, Value(), input.size());
  switch (to.id()) {
    case TypeId::kString:
      if (from.id() == TypeId::kBinary) return input.reinterpret(to);
      return cast_to_string(input);
    case TypeId::kBinary:
      if (from.id() == TypeId::kString) return input.reinterpret(to);
      return cast_integral_to_binary(input);
    case TypeId::kBoolean:
      return cast_to_boolean(input, to);
    case TypeId::kInt:
      return cast_to_int(input, to);
    case TypeId::kLong:
      return cast_to_long(input, to);
    case TypeId::kDouble:
      return cast_to_double(input, to);
    case TypeId::kTimestamp:
      return cast_to_timestamp(input, to);
    case TypeId::kArray:
      return cast_array(input, to);
    case TypeId::kStruct:
      return cast_struct(input, to);
    case TypeId::kNull:
      break;
  }
  return ColumnVector::repeat(to, Value(), input.size());
}

void append_cast_string(const ColumnVector& column, std::size_t row, std::string& out) {
  switch (column.type().id()) {
    case TypeId::kNull:
      out += "null";
      return;
    case TypeId::kBoolean:
      out += column.boolean_at(row) ? "true" : "false";
      return;
    case TypeId::kInt:
      append_integer(out, column.int_at(row));
      return;
    case TypeId::kLong:
      append_integer(out, column.long_at(row));
      return;
    case TypeId::kDouble:
      append_java_double(out, column.double_at(row));
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      out += column.bytes_at(row);
      return;
    case TypeId::kTimestamp:
      append_timestamp(out, column.long_at(row));
      return;
    case TypeId::kArray: {
      // Spark 3 (spark.sql.legacy.castComplexTypesToString.enabled off): `[1, null, 3]`.
      const auto [begin, end] = column.array_range(row);
      const ColumnVector& elements = column.elements();
      out += '[';
      for (std::size_t element = begin; element < end; ++element) {
        if (element != begin) out += ", ";
        if (elements.is_null(element)) {
          out += "null";
        } else {
          append_cast_string(elements, element, out);
        }
      }
      out += ']';
      return;
    }
    case TypeId::kStruct: {
      out += '{';
      for (std::size_t index = 0; index < column.num_children(); ++index) {
        if (index != 0) out += ", ";
        const ColumnVector& field = column.child(index);
        if (field.is_null(row)) {
          out += "null";
        } else {
          append_cast_string(field, row, out);
        }
      }
      out += '}';
      return;
    }
  }
}

}  // namespace kafkasink::detail
