// Columnar storage: immutable typed columns and the builders that make them.
//
// A ColumnVector is Arrow-shaped: a validity bitmap (absent when no value is null), then
// fixed-width values for boolean, the integers, float, double, decimal (a 128-bit unscaled
// integer), date (int32 days) and timestamp (int64 microseconds), 64-bit offsets into one
// contiguous byte buffer for string and binary, offsets into a child column for arrays, and one
// child per field for structs. Buffers are immutable and shared, so slicing, projecting and handing
// a column's bytes to Kafka copy nothing: a string cell is a std::string_view into the buffer,
// valid for as long as any ColumnVector that shares the buffer is alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

/// An immutable column of `size()` values of one DataType.
class ColumnVector {
 public:
  /// An empty column of the null type.
  ColumnVector();

  /// The type of every value.
  const DataType& type() const noexcept;

  /// How many rows.
  std::size_t size() const noexcept { return length_; }

  /// How many values are null (counted on each call from the validity bitmap).
  std::size_t null_count() const;

  /// Whether row `row` is null. Precondition: `row < size()`.
  bool is_null(std::size_t row) const noexcept;

  /// Whether row `row` holds a value (not null).
  bool is_valid(std::size_t row) const noexcept { return !is_null(row); }

  // Typed access. The precondition of each is the matching type and a valid (non-null) row;
  // a null row reads as zero or empty.

  /// The value of a boolean column's row.
  bool boolean_at(std::size_t row) const noexcept;
  /// The value of a tinyint column's row.
  std::int8_t byte_at(std::size_t row) const noexcept;
  /// The value of a smallint column's row.
  std::int16_t short_at(std::size_t row) const noexcept;
  /// The value of an int column's row, or a date column's days since the epoch.
  std::int32_t int_at(std::size_t row) const noexcept;
  /// The value of a long column's row, or a timestamp column's microseconds since the epoch.
  std::int64_t long_at(std::size_t row) const noexcept;
  /// The value of a float column's row.
  float float_at(std::size_t row) const noexcept;
  /// The value of a double column's row.
  double double_at(std::size_t row) const noexcept;
  /// The value of a decimal column's row, at the column's scale.
  Decimal decimal_at(std::size_t row) const noexcept;
  /// The bytes of a string or binary column's row, valid while the buffer is shared.
  std::string_view bytes_at(std::size_t row) const noexcept;

  /// The range of child rows `[first, second)` holding the elements of array row `row`.
  std::pair<std::size_t, std::size_t> array_range(std::size_t row) const noexcept;

  /// The elements of every array row, as one column. Precondition: an array column.
  const ColumnVector& elements() const;

  /// The column of struct field `index`. Precondition: a struct column.
  const ColumnVector& child(std::size_t index) const;

  /// How many child columns: the field count of a struct, 1 for an array, 0 otherwise.
  std::size_t num_children() const noexcept;

  /// The cell at `row`, boxed.
  Value value_at(std::size_t row) const;

  /// Rows `[offset, offset + length)` of this column, sharing its buffers.
  ColumnVector slice(std::size_t offset, std::size_t length) const;

  /// A column of `size` copies of `value` (the result of `lit`). Precondition: `value` is null
  /// or of `type`.
  static ColumnVector repeat(const DataType& type, const Value& value, std::size_t size);

  /// Concatenates columns of one type into a new column (copies).
  static ColumnVector concatenate(const std::vector<ColumnVector>& parts);

  /// The same data seen as another type with an identical layout (string <-> binary). This is
  /// how `CAST(s AS BINARY)` costs nothing.
  ColumnVector reinterpret(const DataType& type) const;

  /// The buffers, for code that reads columns in bulk. `offset()` is where row 0 of this view
  /// starts within them.
  struct Data;

  /// The shared buffers (see Data).
  const std::shared_ptr<const Data>& data() const noexcept { return data_; }
  /// Where row 0 of this view starts within `data()`.
  std::size_t offset() const noexcept { return offset_; }

 private:
  friend class ColumnBuilder;
  ColumnVector(std::shared_ptr<const Data> data, std::size_t offset, std::size_t length);

  std::shared_ptr<const Data> data_;
  std::size_t offset_ = 0;
  std::size_t length_ = 0;
  // Struct: the fields, sliced like this column. Array: the elements, unsliced (array_range
  // gives indices into them).
  std::vector<ColumnVector> children_;
};

/// Builds a ColumnVector by appending values in row order. The typed appends are the fast
/// path used by readers and expressions; `append(Value)` takes any value of the column's type.
class ColumnBuilder {
 public:
  /// An empty builder of a column of `type`.
  explicit ColumnBuilder(DataType type);
  ~ColumnBuilder();
  /// Moves the rows appended so far; `other` must not be used afterwards.
  ColumnBuilder(ColumnBuilder&&) noexcept;
  /// Moves the rows appended so far; `other` must not be used afterwards.
  ColumnBuilder& operator=(ColumnBuilder&&) noexcept;
  ColumnBuilder(const ColumnBuilder&) = delete;
  ColumnBuilder& operator=(const ColumnBuilder&) = delete;

  /// The type of the column being built.
  const DataType& type() const noexcept;

  /// How many rows have been appended.
  std::size_t size() const noexcept;

  /// Reserves room for `rows` more rows and, for string and binary, `bytes` more bytes.
  void reserve(std::size_t rows, std::size_t bytes = 0);

  /// Appends a null row (any type).
  void append_null();
  /// Appends to a boolean column.
  void append_boolean(bool value);
  /// Appends to a tinyint column.
  void append_byte(std::int8_t value);
  /// Appends to a smallint column.
  void append_short(std::int16_t value);
  /// Appends to an int column, or days since the epoch to a date column.
  void append_int(std::int32_t value);
  /// Appends to a long column, or microseconds since the epoch to a timestamp column.
  void append_long(std::int64_t value);
  /// Appends to a float column.
  void append_float(float value);
  /// Appends to a double column.
  void append_double(double value);
  /// Appends to a decimal column. A value of another scale is rounded to the column's (HALF_UP,
  /// as Spark); throws AnalysisError when it then has more digits than the column's precision.
  void append_decimal(const Decimal& value);
  /// Appends a copy of `value` to a string or binary column.
  void append_bytes(std::string_view value);

  /// For string and binary columns: the byte buffer the next value is written into. Append
  /// the value's bytes to it, then call `finish_bytes()`. Lets `to_json` and casts write
  /// straight into the column without a temporary string per row.
  std::string& byte_buffer() noexcept;
  /// Ends the row whose bytes were written into `byte_buffer()`.
  void finish_bytes();

  /// For array columns: the builder of the elements. Append the row's elements to it, then
  /// call `finish_array()`.
  ColumnBuilder& element_builder();
  /// Ends the array row whose elements were appended to `element_builder()`.
  void finish_array();

  /// For struct columns: the builder of field `index`. Append one value to every field, then
  /// call `finish_struct()`.
  ColumnBuilder& field_builder(std::size_t index);
  /// Ends the struct row whose fields were appended to the `field_builder`s.
  void finish_struct();

  /// Appends any value of the column's type (null included). Throws AnalysisError when the
  /// value's kind does not match the type.
  void append(const Value& value);

  /// Appends row `row` of `column`, which must have this builder's type.
  void append_from(const ColumnVector& column, std::size_t row);

  /// Finishes the column; the builder is empty afterwards and may be reused.
  ColumnVector finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kafkasink
