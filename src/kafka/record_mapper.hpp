// RecordMapper: Spark's column contract for the Kafka sink, bound to one schema.
//
// `bind` validates the schema once per write, in Spark's order (topic, key, value, headers,
// partition) and with Spark's messages (KafkaWriter.validateQuery). `check` sweeps a partition
// for the faults Spark only finds while sending (a null topic, a negative partition, a null
// header key), so that a write fails before its first record leaves. `columns` then gives the
// writer direct access to the bound columns: records are made from views into the column
// buffers, nothing copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kafkasink/dataframe.hpp>

namespace kafkasink::detail {

/// The record columns of one partition, as bound by a RecordMapper. A null pointer means the
/// column is absent (or, for the topic, that the `topic` option replaces it).
struct RecordColumns {
  const ColumnVector* topic = nullptr;
  const ColumnVector* key = nullptr;
  const ColumnVector* value = nullptr;
  const ColumnVector* headers = nullptr;
  const ColumnVector* partition = nullptr;

  std::optional<std::string_view> key_at(std::size_t row) const noexcept {
    if (key == nullptr || key->is_null(row)) return std::nullopt;
    return key->bytes_at(row);
  }

  std::optional<std::string_view> value_at(std::size_t row) const noexcept {
    if (value->is_null(row)) return std::nullopt;
    return value->bytes_at(row);
  }

  /// The partition column's value, or -1 (librdkafka's RD_KAFKA_PARTITION_UA) when absent or
  /// null, letting the partitioner choose.
  std::int32_t partition_at(std::size_t row) const noexcept {
    if (partition == nullptr || partition->is_null(row)) return -1;
    return partition->int_at(row);
  }
};

class RecordMapper {
 public:
  /// Validates `schema` against the sink's column contract. `topic_option` is the trimmed
  /// `topic` option, if set. Throws AnalysisError with Spark's message.
  static RecordMapper bind(const Schema& schema, std::optional<std::string> topic_option);

  /// Throws AnalysisError for the first row of `partition` that cannot become a record: a null
  /// topic or one Kafka does not allow (the `topic` option too), a negative partition, a null
  /// header key. The message names the row's file and line when the partition has an origin,
  /// else its place in the frame, counted from 1; `first_row` is the number of rows of the
  /// partitions before this one.
  void check(const Partition& partition, std::size_t first_row) const;

  /// The bound columns of `partition` (a partition of a frame with the bound schema).
  RecordColumns columns(const Partition& partition) const noexcept;

  /// The `topic` option, when it replaces the topic column.
  const std::optional<std::string>& topic_option() const noexcept { return topic_option_; }

 private:
  RecordMapper() = default;

  std::optional<std::string> topic_option_;
  std::optional<std::size_t> topic_index_;
  std::optional<std::size_t> key_index_;
  std::size_t value_index_ = 0;
  std::optional<std::size_t> headers_index_;
  std::optional<std::size_t> partition_index_;
};

}  // namespace kafkasink::detail
