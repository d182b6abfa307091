// The streaming file source: which files of the folder are new, in which order, and reading
// the files of one micro-batch with the batch reader.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <kafkasink/dataframe.hpp>

#include "streaming/stream_plan.hpp"

namespace kafkasink::detail {

/// A file taken by a micro-batch, as the offsets log records it.
struct SourceFile {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t modification_time_ms = 0;

  friend bool operator==(const SourceFile&, const SourceFile&) = default;
};

/// The data files of `folder` (the batch reader's rule: no hidden or `_` files) that are not in
/// `seen`, oldest first: by modification time, then by name. Throws ParseError when the
/// folder does not exist. A file that disappears while listing is left out.
std::vector<SourceFile> list_new_files(const std::string& folder,
                                       const std::set<std::string>& seen);

/// Reads `files` with the source's schema and options: one partition per file, in order.
DataFrame read_batch(const StreamSource& source, const std::vector<SourceFile>& files);

}  // namespace kafkasink::detail
