// Test helpers: frames built in one line, values of read-back records, paths to the data.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kafkasink/dataframe.hpp>
#include <kafkasink/mock_cluster.hpp>
#include <kafkasink/types.hpp>

namespace kafkasink::test {

/// An empty one-partition frame with these fields (all nullable).
DataFrame frame(const std::vector<std::pair<std::string, DataType>>& fields);

/// A one-row frame of string columns: {{"topic", "t"}, {"value", "v"}}.
DataFrame frame_of_strings(const std::vector<std::pair<std::string, std::string>>& cells);

/// The values of read-back records, null values as std::nullopt.
std::vector<std::optional<std::string>> values(const std::vector<ConsumedRecord>& records);

/// The values, sorted, with nulls as "<null>" (for order-free comparisons).
std::vector<std::string> sorted_values(const std::vector<ConsumedRecord>& records);

/// `relative` under the source tree (data files of the project).
std::string source_path(const std::string& relative);

/// A fresh empty directory under the system's temp directory, removed by the caller.
std::string temporary_directory(const std::string& prefix);

/// A topic name no other test uses.
std::string unique_topic(const std::string& prefix);

}  // namespace kafkasink::test
