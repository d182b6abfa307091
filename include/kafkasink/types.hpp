// Data types, fields and schemas: the vocabulary every other part of kafkasink speaks.
//
// The types are Spark SQL's, restricted to what a Kafka sink needs: string, binary, boolean,
// int (32-bit), long (64-bit), double, timestamp (microseconds since the epoch, UTC), null,
// and the nested array and struct types (the `headers` column is an
// `array<struct<key:string,value:binary>>`). A DataType is a small immutable value; nested
// types share their children.
#pragma once

#include <concepts>
#include <cstddef>
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
  kInt,
  kLong,
  kDouble,
  kString,
  kBinary,
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

  /// True for the types stored at a fixed width (boolean, int, long, double, timestamp).
  bool is_fixed_width() const noexcept;

  /// True for int, long and double.
  bool is_numeric() const noexcept;

  /// Spark's `simpleString`/`catalogString`: `string`, `int`, `bigint`, `double`,
  /// `array<struct<key:string,value:binary>>`. This is the text Spark's error messages use.
  std::string to_string() const;

  /// Spark's `typeName`, used by `printSchema`: `string`, `integer`, `long`, `array`, ...
  std::string type_name() const;

  /// Parses a type as SQL writes it in `CAST(x AS type)`: `string`, `int`/`integer`,
  /// `bigint`/`long`, `double`, `boolean`, `binary`, `timestamp`, `void`, and nested
  /// `array<...>`/`struct<name:type,...>`, case-insensitively. Returns nothing when the text
  /// is not a type.
  static std::optional<DataType> parse(std::string_view text);

  /// Spark's `sameType`: same kind, same field names and element types; the nullability of
  /// nested fields and elements is ignored.
  friend bool operator==(const DataType& left, const DataType& right);

 private:
  struct Nested;
  DataType(TypeId id, std::shared_ptr<const Nested> nested);

  friend DataType null_type();
  friend DataType boolean_type();
  friend DataType int_type();
  friend DataType long_type();
  friend DataType double_type();
  friend DataType string_type();
  friend DataType binary_type();
  friend DataType timestamp_type();
  friend DataType array_type(DataType element, bool contains_null);
  friend DataType struct_type(std::vector<Field> fields);

  TypeId id_ = TypeId::kNull;
  std::shared_ptr<const Nested> nested_;
};

/// Spark's `NullType` (`void`), the type of `lit(nullptr)`.
DataType null_type();
/// Spark's `BooleanType`.
DataType boolean_type();
/// Spark's `IntegerType`: 32-bit, held as `std::int32_t`.
DataType int_type();
/// Spark's `LongType` (`bigint`): 64-bit, held as `std::int64_t`.
DataType long_type();
/// Spark's `DoubleType`.
DataType double_type();
/// Spark's `StringType`: UTF-8 text.
DataType string_type();
/// Spark's `BinaryType`: bytes.
DataType binary_type();
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
