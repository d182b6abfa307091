// Helpers of the streaming integration tests: input files written whole (hidden name, then
// rename, as a producer of a watched folder should) with increasing modification times.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <kafkasink/types.hpp>

namespace kafkasink::test {

/// The schema of the input files: one long column `n`.
inline Schema numbers_schema() {
  return Schema({{"n", long_type(), true}});
}

/// Writes `{"n": first}` .. `{"n": last}` to `folder/name`, with a modification time
/// `age_rank` seconds after a fixed past instant, so files sort in the order of the ranks.
inline void write_numbers(const std::string& folder,
                          const std::string& name,
                          std::int64_t first,
                          std::int64_t last,
                          int age_rank) {
  namespace fs = std::filesystem;
  const fs::path temporary = fs::path(folder) / ("." + name + ".tmp");
  {
    std::ofstream out(temporary);
    for (std::int64_t n = first; n <= last; ++n) out << "{\"n\":" << n << "}\n";
  }
  const auto base = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(temporary, base + std::chrono::seconds(age_rank));
  fs::rename(temporary, fs::path(folder) / name);
}

/// Writes `first` .. `last`, one number a line, to the CSV file `folder/name` (no header),
/// written whole and aged as write_numbers does.
inline void write_number_csv(const std::string& folder,
                             const std::string& name,
                             std::int64_t first,
                             std::int64_t last,
                             int age_rank) {
  namespace fs = std::filesystem;
  const fs::path temporary = fs::path(folder) / ("." + name + ".tmp");
  {
    std::ofstream out(temporary);
    for (std::int64_t n = first; n <= last; ++n) out << n << "\n";
  }
  const auto base = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(temporary, base + std::chrono::seconds(age_rank));
  fs::rename(temporary, fs::path(folder) / name);
}

/// The strings "first".."last".
inline std::vector<std::string> number_strings(std::int64_t first, std::int64_t last) {
  std::vector<std::string> out;
  for (std::int64_t n = first; n <= last; ++n) out.push_back(std::to_string(n));
  return out;
}

}  // namespace kafkasink::test
