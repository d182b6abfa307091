#include "support/frames.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>

#include <fmt/format.h>
#include <unistd.h>

namespace kafkasink::test {

DataFrame frame(const std::vector<std::pair<std::string, DataType>>& fields) {
  std::vector<Field> schema_fields;
  schema_fields.reserve(fields.size());
  for (const auto& [name, type] : fields) schema_fields.push_back(Field{name, type, true});
  return DataFrame::from_rows(Schema(std::move(schema_fields)), {});
}

DataFrame frame_of_strings(const std::vector<std::pair<std::string, std::string>>& cells) {
  std::vector<Field> fields;
  std::vector<Value> row;
  for (const auto& [name, value] : cells) {
    fields.push_back(Field{name, string_type(), true});
    row.emplace_back(value);
  }
  return DataFrame::from_rows(Schema(std::move(fields)), {Row(std::move(row))});
}

std::vector<std::optional<std::string>> values(const std::vector<ConsumedRecord>& records) {
  std::vector<std::optional<std::string>> result;
  result.reserve(records.size());
  for (const ConsumedRecord& record : records) result.push_back(record.value);
  return result;
}

std::vector<std::string> sorted_values(const std::vector<ConsumedRecord>& records) {
  std::vector<std::string> result;
  result.reserve(records.size());
  for (const ConsumedRecord& record : records) result.push_back(record.value.value_or("<null>"));
  std::sort(result.begin(), result.end());
  return result;
}

std::string source_path(const std::string& relative) {
  return (std::filesystem::path(KAFKASINK_SOURCE_DIR) / relative).string();
}

std::string temporary_directory(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device random;
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      fmt::format("{}-{}-{}-{}", prefix, ::getpid(), counter++, random() % 100000);
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  return path.string();
}

std::string unique_topic(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return fmt::format("{}-{}-{}", prefix, ::getpid(), counter++);
}

}  // namespace kafkasink::test
