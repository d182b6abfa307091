#include <algorithm>
#include <iostream>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/errors.hpp>
#include <kafkasink/expressions.hpp>
#include <kafkasink/writer.hpp>

#include "expressions/expression_node.hpp"
#include "util/utf8.hpp"

namespace kafkasink {

std::string RowOrigin::describe(std::size_t row) const {
  const auto after = std::upper_bound(
      files.begin(), files.end(), row,
      [](std::size_t wanted, const File& file) { return wanted < file.first_row; });
  const std::string& path = after == files.begin() ? std::string() : std::prev(after)->path;
  return fmt::format("{} at line {}", path, row < lines.size() ? lines[row] : 0);
}

namespace {

// The origin of rows [offset, offset + count) of `origin`, appended to `target` (whose rows
// so far number `target_rows`).
void append_origin(RowOrigin& target,
                   const RowOrigin& origin,
                   std::size_t offset,
                   std::size_t count) {
  const std::size_t target_rows = target.lines.size();
  for (std::size_t index = 0; index < origin.files.size(); ++index) {
    const std::size_t begin = origin.files[index].first_row;
    const std::size_t end =
        index + 1 < origin.files.size() ? origin.files[index + 1].first_row : origin.lines.size();
    if (end <= offset || begin >= offset + count) continue;
    const std::size_t first = target_rows + (std::max(begin, offset) - offset);
    if (target.files.empty() || target.files.back().path != origin.files[index].path) {
      target.files.push_back({origin.files[index].path, first});
    }
  }
  target.lines.insert(target.lines.end(),
                      origin.lines.begin() + static_cast<std::ptrdiff_t>(offset),
                      origin.lines.begin() + static_cast<std::ptrdiff_t>(offset + count));
}

}  // namespace

DataFrame::DataFrame() : partitions_(1) {}

DataFrame::DataFrame(Schema schema,
                     std::vector<Partition> partitions,
                     std::shared_ptr<detail::SessionState> session)
    : schema_(std::move(schema)), partitions_(std::move(partitions)), session_(std::move(session)) {
  if (partitions_.empty()) partitions_.emplace_back();
  for (std::size_t index = 0; index < partitions_.size(); ++index) {
    Partition& partition = partitions_[index];
    if (partition.columns.empty() && schema_.size() > 0 && partition.num_rows == 0) {
      // An empty partition may come without columns; give it empty ones of the right types.
      for (const Field& field : schema_.fields()) {
        partition.columns.push_back(ColumnBuilder(field.type).finish());
      }
    }
    if (partition.columns.size() != schema_.size()) {
      throw AnalysisError(fmt::format("partition {} has {} columns but the schema has {}", index,
                                      partition.columns.size(), schema_.size()));
    }
    for (std::size_t column = 0; column < schema_.size(); ++column) {
      const ColumnVector& vector = partition.columns[column];
      if (!(vector.type() == schema_.field(column).type)) {
        throw AnalysisError(fmt::format(
            "column '{}' of partition {} is {} but the schema says {}", schema_.field(column).name,
            index, vector.type().to_string(), schema_.field(column).type.to_string()));
      }
      if (vector.size() != partition.num_rows) {
        throw AnalysisError(
            fmt::format("column '{}' of partition {} has {} rows but the partition has {}",
                        schema_.field(column).name, index, vector.size(), partition.num_rows));
      }
    }
  }
}

DataFrame DataFrame::from_rows(Schema schema, const std::vector<Row>& rows) {
  std::vector<ColumnBuilder> builders;
  builders.reserve(schema.size());
  for (const Field& field : schema.fields()) builders.emplace_back(field.type);
  for (std::size_t row = 0; row < rows.size(); ++row) {
    if (rows[row].size() != schema.size()) {
      throw AnalysisError(fmt::format("row {} has {} values but the schema has {} fields", row,
                                      rows[row].size(), schema.size()));
    }
    for (std::size_t column = 0; column < schema.size(); ++column) {
      const Value& value = rows[row][column];
      if (value.is_null() && !schema.field(column).nullable) {
        throw AnalysisError(fmt::format("row {}, column '{}': null in a non-nullable column", row,
                                        schema.field(column).name));
      }
      try {
        builders[column].append(value);
      } catch (const AnalysisError& error) {
        throw AnalysisError(
            fmt::format("row {}, column '{}': {}", row, schema.field(column).name, error.what()));
      }
    }
  }
  Partition partition;
  partition.num_rows = rows.size();
  for (ColumnBuilder& builder : builders) partition.columns.push_back(builder.finish());
  std::vector<Partition> partitions;
  partitions.push_back(std::move(partition));
  return {std::move(schema), std::move(partitions)};
}

std::vector<std::string> DataFrame::columns() const {
  return schema_.names();
}

std::size_t DataFrame::count() const noexcept {
  std::size_t rows = 0;
  for (const Partition& partition : partitions_) rows += partition.num_rows;
  return rows;
}

DataFrame DataFrame::repartition(std::size_t count) const {
  if (count < 1) {
    throw IllegalArgumentError("",
                               fmt::format("Number of partitions ({}) must be positive.", count));
  }
  // Contiguous split: row order is kept, so partition i holds a run of consecutive rows.
  const std::size_t total = this->count();
  std::vector<Partition> result(count);
  std::size_t source = 0;
  std::size_t source_offset = 0;
  for (std::size_t target = 0; target < count; ++target) {
    const std::size_t wanted = total / count + (target < total % count ? 1 : 0);
    Partition& partition = result[target];
    partition.num_rows = wanted;
    std::vector<std::vector<ColumnVector>> pieces(schema_.size());
    // The rows keep their origin only when every piece has one.
    auto origin = std::make_shared<RowOrigin>();
    bool known_origin = true;
    std::size_t remaining = wanted;
    while (remaining > 0) {
      const Partition& from = partitions_[source];
      const std::size_t take = std::min(remaining, from.num_rows - source_offset);
      for (std::size_t column = 0; column < schema_.size(); ++column) {
        pieces[column].push_back(from.columns[column].slice(source_offset, take));
      }
      if (from.origin == nullptr || from.origin->lines.size() != from.num_rows) {
        known_origin = false;
      } else if (known_origin) {
        append_origin(*origin, *from.origin, source_offset, take);
      }
      remaining -= take;
      source_offset += take;
      if (source_offset == from.num_rows) {
        ++source;
        source_offset = 0;
      }
    }
    while (source < partitions_.size() && source_offset == partitions_[source].num_rows) {
      ++source;
      source_offset = 0;
    }
    for (std::size_t column = 0; column < schema_.size(); ++column) {
      partition.columns.push_back(pieces[column].empty()
                                      ? ColumnBuilder(schema_.field(column).type).finish()
                                      : ColumnVector::concatenate(pieces[column]));
    }
    if (known_origin && wanted > 0) partition.origin = std::move(origin);
  }
  return {schema_, std::move(result), session_};
}

std::vector<Row> DataFrame::collect() const {
  return take(count());
}

std::vector<Row> DataFrame::take(std::size_t count) const {
  auto shared_schema = std::make_shared<const Schema>(schema_);
  std::vector<Row> rows;
  rows.reserve(std::min(count, this->count()));
  for (const Partition& partition : partitions_) {
    for (std::size_t row = 0; row < partition.num_rows && rows.size() < count; ++row) {
      std::vector<Value> values;
      values.reserve(partition.columns.size());
      for (const ColumnVector& column : partition.columns) values.push_back(column.value_at(row));
      rows.emplace_back(shared_schema, std::move(values));
    }
  }
  return rows;
}

void DataFrame::show(std::size_t rows, bool truncate) const {
  std::cout << show_string(rows, truncate) << std::flush;
}

void DataFrame::print_schema() const {
  std::cout << schema_.tree_string() << std::flush;
}

DataFrame DataFrame::select(const std::vector<Column>& columns) const {
  std::vector<detail::BoundExpression> bound;
  std::vector<Field> fields;
  bound.reserve(columns.size());
  for (const Column& column : columns) {
    bound.push_back(detail::BoundExpression::bind(column, schema_));
    fields.push_back(bound.back().field());
  }
  std::vector<Partition> result;
  result.reserve(partitions_.size());
  for (const Partition& partition : partitions_) {
    Partition projected;
    projected.num_rows = partition.num_rows;
    projected.origin = partition.origin;
    for (const detail::BoundExpression& expression : bound) {
      projected.columns.push_back(expression.evaluate(partition));
    }
    result.push_back(std::move(projected));
  }
  return {Schema(std::move(fields)), std::move(result), session_};
}

DataFrame DataFrame::select_expr(const std::vector<std::string>& expressions) const {
  std::vector<Column> columns;
  columns.reserve(expressions.size());
  for (const std::string& text : expressions) columns.push_back(expr(text));
  return select(columns);
}

DataFrame DataFrame::with_column(const std::string& name, const Column& column) const {
  const detail::BoundExpression bound = detail::BoundExpression::bind(column, schema_);
  std::vector<Field> fields = schema_.fields();
  Field field{name, bound.type(), bound.nullable()};
  const std::optional<std::size_t> replaced = schema_.index_of(name);
  if (replaced) {
    fields[*replaced] = field;
  } else {
    fields.push_back(field);
  }
  std::vector<Partition> result;
  result.reserve(partitions_.size());
  for (const Partition& partition : partitions_) {
    Partition extended = partition;
    ColumnVector values = bound.evaluate(partition);
    if (replaced) {
      extended.columns[*replaced] = std::move(values);
    } else {
      extended.columns.push_back(std::move(values));
    }
    result.push_back(std::move(extended));
  }
  return {Schema(std::move(fields)), std::move(result), session_};
}

Column DataFrame::operator[](const std::string& name) const {
  if (!schema_.index_of(name)) {
    // Names are escaped where they hold characters that print as nothing (`\uFEFF`).
    std::vector<std::string> names;
    for (const std::string& column : columns()) names.push_back(detail::escape_invisible(column));
    throw AnalysisError(fmt::format("Cannot resolve column name \"{}\" among ({})",
                                    detail::escape_invisible(name), fmt::join(names, ", ")));
  }
  return col(name);
}

DataFrameWriter DataFrame::write() const {
  return DataFrameWriter(*this);
}

}  // namespace kafkasink
