#include "streaming/file_source.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <sys/stat.h>

#include "io/csv_reader.hpp"
#include "io/file_listing.hpp"
#include "io/json_reader.hpp"

namespace kafkasink::detail {

std::string StreamSource::description() const {
  return fmt::format("FileStreamSource[file:{}]", path);
}

DataFrame StreamPlan::apply(DataFrame batch) const {
  for (const StreamStep& step : steps) batch = step(batch);
  return batch;
}

std::vector<SourceFile> list_new_files(const std::string& folder,
                                       const std::set<std::string>& seen) {
  std::vector<SourceFile> files;
  for (std::string& path : list_input_files(folder)) {
    if (seen.contains(path)) continue;

    struct stat status {};

    // A file removed between the listing and here is simply not new any more.
    if (::stat(path.c_str(), &status) != 0) continue;
    const std::int64_t mtime_ms = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000 +
                                  static_cast<std::int64_t>(status.st_mtim.tv_nsec) / 1'000'000;
    files.push_back({std::move(path), static_cast<std::uint64_t>(status.st_size), mtime_ms});
  }
  std::sort(files.begin(), files.end(), [](const SourceFile& left, const SourceFile& right) {
    return std::tie(left.modification_time_ms, left.path) <
           std::tie(right.modification_time_ms, right.path);
  });
  return files;
}

DataFrame read_batch(const StreamSource& source, const std::vector<SourceFile>& files) {
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (const SourceFile& file : files) paths.push_back(file.path);
  // The session does not matter here: the batch is written through the query's session.
  if (source.format == "csv") return read_csv(paths, source.csv, source.schema, nullptr);
  return read_json(paths, source.json, source.schema, nullptr);
}

}  // namespace kafkasink::detail
