// Values and rows: one cell and one record of a DataFrame, boxed for code that works a row at
// a time (collect(), from_rows(), tests). The columnar paths never box; they read the column
// buffers directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
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

class Value;

/// The elements of an array value.
using ArrayValue = std::vector<Value>;

/// The fields of a struct value, in the order of the struct type's fields.
struct StructValue {
  std::vector<Value> fields;  ///< one value per field of the struct type, in its order

  /// Equal fields, in order.
  friend bool operator==(const StructValue&, const StructValue&) = default;
};

/// One cell: null or a value of one of the DataFrame types. An `int` cell holds
/// `std::int32_t`, a `long` cell `std::int64_t`.
class Value {
 public:
  /// The alternatives a value can hold; `std::monostate` is null.
  using Variant = std::variant<std::monostate,
                               bool,
                               std::int32_t,
                               std::int64_t,
                               double,
                               std::string,
                               Bytes,
                               Timestamp,
                               ArrayValue,
                               StructValue>;

  ///@{
  /// A null value (default, or `nullptr`), or a value holding the argument. The constructors
  /// are implicit so that rows read naturally: `Row{"Ann", 39, nullptr}`. Text
  /// (`const char*`, `std::string_view`) is copied into a string; a `std::int32_t` makes an
  /// int cell, a `std::int64_t` a long cell.
  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): null reads naturally
  Value(bool value) : variant_(value) {}                      // NOLINT(google-explicit-constructor)
  Value(std::int32_t value) : variant_(value) {}              // NOLINT(google-explicit-constructor)
  Value(std::int64_t value) : variant_(value) {}              // NOLINT(google-explicit-constructor)
  Value(double value) : variant_(value) {}                    // NOLINT(google-explicit-constructor)
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
  /// `{a, 1}`, binary as `[61 62]`, timestamps as `2024-01-02 03:04:05`.
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
