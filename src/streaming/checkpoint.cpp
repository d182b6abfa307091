#include "streaming/checkpoint.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

#include <kafkasink/streaming.hpp>

namespace kafkasink {

CheckpointError::CheckpointError(std::string path, const std::string& message)
    : Error(message), path_(std::move(path)) {}

namespace detail {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Spark's FileStreamSourceLog compacts every 10 batches (spark.sql.streaming.fileSource.log.
// compactInterval); the compact file replaces that batch's delta.
constexpr std::int64_t kCompactInterval = 10;
constexpr std::string_view kVersion = "v1";
constexpr std::string_view kCompactSuffix = ".compact";

[[noreturn]] void corrupt(const std::string& path, std::string_view reason) {
  // Spark's own reasons end with a full stop; this sentence adds its own.
  if (reason.ends_with('.')) reason.remove_suffix(1);
  throw CheckpointError(path, fmt::format("Corrupt checkpoint file {}: {}. The checkpoint cannot "
                                          "be trusted: restore the file, or start the query with "
                                          "a new checkpoint location.",
                                          path, reason));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CheckpointError(
        path, fmt::format("Cannot read checkpoint file {}: {}", path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      if (begin < text.size()) lines.push_back(text.substr(begin));
      break;
    }
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// The version line, checked as Spark's HDFSMetadataLog.validateVersion does, with its texts.
std::vector<std::string> versioned_lines(const std::string& path) {
  const std::string text = read_text(path);
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty() || lines.front().size() < 2 || lines.front().front() != 'v') {
    corrupt(path, fmt::format("Log file was malformed: failed to read correct log version from {}.",
                              path));
  }
  if (lines.front() != kVersion) {
    int version = 0;
    const std::string& line = lines.front();
    const auto [end, error] = std::from_chars(line.data() + 1, line.data() + line.size(), version);
    if (error == std::errc() && end == line.data() + line.size() && version > 1) {
      throw CheckpointError(
          path, fmt::format("UnsupportedLogVersion: maximum supported log version is v1, but "
                            "encountered v{} in {}. The log file was produced by a newer version "
                            "and cannot be read by this version. Please upgrade.",
                            version, path));
    }
    corrupt(path, fmt::format("Log file was malformed: failed to read correct log version from {}.",
                              path));
  }
  lines.erase(lines.begin());
  return lines;
}

json parse_json(const std::string& path, const std::string& line) {
  try {
    return json::parse(line);
  } catch (const json::exception& error) {
    corrupt(path, fmt::format("invalid JSON ({})", error.what()));
  }
}

SourceFile file_from_json(const std::string& path, const json& entry) {
  try {
    return SourceFile{entry.at("path").get<std::string>(), entry.at("size").get<std::uint64_t>(),
                      entry.at("modificationTime").get<std::int64_t>()};
  } catch (const json::exception& error) {
    corrupt(path, fmt::format("a file entry is incomplete ({})", error.what()));
  }
}

json file_to_json(const SourceFile& file) {
  return json{
      {"path", file.path}, {"size", file.size}, {"modificationTime", file.modification_time_ms}};
}

// The batch ids of the entries of a log folder; other names (temporary files) are skipped.
std::map<std::int64_t, std::string> log_entries(const fs::path& folder,
                                                bool compact_too,
                                                std::map<std::int64_t, std::string>* compacts) {
  std::map<std::int64_t, std::string> entries;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    bool is_compact = false;
    if (compact_too && name.ends_with(kCompactSuffix)) {
      name.resize(name.size() - kCompactSuffix.size());
      is_compact = true;
    }
    std::int64_t batch = -1;
    const auto [end, parse_error] = std::from_chars(name.data(), name.data() + name.size(), batch);
    if (parse_error != std::errc() || end != name.data() + name.size() || batch < 0) continue;
    (is_compact ? *compacts : entries)[batch] = entry.path().string();
  }
  if (error) {
    throw CheckpointError(folder.string(), fmt::format("Cannot list checkpoint folder {}: {}",
                                                       folder.string(), error.message()));
  }
  return entries;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void fsync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  const fs::path target(path);
  const std::string folder = target.parent_path().string();
  const std::string temporary =
      (target.parent_path() / fmt::format(".{}.{}.tmp", target.filename().string(), ::getpid()))
          .string();
  const auto fail = [&path](std::string_view what) {
    throw CheckpointError(path, fmt::format("Cannot write checkpoint file {}: {}: {}", path, what,
                                            std::strerror(errno)));
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("open");
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t count = ::write(fd, content.data() + written, content.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("write");
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("fsync");
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename");
  fsync_folder(folder);
}

Checkpoint::Checkpoint(std::string root) : root_(std::move(root)) {
  std::error_code error;
  for (const char* sub : {"offsets", "commits", "sources/0"}) {
    fs::create_directories(fs::path(root_) / sub, error);
    if (error) {
      throw CheckpointError(root_, fmt::format("Cannot create checkpoint folder {}: {}",
                                               (fs::path(root_) / sub).string(), error.message()));
    }
  }
  // flock locks belong to the open file description, so a second query in this process
  // conflicts as one in another process does; the kernel drops the lock when a process dies,
  // so a crashed query never leaves its checkpoint locked.
  const std::string lock_path = (fs::path(root_) / "lock").string();
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    throw CheckpointError(lock_path, fmt::format("Cannot open the checkpoint lock {}: {}",
                                                 lock_path, std::strerror(errno)));
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw CheckpointError(
        lock_path,
        fmt::format("Cannot start the query: another query is running with the checkpoint "
                    "location {} (it holds {}). Two queries cannot share a checkpoint location "
                    "at the same time; stop the other query or use another location.",
                    root_, lock_path));
  }
  try {
    load();
  } catch (...) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw;
  }
}

Checkpoint::~Checkpoint() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void Checkpoint::load() {
  const fs::path root(root_);
  const std::string metadata = (root / "metadata").string();
  if (fs::exists(metadata)) {
    const json parsed = parse_json(metadata, read_text(metadata));
    if (!parsed.is_object() || !parsed.contains("id") || !parsed["id"].is_string() ||
        parsed["id"].get<std::string>().empty()) {
      corrupt(metadata, "no query id");
    }
    query_id_ = parsed["id"].get<std::string>();
  } else {
    query_id_ = random_uuid();
    write_file_atomically(metadata, json{{"id", query_id_}}.dump());
  }

  // The source log: the newest compact file, then the deltas after it.
  std::map<std::int64_t, std::string> compacts;
  const std::map<std::int64_t, std::string> deltas =
      log_entries(root / "sources" / "0", true, &compacts);
  const auto read_source_entries = [this](const std::string& path) {
    for (const std::string& line : versioned_lines(path)) {
      if (line.empty()) continue;
      seen_.insert(file_from_json(path, parse_json(path, line)).path);
    }
  };
  if (!compacts.empty()) {
    last_compact_ = compacts.rbegin()->first;
    read_source_entries(compacts.rbegin()->second);
  }
  for (const auto& [batch, path] : deltas) {
    if (batch > last_compact_) read_source_entries(path);
  }

  const std::map<std::int64_t, std::string> offsets = log_entries(root / "offsets", false, nullptr);
  const std::map<std::int64_t, std::string> commits = log_entries(root / "commits", false, nullptr);
  std::vector<SourceFile> latest_files;
  for (const auto& [batch, path] : offsets) {
    const std::vector<std::string> lines = versioned_lines(path);
    if (lines.size() < 2) corrupt(path, "the entry is truncated");
    const json header = parse_json(path, lines[0]);
    const json source = parse_json(path, lines[1]);
    if (!header.is_object() || header.value("batchId", std::int64_t{-1}) != batch) {
      corrupt(path, fmt::format("the entry does not describe batch {}", batch));
    }
    if (!source.is_object() || !source.contains("files") || !source["files"].is_array()) {
      corrupt(path, "the entry lists no files");
    }
    std::vector<SourceFile> files;
    for (const json& entry : source["files"]) files.push_back(file_from_json(path, entry));
    for (const SourceFile& file : files) seen_.insert(file.path);
    latest_files = std::move(files);
  }
  for (const auto& [batch, path] : commits) {
    const std::vector<std::string> lines = versioned_lines(path);
    if (lines.empty() || !parse_json(path, lines[0]).is_object()) {
      corrupt(path, "the entry is truncated");
    }
  }

  const std::optional<std::int64_t> latest_offsets =
      offsets.empty() ? std::nullopt : std::optional(offsets.rbegin()->first);
  const std::optional<std::int64_t> latest_commit =
      commits.empty() ? std::nullopt : std::optional(commits.rbegin()->first);
  if (latest_commit && (!latest_offsets || *latest_commit > *latest_offsets)) {
    const std::string path = commits.rbegin()->second;
    corrupt(path, fmt::format("batch {} is committed but has no offsets entry", *latest_commit));
  }
  if (latest_offsets) {
    if (latest_commit && *latest_commit == *latest_offsets) {
      next_batch_ = *latest_offsets + 1;
    } else if (!latest_commit && *latest_offsets != offsets.begin()->first) {
      corrupt(offsets.rbegin()->second, "the commits log is missing");
    } else if (latest_commit && *latest_commit != *latest_offsets - 1) {
      corrupt(offsets.rbegin()->second,
              fmt::format("the commits log ends at batch {}, more than one batch behind",
                          *latest_commit));
    } else {
      // Written before its batch ran and never committed: re-run with exactly these files.
      pending_batch_ = *latest_offsets;
      pending_files_ = std::move(latest_files);
      next_batch_ = *latest_offsets + 1;
    }
  }
}

void Checkpoint::begin_batch(std::int64_t batch, const std::vector<SourceFile>& files, bool rerun) {
  const fs::path root(root_);
  if (!rerun) {
    json listed = json::array();
    for (const SourceFile& file : files) listed.push_back(file_to_json(file));
    const json header{{"batchId", batch}, {"batchTimestampMs", now_ms()}};
    const json source{{"logOffset", batch}, {"files", listed}};
    write_file_atomically((root / "offsets" / std::to_string(batch)).string(),
                          fmt::format("{}\n{}\n{}", kVersion, header.dump(), source.dump()));
  }
  for (const SourceFile& file : files) seen_.insert(file.path);

  // The source log, after the offsets entry: a crash in between is covered because the
  // offsets entries are read into the seen set too, and a re-run writes the entry again
  // (before retention can delete the offsets entry that covers it).
  const fs::path sources = root / "sources" / "0";
  std::string text(kVersion);
  const bool compact = (batch + 1) % kCompactInterval == 0;
  if (compact) {
    for (const std::string& path : seen_) {
      text += '\n';
      text += json{{"path", path}, {"size", 0}, {"modificationTime", 0}}.dump();
    }
  } else {
    for (const SourceFile& file : files) {
      text += '\n';
      text += file_to_json(file).dump();
    }
  }
  const std::string name =
      compact ? fmt::format("{}{}", batch, kCompactSuffix) : std::to_string(batch);
  write_file_atomically((sources / name).string(), text);
  if (compact) {
    // Only once the compact file is durable are the entries it replaces deleted.
    std::map<std::int64_t, std::string> compacts;
    const std::map<std::int64_t, std::string> deltas = log_entries(sources, true, &compacts);
    std::error_code ignored;
    for (const auto& [old, path] : deltas) {
      if (old <= batch) fs::remove(path, ignored);
    }
    for (const auto& [old, path] : compacts) {
      if (old < batch) fs::remove(path, ignored);
    }
    last_compact_ = batch;
  }
  pending_batch_ = batch;
  pending_files_ = files;
  next_batch_ = batch + 1;
}

void Checkpoint::commit(std::int64_t batch, std::size_t retain) {
  const fs::path root(root_);
  write_file_atomically((root / "commits" / std::to_string(batch)).string(),
                        fmt::format("{}\n{}", kVersion, json{{"nextBatchWatermarkMs", 0}}.dump()));
  pending_batch_.reset();
  pending_files_.clear();
  // Spark's purge keeps the newest minBatchesToRetain batches of both logs.
  const std::int64_t oldest_kept = batch - static_cast<std::int64_t>(retain) + 1;
  if (oldest_kept <= 0) return;
  std::error_code ignored;
  for (const char* log : {"offsets", "commits"}) {
    for (const auto& [old, path] : log_entries(root / log, false, nullptr)) {
      if (old < oldest_kept) fs::remove(path, ignored);
    }
  }
}

}  // namespace detail
}  // namespace kafkasink
