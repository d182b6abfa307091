// Helpers of the streaming integration tests: input files written whole (hidden name, then
// rename, as a producer of a watched folder should) with increasing modification times.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <kafkasink/types.hpp>

namespace kafkasink::test {

/// The schema of the input files: one long column `n`.
inline Schema numbers_schema() {
  return Schema({{"n", long_type(), true}});
}

/// Writes the lines `line(first)` .. `line(last)` to `folder/name`, whole (through a hidden
/// temporary file renamed into place, so a query never lists a half-written file), with a
/// modification time `age_rank` seconds after a fixed past instant, so files sort in the order
/// of the ranks.
template <typename Line>
void write_number_lines(const std::string& folder,
                        const std::string& name,
                        std::int64_t first,
                        std::int64_t last,
                        int age_rank,
                        Line line) {
  namespace fs = std::filesystem;
  const fs::path temporary = fs::path(folder) / ("." + name + ".tmp");
  {
    std::ofstream out(temporary);
    for (std::int64_t n = first; n <= last; ++n) out << line(n) << "\n";
  }
  const auto base = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(temporary, base + std::chrono::seconds(age_rank));
  fs::rename(temporary, fs::path(folder) / name);
}

/// Writes `{"n": first}` .. `{"n": last}` to `folder/name`, whole and aged by `age_rank` (see
/// write_number_lines).
inline void write_numbers(const std::string& folder,
                          const std::string& name,
                          std::int64_t first,
                          std::int64_t last,
                          int age_rank) {
  write_number_lines(folder, name, first, last, age_rank,
                     [](std::int64_t n) { return "{\"n\":" + std::to_string(n) + "}"; });
}

/// Writes `first` .. `last`, one number a line, to the CSV file `folder/name` (no header),
/// whole and aged as write_numbers does.
inline void write_number_csv(const std::string& folder,
                             const std::string& name,
                             std::int64_t first,
                             std::int64_t last,
                             int age_rank) {
  write_number_lines(folder, name, first, last, age_rank,
                     [](std::int64_t n) { return std::to_string(n); });
}

/// Starts `program` with `arguments` in a child process (the crash helper, which tests kill
/// mid-batch); returns its pid. A program that cannot be started exits with 127.
inline pid_t spawn_process(std::string program, std::vector<std::string> arguments) {
  std::vector<char*> argv{program.data()};
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return child;
}

/// The strings "first".."last".
inline std::vector<std::string> number_strings(std::int64_t first, std::int64_t last) {
  std::vector<std::string> out;
  for (std::int64_t n = first; n <= last; ++n) out.push_back(std::to_string(n));
  return out;
}

}  // namespace kafkasink::test
