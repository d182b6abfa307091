#include "expressions/cast.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

#include "frame/column_data.hpp"
#include "util/datetime.hpp"
#include "util/decimal.hpp"
#include "util/java_number_text.hpp"
#include "util/text.hpp"

namespace kafkasink::detail {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

bool is_integral(TypeId id) {
  return id == TypeId::kByte || id == TypeId::kShort || id == TypeId::kInt || id == TypeId::kLong;
}

bool is_fractional(TypeId id) {
  return id == TypeId::kFloat || id == TypeId::kDouble || id == TypeId::kDecimal;
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

void append_value(ColumnBuilder& builder, std::int8_t value) {
  builder.append_byte(value);
}

void append_value(ColumnBuilder& builder, std::int16_t value) {
  builder.append_short(value);
}

void append_value(ColumnBuilder& builder, float value) {
  builder.append_float(value);
}

// A decimal result: the unscaled value at the builder's scale.
struct Unscaled {
  Int128 value = 0;
};

void append_value(ColumnBuilder& builder, Unscaled value) {
  builder.append_decimal(make_decimal(value.value, builder.type().scale()));
}

// A date result: days since the epoch.
struct Days {
  std::int32_t value = 0;
};

void append_value(ColumnBuilder& builder, Days value) {
  builder.append_int(value.value);
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
  const TypeId source = input.type().id();
  const std::size_t width = source == TypeId::kByte    ? 1
                            : source == TypeId::kShort ? 2
                            : source == TypeId::kInt   ? 4
                                                       : 8;
  ColumnBuilder builder(binary_type());
  builder.reserve(input.size(), input.size() * width);
  std::string& out = builder.byte_buffer();
  for (std::size_t row = 0; row < input.size(); ++row) {
    if (input.is_null(row)) {
      builder.append_null();
      continue;
    }
    std::uint64_t bits = 0;
    switch (source) {
      case TypeId::kByte:
        bits = static_cast<std::uint8_t>(input.byte_at(row));
        break;
      case TypeId::kShort:
        bits = static_cast<std::uint16_t>(input.short_at(row));
        break;
      case TypeId::kInt:
        bits = static_cast<std::uint32_t>(input.int_at(row));
        break;
      default:
        bits = static_cast<std::uint64_t>(input.long_at(row));
        break;
    }
    for (std::size_t byte = width; byte-- > 0;) {
      out.push_back(static_cast<char>((bits >> (byte * 8)) & 0xFFU));
    }
    builder.finish_bytes();
  }
  return builder.finish();
}

// ---------------------------------------------------------------------------------------------
// tinyint, smallint, float, decimal and date. A tinyint or smallint source converts as the same
// value in a bigint would, and a float as the same value in a double (Spark widens them the same
// way: Float.toDouble, Byte.toLong), so those sources are widened once and take the bigint and
// double paths; only their text and bytes are their own.

ColumnVector widen_to_long(const ColumnVector& input) {
  const bool is_byte = input.type().id() == TypeId::kByte;
  return convert_rows(input, long_type(), [&](std::size_t row) {
    return static_cast<std::int64_t>(is_byte ? input.byte_at(row) : input.short_at(row));
  });
}

ColumnVector widen_to_double(const ColumnVector& input) {
  return convert_rows(input, double_type(),
                      [&](std::size_t row) { return static_cast<double>(input.float_at(row)); });
}

Int128 unscaled_at(const ColumnVector& column, std::size_t row) {
  return static_cast<const Int128*>(column.data()->values)[column.offset() + row];
}

// CAST(x AS TINYINT/SMALLINT): Java's narrowing of the bigint value, except that a fractional
// number narrows through int as Spark does (`x.toInt.toByte`: 1e10 is -1, not 0), and text must
// fit the type (UTF8String.toByte: '128' is null).
template <typename Small>
ColumnVector cast_to_small_integer(const ColumnVector& input, const DataType& to) {
  const TypeId source = input.type().id();
  if (source == TypeId::kString) {
    return convert_rows(input, to, [&](std::size_t row) {
      if constexpr (std::is_same_v<Small, std::int8_t>) {
        return cast_string_to_byte(input.bytes_at(row));
      } else {
        return cast_string_to_short(input.bytes_at(row));
      }
    });
  }
  if (source == TypeId::kFloat || source == TypeId::kDouble) {
    const ColumnVector doubles = source == TypeId::kFloat ? widen_to_double(input) : input;
    return convert_rows(doubles, to, [&](std::size_t row) {
      return static_cast<Small>(java_double_to_int(doubles.double_at(row)));
    });
  }
  const ColumnVector longs = cast_column(input, long_type());
  return convert_rows(longs, to,
                      [&](std::size_t row) { return static_cast<Small>(longs.long_at(row)); });
}

ColumnVector cast_to_float(const ColumnVector& input, const DataType& to) {
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(
          input, to, [&](std::size_t row) { return cast_string_to_float(input.bytes_at(row)); });
    case TypeId::kDecimal: {
      const int scale = input.type().scale();
      return convert_rows(input, to, [&](std::size_t row) {
        return decimal_to_float(unscaled_at(input, row), scale);
      });
    }
    case TypeId::kDate:
      return ColumnVector::repeat(to, Value(), input.size());
    default: {
      // Java's long -> float and double -> float both round once to nearest.
      const bool integral = is_integral(input.type().id()) || input.type().id() == TypeId::kBoolean;
      const ColumnVector wide = cast_column(input, integral ? long_type() : double_type());
      return convert_rows(wide, to, [&](std::size_t row) {
        return integral ? static_cast<float>(wide.long_at(row))
                        : static_cast<float>(wide.double_at(row));
      });
    }
  }
}

// CAST(x AS DECIMAL(p,s)): the exact value rounded HALF_UP to the scale (Decimal.changePrecision),
// null when it does not fit; doubles (and floats, timestamps as seconds) convert through their
// Java text, as Spark's Decimal(double) does.
ColumnVector cast_to_decimal(const ColumnVector& input, const DataType& to) {
  const int precision = to.precision();
  const int scale = to.scale();
  const auto wrap = [](std::optional<Int128> value) -> std::optional<Unscaled> {
    if (!value) return std::nullopt;
    return Unscaled{*value};
  };
  switch (input.type().id()) {
    case TypeId::kString:
      return convert_rows(input, to, [&](std::size_t row) {
        return wrap(parse_decimal(input.bytes_at(row), precision, scale));
      });
    case TypeId::kDecimal: {
      const int from_scale = input.type().scale();
      return convert_rows(input, to, [&](std::size_t row) {
        return wrap(rescale(unscaled_at(input, row), from_scale, precision, scale));
      });
    }
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kTimestamp: {
      const ColumnVector doubles = cast_column(input, double_type());
      return convert_rows(doubles, to, [&](std::size_t row) {
        return wrap(double_to_decimal(doubles.double_at(row), precision, scale));
      });
    }
    case TypeId::kDate:
      return ColumnVector::repeat(to, Value(), input.size());
    default: {  // boolean and the integers: the exact integer
      const ColumnVector longs = cast_column(input, long_type());
      return convert_rows(longs, to, [&](std::size_t row) {
        return wrap(rescale(longs.long_at(row), 0, precision, scale));
      });
    }
  }
}

ColumnVector cast_to_date(const ColumnVector& input, const DataType& to) {
  if (input.type().id() == TypeId::kString) {
    return convert_rows(input, to, [&](std::size_t row) -> std::optional<Days> {
      const std::optional<std::int32_t> days = parse_date(input.bytes_at(row));
      if (!days) return std::nullopt;
      return Days{*days};
    });
  }
  // A timestamp's day in the session time zone, UTC.
  return convert_rows(input, to, [&](std::size_t row) {
    const std::int64_t micros = input.long_at(row);
    std::int64_t days = micros / kMicrosPerDay;
    if (micros % kMicrosPerDay < 0) --days;
    return Days{static_cast<std::int32_t>(days)};
  });
}

// A decimal to a boolean, an integer, a double or a timestamp (the other targets have their own
// functions above).
ColumnVector cast_decimal(const ColumnVector& input, const DataType& to) {
  const int scale = input.type().scale();
  switch (to.id()) {
    case TypeId::kBoolean:
      return convert_rows(input, to, [&](std::size_t row) { return unscaled_at(input, row) != 0; });
    case TypeId::kDouble:
      return convert_rows(input, to, [&](std::size_t row) {
        return decimal_to_double(unscaled_at(input, row), scale);
      });
    case TypeId::kTimestamp:
      // (d * 1000000).longValue: truncated toward zero, then the low 64 bits.
      return convert_rows(input, to, [&](std::size_t row) {
        const Int128 unscaled = unscaled_at(input, row);
        const Int128 divisor = power_of_ten(scale);
        const auto whole = static_cast<UInt128>(unscaled / divisor);
        const Int128 remainder = unscaled % divisor;
        const auto fraction = static_cast<UInt128>(
            scale >= 6 ? remainder / power_of_ten(scale - 6) : remainder * power_of_ten(6 - scale));
        return static_cast<std::int64_t>(
            static_cast<std::uint64_t>(whole * kMicrosPerSecond + fraction));
      });
    case TypeId::kInt: {
      return convert_rows(input, to, [&](std::size_t row) {
        return java_long_to_int(decimal_to_long(unscaled_at(input, row), scale));
      });
    }
    default:  // kLong: BigDecimal.longValue
      return convert_rows(input, to, [&](std::size_t row) {
        return decimal_to_long(unscaled_at(input, row), scale);
      });
  }
}

// A date to a timestamp (its midnight in UTC); to a boolean or a number it is null in Spark's
// non-ANSI mode.
ColumnVector cast_date(const ColumnVector& input, const DataType& to) {
  if (to.id() != TypeId::kTimestamp) return ColumnVector::repeat(to, Value(), input.size());
  return convert_rows(input, to, [&](std::size_t row) {
    return static_cast<std::int64_t>(input.int_at(row)) * kMicrosPerDay;
  });
}

// Spark's DecimalType.isWiderThan: room for every value of `from` (a decimal or an integer type).
bool decimal_is_wider(const DataType& to, int from_precision, int from_scale) {
  return to.precision() - to.scale() >= from_precision - from_scale && to.scale() >= from_scale;
}

// Spark's Cast.canNullSafeCastToDecimal: whether every value of `from` fits `to`.
bool can_null_safe_cast_to_decimal(const DataType& from, const DataType& to) {
  switch (from.id()) {
    case TypeId::kBoolean:
      return decimal_is_wider(to, 1, 0);
    case TypeId::kByte:
      return decimal_is_wider(to, 3, 0);
    case TypeId::kShort:
      return decimal_is_wider(to, 5, 0);
    case TypeId::kInt:
      return decimal_is_wider(to, 10, 0);
    case TypeId::kLong:
      return decimal_is_wider(to, 20, 0);
    case TypeId::kDecimal:
      return decimal_is_wider(to, from.precision(), from.scale()) ||
             to.precision() - to.scale() > from.precision() - from.scale();
    default:
      return false;
  }
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
      return source == TypeId::kString || from.is_numeric() || source == TypeId::kTimestamp ||
             source == TypeId::kDate;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return source == TypeId::kString || source == TypeId::kBoolean || from.is_numeric() ||
             source == TypeId::kTimestamp || source == TypeId::kDate;
    case TypeId::kDate:
      return source == TypeId::kString || source == TypeId::kTimestamp;
    case TypeId::kTimestamp:
      return source == TypeId::kString || source == TypeId::kBoolean || from.is_numeric() ||
             source == TypeId::kDate;
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
  // Spark's Cast.forceNullable, case by case.
  const TypeId source = from.id();
  const TypeId target = to.id();
  if (source == TypeId::kNull || from == to) return false;
  if (source == TypeId::kString) return target != TypeId::kBinary;
  if (target == TypeId::kString) return false;
  if ((source == TypeId::kFloat || source == TypeId::kDouble) && target == TypeId::kTimestamp) {
    return true;
  }
  if (target == TypeId::kDate) return source != TypeId::kTimestamp;
  if (source == TypeId::kDate) return target != TypeId::kTimestamp;
  if (target == TypeId::kDecimal) return !can_null_safe_cast_to_decimal(from, to);
  return is_fractional(source) && is_integral(target);  // NaN and the infinities
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
    case TypeId::kByte:
      return cast_to_small_integer<std::int8_t>(input, to);
    case TypeId::kShort:
      return cast_to_small_integer<std::int16_t>(input, to);
    case TypeId::kFloat:
      return cast_to_float(input, to);
    case TypeId::kDecimal:
      return cast_to_decimal(input, to);
    case TypeId::kDate:
      return cast_to_date(input, to);
    default:
      break;
  }
  switch (from.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
      return cast_column(widen_to_long(input), to);
    case TypeId::kFloat:
      return cast_column(widen_to_double(input), to);
    case TypeId::kDecimal:
      return cast_decimal(input, to);
    case TypeId::kDate:
      return cast_date(input, to);
    default:
      break;
  }
  switch (to.id()) {
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
    default:
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
    case TypeId::kByte:
      append_integer(out, column.byte_at(row));
      return;
    case TypeId::kShort:
      append_integer(out, column.short_at(row));
      return;
    case TypeId::kInt:
      append_integer(out, column.int_at(row));
      return;
    case TypeId::kLong:
      append_integer(out, column.long_at(row));
      return;
    case TypeId::kFloat:
      append_java_float(out, column.float_at(row));
      return;
    case TypeId::kDouble:
      append_java_double(out, column.double_at(row));
      return;
    case TypeId::kDecimal:
      append_decimal(out, unscaled_at(column, row), column.type().scale());
      return;
    case TypeId::kDate:
      append_date(out, column.int_at(row));
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
