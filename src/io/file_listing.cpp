#include "io/file_listing.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include <kafkasink/errors.hpp>

namespace kafkasink::detail {

namespace {

struct ListedFile {
  std::string path;
  std::uintmax_t size = 0;
};

std::vector<ListedFile> list_files_with_sizes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    // Spark: "[PATH_NOT_FOUND] Path does not exist: file:/...".
    throw ParseError(fmt::format("Path does not exist: {}", path));
  }
  if (!fs::is_directory(status)) return {{path, 0}};
  std::vector<ListedFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.' || name.front() == '_') continue;
    if (!entry.is_regular_file(error)) continue;
    std::error_code size_error;
    const std::uintmax_t size = entry.file_size(size_error);
    // A file gone since the listing is reported when it is read.
    files.push_back({(fs::path(path) / name).string(), size_error ? 0 : size});
  }
  if (error) throw ParseError(fmt::format("Cannot list {}: {}", path, error.message()));
  return files;
}

std::vector<std::string> paths_of(std::vector<ListedFile>& listed) {
  std::vector<std::string> files;
  files.reserve(listed.size());
  for (ListedFile& file : listed) files.push_back(std::move(file.path));
  return files;
}

}  // namespace

std::vector<std::string> list_input_files(const std::string& path) {
  std::vector<ListedFile> listed = list_files_with_sizes(path);
  std::sort(listed.begin(), listed.end(),
            [](const ListedFile& left, const ListedFile& right) { return left.path < right.path; });
  return paths_of(listed);
}

std::vector<std::string> list_batch_input_files(const std::string& path) {
  std::vector<ListedFile> listed = list_files_with_sizes(path);
  // FileSourceScanExec sorts the file splits by length, largest first, with Scala's stable
  // sortBy, before FilePartition packs them in that order; ties keep the order of Hadoop's
  // listStatus, which for local files is java.io.File.list, the directory's own order (readdir),
  // as directory_iterator's is.
  std::stable_sort(
      listed.begin(), listed.end(),
      [](const ListedFile& left, const ListedFile& right) { return left.size > right.size; });
  return paths_of(listed);
}

std::string read_whole_file(const std::string& path, std::size_t padding) {
  struct FileCloser {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
  };

  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw ParseError(fmt::format("Cannot open {}: {}", path, std::strerror(errno)));
  std::error_code error;
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(path, error));
  if (error) throw ParseError(fmt::format("Cannot read {}: {}", path, error.message()));
  std::string bytes;
  bytes.reserve(size + padding);
  bytes.resize(size);
  const std::size_t read = std::fread(bytes.data(), 1, size, file.get());
  if (read != size) throw ParseError(fmt::format("Cannot read {}: short read", path));
  // Pad with zeros beyond size() without counting them: reserve() guarantees the capacity,
  // and writing through resize-then-shrink keeps them initialised.
  bytes.resize(size + padding, '\0');
  bytes.resize(size);
  return bytes;
}

}  // namespace kafkasink::detail
