#include "kafka/record_mapper.hpp"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

#include "kafka/client_rules.hpp"

namespace kafkasink::detail {

namespace {

DataType headers_type() {
  return array_type(
      struct_type({Field{"key", string_type(), true}, Field{"value", binary_type(), true}}));
}

// Spark's KafkaWriter.expression: the first column of that exact name, type-checked with
// `sameType` (which ignores nullability), or nothing when absent.
std::optional<std::size_t> find_column(const Schema& schema,
                                       std::string_view name,
                                       const std::vector<DataType>& accepted) {
  const std::optional<std::size_t> index = schema.index_of(name);
  if (!index) return std::nullopt;
  const DataType& type = schema.field(*index).type;
  for (const DataType& candidate : accepted) {
    if (type == candidate) return index;
  }
  std::string expected;
  for (const DataType& candidate : accepted) {
    if (!expected.empty()) expected += " or ";
    expected += candidate.to_string();
  }
  throw AnalysisError(fmt::format("{} attribute unsupported type {}. {} must be a(n) {}", name,
                                  type.to_string(), name, expected));
}

}  // namespace

RecordMapper RecordMapper::bind(const Schema& schema, std::optional<std::string> topic_option) {
  RecordMapper mapper;
  // Spark checks the topic column only when no "topic" option is set: with the option the
  // column is ignored entirely, even if its type is wrong.
  if (topic_option) {
    mapper.topic_option_ = std::move(topic_option);
  } else {
    mapper.topic_index_ = find_column(schema, "topic", {string_type()});
    if (!mapper.topic_index_) {
      throw AnalysisError(
          "topic option required when no 'topic' attribute is present. Use the topic option for "
          "setting a topic.");
    }
  }
  mapper.key_index_ = find_column(schema, "key", {string_type(), binary_type()});
  const std::optional<std::size_t> value =
      find_column(schema, "value", {string_type(), binary_type()});
  if (!value) throw AnalysisError("Required attribute 'value' not found");
  mapper.value_index_ = *value;
  mapper.headers_index_ = find_column(schema, "headers", {headers_type()});
  mapper.partition_index_ = find_column(schema, "partition", {int_type()});
  return mapper;
}

void RecordMapper::check(const Partition& partition, std::size_t first_row) const {
  // Where a row is, for a message a user acts on: its file and line when it was read from one,
  // else its place in the frame (counted from 1, as a person counts).
  const auto where = [&](std::size_t row) {
    if (partition.origin != nullptr && partition.origin->lines.size() == partition.num_rows) {
      return fmt::format("in {}", partition.origin->describe(row));
    }
    return fmt::format("row {} of the frame", first_row + row + 1);
  };
  const RecordColumns columns = this->columns(partition);
  if (columns.topic != nullptr) {
    std::string_view checked;  // rows of one partition mostly share a topic: check it once
    bool any_checked = false;
    for (std::size_t row = 0; row < partition.num_rows; ++row) {
      if (columns.topic->is_null(row)) {
        // Spark 3.5's own text (KafkaWriteTask), verbatim: it names no row.
        throw AnalysisError(
            "null topic present in the data. Use the topic option for setting a default topic.");
      }
      const std::string_view topic = columns.topic->bytes_at(row);
      if (any_checked && topic == checked) continue;
      if (const auto error = topic_name_error(topic)) {
        throw AnalysisError(fmt::format("{} ({}, column 'topic')", *error, where(row)));
      }
      checked = topic;
      any_checked = true;
    }
  }
  if (columns.partition != nullptr) {
    for (std::size_t row = 0; row < partition.num_rows; ++row) {
      const std::int32_t value = columns.partition_at(row);
      if (value < 0 && !columns.partition->is_null(row)) {
        throw AnalysisError(fmt::format(
            "Invalid partition: {}. Partition number should always be non-negative or null. ({})",
            value, where(row)));
      }
    }
  }
  if (columns.headers != nullptr) {
    const ColumnVector& elements = columns.headers->elements();
    const ColumnVector& keys = elements.child(0);
    for (std::size_t row = 0; row < partition.num_rows; ++row) {
      if (columns.headers->is_null(row)) continue;
      const auto [begin, end] = columns.headers->array_range(row);
      for (std::size_t element = begin; element < end; ++element) {
        if (elements.is_null(element) || keys.is_null(element)) {
          throw AnalysisError(fmt::format(
              "The Kafka message data sent to the producer contains a null header{}: header {} "
              "of the record ({}). Header keys must be non-null strings.",
              elements.is_null(element) ? "" : " key", element - begin + 1, where(row)));
        }
      }
    }
  }
}

RecordColumns RecordMapper::columns(const Partition& partition) const noexcept {
  RecordColumns columns;
  if (topic_index_) columns.topic = &partition.columns[*topic_index_];
  if (key_index_) columns.key = &partition.columns[*key_index_];
  columns.value = &partition.columns[value_index_];
  if (headers_index_) columns.headers = &partition.columns[*headers_index_];
  if (partition_index_) columns.partition = &partition.columns[*partition_index_];
  return columns;
}

}  // namespace kafkasink::detail
