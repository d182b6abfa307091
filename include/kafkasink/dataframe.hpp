// DataFrame: an immutable table of typed columns, split into partitions.
//
// A DataFrame is a Schema plus one or more partitions, each a set of equal-length
// ColumnVectors. It is a value: `select`, `with_column` and `repartition` return new frames
// that share the column buffers of the old one, so they copy no bytes. Partitions are the unit
// of parallel work: a Kafka write runs one task per partition.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <kafkasink/column.hpp>
#include <kafkasink/row.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink {

class Column;
class DataFrameWriter;

namespace detail {
struct SessionState;
}  // namespace detail

/// Where the rows of a partition were read from, so that an error about a row can name its
/// file and line. The readers set it; rows built in code have none.
struct RowOrigin {
  /// A file and the first row (of the partition) read from it; rows up to the next file's
  /// first row came from it.
  struct File {
    std::string path;           ///< the file, as the reader was given it or listed it
    std::size_t first_row = 0;  ///< the partition's row read from its first line
  };
  std::vector<File> files;         ///< in row order; the first starts at row 0
  std::vector<std::size_t> lines;  ///< the line each row starts at, counted from 1

  /// `FILE at line N` for `row` of the partition.
  std::string describe(std::size_t row) const;
};

/// One partition: equal-length columns in schema order.
struct Partition {
  std::vector<ColumnVector> columns;  ///< one per schema field, each `num_rows` long
  std::size_t num_rows = 0;           ///< the rows in this partition
  /// Where the rows came from, when they were read from files (kept by select, with_column
  /// and repartition); null otherwise.
  std::shared_ptr<const RowOrigin> origin;
};

/// An immutable, partitioned, columnar table.
class DataFrame {
 public:
  /// An empty frame with no columns and one empty partition.
  DataFrame();

  /// A frame of `partitions` described by `schema`. Throws AnalysisError when a partition's
  /// columns do not match the schema in number, type or length.
  DataFrame(Schema schema,
            std::vector<Partition> partitions,
            std::shared_ptr<detail::SessionState> session = nullptr);

  /// Builds a one-partition frame from rows, for data made in code. Each row holds one value
  /// per field, null or of the field's type; throws AnalysisError naming the row and column
  /// otherwise.
  static DataFrame from_rows(Schema schema, const std::vector<Row>& rows);

  /// The column names and types (Spark's `df.schema`).
  const Schema& schema() const noexcept { return schema_; }

  /// The column names, in order.
  std::vector<std::string> columns() const;

  /// How many rows, over all partitions (Spark's `df.count()`).
  std::size_t count() const noexcept;

  /// How many partitions; a Kafka write runs one task per partition (Spark's
  /// `df.rdd.getNumPartitions()`).
  std::size_t num_partitions() const noexcept { return partitions_.size(); }
  /// The partitions, for code that reads the columns directly.
  const std::vector<Partition>& partitions() const noexcept { return partitions_; }

  /// The same rows in `count` contiguous partitions of near-equal size (the first
  /// `rows % count` partitions get one row more). Throws IllegalArgumentError when `count` < 1.
  DataFrame repartition(std::size_t count) const;

  /// Every row, in partition order.
  std::vector<Row> collect() const;

  /// The first `count` rows.
  std::vector<Row> take(std::size_t count) const;

  /// Prints the first `rows` rows as Spark 3.5's `show` does to standard output: null as
  /// `NULL` (inside arrays and structs too), `\n`, `\t`, `\r`, `\f`, `\b`, `\v` and `\a` written
  /// as those escapes, widths in Spark's half-width columns (East Asian wide characters count
  /// two). With `truncate`, cells longer than 20 UTF-16 units (Java's String length) are cut
  /// to 17 and `...`.
  void show(std::size_t rows = 20, bool truncate = true) const;

  /// What `show` prints, as a string.
  std::string show_string(std::size_t rows = 20, bool truncate = true) const;

  /// Prints `schema().tree_string()`, as Spark's `printSchema`.
  void print_schema() const;

  /// Evaluates `columns` over every partition. Throws AnalysisError for an unknown column or
  /// an expression that does not type-check.
  DataFrame select(const std::vector<Column>& columns) const;

  /// `select` with SQL text: column names, `CAST(expr AS type)`, literals and `[AS] alias`
  /// (the grammar of `select_expr` in expressions.hpp).
  DataFrame select_expr(const std::vector<std::string>& expressions) const;

  /// Adds a column, or replaces the first column of the same name in place.
  DataFrame with_column(const std::string& name, const Column& column) const;

  /// The column `name` as an expression (Spark's `df["name"]`); throws AnalysisError when
  /// absent.
  Column operator[](const std::string& name) const;

  /// Starts a batch write of this frame (`write().format("kafka").option(...).save()`).
  DataFrameWriter write() const;

  /// The session the frame was read in; null for frames built in code (which write through
  /// the default session).
  const std::shared_ptr<detail::SessionState>& session() const noexcept { return session_; }

 private:
  Schema schema_;
  std::vector<Partition> partitions_;
  std::shared_ptr<detail::SessionState> session_;
};

}  // namespace kafkasink
