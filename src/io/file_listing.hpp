// Which files a read covers, and their bytes.
#pragma once

#include <string>
#include <vector>

namespace kafkasink::detail {

/// One input's bytes and the path that messages name it by.
struct FileContents {
  std::string path;
  std::string bytes;
};

/// The files of `path`: the file itself, or every regular file directly in the folder, sorted
/// by name, skipping names that start with `.` or `_` (Spark's rule: `_SUCCESS`, `.crc` files
/// and hidden files are not data). Paths are spelled from `path` as the user gave it, so
/// messages name files the way the user wrote them. Throws ParseError when `path` does not
/// exist. The streaming source orders these files itself (oldest first).
std::vector<std::string> list_input_files(const std::string& path);

/// The same files in the order of a Spark batch read: largest first, files of equal size in the
/// order the file system lists the folder (Spark reads local folders through java.io.File.list,
/// which keeps the directory's order).
std::vector<std::string> list_batch_input_files(const std::string& path);

/// The whole file, followed by `padding` zero bytes that are not part of the size (simdjson
/// reads up to 64 bytes past the end of its input). Throws ParseError when it cannot be read.
std::string read_whole_file(const std::string& path, std::size_t padding = 0);

}  // namespace kafkasink::detail
