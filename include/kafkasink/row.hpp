// Values and rows: one cell and one record of a DataFrame, boxed for code that works a row at
// a time (collect(), from_rows(), tests). The columnar paths never box; they read the column
// buffers directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <kafkasink/types.hpp>

namespace kafkasink {

/// Bytes of a binary value, distinct from a string so that a Value knows which it holds.
struct Bytes {
  std::string data;  ///< the bytes, in a std::string for its small-buffer storage

  /// Equal bytes.
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

/// A point in time: microseconds since 1970-01-01T00:00:00Z, as Spark stores timestamps.
struct Timestamp {
  std::int64_t micros = 0;  ///< microseconds since the epoch, UTC; negative before 1970

  /// The same instant.
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

/// A calendar date: days since 1970-01-01 in the proleptic Gregorian calendar, as Spark stores
/// dates.
struct Date {
  std::int32_t days = 0;  ///< days since 1970-01-01; negative before

  /// The same day.
  friend bool operator==(const Date&, const Date&) = default;
};

/// An exact decimal number, as Spark's Decimal: an unscaled integer of at most 38 digits and a
/// scale, the value being `unscaled * 10^-scale`. `Decimal::parse("1.50")` has unscaled value 150
/// and scale 2; it differs from `Decimal::parse("1.5")` (as java.math.BigDecimal's equals does)
/// but is stored alike in a decimal(3,2) column.
class Decimal {
 public:
  /// Zero, with scale 0.
  Decimal() = default;

  /// `unscaled * 10^-scale`. Precondition: 0 <= scale <= 38.
  Decimal(std::int64_t unscaled, int scale);

  /// Parses a number as java.math.BigDecimal's constructor does (`12.50`, `-3`, `1.5e2` is
  /// 150 at scale 0); nothing for other text or more than 38 digits.
  static std::optional<Decimal> parse(std::string_view text);

  /// A value from the two halves of its 128-bit two's-complement unscaled integer.
  static Decimal from_bits(std::int64_t high, std::uint64_t low, int scale);

  /// The high 64 bits of the unscaled integer.
  std::int64_t high_bits() const noexcept { return high_; }
  /// The low 64 bits of the unscaled integer.
  std::uint64_t low_bits() const noexcept { return low_; }

  /// The digits after the point.
  int scale() const noexcept { return scale_; }

  /// The digits of the unscaled integer (1 for zero), as BigDecimal's precision.
  int precision() const;

  /// BigDecimal.toString, as Spark's CAST to string and to_json print decimals: `1.50`, `-12`,
  /// `1.0E-7`, `0E-8`.
  std::string to_string() const;

  /// BigDecimal.toPlainString, as Spark's show prints decimals: `0.00000010`, `0.00000000`.
  std::string to_plain_string() const;

  /// The same unscaled value and scale.
  friend bool operator==(const Decimal&, const Decimal&) = default;

 private:
  std::uint64_t low_ = 0;
  std::int64_t high_ = 0;
  int scale_ = 0;
};

class Value;

/// The elements of an array value.
using ArrayValue = std::vector<Value>;

/// The fields of a struct value, in the order of the struct type's fields.
struct StructValue {
  std::vector<Value> fields;  ///< one value per field of the struct type, in its order

  /// Equal fields, in order.
  friend bool operator==(const StructValue&, const StructValue&) = default;
};

/// One cell: null or a value of one of the DataFrame types. A `tinyint` cell holds
/// `std::int8_t`, a `smallint` `std::int16_t`, an `int` `std::int32_t`, a `bigint`
/// `std::int64_t`, a `float` `float`, a `decimal` a Decimal, a `date` a Date.
class Value {
 public:
  /// The alternatives a value can hold; `std::monostate` is null.
  using Variant = std::variant<std::monostate,
                               bool,
                               std::int8_t,
                               std::int16_t,
                               std::int32_t,
                               std::int64_t,
                               float,
                               double,
                               Decimal,
                               std::string,
                               Bytes,
                               Date,
                               Timestamp,
                               ArrayValue,
                               StructValue>;

  ///@{
  /// A null value (default, or `nullptr`), or a value holding the argument. The constructors
  /// are implicit so that rows read naturally: `Row{"Ann", 39, nullptr}`. Text
  /// (`const char*`, `std::string_view`) is copied into a string; a `std::int32_t` makes an
  /// int cell, a `std::int64_t` a long cell, a `std::int8_t` a tinyint, a `std::int16_t` a
  /// smallint.
  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): null reads naturally
  Value(bool value) : variant_(value) {}                      // NOLINT(google-explicit-constructor)
  Value(std::int8_t value) : variant_(value) {}               // NOLINT(google-explicit-constructor)
  Value(std::int16_t value) : variant_(value) {}              // NOLINT(google-explicit-constructor)
  Value(std::int32_t value) : variant_(value) {}              // NOLINT(google-explicit-constructor)
  Value(std::int64_t value) : variant_(value) {}              // NOLINT(google-explicit-constructor)
  Value(float value) : variant_(value) {}                     // NOLINT(google-explicit-constructor)
  Value(double value) : variant_(value) {}                    // NOLINT(google-explicit-constructor)
  Value(Decimal value) : variant_(value) {}                   // NOLINT(google-explicit-constructor)
  Value(Date value) : variant_(value) {}                      // NOLINT(google-explicit-constructor)
  Value(std::string value) : variant_(std::move(value)) {}    // NOLINT(google-explicit-constructor)
  Value(const char* value) : variant_(std::string(value)) {}  // NOLINT(google-explicit-constructor)
  Value(std::string_view value)                               // NOLINT(google-explicit-constructor)
      : variant_(std::string(value)) {}
  Value(Bytes value) : variant_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Value(Timestamp value) : variant_(value) {}               // NOLINT(google-explicit-constructor)
  Value(ArrayValue value) : variant_(std::move(value)) {}   // NOLINT(google-explicit-constructor)
  Value(StructValue value) : variant_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  ///@}

  /// True for the null value.
  bool is_null() const noexcept { return std::holds_alternative<std::monostate>(variant_); }

  /// True when the value holds a `T` (one of the Variant's alternatives).
  template <typename T>
  bool is() const noexcept {
    return std::holds_alternative<T>(variant_);
  }

  /// The value as a `T`; throws std::bad_variant_access when it holds something else.
  template <typename T>
  const T& as() const {
    return std::get<T>(variant_);
  }

  /// The held alternative, for `std::visit`.
  const Variant& variant() const noexcept { return variant_; }

  /// The value as Spark 3.5's `show` prints it: `NULL`, `true`, `42`, `1.5`, `[1, NULL]`,
  /// `{a, 1}`, binary as `[61 62]`, decimals without an exponent (`0.00000010`), dates as
  /// `2024-01-02`, timestamps as `2024-01-02 03:04:05`.
  std::string to_string() const;

  /// The same alternative holding an equal value (so `Value(1) != Value(std::int64_t{1})`).
  friend bool operator==(const Value&, const Value&) = default;

 private:
  Variant variant_;
};

/// One row of a DataFrame: values in schema order, with access by position or by name.
class Row {
 public:
  /// An empty row.
  Row() = default;

  /// A row of `values` described by `schema` (shared among the rows of a collect()).
  Row(std::shared_ptr<const Schema> schema, std::vector<Value> values);

  /// A row without a schema: only positional access works. Used by DataFrame::from_rows.
  Row(std::initializer_list<Value> values);  // NOLINT(google-explicit-constructor)

  /// A row without a schema, from a vector: only positional access works.
  explicit Row(std::vector<Value> values);

  /// How many values.
  std::size_t size() const noexcept { return values_.size(); }
  /// The value at position `index`; throws std::out_of_range past the end.
  const Value& operator[](std::size_t index) const { return values_.at(index); }

  /// The value of the first field named `name`; throws AnalysisError when there is none.
  const Value& operator[](std::string_view name) const;

  /// The values in schema order.
  const std::vector<Value>& values() const noexcept { return values_; }

  /// Field name to value, like PySpark's `Row.asDict()`.
  std::map<std::string, Value> as_dict() const;

  /// `Row(name=value, ...)` as PySpark prints a row.
  std::string to_string() const;

  /// Equal values in order; the schemas are not compared.
  friend bool operator==(const Row& left, const Row& right) {
    return left.values_ == right.values_;
  }

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<Value> values_;
};

}  // namespace kafkasink
