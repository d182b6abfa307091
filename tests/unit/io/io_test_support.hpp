// Helpers shared by the io tests: files written into a fresh temporary folder.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <kafkasink/reader.hpp>

#include "support/frames.hpp"

namespace kafkasink::test {

/// A temporary folder removed when the test ends.
class TemporaryFolder {
 public:
  TemporaryFolder() : path_(temporary_directory("kafkasink-io")) {}

  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::string& path() const { return path_; }

  /// Writes `content` (bytes as given, no newline added) to `name`; returns the file's path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::string file = (std::filesystem::path(path_) / name).string();
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }

 private:
  std::string path_;
};

/// `path` read as CSV with `options`.
inline DataFrame read_csv(const std::string& path,
                          const std::map<std::string, std::string>& options = {}) {
  return DataFrameReader().format("csv").options(options).load(path);
}

}  // namespace kafkasink::test
