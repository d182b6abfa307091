// Data types, fields and schemas: the vocabulary every other part of kafkasink speaks.
//
// The types are Spark SQL's, restricted to what a Kafka sink needs: string, binary, boolean,
// tinyint (8-bit), smallint (16-bit), int (32-bit), bigint (64-bit), float, double,
// decimal(precision, scale) (up to 38 digits), date (days since the epoch), timestamp
// (microseconds since the epoch, UTC), null, and the nested array and struct types (the `headers`
// column is an `array<struct<key:string,value:binary>>`). A DataType is a small immutable value;
// nested types share their children.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasink {

/// An integer option value, as in `option("maxFilesPerTrigger", 2)`; `bool` has its own
/// overload, which writes "true" or "false" as Spark does.
template <class Value>
concept IntegerOptionValue = std::integral<Value> && !std::same_as<Value, bool>;

/// Which kind of data a DataType describes.
enum class TypeId {
  kNull,
  kBoolean,
  kByte,
  kShort,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,
  kString,
  kBinary,
  kDate,
  kTimestamp,
  kArray,
  kStruct,
};

struct Field;

/// A Spark SQL data type. Compare with `==`, which, like Spark's `sameType`, ignores
/// nullability of nested fields and elements but not field names.
class DataType {
 public:
  /// The null type (Spark's `void`), the type of `lit(nullptr)`.
  DataType();

  /// Which kind of type this is; the accessors below are valid only for their kind.
  TypeId id() const noexcept { return id_; }

  /// The element type of an array. Precondition: `id() == TypeId::kArray`.
  const DataType& element_type() const;

  /// Whether an array may hold null elements. Precondition: `id() == TypeId::kArray`.
  bool contains_null() const;

  /// The fields of a struct. Precondition: `id() == TypeId::kStruct`.
  const std::vector<Field>& fields() const;

  /// The total digits of a decimal (1 to 38). Precondition: `id() == TypeId::kDecimal`.
  int precision() const noexcept { return precision_; }

  /// The digits after the point of a decimal (0 to precision). Precondition:
  /// `id() == TypeId::kDecimal`.
  int scale() const noexcept { return scale_; }

  /// True for the types stored at a fixed width (boolean, the integers, float, double, decimal,
  /// date, timestamp).
  bool is_fixed_width() const noexcept;

  /// True for Spark's NumericType: tinyint, smallint, int, bigint, float, double and decimal.
  bool is_numeric() const noexcept;

  /// Spark's `simpleString`/`catalogString`: `string`, `tinyint`, `int`, `bigint`, `double`,
  /// `decimal(10,2)`, `date`, `array<struct<key:string,value:binary>>`. This is the text Spark's
  /// error messages use.
  std::string to_string() const;

  /// Spark's `typeName`, used by `printSchema`: `string`, `byte`, `short`, `integer`, `long`,
  /// `decimal(10,2)`, `array`, ...
  std::string type_name() const;

  /// Parses a type as SQL writes it in `CAST(x AS type)`: `string`, `tinyint`/`byte`,
  /// `smallint`/`short`, `int`/`integer`, `bigint`/`long`, `float`/`real`, `double`,
  /// `decimal`/`dec`/`numeric` with an optional `(precision[, scale])` (default (10,0)),
  /// `boolean`, `binary`, `date`, `timestamp`, `void`, and nested
  /// `array<...>`/`struct<name:type,...>`, case-insensitively. Returns nothing when the text
  /// is not a type (or a decimal's precision is not 1 to 38, or its scale exceeds it).
  static std::optional<DataType> parse(std::string_view text);

  /// Spark's `sameType`: same kind, same field names and element types; the nullability of
  /// nested fields and elements is ignored.
  friend bool operator==(const DataType& left, const DataType& right);

 private:
  struct Nested;
  DataType(TypeId id, std::shared_ptr<const Nested> nested);

  friend DataType null_type();
  friend DataType boolean_type();
  friend DataType byte_type();
  friend DataType short_type();
  friend DataType int_type();
  friend DataType long_type();
  friend DataType float_type();
  friend DataType double_type();
  friend DataType decimal_type(int precision, int scale);
  friend DataType string_type();
  friend DataType binary_type();
  friend DataType date_type();
  friend DataType timestamp_type();
  friend DataType array_type(DataType element, bool contains_null);
  friend DataType struct_type(std::vector<Field> fields);

  TypeId id_ = TypeId::kNull;
  std::uint8_t precision_ = 0;
  std::uint8_t scale_ = 0;
  std::shared_ptr<const Nested> nested_;
};

/// Spark's `NullType` (`void`), the type of `lit(nullptr)`.
DataType null_type();
/// Spark's `BooleanType`.
DataType boolean_type();
/// Spark's `ByteType` (`tinyint`): 8-bit, held as `std::int8_t`.
DataType byte_type();
/// Spark's `ShortType` (`smallint`): 16-bit, held as `std::int16_t`.
DataType short_type();
/// Spark's `IntegerType`: 32-bit, held as `std::int32_t`.
DataType int_type();
/// Spark's `LongType` (`bigint`): 64-bit, held as `std::int64_t`.
DataType long_type();
/// Spark's `FloatType`: 32-bit IEEE 754, held as `float`.
DataType float_type();
/// Spark's `DoubleType`.
DataType double_type();
/// Spark's `DecimalType(precision, scale)`: exact numbers of `precision` digits, `scale` of them
/// after the point, held as Decimal. Spark's maximum precision is 38. Throws
/// IllegalArgumentError unless 1 <= precision <= 38 and 0 <= scale <= precision.
DataType decimal_type(int precision = 10, int scale = 0);
/// Spark's `StringType`: UTF-8 text.
DataType string_type();
/// Spark's `BinaryType`: bytes.
DataType binary_type();
/// Spark's `DateType`: days since 1970-01-01 (proleptic Gregorian), held as Date.
DataType date_type();
/// Spark's `TimestampType`: microseconds since the epoch, UTC.
DataType timestamp_type();

/// Spark's `ArrayType(element, containsNull)`.
DataType array_type(DataType element, bool contains_null = true);

/// Spark's `StructType(fields)`; field names need not be unique, as in Spark.
DataType struct_type(std::vector<Field> fields);

/// A named, typed column of a schema or field of a struct.
struct Field {
  std::string name;      ///< exact and case-sensitive
  DataType type;         ///< the values' type
  bool nullable = true;  ///< whether the column may hold nulls

  /// Equal name, type (DataType's `==`) and nullability.
  friend bool operator==(const Field& left, const Field& right);
};

/// The ordered fields of a DataFrame. Lookup by name is exact and case-sensitive and returns
/// the first field of that name, as Spark's sink resolves its columns.
class Schema {
 public:
  /// A schema without fields.
  Schema() = default;
  /// The fields in column order; duplicate names are allowed, as in Spark.
  explicit Schema(std::vector<Field> fields);

  /// The fields, in column order.
  const std::vector<Field>& fields() const noexcept { return fields_; }
  /// How many fields.
  std::size_t size() const noexcept { return fields_.size(); }
  /// The field at `index`; throws std::out_of_range past the end.
  const Field& field(std::size_t index) const { return fields_.at(index); }

  /// The position of the first field named `name`, or nothing.
  std::optional<std::size_t> index_of(std::string_view name) const;

  /// The field names, in order.
  std::vector<std::string> names() const;

  /// The schema as Spark's `printSchema` prints it:
  /// ```
  /// root
  ///  |-- age: integer (nullable = true)
  /// ```
  std::string tree_string() const;

  /// The schema as the struct type of a row.
  DataType as_struct() const;

  /// The same fields in the same order (Field's `==`).
  friend bool operator==(const Schema& left, const Schema& right);

 private:
  std::vector<Field> fields_;
};

}  // namespace kafkasink
